"""Lesson pages: planning a lesson, its attendance (the trainer's marks over the scans), the
trainer's scanner link and projected check-in code, the cohort's attendance grid, and the page a
founder's phone opens on scanning the projected code."""
from __future__ import annotations

import time

from flask import abort, jsonify, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app import security_headers
from app.checkin.views import scanner_url
from app.cohorts.bp import bp, staff
from app.cohorts.camps import services as cohorts
from app.cohorts.lessons import attendance, schedule
from app.cohorts.lessons.forms import LessonForm, MarkForm
from app.tickets.services import qr_svg
from app.timeutil import local_to_utc, to_local
from app.transaction import commit
from app.urls import public_url
from app.web import perform


# -- lessons ------------------------------------------------------------------------------
@bp.route("/console/cohorts/<int:cohort_id>/lessons/new", methods=["GET", "POST"])
@bp.route("/console/cohorts/<int:cohort_id>/lessons/<int:lesson_id>", methods=["GET", "POST"])
@staff
def lesson_form(cohort_id: int, lesson_id: int | None = None):
    cohort = cohorts.get_cohort(cohort_id)
    cohorts.require_run(current_user, cohort.cycle.programme)
    lesson = schedule.get_lesson(lesson_id, cohort) if lesson_id else None
    form = LessonForm()
    trainers = cohort.trainers
    form.trainer_id.choices = [SelectChoice(0, "—")] + [SelectChoice(t.id, t.name) for t in trainers]
    if lesson is not None and not form.is_submitted():
        form.title.data, form.kind.data, form.place.data = lesson.title, lesson.kind, lesson.place
        form.starts_at.data = to_local(lesson.starts_at).replace(tzinfo=None)
        form.ends_at.data = to_local(lesson.ends_at).replace(tzinfo=None)
        form.trainer_id.data = lesson.trainer_id or 0
    if form.validate_on_submit() and (done := perform(
            lambda: schedule.save_lesson(
                current_user, cohort, title=form.title.data, starts_at=local_to_utc(form.starts_at.data),
                ends_at=local_to_utc(form.ends_at.data), place=form.place.data or "", kind=form.kind.data,
                trainer=next((t for t in trainers if t.id == form.trainer_id.data), None), lesson=lesson),
            success=_("Lesson saved."), form=form, to=url_for("cohorts.cohort", cohort_id=cohort.id))):
        return done
    return render_template("cohorts/lesson_form.html", form=form, cohort=cohort, lesson=lesson)


@bp.route("/console/lessons/<int:lesson_id>/attendance", methods=["GET", "POST"])
@staff
def lesson_attendance(lesson_id: int):
    lesson = schedule.get_lesson(lesson_id)
    cohort = cohorts.taught_cohort(current_user, lesson.cohort_id)
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
    lesson = schedule.get_lesson(lesson_id)
    return perform(lambda: attendance.lesson_scanner(current_user, lesson), success="", to=scanner_url)


@bp.route("/console/lessons/<int:lesson_id>/projector")
@staff
def projector(lesson_id: int):
    lesson = schedule.get_lesson(lesson_id)
    cohorts.taught_cohort(current_user, lesson.cohort_id)
    return render_template("cohorts/projector.html", lesson=lesson, data=_projector_data(lesson),
                           rotate=attendance.ROTATE_SECONDS)


@bp.route("/console/lessons/<int:lesson_id>/projector.json")
@staff
def projector_json(lesson_id: int):
    lesson = schedule.get_lesson(lesson_id)
    cohorts.taught_cohort(current_user, lesson.cohort_id)
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
    cohort = cohorts.taught_cohort(current_user, cohort_id)
    seen = attendance.grid(cohort)
    lessons, people, cells = seen
    return render_template("cohorts/attendance.html", cohort=cohort, lessons=lessons, people=people, cells=cells,
                           rates=attendance.rates(cohort, seen=seen),
                           counted={lesson.id for lesson in attendance.counted_lessons(cohort, lessons=lessons)})


# -- founders ------------------------------------------------------------------------------
@bp.route("/c/<code>")
@security_headers.private_link
@login_required
def self_check_in(code: str):
    seen = attendance.check_in_by_code(current_user, code)
    body = render_template("cohorts/self_check_in.html", error=seen.error, decision=seen.decision, lesson=seen.lesson)
    if seen.error is None:
        commit()  # the scan; a refused code leaves nothing to keep
    return body, seen.status
