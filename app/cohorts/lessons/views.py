"""Lesson pages: planning a lesson, its attendance (the trainer's marks over the scans), the
trainer's scanner link and projected check-in code (the lesson checkpoint's venue code, which
founders scan to /c/<code>, app/checkin/venue_views.py), and the cohort's attendance grid."""
from __future__ import annotations

from flask import abort, jsonify, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.checkin import venue_codes, venue_screen
from app.checkin.views import scanner_url
from app.cohorts.bp import bp, staff
from app.cohorts.camps import services as cohorts
from app.cohorts.lessons import attendance, schedule
from app.cohorts.lessons.forms import LessonForm, MarkForm
from app.timeutil import local_to_utc, to_local
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
                           seen=seen, form=form, screens=venue_screen.screens_for(current_user, [lesson.session]))


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
    return render_template("checkin/venue_screen.html", title=lesson.title, subtitle=lesson.cohort.name,
                           data=attendance.projector_data(lesson), rotate=venue_codes.ROTATE_SECONDS,
                           json_url=url_for("cohorts.projector_json", lesson_id=lesson.id))


@bp.route("/console/lessons/<int:lesson_id>/projector.json")
@staff
def projector_json(lesson_id: int):
    lesson = schedule.get_lesson(lesson_id)
    cohorts.taught_cohort(current_user, lesson.cohort_id)
    response = jsonify(attendance.projector_data(lesson))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/console/cohorts/<int:cohort_id>/attendance")
@staff
def cohort_attendance(cohort_id: int):
    cohort = cohorts.taught_cohort(current_user, cohort_id)
    seen = attendance.grid(cohort)
    lessons, people, cells = seen
    return render_template("cohorts/attendance.html", cohort=cohort, lessons=lessons, people=people, cells=cells,
                           rates=attendance.rates(cohort, seen=seen),
                           counted={lesson.id for lesson in attendance.counted_lessons(cohort, lessons=lessons)})
