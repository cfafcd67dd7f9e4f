"""What the traineeship pages read: a batch's figures and applications, a person's own
applications and placements."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa

from app.accounts.models import User
from app.extensions import db
from app.traineeships.models import (
    ApplicationStatus,
    Placement,
    TraineeApplication,
    TraineeshipBatch,
)


@dataclass
class BatchFigures:
    places: int
    openings: int
    applications: int
    placements: Counter  # status -> count

    @property
    def placed(self) -> int:
        return self.placements.get("confirmed", 0) + self.placements.get("completed", 0) \
            + self.placements.get("withdrawn", 0)


def figures(batch: TraineeshipBatch) -> BatchFigures:
    applications = db.session.scalar(sa.select(sa.func.count()).select_from(TraineeApplication).where(
        TraineeApplication.batch_id == batch.id,
        TraineeApplication.status != ApplicationStatus.WITHDRAWN.value)) or 0
    placements = Counter(dict(db.session.execute(
        sa.select(Placement.status, sa.func.count()).where(Placement.batch_id == batch.id)
        .group_by(Placement.status)).all()))
    return BatchFigures(len(batch.places), sum(p.openings for p in batch.places), applications, placements)


def applications_of(batch: TraineeshipBatch) -> list[TraineeApplication]:
    return list(db.session.scalars(sa.select(TraineeApplication).where(TraineeApplication.batch_id == batch.id)
                                   .order_by(TraineeApplication.created_at, TraineeApplication.id)))


def applications_of_person(user: User) -> list[TraineeApplication]:
    """A person's applications, newest first."""
    return list(db.session.scalars(sa.select(TraineeApplication).where(TraineeApplication.user_id == user.id)
                                   .order_by(TraineeApplication.created_at.desc(), TraineeApplication.id.desc())))


def placements_of_person(user: User) -> dict[int, Placement]:
    """application id -> the placement that holds the person in that batch (the newest)."""
    rows = db.session.scalars(sa.select(Placement).where(Placement.user_id == user.id).order_by(Placement.id))
    return {p.application_id: p for p in rows}
