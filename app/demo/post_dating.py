"""The one place the demo moves times into the past: when accounts, series and events were made,
when people registered or enrolled, and when a competition's entries, marks and results were.

The registration and competition services read the present from the clock in many places (the
registration window, the waiting-list queue, history rows, queued mail, entries, scores), so
the demo lets them work now and then spreads what they wrote over the weeks it belongs to. The
maps are monotonic, so every order the services relied on (the queue, approval order, history)
is kept exactly. Scans and attendance marks do not need this: their services take the time
(`checkin.scan(..., now=)`, `cohorts.attendance.mark(..., now=)`).
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.accounts.models import User
from app.cohorts.camps.models import Cohort
from app.competitions import services as competitions
from app.competitions.models import Competition, Confirmation, Result, Score
from app.events.models import Event, Series
from app.extensions import db
from app.notifications.models import OutboxMessage
from app.registrations.models import Registration, RegistrationHistory, SessionBooking


def spread_registrations(event_id: int, load_from: datetime, load_to: datetime, to_from: datetime,
                         to_to: datetime) -> None:
    """Spread what the loader did for an event between `load_from` and `load_to` (a few
    seconds) over `to_from` … `to_to` (its registration period): registrations, their history
    and session bookings, and the mail queued meanwhile (the loader is the only writer)."""
    span = max((load_to - load_from).total_seconds(), 1e-3)
    scale = (to_to - to_from).total_seconds() / span

    def warp(value: datetime) -> datetime:
        return to_from + timedelta(seconds=(value - load_from).total_seconds() * scale)

    for r in db.session.scalars(sa.select(Registration).where(Registration.event_id == event_id)):
        r.created_at, r.queued_at, r.status_changed_at = warp(r.created_at), warp(r.queued_at), \
            warp(r.status_changed_at)
    for h in db.session.scalars(sa.select(RegistrationHistory).join(Registration)
                                .where(Registration.event_id == event_id)):
        h.at = warp(h.at)
    for b in db.session.scalars(sa.select(SessionBooking).join(Registration)
                                .where(Registration.event_id == event_id)):
        b.queued_at = warp(b.queued_at)
    for m in db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.created_at >= load_from,
                                                               OutboxMessage.created_at <= load_to)):
        m.created_at = warp(m.created_at)
    db.session.flush()


def move_event_back(event: Event, shift: timedelta, *, registration_opens_at: datetime | None,
                    registration_closes_at: datetime | None) -> None:
    """A past event was built `shift` ahead (its registration open now): back to its real dates."""
    event.starts_at -= shift
    event.ends_at -= shift
    event.registration_opens_at, event.registration_closes_at = registration_opens_at, registration_closes_at
    for session in event.sessions:
        session.starts_at -= shift
        session.ends_at -= shift


def date_event(event: Event, *, created_at: datetime, published_at: datetime | None) -> None:
    """When the organiser made and published the event (a draft: made, never published)."""
    event.created_at = created_at
    event.published_at = published_at
    event.updated_at = published_at or created_at
    db.session.flush()


def date_series(series: Series, *, created_at: datetime) -> None:
    series.created_at = created_at


def date_account(user: User, *, created_at: datetime) -> None:
    """Staff and the demo participant signed up long before the events they run or attend."""
    user.created_at = created_at


def spread_enrolments(cohort: Cohort, load_from: datetime, load_to: datetime, to_from: datetime,
                      to_to: datetime) -> None:
    """A cohort's founders were enrolled in the weeks before its first lesson, not today: their
    registrations are spread like an event's, and each enrolment dated with its registration."""
    spread_registrations(cohort.event_id, load_from, load_to, to_from, to_to)
    for enrolment in cohort.enrolments:
        enrolment.enrolled_at = enrolment.registration.created_at


def settle_competition(rng: random.Random, competition: Competition, categories) -> None:
    """Entries a few weeks before their day, scores and confirmations during the day, results
    published a week after the last category."""
    last_end = max(c.event.ends_at for c in categories)
    competition.published_at = last_end + timedelta(days=7)
    for category in categories:
        event = category.event
        event.registration_closes_at = event.starts_at - timedelta(days=7)
        for entry in competitions.entries(category):
            entered = event.starts_at - timedelta(days=rng.uniform(10, 30))
            entry.created_at = entered
            registration = db.session.get(Registration, entry.registration_id)
            registration.created_at = registration.queued_at = entered
            registration.status_changed_at = entered + timedelta(days=2)
            for n, row in enumerate(registration.history):
                row.at = entered + timedelta(days=2 * n)
        ids = [e.id for e in competitions.entries(category)]
        scores = db.session.scalars(sa.select(Score).where(Score.entry_id.in_(ids)).order_by(Score.id)).all()
        for n, score in enumerate(scores):
            score.entered_at = event.starts_at + timedelta(hours=1, seconds=40 * n)
        for confirmation in db.session.scalars(sa.select(Confirmation).where(Confirmation.entry_id.in_(ids))):
            confirmation.confirmed_at = event.ends_at + timedelta(minutes=30)
        for result in db.session.scalars(sa.select(Result).where(Result.category_id == category.id)):
            result.published_at = competition.published_at
    db.session.flush()
