from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.errors import Conflict, InvalidInput
from app.events.services import get_public_event
from app.extensions import db
from app.registrations import services
from app.registrations.forms import field_name, raw_answers, registration_form
from app.registrations.models import RegStatus
from app.transaction import commit
from app.web import apply_errors

bp = Blueprint("registrations", __name__)


@bp.route("/events/<int:event_id>/register", methods=["GET", "POST"])
@login_required
def register(event_id: int):
    event = get_public_event(event_id, current_user)
    form = registration_form(event)
    if request.method == "GET" and event.sessions:
        form.sessions.data = [s.id for s in event.sessions]
    if form.validate_on_submit():
        try:
            registration = services.register(current_user, event, raw_answers(event, form),
                                             form.sessions.data if event.sessions else None)
        except InvalidInput as exc:
            db.session.rollback()
            apply_errors(form, exc, {f"answers.{q.id}": field_name(q.id) for q in event.questions})
        except (Conflict, services.RegistrationClosed) as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
            return redirect(url_for("events.detail", event_id=event.id))
        else:
            commit()
            messages = {
                RegStatus.CONFIRMED.value: _("You are registered. Your ticket is ready."),
                RegStatus.WAITLISTED.value: _("The event is full; you are number %(n)s on the waiting list.",
                                              n=services.waitlist_position(registration)),
                RegStatus.PENDING.value: _("Your registration is received and awaits approval."),
            }
            flash(messages[registration.status], "success")
            return redirect(url_for("registrations.mine"))
    return render_template("registrations/register.html", event=event, form=form,
                           question_fields=[(q, form[field_name(q.id)]) for q in event.questions],
                           seats_left=services.seats_left(event))


@bp.route("/me/registrations")
@login_required
def mine():
    registrations = services.user_registrations(current_user)
    positions = {r.id: services.waitlist_position(r) for r in registrations}
    return render_template("registrations/mine.html", registrations=registrations, positions=positions)


@bp.route("/me/registrations/<int:registration_id>/cancel", methods=["POST"])
@login_required
def cancel(registration_id: int):
    registration = services.own_registration(current_user, registration_id)
    services.cancel(current_user, registration)
    commit()
    flash(_("Your registration for “%(event)s” is cancelled.", event=registration.event.title), "info")
    return redirect(url_for("registrations.mine"))
