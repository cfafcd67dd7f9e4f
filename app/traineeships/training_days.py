"""The batch's training days (opening, training, closing): meetings on the batch's event, each an
agenda session with its own checkpoint. Trainees check in there with their ticket through the
shared scan service; the batch page reads who came from the same ledger."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.errors import InvalidInput
from app.occasions import services as occasions
from app.traineeships.batches import require_run
from app.traineeships.models import Placement, PlacementStatus, TraineeshipBatch, TrainingDay, TrainingDayKind

# Trainees expected at a training day: the seated ones (a withdrawn trainee's seat is released).
EXPECTED = (PlacementStatus.CONFIRMED.value, PlacementStatus.COMPLETED.value)


def save_training_day(actor: User, batch: TraineeshipBatch, *, title: str, starts_at: datetime, ends_at: datetime,
                      place: str = "", kind: str = TrainingDayKind.TRAINING.value,
                      day: TrainingDay | None = None) -> TrainingDay:
    require_run(actor, batch)
    if kind not in {k.value for k in TrainingDayKind}:
        raise InvalidInput(fields={"kind": _l("Choose the kind of training day.")})
    if day is not None and day.batch_id != batch.id:
        raise InvalidInput(fields={"day": _l("No such training day.")})
    day = occasions.save_meeting(actor, batch.event, day, make=lambda session: TrainingDay(batch=batch, session=session),
                                 title=title, starts_at=starts_at, ends_at=ends_at, place=place)
    day.kind = kind
    return day


def training_days(batch: TraineeshipBatch) -> list[TrainingDay]:
    return occasions.meetings(TrainingDay, TrainingDay.batch_id == batch.id)


def get_training_day(day_id: int, batch: TraineeshipBatch | None = None) -> TrainingDay:
    return occasions.get_meeting(TrainingDay, day_id, _l("No such training day."), batch=batch)


def day_scanner(actor: User, day: TrainingDay) -> str:
    """A scanner link's secret for the day's checkpoint (organisers of the batch)."""
    require_run(actor, day.batch)
    return occasions.meeting_scanner(actor, day.session)


def attendance(days: list[TrainingDay], placements: list[Placement]) -> dict[int, dict[int, datetime | None]]:
    """placement id -> {training day id -> first entry scan there (None: did not come)} for the
    seated trainees."""
    arrivals = {day.id: occasions.meeting_arrivals(day.session) for day in days}
    return {p.id: {day.id: arrivals[day.id].get(p.registration_id) for day in days}
            for p in placements if p.status in EXPECTED and p.registration_id}
