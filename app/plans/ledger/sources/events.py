"""Events: the people who came (an accepted entry scan at the event or one of its sessions)."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.checkin.models import Checkpoint, Scan, ScanResult
from app.events.models import Event
from app.plans.ledger.counters import PEOPLE, counter
from app.registrations.models import Registration


def programme_of(kind_column) -> sa.ColumnElement:
    """'event:forum', 'event:job_fair' …: an event's programme is its kind."""
    return sa.literal("event:").concat(kind_column)


@counter("attendees", PEOPLE, _l("People who checked in at events"))
def attendees(rule: dict) -> sa.Select:
    """rule: `kinds` (event kinds, all when absent), `invited_only` (false: open events only,
    leaving out the programmes' invitation-only occasions)."""
    query = (sa.select(Registration.user_id.label("subject"), Scan.scanned_at.label("at"),
                       Event.department_id.label("department_id"), programme_of(Event.kind).label("programme"),
                       Event.id.label("event_id"))
             .select_from(Scan)
             .join(Registration, Registration.id == Scan.registration_id)
             .join(Checkpoint, Checkpoint.id == Scan.checkpoint_id)
             .join(Event, Event.id == Checkpoint.event_id)
             .where(Scan.result == ScanResult.OK.value, Scan.direction == "in"))
    if rule.get("kinds"):
        query = query.where(Event.kind.in_(list(rule["kinds"])))
    if rule.get("invited_only") is False:
        query = query.where(Event.invited_only.is_(False))
    return query
