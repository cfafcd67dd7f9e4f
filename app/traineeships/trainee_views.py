"""The young people's pages (phone first): the batches taking applications, the application with
its ranked choices, and their own applications and placements."""
from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.traineeships import applying, batches, queries
from app.traineeships.applying import Details
from app.traineeships.bp import bp
from app.traineeships.forms import apply_form
from app.traineeships.models import PlaceStatus
from app.web import perform


@bp.route("/traineeships/")
def open_list():
    return render_template("traineeships/open_list.html", batches=batches.open_batches())


@bp.route("/traineeships/<int:batch_id>/apply", methods=["GET", "POST"])
@login_required
def apply(batch_id: int):
    batch = batches.get_shown_batch(batch_id)
    places = [p for p in batch.places if p.status == PlaceStatus.OPEN.value]
    existing = applying.application_of(current_user, batch)
    form = apply_form(places, batch.max_choices)
    if existing is None and form.validate_on_submit():
        details = Details(school_name=form.school_name.data, major=form.major.data or "",
                          education=form.education.data, graduation_year=form.graduation_year.data,
                          birth_date=form.birth_date.data, in_shanghai_household=form.in_shanghai_household.data,
                          studies_in_shanghai=form.studies_in_shanghai.data,
                          left_school_unemployed=form.left_school_unemployed.data)
        done = perform(lambda: applying.apply(current_user, batch, details, [f.data for f in form.ranked]),
                       success=_("Application sent. The host companies will review it."), form=form,
                       fields={"choices": "choice_1"}, to=url_for("traineeships.mine"))
        if done:
            return done
    status = 422 if any(f.errors for f in form) else 200
    return render_template("traineeships/apply.html", batch=batch, places=places, form=form, existing=existing,
                           taking=batches.taking_applications(batch)), status


@bp.route("/me/traineeships")
@login_required
def mine():
    placements = queries.placements_of_person(current_user)
    return render_template("traineeships/mine.html", applications=queries.applications_of_person(current_user),
                           placements=placements, months=queries.confirmed_months_of(placements.values()))


@bp.route("/me/traineeships/<int:trainee_application_id>/withdraw", methods=["POST"])
@login_required
def withdraw(trainee_application_id: int):
    application = applying.get_own_application(current_user, trainee_application_id)
    return perform(lambda: applying.withdraw(current_user, application), success=_("Application withdrawn."),
                   category="info", to=url_for("traineeships.mine"))
