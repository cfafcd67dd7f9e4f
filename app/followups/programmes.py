"""The programmes whose people are followed up, read from their own packages:

- a camp cohort ends on its end date; its founders still enrolled are asked (founder questions);
- a traineeship batch: each trainee's placement ends on its own last day, and only a completed
  placement is followed up (a withdrawn trainee did not finish the programme);
- a pitch competition ends on the day of its final, once its results are released; every entrant
  whose entry was accepted is asked (founder questions).

Each programme's event says whose it is: organisers of the event's department see its surveys."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload
from flask_babel import lazy_gettext as _l

from app.cohorts.camps.models import Cohort, Enrolment, EnrolmentStatus
from app.errors import NotFound
from app.events.models import Event
from app.extensions import db
from app.followups.models import FOUNDER_KINDS, ProgrammeKind
from app.inputs import bounded_int
from app.pitch.models import PitchCompetition, PitchEntry, PitchStatus
from app.registrations.models import Registration, RegStatus
from app.timeutil import to_local
from app.traineeships.models import BatchStatus, Placement, PlacementStatus, TraineeshipBatch


@dataclass(frozen=True)
class Programme:
    kind: str
    id: int
    label: str
    event_id: int
    department_id: int
    ends_on: date | None  # None: not ended yet (a traineeship batch: its placements end one by one)

    @property
    def kind_label(self) -> str:
        return ProgrammeKind.label_of(self.kind)

    @property
    def founders(self) -> bool:
        return self.kind in FOUNDER_KINDS


@dataclass(frozen=True)
class Participant:
    user_id: int
    programme: Programme
    ended_on: date


def _camp(cohort: Cohort) -> Programme:
    return Programme(ProgrammeKind.CAMP.value, cohort.id, f"{cohort.cycle.name} · {cohort.name}", cohort.event_id,
                     cohort.event.department_id, cohort.ends_on)


def _batch(batch: TraineeshipBatch) -> Programme:
    return Programme(ProgrammeKind.TRAINEESHIP.value, batch.id, batch.title, batch.event_id,
                     batch.event.department_id, batch.ends_on)


def _pitch_end(competition: PitchCompetition) -> date | None:
    if competition.status != PitchStatus.RELEASED.value:
        return None
    return to_local(competition.event.ends_at).date()


def _pitch(competition: PitchCompetition) -> Programme:
    return Programme(ProgrammeKind.PITCH.value, competition.id, competition.name, competition.event_id,
                     competition.event.department_id, _pitch_end(competition))


def get_programme(kind: str, programme_id) -> Programme:
    """The programme a console URL names (any kind not ours, or an unknown id, is not found)."""
    number = bounded_int(programme_id)
    model = {ProgrammeKind.CAMP.value: (Cohort, _camp), ProgrammeKind.TRAINEESHIP.value: (TraineeshipBatch, _batch),
             ProgrammeKind.PITCH.value: (PitchCompetition, _pitch)}.get(kind)
    row = db.session.get(model[0], number) if model is not None and number is not None else None
    if row is None or (kind == ProgrammeKind.TRAINEESHIP.value and row.status == BatchStatus.CANCELLED.value):
        raise NotFound(_l("No such programme."))
    return model[1](row)


def programmes_of(department_ids: set[int] | None) -> list[Programme]:
    """Every programme of these departments (None: all), latest end first."""
    def scoped(query, event_column):
        query = query.join(Event, Event.id == event_column)
        return query if department_ids is None else query.where(Event.department_id.in_(department_ids or {-1}))

    # each programme is named from its event (and a cohort's cycle): joined, not read one by one
    found = [_camp(c) for c in db.session.scalars(scoped(sa.select(Cohort), Cohort.event_id).options(
        contains_eager(Cohort.event), joinedload(Cohort.cycle)))]
    found += [_batch(b) for b in db.session.scalars(scoped(sa.select(TraineeshipBatch), TraineeshipBatch.event_id)
                                                    .options(contains_eager(TraineeshipBatch.event))
                                                    .where(TraineeshipBatch.status != BatchStatus.CANCELLED.value))]
    found += [_pitch(p) for p in db.session.scalars(scoped(sa.select(PitchCompetition), PitchCompetition.event_id)
                                                    .options(contains_eager(PitchCompetition.event))
                                                    .where(PitchCompetition.status != PitchStatus.DRAFT.value))]
    return sorted(found, key=lambda p: (p.ends_on or date.max, p.kind, p.id), reverse=True)


def ended_participants(ended_by: date) -> list[Participant]:
    """The people of every programme that ended on or before `ended_by`, each with the day it ended."""
    people = []
    for enrolment in db.session.scalars(
            sa.select(Enrolment).join(Cohort, Cohort.id == Enrolment.cohort_id)
            .where(Enrolment.status == EnrolmentStatus.ENROLLED.value, Cohort.ends_on <= ended_by)
            .order_by(Enrolment.id)):
        people.append(Participant(enrolment.user_id, _camp(enrolment.cohort), enrolment.cohort.ends_on))
    batches: dict[int, Programme] = {}
    for placement in db.session.scalars(
            sa.select(Placement).where(Placement.status == PlacementStatus.COMPLETED.value,
                                       Placement.ends_on <= ended_by).order_by(Placement.id)):
        programme = batches.get(placement.batch_id) or batches.setdefault(placement.batch_id, _batch(placement.batch))
        people.append(Participant(placement.user_id, programme, placement.ends_on))
    for competition in db.session.scalars(sa.select(PitchCompetition).where(
            PitchCompetition.status == PitchStatus.RELEASED.value).order_by(PitchCompetition.id)):
        programme = _pitch(competition)
        if programme.ends_on is None or programme.ends_on > ended_by:
            continue
        for user_id in db.session.scalars(
                sa.select(PitchEntry.user_id).join(Registration, Registration.id == PitchEntry.registration_id)
                .where(PitchEntry.competition_id == competition.id,
                       Registration.status == RegStatus.CONFIRMED.value).order_by(PitchEntry.id)):
            people.append(Participant(user_id, programme, programme.ends_on))
    return people
