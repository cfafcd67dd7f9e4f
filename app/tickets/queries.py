"""The ticket a person may act on from their own pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.errors import Conflict, PermissionDenied
from app.registrations.models import Registration
from app.registrations.services import get_registration
from app.tickets.services import has_ticket


def own_ticket(actor: User, registration_id: int) -> Registration:
    """The actor's own registration with a ticket: PermissionDenied for somebody else's, Conflict
    when it has no ticket (not confirmed)."""
    registration = get_registration(registration_id)
    if registration.user_id != actor.id:
        raise PermissionDenied()
    if not has_ticket(registration):
        raise Conflict(_l("Only confirmed registrations have a ticket."), code="not_confirmed")
    return registration
