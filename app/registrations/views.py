from __future__ import annotations

from babel.lists import format_list
from flask import flash, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import referred
from app.registrations import queries, services
from app.registrations.bp import bp
from app.registrations.forms import field_name, form_data, raw_answers, registration_form
from app.registrations.models import RegStatus
from app.web import perform


def _question_fields(event, form):
    return [(q, form[field_name(q.id)]) for q in event.questions]


def _answer_fields(event) -> dict:
    """The service's keys for answers, mapped to the form's fields."""
    return {f"answers.{q.id}": field_name(q.id) for q in event.questions}


def _registered_message(registration) -> str:
    messages = {
        RegStatus.CONFIRMED.value: _("You are registered. Your ticket is ready."),
        RegStatus.WAITLISTED.value: _("The event is full; you are number %(n)s on the waiting list.",
                                      n=services.waitlist_position(registration)),
        RegStatus.PENDING.value: _("Your registration is received and awaits approval."),
    }
    return " ".join(m for m in (messages[registration.status], _waitlisted_message(registration)) if m)


def _waitlisted_message(registration) -> str:
    """Which sessions the person only waits for: said, never left for them to find out."""
    waiting = services.waitlisted_sessions(registration)
    if not waiting:
        return ""
    items = [_("%(session)s (number %(n)s)", session=session.title, n=n) for session, n in waiting]
    return _("These sessions are full; you are on their waiting lists: %(sessions)s.",
             sessions=format_list(items, locale=str(get_locale() or "zh_Hans_CN")))


@bp.route("/events/<int:event_id>/register", methods=["GET", "POST"])
@login_required
def register(event_id: int):
    event = services.get_public_event(event_id, current_user)
    existing = services.registration_of(current_user, event)
    if existing is not None and existing.is_active:
        # Already registered: their registration, not a blank form. A form they filled in
        # before (another tab) stays as typed in the change form, unsaved, for them to check.
        if request.method == "POST":
            flash(_("You are already registered for this event. What you just entered is not saved yet: "
                    "check it below and save your changes."), "info")
        return _show(existing, form_posted=request.method == "POST")
    seats = services.session_seats(event)
    form = registration_form(event, None if request.method == "POST" else form_data(event, existing, seats))
    if form.validate_on_submit():
        done = perform(lambda: services.register(current_user, event, raw_answers(event, form),
                                                 form.sessions.data if event.sessions else None,
                                                 referral_code=referred.remembered()),
                       form=form, fields=_answer_fields(event), success=_registered_message,
                       to=url_for("registrations.mine"), refusals=(services.RegistrationClosed, services.NotInvited),
                       refused_to=url_for("events.detail", event_id=event.id))
        if done:
            return done
        seats = services.session_seats(event)  # the seats as they are now, beside the form's messages
    return render_template("registrations/register.html", event=event, form=form, earlier=existing,
                           question_fields=_question_fields(event, form), seats=seats,
                           seats_left=services.seats_left(event))


@bp.route("/me/registrations/<int:registration_id>", methods=["GET", "POST"])
@login_required
def show(registration_id: int):
    """The person's registration: status, answers and sessions, and the change form while
    registration is open."""
    registration = services.own_registration(current_user, registration_id)
    event = registration.event
    form = registration_form(event) if request.method == "POST" else None
    here = url_for("registrations.show", registration_id=registration_id)
    if form is not None and form.validate_on_submit() and (done := perform(
            lambda: services.update_registration(current_user, registration, raw_answers(event, form),
                                                 form.sessions.data if event.sessions else None),
            form=form, fields=_answer_fields(event), to=here, refused_to=here,
            success=lambda _r: " ".join(
                m for m in (_("Your changes are saved."), _waitlisted_message(registration)) if m))):
        return done
    return _show(registration, form=form)


def _show(registration, *, form=None, form_posted: bool = False):
    event = registration.event
    seats = services.session_seats(event, registration)
    editable = services.can_edit(registration)
    if form is None and editable:
        form = registration_form(event, None if form_posted else form_data(event, registration, seats))
    answers = registration.answer_map()
    return render_template("registrations/show.html", registration=registration, event=event, form=form,
                           editable=editable, seats=seats, bookings=services.active_bookings(registration),
                           answers=[(q, answers.get(q.id)) for q in event.questions],
                           question_fields=_question_fields(event, form) if form is not None else [],
                           position=services.waitlist_position(registration),
                           positions=services.session_positions([registration]))


@bp.route("/me/registrations")
@login_required
def mine():
    registrations = services.user_registrations(current_user)
    positions, session_positions = queries.places_of_a_person(registrations)
    return render_template("registrations/mine.html", registrations=registrations, positions=positions,
                           session_positions=session_positions,
                           bookings={r.id: services.active_bookings(r) for r in registrations})


@bp.route("/me/registrations/<int:registration_id>/cancel", methods=["POST"])
@login_required
def cancel(registration_id: int):
    registration = services.own_registration(current_user, registration_id)
    title = registration.event.title  # read before the commit expires it
    return perform(lambda: services.cancel(current_user, registration),
                   success=_("Your registration for “%(event)s” is cancelled.", event=title), category="info",
                   to=url_for("registrations.mine"))
