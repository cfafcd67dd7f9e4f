"""The host companies' portal: a contact's places and the people who chose them, with accept and
decline. Only contacts of the place's host get past the services' checks."""
from __future__ import annotations

from flask import abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.traineeships import review
from app.traineeships.applying import live_placements
from app.traineeships.bp import bp
from app.traineeships.forms import ReasonForm
from app.web import perform


@bp.route("/host/")
@login_required
def host_index():
    if not review.is_contact(current_user):
        abort(403)
    places = review.places_of(current_user)
    return render_template("traineeships/host_index.html", hosts=review.hosts_of(current_user), places=places,
                           taken={p.id: review.taken(p) for p in places},
                           waiting={p.id: sum(1 for c in review.applicants(current_user, p) if c.status == "pending")
                                    for p in places})


@bp.route("/host/places/<int:place_id>")
@login_required
def host_place(place_id: int):
    place = review.get_own_place(current_user, place_id)
    choices = review.applicants(current_user, place)
    live = live_placements(place.batch_id, [c.application.user_id for c in choices])
    held = {c.id: live.get(c.application.user_id) for c in choices}
    return render_template("traineeships/host_place.html", place=place, choices=choices, held=held,
                           taken=review.taken(place), reason_form=ReasonForm())


@bp.route("/host/choices/<int:choice_id>/accept", methods=["POST"])
@login_required
def host_accept(choice_id: int):
    choice = review.get_choice(choice_id)
    review.require_host(current_user, choice.place)
    return perform(lambda: review.accept(current_user, choice),
                   success=_("Accepted: the bureau will confirm the placement."),
                   to=url_for("traineeships.host_place", place_id=choice.place_id))


@bp.route("/host/choices/<int:choice_id>/decline", methods=["POST"])
@login_required
def host_decline(choice_id: int):
    choice = review.get_choice(choice_id)
    review.require_host(current_user, choice.place)
    form = ReasonForm()
    return perform(lambda: review.decline(current_user, choice, reason=form.reason.data or ""),
                   success=_("Declined."), to=url_for("traineeships.host_place", place_id=choice.place_id))
