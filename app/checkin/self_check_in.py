"""Self check-in: a signed-in person scans a checkpoint's venue code (app.checkin.venue_codes) with
their own phone, and the one check-in service decides it, as if a volunteer had picked them
from the list: their registration at the checkpoint's event, method "self".

What the organiser does for it: allow it per checkpoint (the rules form), show the code on a
screen or print it, and print anew to void a printed code that went round.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.checkin import services as checkin
from app.checkin import venue_codes
from app.checkin.models import DOOR, PRINTED, Checkpoint, ScanResult
from app.errors import PermissionDenied
from app.events.services import require_manage
from app.extensions import db
from app.locking import lock_objects
from app.registrations.models import Registration

SELF = "self"  # the scan's device and method


class SelfCheckInOff(PermissionDenied):
    code = "self_check_in_off"
    default_message = _l("Self check-in is not allowed here: show your QR credential to the staff at the door.")


def self_check_in(user: User, code: str, at: float | None = None) -> checkin.Decision:
    """Check `user` in where the venue code `code` is shown. `at`: when the code was read (now
    by default; the page passes the moment it first saw the code when the person had to sign in
    first). Refused without a scan stored: a forged code (invalid_code), a stale or replaced one
    (code_expired, code_replaced), a checkpoint not allowing it (self_check_in_off). Every other
    answer is a scan decision, stored (not_registered, outside_window, already_checked_in, …)."""
    checkpoint = venue_codes.read(code, at).checkpoint
    if not checkpoint.self_check_in or checkpoint.kind != DOOR:
        raise SelfCheckInOff()
    registration_id = db.session.scalar(sa.select(Registration.id).where(
        Registration.event_id == checkpoint.event_id, Registration.user_id == user.id))
    if registration_id is None:
        return checkin.refuse(checkpoint, ScanResult.NOT_REGISTERED, device=SELF, scanner=user, method=SELF)
    return checkin.scan(checkpoint, None, registration_id=registration_id, device=SELF, scanner=user, method=SELF)


def print_anew(actor: User, checkpoint: Checkpoint) -> Checkpoint:
    """A new printed code for the checkpoint: every copy of the one before stops working (and the
    checkpoint accepts printed codes from now on)."""
    require_manage(actor, checkpoint.event)
    # two organisers printing at once: two generations, not the same one twice
    lock_objects(checkpoint, refresh=["print_generation"])
    checkpoint.print_generation += 1
    checkpoint.venue_code = PRINTED
    audit.record(actor, "checkpoint.venue_code_print", checkpoint.event, checkpoint=checkpoint.id,
                 generation=checkpoint.print_generation)
    return checkpoint
