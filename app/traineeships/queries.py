"""What the traineeship pages read: a batch's figures and applications, a person's own
applications and placements (with the months their host confirmed), and an organisation's trainees (for its page)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app.accounts.models import User
from app.extensions import db
from app.organisations.linked import LinkedRow
from app.organisations.linking import identity_ids
from app.organisations.models import Organisation, OrganisationKind
from app.traineeships.models import (
    ApplicationChoice,
    ApplicationStatus,
    MonthlyAttendance,
    Placement,
    PlacementStatus,
    TraineeApplication,
    TraineeshipBatch,
    TraineeshipPlace,
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


def applications_query(batch: TraineeshipBatch) -> sa.Select:
    """The batch's applications, oldest first, as a query: the batch page reads a page of it."""
    # the batch page shows each applicant and their choices' host companies and positions
    return (sa.select(TraineeApplication).where(TraineeApplication.batch_id == batch.id)
            .options(joinedload(TraineeApplication.user),
                     selectinload(TraineeApplication.choices)
                     .joinedload(ApplicationChoice.place).joinedload(TraineeshipPlace.host))
            .order_by(TraineeApplication.created_at, TraineeApplication.id))


def applications_of_person(user: User) -> list[TraineeApplication]:
    """A person's applications, newest first."""
    # the person's page shows each one's batch and the host of each choice
    return list(db.session.scalars(sa.select(TraineeApplication).where(TraineeApplication.user_id == user.id)
                                   .order_by(TraineeApplication.created_at.desc(), TraineeApplication.id.desc())
                                   .options(joinedload(TraineeApplication.batch),
                                            selectinload(TraineeApplication.choices)
                                            .joinedload(ApplicationChoice.place).joinedload(TraineeshipPlace.host))))


def placements_of_person(user: User) -> dict[int, Placement]:
    """application id -> the placement that holds the person in that batch (the newest)."""
    rows = db.session.scalars(sa.select(Placement).where(Placement.user_id == user.id).order_by(Placement.id)
                              .options(joinedload(Placement.host), joinedload(Placement.place),
                                       joinedload(Placement.registration)))  # shown with each placement
    return {p.application_id: p for p in rows}


def confirmed_months_of(placements) -> dict[int, list[MonthlyAttendance]]:
    """placement id -> the months its host confirmed, in order (one query)."""
    ids = [p.id for p in placements]
    made: dict[int, list[MonthlyAttendance]] = {i: [] for i in ids}
    if ids:
        for row in db.session.scalars(sa.select(MonthlyAttendance).where(MonthlyAttendance.placement_id.in_(ids))
                                      .order_by(MonthlyAttendance.month)):
            made[row.placement_id].append(row)
    return made


# Placements that made the person a trainee (an accepted one still waiting for the bureau, or one
# it rejected, did not).
TRAINEES = (PlacementStatus.CONFIRMED.value, PlacementStatus.COMPLETED.value, PlacementStatus.WITHDRAWN.value)


def of_organisation(organisation: Organisation) -> list[LinkedRow]:
    """The trainees of a university (placements of its students, by their application's
    university) or of a host company (placements at its places), merged duplicates included,
    grouped by batch, newest batch first."""
    ids = identity_ids(organisation)
    query = sa.select(Placement).join(TraineeshipBatch, TraineeshipBatch.id == Placement.batch_id)
    if organisation.kind == OrganisationKind.UNIVERSITY.value:
        query = query.join(TraineeApplication, TraineeApplication.id == Placement.application_id).where(
            TraineeApplication.university_id.in_(ids))
    elif organisation.kind == OrganisationKind.HOST_COMPANY.value:
        query = query.where(Placement.host_id.in_(ids))
    else:
        return []
    placements = db.session.scalars(query.where(Placement.status.in_(TRAINEES)).options(
        contains_eager(Placement.batch), joinedload(Placement.user), joinedload(Placement.place),
        joinedload(Placement.application), joinedload(Placement.host)).order_by(
        TraineeshipBatch.starts_on.desc(), TraineeshipBatch.id.desc(), Placement.id))
    by_host = organisation.kind == OrganisationKind.HOST_COMPANY.value
    return [LinkedRow(group=p.batch.title, title=p.user.name, person_id=p.user_id, when=p.starts_on,
                      detail=" · ".join(filter(None, (p.place.position, p.application.school_name if by_host
                                                      else p.host.name, p.status_label))),
                      endpoint="traineeships.batch", args={"batch_id": p.batch_id})
            for p in placements]
