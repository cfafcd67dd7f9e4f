"""The occasions people are asked about, read from their own packages, and who attended each:

- an open event (a forum, a briefing, a job fair…; places taken by open registration) ends at its
  end; those asked are the people with an accepted check-in at it or one of its sessions;
- a camp cohort's lesson series ends with its last lesson (the latest of its event's sessions); those
  asked are the people with an accepted check-in at its lessons;
- a traineeship batch ends at the end of its last day; those asked are the trainees whose placement
  started (confirmed or completed, from its first day on; a rejected or withdrawn one is not asked).

Check-ins are the one scan ledger (app.checkin): an accepted scan in, by a registration that was not
cancelled or refused. Each occasion is an event, whose department is whose organisers see it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.checkin.models import Checkpoint, Scan, ScanResult
from app.cohorts.camps.models import Cohort
from app.cohorts.lessons.models import Lesson
from app.errors import NotFound
from app.events.models import Event, EventSession, EventStatus, Places
from app.extensions import db
from app.inputs import bounded_int
from app.registrations.models import Registration, RegStatus
from app.satisfaction.models import OccasionKind
from app.timeutil import LOCAL_TZ, as_utc
from app.traineeships.models import BatchStatus, Placement, PlacementStatus, TraineeshipBatch

NOT_ATTENDING = (RegStatus.CANCELLED.value, RegStatus.REJECTED.value)
STARTED = (PlacementStatus.CONFIRMED.value, PlacementStatus.COMPLETED.value)
BATCH_ASKED = (BatchStatus.RUNNING.value, BatchStatus.FINISHED.value)


@dataclass(frozen=True)
class Occasion:
    event_id: int
    kind: str
    label: str
    department_id: int
    ended_at: datetime | None  # UTC; None: not ended (a cohort without lessons yet)
    programme_id: int | None = None  # the cohort's or batch's id

    @property
    def kind_label(self) -> str:
        return OccasionKind.label_of(self.kind)

    def has_ended(self, now: datetime) -> bool:
        return self.ended_at is not None and self.ended_at <= now


def _day_end(day) -> datetime:
    return as_utc(datetime.combine(day + timedelta(days=1), time(0), tzinfo=LOCAL_TZ))


def _event(event: Event) -> Occasion:
    return Occasion(event.id, OccasionKind.EVENT.value, event.title, event.department_id, as_utc(event.ends_at))


def _last_lessons(cohort_ids) -> dict[int, datetime]:
    if not cohort_ids:
        return {}
    return {cid: as_utc(end) for cid, end in db.session.execute(
        sa.select(Lesson.cohort_id, sa.func.max(EventSession.ends_at))
        .join(EventSession, EventSession.id == Lesson.session_id)
        .where(Lesson.cohort_id.in_(cohort_ids)).group_by(Lesson.cohort_id))}


def _cohort(cohort: Cohort, ends: dict[int, datetime]) -> Occasion:
    return Occasion(cohort.event_id, OccasionKind.LESSONS.value, f"{cohort.cycle.name} · {cohort.name}"[:200],
                    cohort.event.department_id, ends.get(cohort.id), cohort.id)


def _batch(batch: TraineeshipBatch) -> Occasion:
    return Occasion(batch.event_id, OccasionKind.TRAINEESHIP.value, batch.title, batch.event.department_id,
                    _day_end(batch.ends_on), batch.id)


def occasion_of(event_id) -> Occasion:
    """The occasion an event is (a console URL names it by its event); anything else is not found."""
    number = bounded_int(event_id)
    event = db.session.get(Event, number) if number is not None else None
    if event is None:
        raise NotFound(_l("No such occasion."))
    cohort = db.session.scalar(sa.select(Cohort).where(Cohort.event_id == event.id))
    if cohort is not None:
        return _cohort(cohort, _last_lessons([cohort.id]))
    batch = db.session.scalar(sa.select(TraineeshipBatch).where(TraineeshipBatch.event_id == event.id))
    if batch is not None and batch.status != BatchStatus.CANCELLED.value:
        return _batch(batch)
    if batch is None and event.places == Places.OPEN.value and event.status == EventStatus.PUBLISHED.value:
        return _event(event)
    raise NotFound(_l("No such occasion."))


def ended_between(start: datetime, end: datetime, department_ids: set[int] | None = None) -> list[Occasion]:
    """Every occasion that ended in [start, end] (UTC), of these departments (None: all), latest first."""
    def scoped(query):
        return query if department_ids is None else query.where(Event.department_id.in_(department_ids or {-1}))

    programme_events = sa.union(sa.select(Cohort.event_id), sa.select(TraineeshipBatch.event_id)).subquery()
    found = [_event(e) for e in db.session.scalars(scoped(sa.select(Event).where(
        Event.status == EventStatus.PUBLISHED.value, Event.places == Places.OPEN.value,
        Event.ends_at >= start, Event.ends_at <= end, Event.id.not_in(sa.select(programme_events.c.event_id)))))]
    cohorts = list(db.session.scalars(scoped(sa.select(Cohort).join(Event, Event.id == Cohort.event_id))))
    ends = _last_lessons([c.id for c in cohorts])
    found += [o for o in (_cohort(c, ends) for c in cohorts) if o.ended_at is not None and start <= o.ended_at <= end]
    first_day, last_day = (start.astimezone(LOCAL_TZ) - timedelta(days=1)).date(), end.astimezone(LOCAL_TZ).date()
    found += [o for o in (_batch(b) for b in db.session.scalars(scoped(
        sa.select(TraineeshipBatch).join(Event, Event.id == TraineeshipBatch.event_id)
        .where(TraineeshipBatch.status.in_(BATCH_ASKED), TraineeshipBatch.ends_on >= first_day,
               TraineeshipBatch.ends_on <= last_day))))
              if start <= o.ended_at <= end]
    return sorted(found, key=lambda o: (o.ended_at, o.event_id), reverse=True)


def attendees(occasion: Occasion) -> list[int]:
    """The people who attended the occasion (user ids), each once."""
    if occasion.kind == OccasionKind.TRAINEESHIP.value:
        last_day = (occasion.ended_at.astimezone(LOCAL_TZ) - timedelta(days=1)).date()
        query = sa.select(Placement.user_id).where(Placement.batch_id == occasion.programme_id,
                                                   Placement.status.in_(STARTED), Placement.starts_on <= last_day)
    else:
        query = (sa.select(Registration.user_id)
                 .select_from(Scan).join(Checkpoint, Checkpoint.id == Scan.checkpoint_id)
                 .join(Registration, Registration.id == Scan.registration_id)
                 .where(Checkpoint.event_id == occasion.event_id, Scan.result == ScanResult.OK.value,
                        Scan.direction == "in", Registration.status.not_in(NOT_ATTENDING)))
    return sorted(set(db.session.scalars(query)))
