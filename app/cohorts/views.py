"""Cohort pages: the console (organisers run cycles and cohorts; trainers see their own cohorts,
take attendance and project the rotating check-in code) and the founder's own camp page."""
from __future__ import annotations

import time

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app import security_headers
from app.accounts.models import Role
from app.audit import services as audit
from app.checkin.views import scanner_url
from app.cohorts import attendance, progression
from app.cohorts.bp import bp
from app.cohorts import services as cohorts
from app.cohorts.certificates import issue_from_results
from app.cohorts.forms import CohortForm, CycleForm, EnrolForm, LessonForm, MarkForm
from app.cohorts.models import (
    ATTENDANCE_LABELS,
    BASIS_LABELS,
    LESSON_KIND_LABELS,
    OUTCOME_LABELS,
    Cohort,
    Cycle,
)
from app.cohorts.reports import attendance_rows, cohort_summary
from app.errors import InvalidInput, NotFound, ServiceError
from app.extensions import db
from app.registrations.export import to_xlsx
from app.tickets.services import qr_svg, ticket_url
from app.timeutil import local_to_utc, to_local
from app.transaction import commit
from app.inputs import int_list
from app.urls import public_url
from app.web import download, perform, roles_required

staff = roles_required(Role.ADMIN, Role.ORGANISER, Role.TRAINER)


def _teachable(cohort_id: int) -> Cohort:
    cohort = cohorts.get_cohort(cohort_id)
    cohorts.require_teach(current_user, cohort)
    return cohort


# -- console: cycles and cohorts -----------------------------------------------------------
@bp.route("/console/cohorts")
@staff
def cohort_list():
    mine = cohorts.cohorts_for(current_user)
    cycles: dict[Cycle, list[Cohort]] = {}
    for cohort in mine:
        cycles.setdefault(cohort.cycle, []).append(cohort)
    programmes = cohorts.programmes_run_by(current_user)
    counts = {c.id: cohorts.enrolled_count(c) for c in mine}
    return render_template("cohorts/list.html", cycles=cycles, counts=counts, programmes=programmes)


@bp.route("/console/programmes/<code>/cycles/new", methods=["GET", "POST"])
@staff
def cycle_new(code: str):
    programme = cohorts.get_programme(code)
    cohorts.require_run(current_user, programme)
    form = CycleForm()
    if form.validate_on_submit() and (done := perform(
            lambda: cohorts.create_cycle(
                current_user, programme, name=form.name.data, starts_on=form.starts_on.data,
                ends_on=form.ends_on.data, intake=form.intake.data,
                applications_open_at=local_to_utc(form.applications_open_at.data),
                applications_close_at=local_to_utc(form.applications_close_at.data)),
            success=_("Cycle created. Now add its cohorts."), form=form,
            to=lambda cycle: url_for("cohorts.cohort_new", cycle_id=cycle.id))):
        return done
    return render_template("cohorts/cycle_form.html", form=form, programme=programme)


@bp.route("/console/cycles/<int:cycle_id>/cohorts/new", methods=["GET", "POST"])
@staff
def cohort_new(cycle_id: int):
    cycle = cohorts.get_cycle(cycle_id)
    cohorts.require_run(current_user, cycle.programme)
    form = CohortForm()
    form.tier_id.choices = [SelectChoice(t.id, t.name) for t in cycle.programme.tiers]
    trainers = cohorts.trainer_accounts()
    form.trainer_ids.choices = [SelectChoice(t.id, t.name) for t in trainers]

    def create():
        tier = next(t for t in cycle.programme.tiers if t.id == form.tier_id.data)
        chosen = [t for t in trainers if t.id in (form.trainer_ids.data or [])]
        return cohorts.create_cohort(
            current_user, cycle, tier, capacity=form.capacity.data, name=form.name.data or "",
            venue=form.venue.data or "", starts_on=form.starts_on.data, ends_on=form.ends_on.data,
            trainers=chosen, attendance_basis=form.attendance_basis.data,
            late_after_minutes=form.late_after_minutes.data)

    if form.validate_on_submit() and (done := perform(
            create, success=_("Cohort created."), form=form, to=lambda c: url_for("cohorts.cohort", cohort_id=c.id))):
        return done
    taken = sum(c.capacity for c in cycle.cohorts)
    return render_template("cohorts/cohort_form.html", form=form, cycle=cycle, taken=taken)


@bp.route("/console/cohorts/<int:cohort_id>", methods=["GET", "POST"])
@staff
def cohort(cohort_id: int):
    cohort = _teachable(cohort_id)
    runs = cohorts.can_run(current_user, cohort.cycle.programme)
    form = EnrolForm()
    if runs and form.validate_on_submit() and (done := perform(
            lambda: cohorts.enrol_by_mobile(current_user, cohort, form.mobile.data, company=form.company.data or ""),
            success=_("Enrolled."), form=form, to=url_for("cohorts.cohort", cohort_id=cohort.id))):
        return done
    rates = attendance.rates(cohort)
    return render_template("cohorts/cohort.html", cohort=cohort, runs=runs, form=form,
                           enrolments=cohorts.active_enrolments(cohort), lessons=cohorts.lessons(cohort), rates=rates)


@bp.route("/console/enrolments/<int:enrolment_id>/withdraw", methods=["POST"])
@staff
def withdraw(enrolment_id: int):
    enrolment = cohorts.get_enrolment(enrolment_id)
    return perform(lambda: cohorts.withdraw(current_user, enrolment, reason=request.form.get("reason", "")),
                   success=_("%(name)s has left the cohort.", name=enrolment.user.name),
                   to=url_for("cohorts.cohort", cohort_id=enrolment.cohort_id))


# -- lessons ------------------------------------------------------------------------------
@bp.route("/console/cohorts/<int:cohort_id>/lessons/new", methods=["GET", "POST"])
@bp.route("/console/cohorts/<int:cohort_id>/lessons/<int:lesson_id>", methods=["GET", "POST"])
@staff
def lesson_form(cohort_id: int, lesson_id: int | None = None):
    cohort = cohorts.get_cohort(cohort_id)
    cohorts.require_run(current_user, cohort.cycle.programme)
    lesson = cohorts.get_lesson(lesson_id, cohort) if lesson_id else None
    form = LessonForm()
    trainers = cohort.trainers
    form.trainer_id.choices = [SelectChoice(0, "—")] + [SelectChoice(t.id, t.name) for t in trainers]
    if lesson is not None and not form.is_submitted():
        form.title.data, form.kind.data, form.place.data = lesson.title, lesson.kind, lesson.session.room
        form.starts_at.data = to_local(lesson.starts_at).replace(tzinfo=None)
        form.ends_at.data = to_local(lesson.ends_at).replace(tzinfo=None)
        form.trainer_id.data = lesson.trainer_id or 0
    if form.validate_on_submit() and (done := perform(
            lambda: cohorts.save_lesson(
                current_user, cohort, title=form.title.data, starts_at=local_to_utc(form.starts_at.data),
                ends_at=local_to_utc(form.ends_at.data), place=form.place.data or "", kind=form.kind.data,
                trainer=next((t for t in trainers if t.id == form.trainer_id.data), None), lesson=lesson),
            success=_("Lesson saved."), form=form, to=url_for("cohorts.cohort", cohort_id=cohort.id))):
        return done
    return render_template("cohorts/lesson_form.html", form=form, cohort=cohort, lesson=lesson)


@bp.route("/console/lessons/<int:lesson_id>/attendance", methods=["GET", "POST"])
@staff
def lesson_attendance(lesson_id: int):
    lesson = cohorts.get_lesson(lesson_id)
    cohort = _teachable(lesson.cohort_id)
    people = cohorts.active_enrolments(cohort)
    form = MarkForm()
    if form.validate_on_submit():
        enrolment = next((e for e in people if e.id == form.enrolment_id.data), None)
        if enrolment is None:
            abort(404)
        if done := perform(lambda: attendance.mark(current_user, lesson, enrolment, form.status.data,
                                                   reason=form.reason.data or ""),
                           success=_("%(name)s: attendance recorded.", name=enrolment.user.name), form=form,
                           to=url_for("cohorts.lesson_attendance", lesson_id=lesson.id)):
            return done
    seen = attendance.lesson_statuses(lesson, people)
    return render_template("cohorts/lesson_attendance.html", lesson=lesson, cohort=cohort, people=people,
                           seen=seen, form=form)


@bp.route("/console/lessons/<int:lesson_id>/scanner", methods=["POST"])
@staff
def lesson_scanner(lesson_id: int):
    lesson = cohorts.get_lesson(lesson_id)
    return perform(lambda: attendance.lesson_scanner(current_user, lesson), success="", to=scanner_url)


@bp.route("/console/lessons/<int:lesson_id>/projector")
@staff
def projector(lesson_id: int):
    lesson = cohorts.get_lesson(lesson_id)
    _teachable(lesson.cohort_id)
    return render_template("cohorts/projector.html", lesson=lesson, data=_projector_data(lesson),
                           rotate=attendance.ROTATE_SECONDS)


@bp.route("/console/lessons/<int:lesson_id>/projector.json")
@staff
def projector_json(lesson_id: int):
    lesson = cohorts.get_lesson(lesson_id)
    _teachable(lesson.cohort_id)
    response = jsonify(_projector_data(lesson))
    response.headers["Cache-Control"] = "no-store"
    return response


def _projector_data(lesson) -> dict:
    code = attendance.projector_code(lesson)
    url = public_url("cohorts.self_check_in", code=code)
    people = cohorts.active_enrolments(lesson.cohort)
    seen = attendance.lesson_statuses(lesson, people)
    arrived = sum(1 for s in seen.values() if s.status in attendance.ATTENDED)
    left = attendance.ROTATE_SECONDS - int(time.time()) % attendance.ROTATE_SECONDS
    return {"code": code, "url": url, "svg": qr_svg(url), "seconds_left": left,
            "arrived": arrived, "enrolled": len(people), "notice": attendance.projector_notice(lesson)}


@bp.route("/console/cohorts/<int:cohort_id>/attendance")
@staff
def cohort_attendance(cohort_id: int):
    cohort = _teachable(cohort_id)
    seen = attendance.grid(cohort)
    lessons, people, cells = seen
    return render_template("cohorts/attendance.html", cohort=cohort, lessons=lessons, people=people, cells=cells,
                           rates=attendance.rates(cohort, seen=seen),
                           counted={lesson.id for lesson in attendance.counted_lessons(cohort, lessons=lessons)})


@bp.route("/console/cohorts/<int:cohort_id>/attendance.xlsx")
@staff
def cohort_attendance_export(cohort_id: int):
    cohort = _teachable(cohort_id)
    header, rows = attendance_rows(cohort)
    audit.record(current_user, "cohort.attendance_export", cohort, rows=len(rows))
    commit()
    return download(to_xlsx(cohort.name[:31], header, rows), f"cohort-{cohort.id}-attendance.xlsx")


@bp.route("/console/cohorts/<int:cohort_id>/report")
@staff
def cohort_report(cohort_id: int):
    cohort = _teachable(cohort_id)
    return render_template("cohorts/report.html", cohort=cohort, summary=cohort_summary(cohort))


@bp.route("/console/cycles/<int:cycle_id>/report")
@staff
def cycle_report(cycle_id: int):
    cycle = cohorts.get_cycle(cycle_id)
    cohorts.require_run(current_user, cycle.programme)
    return render_template("cohorts/cycle_report.html", cycle=cycle,
                           summaries=[cohort_summary(c) for c in cycle.cohorts])


@bp.route("/console/cohorts/<int:cohort_id>/certificates", methods=["POST"])
@staff
def cohort_certificates(cohort_id: int):
    cohort = cohorts.get_cohort(cohort_id)
    made = issue_from_results(current_user, cohort)
    commit()
    flash(_("Certificates issued: %(completion)s completion, %(distinction)s distinction "
            "(already issued: %(skipped)s).",
            completion=len(made["completion"].issued), distinction=len(made["distinction"].issued),
            skipped=len(made["completion"].skipped) + len(made["distinction"].skipped)), "success")
    return redirect(url_for("certificates.index", cohort=cohort.id))


@bp.route("/console/cohorts/<int:cohort_id>/graduates", methods=["GET", "POST"])
@staff
def graduates(cohort_id: int):
    cohort = cohorts.get_cohort(cohort_id)
    cohorts.require_run(current_user, cohort.cycle.programme)
    targets = progression.next_cohorts(cohort)
    if request.method == "POST":
        target = next((c for c in targets if c.id == int(request.form.get("target", 0) or 0)), None)
        chosen = set(int_list(request.form.getlist("enrolment")))
        people = [e for e, _o in progression.graduates(cohort) if e.id in chosen]
        return perform(lambda: progression.invite_all(current_user, people, target),
                       success=_("%(n)s graduates invited to %(cohort)s.", n=len(people),
                                 cohort=target.name if target else ""),
                       to=url_for("cohorts.graduates", cohort_id=cohort.id))
    moved = {e.user_id for c in targets for e in cohorts.active_enrolments(c)}
    return render_template("cohorts/graduates.html", cohort=cohort, graduates=progression.graduates(cohort),
                           targets=targets, moved=moved)


# -- founders -----------------------------------------------------------------------------
@bp.route("/camps/my")
@login_required
def my_camps():
    mine = cohorts.history(current_user)
    pages = []
    for enrolment in reversed(mine):
        cohort = enrolment.cohort
        page = {"enrolment": enrolment, "cohort": cohort, "seen": {}, "rate": None, "ticket": None}
        if enrolment.active:  # one attendance grid of the cohort gives the schedule's marks and the rate
            grid = attendance.grid(cohort)
            lessons, _people, cells = grid
            page.update(lessons=lessons, seen={lesson.id: cells[(lesson.id, enrolment.id)] for lesson in lessons},
                        rate=attendance.rates(cohort, seen=grid)[enrolment.id],
                        ticket=ticket_url(enrolment.registration))
        else:
            page["lessons"] = cohorts.lessons(cohort)
        pages.append(page)
    return render_template("cohorts/my.html", pages=pages, history=mine)


@bp.route("/c/<code>")
@security_headers.private_link
@login_required
def self_check_in(code: str):
    try:
        lesson = attendance.lesson_for_code(code)
        decision = attendance.self_check_in(current_user, code)
    except (InvalidInput, NotFound) as exc:
        db.session.rollback()
        return render_template("cohorts/self_check_in.html", error=str(exc.message), decision=None), 400
    except ServiceError as exc:
        db.session.rollback()
        return render_template("cohorts/self_check_in.html", error=str(exc.message), decision=None), 403
    body = render_template("cohorts/self_check_in.html", error=None, decision=decision, lesson=lesson)
    commit()
    return body


@bp.app_context_processor
def _cohort_labels():
    return {"ATTENDANCE_LABELS": ATTENDANCE_LABELS, "BASIS_LABELS": BASIS_LABELS,
            "LESSON_KIND_LABELS": LESSON_KIND_LABELS, "OUTCOME_LABELS": OUTCOME_LABELS}
