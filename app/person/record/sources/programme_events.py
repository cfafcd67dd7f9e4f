"""The events that carry a programme (a camp cohort, a studio, a competition category, a
traineeship batch, a pitch competition): their seats are told by the programme's own source, so
the events source leaves them out."""
from __future__ import annotations

import sqlalchemy as sa

from app.cohorts.camps.models import Cohort
from app.competitions.models import Category
from app.pitch.models import PitchCompetition
from app.studios.models import Studio
from app.traineeships.models import TraineeshipBatch


def programme_event_ids():
    return sa.union(sa.select(Cohort.event_id), sa.select(Studio.event_id), sa.select(Category.event_id),
                    sa.select(TraineeshipBatch.event_id), sa.select(PitchCompetition.event_id))
