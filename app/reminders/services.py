"""Reminders: the day before and two hours before an occasion a person holds a place at.

What a participant expects to be reminded of (`occasions`):
- an event they hold a confirmed registration for: its start;
- a camp lesson or a studio activity: the agenda sessions of an invitation-only programme event
  (a cohort, a studio) they are seated in, each session on its own. The programme event's own
  months-long span is not an appointment, so its start is never reminded;
- a competition day: a competition category is an event and an accepted entry is a confirmed
  registration of it, so it is the first case.

Each reminder is a row first (`Reminder`: person × occasion × slot, for the start time it was
computed for, unique). The rows follow the data by themselves: a listener notes every flush that
changes a registration's status, an event's time or status, or a session (added, moved, removed),
and before that transaction commits the reminders of what changed are brought in line
(`sync_registrations`): new ones made, those whose place or time went away dropped. No service
has to remember to call us, and a rolled-back action changes no reminder.

After the commit each new reminder is scheduled with RQ's scheduler for its due time when
REDIS_URL is set (job id `reminder-<id>-<due>`). The job (`send`) checks everything again — place
still held, occasion not cancelled, start time unchanged, not sent — and marks the row sent with a
conditional UPDATE (scheduled → sent, exactly one row) in the same transaction that posts the
notice, so two workers, a retried job or the sweep can never send it twice. `flask reminders send`
(`send_due`) is the sweep: the safety net in production and, without Redis, the way reminders go
out (a development server also runs it from a thread, see `app.jobs.dev_sweeper`).
"""
from __future__ import annotations

import logging
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app, has_app_context, has_request_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app import jobs
from app.events.models import Event, EventSession, EventStatus
from app.extensions import db
from app.notifications.services import notify
from app.notifications.sms.services import QUIET_END, QUIET_START
from app.registrations.models import RegStatus, Registration
from app.registrations.plain_registration import INSERTED
from app.reminders.models import DAY, DROPPED, SCHEDULED, SENT, TWO_HOURS, Reminder
from app.timeutil import LOCAL_TZ, as_utc, fmt, local_to_utc, utcnow
from app.transaction import commit
from app.urls import public_base_url

log = logging.getLogger(__name__)

SLOTS = {DAY: timedelta(hours=24), TWO_HOURS: timedelta(hours=2)}
# Quiet hours as the SMS rules know them (22:00–08:00 Shanghai). Reminders are sent as urgent
# notices (a two-hour reminder at 07:00 for a 09:00 start is useless at 08:00), so instead they
# are never *scheduled* where they would wake people: a day-before reminder that would fall in
# the quiet hours goes out at 20:00 on the evening before the occasion's day; a two-hour reminder
# before 06:00 (an occasion before 08:00) is not made, the evening one covers it.
EVENING = time(20, 0)
EARLIEST_TWO_HOUR = time(6, 0)
# A job may wake a little before the row's due time (clocks of web, worker and Redis differ).
EARLY = timedelta(seconds=60)


@dataclass(frozen=True)
class Occasion:
    key: str
    event: Event
    session: EventSession | None
    starts_at: datetime

    @property
    def title(self) -> str:
        if self.session is None:
            return self.event.title
        return f"{self.event.title}：{self.session.title}"

    @property
    def place(self) -> str:
        room = self.session.room if self.session is not None else ""
        return " ".join(p for p in (self.event.venue, room, self.event.address) if p and p != "—")


def occasions(registration: Registration) -> list[Occasion]:
    """What the registration's holder is to be reminded of (nothing unless the place is held)."""
    event = registration.event
    if (registration.status != RegStatus.CONFIRMED.value or event is None
            or event.status != EventStatus.PUBLISHED.value):
        return []
    if event.invitation_only:
        return [Occasion(f"session:{s.id}", event, s, as_utc(s.starts_at)) for s in event.sessions
                if s.id is not None]
    return [Occasion(f"event:{event.id}", event, None, as_utc(event.starts_at))]


def due_time(slot: str, starts_at: datetime) -> datetime | None:
    """When the `slot` reminder of an occasion starting at `starts_at` goes out (None: not made)."""
    due = starts_at - SLOTS[slot]
    local = due.astimezone(LOCAL_TZ)
    quiet = local.time() >= QUIET_START or local.time() < QUIET_END
    if slot == DAY:
        if quiet:
            day = starts_at.astimezone(LOCAL_TZ).date() - timedelta(days=1)
            due = local_to_utc(datetime.combine(day, EVENING))
        return due
    if local.time() >= QUIET_START or local.time() < EARLIEST_TWO_HOUR:
        return None
    return due


# -- keeping the rows in line with the data --------------------------------------------------
def sync_registrations(registrations, now: datetime | None = None, *, fresh=()) -> list[Reminder]:
    """Make the reminders the registrations' places call for, drop the scheduled ones they no
    longer do; returns the rows that are (newly or again) scheduled. The caller flushes/commits.
    `fresh`: registrations inserted by this transaction since its reminders were last synced,
    which have no reminder rows yet (none are looked for: a registering person waits for the
    event lock's holder, who would otherwise ask for them under it)."""
    now = now or utcnow()
    registrations = [r for r in registrations if r.id is not None]
    if not registrations:
        return []
    existing: dict[int, list[Reminder]] = {}
    stored = [r.id for r in registrations if r not in fresh]
    if stored:
        for row in db.session.scalars(sa.select(Reminder).where(Reminder.registration_id.in_(stored))):
            existing.setdefault(row.registration_id, []).append(row)
    scheduled = []
    for registration in registrations:
        wanted = _wanted(registration)
        for row in existing.get(registration.id, []):
            key = (row.occasion, row.slot, as_utc(row.starts_at))
            if key not in wanted:
                if row.status == SCHEDULED:
                    row.status, row.dropped_at = DROPPED, now
                continue
            occasion, due = wanted.pop(key)
            if row.status == DROPPED and due > now:  # the time (or the place) came back
                row.status, row.dropped_at, row.due_at = SCHEDULED, None, due
                scheduled.append(row)
            elif row.status == SCHEDULED and as_utc(row.due_at) != due:
                row.due_at = due
                scheduled.append(row)
        for values in _new_rows(registration, wanted, now):
            row = Reminder(**values)
            db.session.add(row)
            scheduled.append(row)
    return scheduled


def insert_fresh(registration, session: Session, now: datetime | None = None) -> None:
    """The reminders of a registration just inserted as a row (app.registrations.plain_registration),
    inserted as Core statements and scheduled after the commit, as `sync_registrations` and the
    commit's hooks do for one the session inserted. `registration`: what `occasions` reads."""
    now = now or utcnow()
    rows = _new_rows(registration, _wanted(registration), now)
    if not rows:
        return
    table = Reminder.__table__
    # One INSERT … VALUES (…), (…) RETURNING for them all, the ids in the rows' order.
    ids = session.connection().execute(sa.insert(table).returning(table.c.id, sort_by_parameter_order=True),
                                       rows).scalars().all()
    session.info.setdefault("reminders_schedule", []).extend(
        (reminder_id, as_utc(values["due_at"])) for reminder_id, values in zip(ids, rows, strict=True))


def _wanted(registration) -> dict[tuple[str, str, datetime], tuple[Occasion, datetime]]:
    """(occasion, slot, start) -> (occasion, due time): the reminders the registration's place calls for."""
    wanted = {}
    for occasion in occasions(registration):
        for slot in SLOTS:
            due = due_time(slot, occasion.starts_at)
            if due is not None:
                wanted[(occasion.key, slot, occasion.starts_at)] = (occasion, due)
    return wanted


def _new_rows(registration, wanted: dict, now: datetime) -> list[dict]:
    """The column values of the wanted reminders that have no row yet."""
    return [dict(user_id=registration.user_id, registration_id=registration.id, event_id=occasion.event.id,
                 session_id=occasion.session.id if occasion.session else None, occasion=key, slot=slot,
                 starts_at=starts_at, due_at=due, status=SCHEDULED, created_at=now)
            for (key, slot, starts_at), (occasion, due) in wanted.items()
            if due > now]  # never a reminder that is already late


def registrations_of_events(event_ids) -> list[Registration]:
    """The registrations whose reminders an event's change may touch: confirmed ones, and any
    that still has a scheduled reminder."""
    event_ids = list(event_ids)
    if not event_ids:
        return []
    with_reminders = sa.select(Reminder.registration_id).where(Reminder.event_id.in_(event_ids),
                                                               Reminder.status == SCHEDULED)
    return list(db.session.scalars(sa.select(Registration).where(
        Registration.event_id.in_(event_ids),
        sa.or_(Registration.status == RegStatus.CONFIRMED.value, Registration.id.in_(with_reminders)))))


# Which changes touch reminders, seen at each flush.
def _note_changes(session: Session, flush_context, instances) -> None:
    regs = session.info.setdefault("reminders_regs", set())
    events = session.info.setdefault("reminders_events", set())
    for obj in list(session.new) + list(session.dirty):
        state = sa.inspect(obj)
        if isinstance(obj, Registration):
            if obj in session.new:
                regs.add(obj)
                session.info.setdefault("reminders_fresh", set()).add(obj)
            elif state.attrs.status.history.has_changes():
                regs.add(obj)
        elif isinstance(obj, Event):
            if obj not in session.new and (state.attrs.starts_at.history.has_changes()
                                           or state.attrs.status.history.has_changes()
                                           or state.attrs.places.history.has_changes()):
                events.add(obj)
        elif isinstance(obj, EventSession):
            if obj in session.new or state.attrs.starts_at.history.has_changes() \
                    or state.attrs.event_id.history.has_changes():
                events.add(obj.event if obj.event is not None else obj.event_id)
    for obj in session.deleted:
        if isinstance(obj, EventSession):
            events.add(obj.event_id)


def _sync_before_commit(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()  # what is still unflushed is noted too (the commit would flush it anyway)
    regs = session.info.pop("reminders_regs", set())
    events = session.info.pop("reminders_events", set())
    fresh = session.info.pop("reminders_fresh", set())
    for placed in session.info.pop(INSERTED, []):
        insert_fresh(placed, session)
    if not regs and not events:
        return
    event_ids = set()
    for item in events:
        if isinstance(item, Event):
            if sa.inspect(item).persistent:
                event_ids.add(item.id)
        elif item is not None:
            event_ids.add(item)
    targets = {r.id: r for r in regs if sa.inspect(r).persistent}
    for registration in registrations_of_events(event_ids):
        targets.setdefault(registration.id, registration)
    scheduled = sync_registrations(list(targets.values()), fresh=fresh)
    if scheduled:
        session.flush()
        session.info.setdefault("reminders_schedule", []).extend((r.id, as_utc(r.due_at)) for r in scheduled)
    session.info.pop("reminders_regs", None)  # nothing of our own flush needs another round
    session.info.pop("reminders_events", None)
    session.info.pop("reminders_fresh", None)


def _schedule_after_commit(session: Session) -> None:
    pending = session.info.pop("reminders_schedule", [])
    if pending and has_app_context() and current_app.config.get("REDIS_URL"):
        try:
            for reminder_id, due in pending:
                schedule(reminder_id, due)
        except Exception:  # noqa: BLE001 - Redis lost: the sweep (`flask reminders send`) sends them
            log.exception("could not schedule %s reminders in RQ", len(pending))


def _forget_after_rollback(session: Session) -> None:
    session.info.pop("reminders_schedule", None)
    session.info.pop("reminders_fresh", None)  # rolled back: their rows may be inserted again
    session.info.pop(INSERTED, None)


_installed = False


def install() -> None:
    """Listen to every ORM session (once per process)."""
    global _installed
    if _installed:
        return
    sa.event.listen(Session, "before_flush", _note_changes)
    sa.event.listen(Session, "before_commit", _sync_before_commit)
    sa.event.listen(Session, "after_commit", _schedule_after_commit)
    sa.event.listen(Session, "after_rollback", _forget_after_rollback)
    _installed = True


# -- scheduling and sending ------------------------------------------------------------------
def job_id(reminder_id: int, due: datetime) -> str:
    return f"reminder-{reminder_id}-{int(due.timestamp())}"


def schedule(reminder_id: int, due: datetime) -> None:
    jobs.enqueue(jobs.notifications_queue_name(), run_reminder_job, reminder_id, at=due,
                 job_id=job_id(reminder_id, due))


def run_reminder_job(reminder_id: int) -> None:
    """The RQ job (in the worker's app context), scheduled for the reminder's due time."""
    early = send(reminder_id)
    if isinstance(early, datetime):  # woken before its time: back to the scheduler
        schedule(reminder_id, early)


def _still_wanted(reminder: Reminder, now: datetime) -> Occasion | None:
    registration = reminder.registration
    if registration is None:
        return None
    for occasion in occasions(registration):
        if occasion.key == reminder.occasion and occasion.starts_at == as_utc(reminder.starts_at):
            return occasion if occasion.starts_at > now else None
    return None


def send(reminder_id: int):
    """Send one reminder if it is due and still wanted; True when this call sent it, a datetime
    when it is not due yet, else False. Commits."""
    now = utcnow()
    reminder = db.session.get(Reminder, reminder_id)
    if reminder is None or reminder.status != SCHEDULED:
        db.session.rollback()
        return False
    if as_utc(reminder.due_at) > now + EARLY:
        due = as_utc(reminder.due_at)
        db.session.rollback()
        return due
    occasion = _still_wanted(reminder, now)
    if occasion is None:
        db.session.execute(sa.update(Reminder).where(Reminder.id == reminder_id, Reminder.status == SCHEDULED)
                           .values(status=DROPPED, dropped_at=now))
        commit()
        return False
    # The claim: whoever turns the row from scheduled to sent is the one who posts the notice, in
    # the same transaction (a failure below rolls the claim back, and the sweep tries again).
    claimed = db.session.execute(sa.update(Reminder).where(Reminder.id == reminder_id, Reminder.status == SCHEDULED)
                                 .values(status=SENT, sent_at=now)).rowcount
    if claimed != 1:
        db.session.rollback()
        return False
    user = reminder.user
    when = fmt(occasion.starts_at, "%Y-%m-%d %H:%M")
    subject = _l("Reminder: %(title)s at %(time)s", title=occasion.title, time=when)
    params = dict(occasion=occasion.title, time=when, place=occasion.place,
                  date=occasion.starts_at.astimezone(LOCAL_TZ).strftime("%m-%d %H:%M"))
    if occasion.session is not None:
        params["session_id"] = occasion.session.id
    # A worker has no request: the notice is written in the person's language, links from the
    # configured address.
    request = nullcontext() if has_request_context() else \
        current_app.test_request_context(base_url=public_base_url())
    with request, force_locale(user.locale or current_app.config.get("BABEL_DEFAULT_LOCALE", "zh_CN")):
        notify(user, "reminder", subject, "reminder", registration=reminder.registration, **params)
    commit()
    return True


def send_due(limit: int = 500) -> dict[str, int]:
    """The sweep: send every scheduled reminder whose time has come (`flask reminders send`)."""
    now = utcnow()
    ids = list(db.session.scalars(sa.select(Reminder.id).where(
        Reminder.status == SCHEDULED, Reminder.due_at <= now + EARLY).order_by(Reminder.due_at).limit(limit)))
    db.session.rollback()
    counts = {"sent": 0, "skipped": 0}
    for reminder_id in ids:
        counts["sent" if send(reminder_id) is True else "skipped"] += 1
    return counts
