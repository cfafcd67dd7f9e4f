"""The moves every occasion makes on its event: open it, seat and unseat a person, add or edit a
meeting, open a scanner for a meeting, and read who came.

The event calls (create_event, save_session, admit, cancel, issue_link) are made here and only
here, so a change to the event layer is one line for every programme. Who may do what is the
caller's decision (an organiser runs a cohort, a master scans his studio's activity): these
functions check nothing of that and are called after the programme's own check.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from app.accounts.models import User
from app.checkin import links
from app.checkin import services as checkin
from app.checkin.models import DOOR, Checkpoint
from app.events import services as events
from app.errors import NotFound
from app.events.models import Event, EventSession, Places
from app.extensions import db
from app.lifecycle import agenda
from app.lifecycle import services as lifecycle
from app.registrations import services as registrations
from app.registrations.models import Registration

INVITATION = Places.INVITATION.value  # seats are given by the programme (a cohort, a studio)
ENTRY = Places.ENTRY.value            # people enter and the organisers approve each entry (a competition category)


def open_occasion(actor: User, *, places: str = INVITATION, publish: bool = True, **event) -> Event:
    """The occasion's event (title, kind, department_id, venue, starts_at, ends_at, capacity,
    description, …). Published at once by default: its key signs the seated people's QR credentials."""
    opened = events.create_event(actor, **event, places=places, requires_approval=places == ENTRY)
    if publish:
        lifecycle.publish_event(actor, opened)
    return opened


def lock(event: Event) -> Event:
    """Hold the occasion's event while seats are counted, so two organisers cannot overfill it."""
    return registrations.lock_event(event)


def seat(actor: User, event: Event, user: User, *, note: str) -> Registration:
    """Give `user` a confirmed place at the occasion (their ticket is their credential)."""
    return registrations.admit(actor, event, user, note=note)


def unseat(actor: User, registration: Registration, *, reason: str) -> Registration:
    return registrations.cancel(actor, registration, reason=reason)


def save_meeting(actor: User, event: Event, meeting, *, make, title: str, starts_at: datetime,
                 ends_at: datetime, place: str = "", speaker: str = ""):
    """Add or edit a meeting (`meeting`: the lesson or activity edited, or None for a new one,
    which `make(session)` builds): an agenda session of the occasion's event with its own
    checkpoint; the event is stretched over its whole agenda."""
    session = agenda.save_session(actor, event, title=title, starts_at=starts_at, ends_at=ends_at,
                                  room=place, speaker=speaker, session=meeting.session if meeting else None)
    meeting_checkpoint(session)
    events.span_agenda(event)
    if meeting is None:
        meeting = make(session)
        db.session.add(meeting)
    return meeting


def meetings(model, *where, options=()) -> list:
    """The rows of `model` (a Meeting: lessons, activities) matching `where`, in the order they are held;
    `options`: more loader options (their trainer, say)."""
    return list(db.session.scalars(sa.select(model).join(EventSession, model.session_id == EventSession.id)
                                   .options(contains_eager(model.session), *options)
                                   .where(*where).order_by(EventSession.starts_at, model.id)))


def get_meeting(model, meeting_id: int, missing, **owner):
    """The lesson or activity by id; with an owner (cohort=…, studio=…), only one of that owner's
    (the id comes from the client). `missing`: the caller's NotFound message."""
    meeting = db.session.get(model, meeting_id)
    if meeting is None or any(value is not None and getattr(meeting, f"{name}_id") != value.id
                              for name, value in owner.items()):
        raise NotFound(missing)
    return meeting


def meeting_checkpoint(session: EventSession):
    """The meeting's own checkpoint (created on first use), where its scans are recorded."""
    return checkin.session_checkpoint(session)


def meeting_scanner(actor: User, session: EventSession) -> str:
    """The secret of a short scanner link for the meeting's checkpoint, for whoever the programme
    lets take attendance there (a trainer, a master)."""
    return links.issue_link(actor, session.event, label=f"{actor.name} · {session.title}"[:80],
                            hours=links.OWN_SCANNER_HOURS, checkpoint=meeting_checkpoint(session))[1]


def meeting_arrivals(session: EventSession) -> dict[int, datetime]:
    """Attendance of a meeting: registration id -> its first accepted entry scan there."""
    return {registration_id: scan.scanned_at
            for registration_id, scan in checkin.first_entries(meeting_checkpoint(session)).items()}


def meetings_arrivals(sessions: list[EventSession]) -> dict[int, dict[int, datetime]]:
    """meeting_arrivals() of many meetings at once (session id -> registration id -> the first
    accepted entry scan's time), in one query: a page listing a studio's activities or a cohort's
    lessons must not read the scans once per meeting. A meeting whose checkpoint was never made
    has no arrivals (and none is made here: a page only reads)."""
    found: dict[int, dict[int, datetime]] = {s.id: {} for s in sessions}
    if not sessions:
        return found
    firsts = checkin.first_entries_query(sa.select(Checkpoint.id).where(Checkpoint.session_id.in_(list(found)),
                                                                         Checkpoint.kind == DOOR))
    rows = db.session.execute(sa.select(Checkpoint.session_id, firsts.c.registration_id, firsts.c.scanned_at)
                              .join(Checkpoint, Checkpoint.id == firsts.c.checkpoint_id))
    for session_id, registration_id, at in rows:
        found[session_id][registration_id] = at
    return found


def arrivals_of(registration_id: int, sessions: list[EventSession]) -> dict[int, datetime | None]:
    """Attendance of a person: session id -> when they first came in (None: they did not)."""
    return {session.id: meeting_arrivals(session).get(registration_id) for session in sessions}
