"""The bureau's part: organisers of the batch's department confirm or reject the placements
hosts proposed. A confirmed trainee is seated on the batch's event (their ticket is their pass
at the training days), their other choices are no longer needed and their application is placed;
a rejected placement frees the person for another host."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.audit import services as audit
from app.errors import Conflict, InvalidInput
from app.extensions import db
from app.locking import lock_objects
from app.lookups import get_or_not_found
from app.occasions import services as occasions
from app.timeutil import utcnow
from app.traineeships.batches import require_run
from app.traineeships.models import (
    ApplicationStatus,
    ChoiceStatus,
    Placement,
    PlacementStatus,
    TraineeshipBatch,
)
from app.traineeships.notices import tell


def get_placement(placement_id: int) -> Placement:
    return get_or_not_found(Placement, placement_id, _l("No such placement."))


def placements_of(batch: TraineeshipBatch, status: str | None = None) -> list[Placement]:
    # the batch's pages show each trainee, host, position, choice and school
    query = sa.select(Placement).where(Placement.batch_id == batch.id).options(
        joinedload(Placement.user), joinedload(Placement.host), joinedload(Placement.place),
        joinedload(Placement.application), joinedload(Placement.choice))
    if status:
        query = query.where(Placement.status == status)
    return list(db.session.scalars(query.order_by(Placement.host_id, Placement.id)))


def _proposed(placement: Placement) -> None:
    lock_objects(placement.application, placement, refresh=["status"])
    if placement.status != PlacementStatus.PROPOSED.value:
        raise Conflict(_l("This placement has been decided on already."), code="already_decided")


def confirm(actor: User, placement: Placement) -> Placement:
    require_run(actor, placement.batch)
    _proposed(placement)
    application = placement.application
    placement.registration = occasions.seat(actor, placement.batch.event, placement.user, note="trainee")
    placement.transition(PlacementStatus.CONFIRMED, actor=actor)
    for choice in application.choices:
        if choice.status == ChoiceStatus.PENDING.value:
            choice.transition(ChoiceStatus.SUPERSEDED, actor=actor, note=f"placed at {placement.place_id}")
            choice.decided_at = utcnow()
    application.transition(ApplicationStatus.PLACED, actor=actor)
    audit.record(actor, "traineeship.confirm", placement, trainee=placement.user_id, host=placement.host_id)
    tell(placement.user, "traineeship_confirmed", _l("Placement confirmed: %(host)s", host=placement.host.name),
         placement.place, starts=placement.starts_on, ends=placement.ends_on)
    return placement


def reject(actor: User, placement: Placement, *, reason: str) -> Placement:
    require_run(actor, placement.batch)
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise InvalidInput(fields={"reason": _l("Give the reason (at most 300 characters).")})
    _proposed(placement)
    placement.transition(PlacementStatus.REJECTED, actor=actor, note=reason)
    choice = placement.choice
    choice.transition(ChoiceStatus.DECLINED, actor=actor, note=reason)
    choice.reason, choice.decided_by_id, choice.decided_at = reason, actor.id, utcnow()
    audit.record(actor, "traineeship.reject", placement, trainee=placement.user_id, host=placement.host_id)
    tell(placement.user, "traineeship_rejected", _l("Placement not confirmed: %(host)s", host=placement.host.name),
         placement.place, reason=reason)
    return placement


def confirm_all(actor: User, batch: TraineeshipBatch) -> list[Placement]:
    """Confirm every proposed placement of the batch at once."""
    require_run(actor, batch)
    return [confirm(actor, p) for p in placements_of(batch, PlacementStatus.PROPOSED.value)]
