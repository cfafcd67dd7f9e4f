"""Cohort pages: the console (organisers run cycles and cohorts, enrol founders, see the attendance
export, reports, graduates and certificates) and the founder's own camp page. Lesson pages are in
app/cohorts/lessons/views.py."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app.audit import services as audit
from app.cohorts import progression
from app.cohorts.bp import bp, staff
from app.cohorts.camps import services as cohorts
from app.cohorts.camps.forms import CohortForm, CycleForm, EnrolForm
from app.cohorts.camps.models import BASIS_LABELS, Cohort, Cycle
from app.cohorts.certificates import issue_from_results
from app.cohorts.lessons import attendance, schedule
from app.cohorts.lessons.models import ATTENDANCE_LABELS, LESSON_KIND_LABELS
from app.cohorts.models import OUTCOME_LABELS
from app.cohorts.reports import attendance_rows, cohort_summary
from app.inputs import int_list
from app.registrations.export import to_xlsx
from app.tickets.services import ticket_url
from app.timeutil import local_to_utc
from app.transaction import commit
from app.web import download, perform


# -- console: cycles and cohorts -----------------------------------------------------------
@bp.route("/console/cohorts")
@staff
def cohort_list():
    mine = cohorts.cohorts_for(current_user)
    cycles: dict[Cycle, list[Cohort]] = {}
    for cohort in mine:
        cycles.setdefault(cohort.cycle, []).append(cohort)
    programmes = cohorts.programmes_run_by(current_user)
    counts = cohorts.enrolled_counts(mine)
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
    cohort = cohorts.taught_cohort(current_user, cohort_id)
    runs = cohorts.can_run(current_user, cohort.cycle.programme)
    form = EnrolForm()
    if runs and form.validate_on_submit() and (done := perform(
            lambda: cohorts.enrol_by_mobile(current_user, cohort, form.mobile.data, company=form.company.data or ""),
            success=_("Enrolled."), form=form, to=url_for("cohorts.cohort", cohort_id=cohort.id))):
        return done
    rates = attendance.rates(cohort)
    return render_template("cohorts/cohort.html", cohort=cohort, runs=runs, form=form,
                           enrolments=cohorts.active_enrolments(cohort), lessons=schedule.lessons(cohort), rates=rates)


@bp.route("/console/enrolments/<int:enrolment_id>/withdraw", methods=["POST"])
@staff
def withdraw(enrolment_id: int):
    enrolment = cohorts.get_enrolment(enrolment_id)
    return perform(lambda: cohorts.withdraw(current_user, enrolment, reason=request.form.get("reason", "")),
                   success=_("%(name)s has left the cohort.", name=enrolment.user.name),
                   to=url_for("cohorts.cohort", cohort_id=enrolment.cohort_id))


@bp.route("/console/cohorts/<int:cohort_id>/attendance.xlsx")
@staff
def cohort_attendance_export(cohort_id: int):
    cohort = cohorts.taught_cohort(current_user, cohort_id)
    header, rows = attendance_rows(cohort)
    audit.record(current_user, "cohort.attendance_export", cohort, rows=len(rows))
    commit()
    return download(to_xlsx(cohort.name[:31], header, rows), f"cohort-{cohort.id}-attendance.xlsx")


@bp.route("/console/cohorts/<int:cohort_id>/report")
@staff
def cohort_report(cohort_id: int):
    cohort = cohorts.taught_cohort(current_user, cohort_id)
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
    seen = attendance.founders_attendance([e for e in mine if e.active])
    pages = [{"enrolment": e, "cohort": e.cohort, "attendance": seen.get(e.id),
              "ticket": ticket_url(e.registration) if e.active else None} for e in reversed(mine)]
    return render_template("cohorts/my.html", pages=pages, history=mine)


@bp.app_context_processor
def _cohort_labels():
    return {"ATTENDANCE_LABELS": ATTENDANCE_LABELS, "BASIS_LABELS": BASIS_LABELS,
            "LESSON_KIND_LABELS": LESSON_KIND_LABELS, "OUTCOME_LABELS": OUTCOME_LABELS}
