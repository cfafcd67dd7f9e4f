"""Actions an organiser applies to the registrations ticked in the console's list."""
from __future__ import annotations

from app.accounts.models import User
from app.registrations.models import Registration
from app.registrations.services import cancel


def cancel_active(actor: User, registrations: list[Registration], reason: str = "") -> int:
    """Cancel those still active (the others are skipped); how many were cancelled."""
    n = 0
    for registration in registrations:
        if registration.is_active:
            cancel(actor, registration, reason=reason or "by organiser")
            n += 1
    return n


