"""How a placement ends: completed (the bureau, once the placement's last day has passed and the
host has given its final evaluation) or withdrawn (the bureau records it with the reason, also
when the trainee asked for it: one flow, one place where seats are released). A withdrawn
trainee's seat on the batch's event is released, so their ticket no longer opens training days,
and the trainee is told (inbox and mail) with the reason."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.errors import Conflict, InvalidInput
from app.locking import lock_objects
from app.occasions import services as occasions
from app.timeutil import local_today, utcnow
from app.traineeships.evaluations import evaluations_of
from app.traineeships.models import EvaluationStage, Placement, PlacementStatus, TraineeshipBatch
from app.traineeships.batches import require_run
from app.traineeships.notices import tell
from app.traineeships.scope import require_bureau


def withdraw(actor: User, placement: Placement, *, reason: str, by_trainee: bool = False) -> Placement:
    """End a confirmed placement early. `by_trainee`: the trainee asked for it (recorded in the note)."""
    require_bureau(actor, placement)
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise InvalidInput(fields={"reason": _l("Give the reason (at most 300 characters).")})
    lock_objects(placement, refresh=["status"])
    if placement.status != PlacementStatus.CONFIRMED.value:
        raise Conflict(_l("Only a confirmed placement can be withdrawn."), code="not_confirmed")
    note = f"{'trainee: ' if by_trainee else ''}{reason}"[:300]
    placement.transition(PlacementStatus.WITHDRAWN, actor=actor, note=note)
    placement.withdrawn_reason, placement.withdrawn_at = reason, utcnow()
    if placement.registration is not None and placement.registration.is_active:
        occasions.unseat(actor, placement.registration, reason=reason)
    audit.record(actor, "traineeship.withdraw", placement, trainee=placement.user_id, host=placement.host_id,
                 by_trainee=by_trainee)
    tell(placement.user, "traineeship_withdrawn", _l("Placement ended: %(host)s", host=placement.host.name),
         placement.place, reason=reason)
    return placement


def complete(actor: User, placement: Placement, *, today=None) -> Placement:
    require_bureau(actor, placement)
    lock_objects(placement, refresh=["status"])
    if placement.status != PlacementStatus.CONFIRMED.value:
        raise Conflict(_l("Only a confirmed placement can be completed."), code="not_confirmed")
    if placement.ends_on > (today or local_today()):
        raise Conflict(_l("The placement has not ended yet."), code="not_ended")
    if EvaluationStage.FINAL.value not in evaluations_of(placement):
        raise Conflict(_l("The host has not given its final evaluation yet."), code="no_final_evaluation")
    placement.transition(PlacementStatus.COMPLETED, actor=actor)
    audit.record(actor, "traineeship.complete", placement, trainee=placement.user_id, host=placement.host_id)
    return placement


def completable(placement: Placement, today=None, evaluations: dict | None = None) -> bool:
    """`evaluations`: the placement's evaluations_of(), when the caller has read them."""
    return (placement.status == PlacementStatus.CONFIRMED.value and placement.ends_on <= (today or local_today())
            and EvaluationStage.FINAL.value in (evaluations_of(placement) if evaluations is None else evaluations))


def complete_batch(actor: User, batch: TraineeshipBatch, placements: list[Placement], *, today=None) -> list[Placement]:
    """Complete every placement of the batch that can be (ended, finally evaluated); the rest wait."""
    require_run(actor, batch)
    return [complete(actor, p, today=today) for p in placements
            if p.batch_id == batch.id and completable(p, today)]
