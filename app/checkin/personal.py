"""The personal code (我的码) at a checkpoint: whose code it is, then that person's place at the
checkpoint's event. What follows (seat in the session, status, window, already in) is the
ticket's path in app.checkin.services.scan, with the same result codes.

A code's freshness is judged against the moment of the scan as the scanner reports it, as the
check-in window is: a scan queued offline and uploaded an hour later is judged as it was decided
at the door, with the same 60 seconds.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.checkin.models import Checkpoint, ScanResult
from app.extensions import db
from app.locking import lock_in_query
from app.registrations.models import Registration
from app.tickets import phone_keys

_RESULTS = {"invalid": ScanResult.INVALID, "expired": ScanResult.EXPIRED, "revoked": ScanResult.REVOKED}


@dataclass(frozen=True)
class Found:
    """`refused` is None when the code is good; `registration` the person's place at the
    checkpoint's event (None: no place there, or the code names nobody)."""
    refused: ScanResult | None
    registration: Registration | None
    detail: dict
    locked: bool = False


def find(checkpoint: Checkpoint, token: str, at: datetime) -> Found:
    checked = phone_keys.check(token, at)
    detail = {"method": "personal_code", "phone_key": checked.phone_key_id}
    if checked.result != "ok":
        detail["reason"] = checked.reason
    if checked.user_id is None:
        detail["token_prefix"] = token[:12]
        return Found(ScanResult.INVALID, None, detail)
    query = (sa.select(Registration).where(Registration.event_id == checkpoint.event_id,
                                           Registration.user_id == checked.user_id)
             .options(joinedload(Registration.user)))
    locking = checked.result == "ok"
    if locking:  # the row a deciding scan works on, in the same round trip (PostgreSQL)
        query = lock_in_query(query, Registration)
    registration = db.session.scalar(query)
    if checked.result != "ok":
        # genuine but refused: the log shows whose code it was, if they have a place here
        return Found(_RESULTS[checked.result], registration, detail)
    if registration is None:
        return Found(ScanResult.NOT_REGISTERED, None, detail)
    return Found(None, registration, detail, locked=db.session.get_bind().dialect.name == "postgresql")
