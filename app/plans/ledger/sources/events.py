"""Events: the people who came (an accepted entry scan at the event's door or at one of its agenda
sessions' checkpoints: every checkpoint belongs to its event), and the events held."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.checkin.models import Checkpoint, Scan, ScanResult
from app.events.models import Event, EventStatus
from app.plans.ledger.counters import OCCASIONS, PEOPLE, counter
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


@counter("events_held", OCCASIONS, _l("Events held"))
def events_held(rule: dict) -> sa.Select:
    """An event counts when it starts (`at` = its start), if it is published and not cancelled
    (drafts and cancelled events were not held); facts are cut at the end of the day asked about,
    so an event still to come does not count. subject = the event's id; the programme is its kind.
    rule: `kinds` (event kinds, all when absent), `invited_only` (false: open events only),
    `series` (true: only events of a brand series)."""
    query = (sa.select(Event.id.label("subject"), Event.starts_at.label("at"), Event.department_id.label("department_id"),
                       programme_of(Event.kind).label("programme"), Event.id.label("event_id"))
             .where(Event.status == EventStatus.PUBLISHED.value))
    if rule.get("kinds"):
        query = query.where(Event.kind.in_(list(rule["kinds"])))
    if rule.get("invited_only") is False:
        query = query.where(Event.invited_only.is_(False))
    if rule.get("series"):
        query = query.where(Event.series_id.is_not(None))
    return query
