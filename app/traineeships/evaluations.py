"""The host's mid-term and final evaluations, scored on the batch's rubric (every criterion, each
from 0 to its maximum), and the trainee's own feedback (a rating of 1 to 5 and a few words), given
once, after the final evaluation or the placement's end."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.errors import Conflict, InvalidInput
from app.extensions import db
from app.locking import lock_objects
from app.timeutil import local_today
from app.traineeships.defaults import criterion_label
from app.traineeships.models import Evaluation, EvaluationStage, Placement, PlacementStatus, TraineeFeedback
from app.traineeships.scope import require_contact_of, require_trainee

STAGES = tuple(s.value for s in EvaluationStage)


def check_scores(rubric: list[dict], scores) -> dict[str, int]:
    """The scores, one whole number per criterion of the rubric within its range; anything else is
    refused field by field (keyed scores.<criterion key>)."""
    if not isinstance(scores, dict):
        raise InvalidInput(fields={"scores": _l("Score every criterion.")})
    errors, clean = {}, {}
    keys = {str(c.get("key")) for c in rubric}
    for extra in sorted(set(map(str, scores)) - keys):
        errors[f"scores.{extra[:40]}"] = _l("Not a criterion of this batch.")
    for criterion in rubric:
        key, top = str(criterion.get("key")), int(criterion.get("max") or 0)
        value = scores.get(key)
        if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 6:
            value = int(value.strip())
        if value is None or value == "":
            errors[f"scores.{key}"] = _l("Score %(criterion)s.", criterion=criterion_label(criterion))
        elif not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= top:
            errors[f"scores.{key}"] = _l("%(criterion)s: from 0 to %(max)s.", criterion=criterion_label(criterion),
                                         max=top)
        else:
            clean[key] = value
    if errors:
        raise InvalidInput(fields=errors)
    return clean


def evaluations_of(placement: Placement) -> dict[str, Evaluation]:
    return {e.stage: e for e in db.session.scalars(sa.select(Evaluation).where(Evaluation.placement_id == placement.id))}


def evaluations_of_all(placements: list[Placement]) -> dict[int, dict[str, Evaluation]]:
    """evaluations_of() each placement (by placement id), in one query."""
    found: dict[int, dict[str, Evaluation]] = {p.id: {} for p in placements}
    for e in db.session.scalars(sa.select(Evaluation).where(Evaluation.placement_id.in_(list(found) or [-1]))):
        found[e.placement_id][e.stage] = e
    return found


def evaluate(actor: User, placement: Placement, stage: str, scores, *, comment: str = "",
             today=None) -> Evaluation:
    """The host's evaluation at `stage` (mid or final), once per stage; the mid-term comes first."""
    require_contact_of(actor, placement)
    if stage not in STAGES:
        raise InvalidInput(fields={"stage": _l("Choose the mid-term or the final evaluation.")})
    clean = check_scores(placement.batch.rubric or [], scores)
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise InvalidInput(fields={"comment": _l("At most 2000 characters.")})
    lock_objects(placement, refresh=["status"])
    if placement.status != PlacementStatus.CONFIRMED.value:
        raise Conflict(_l("Only a trainee on a confirmed placement is evaluated."), code="not_confirmed")
    if placement.starts_on > (today or local_today()):
        raise Conflict(_l("The placement has not begun."), code="not_begun")
    done = evaluations_of(placement)
    if stage in done:
        raise Conflict(_l("This evaluation has been given already."), code="already_evaluated")
    if stage == EvaluationStage.FINAL.value and EvaluationStage.MID.value not in done:
        raise Conflict(_l("Give the mid-term evaluation first."), code="mid_term_first")
    evaluation = Evaluation(placement_id=placement.id, stage=stage, scores=clean, comment=comment, by_id=actor.id)
    db.session.add(evaluation)
    db.session.flush()
    audit.record(actor, "traineeship.evaluate", placement, stage=stage, total=sum(clean.values()))
    return evaluation


def total(evaluation: Evaluation) -> int:
    return sum(int(v) for v in (evaluation.scores or {}).values())


def may_give_feedback(placement: Placement, today=None) -> bool:
    if placement.status == PlacementStatus.COMPLETED.value:
        return True
    if placement.status != PlacementStatus.CONFIRMED.value:
        return False
    return placement.ends_on <= (today or local_today()) or EvaluationStage.FINAL.value in evaluations_of(placement)


def give_feedback(user: User, placement: Placement, *, rating, text: str = "", today=None) -> TraineeFeedback:
    """The trainee's word on their placement, once."""
    require_trainee(user, placement)
    errors = {}
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        errors["rating"] = _l("A rating from 1 to 5.")
    text = (text or "").strip()
    if len(text) > 2000:
        errors["text"] = _l("At most 2000 characters.")
    if errors:
        raise InvalidInput(fields=errors)
    lock_objects(placement, refresh=["status"])
    if not may_give_feedback(placement, today):
        raise Conflict(_l("Feedback is given after the final evaluation or the end of the placement."),
                       code="too_early")
    if db.session.scalar(sa.select(TraineeFeedback.id).where(TraineeFeedback.placement_id == placement.id)):
        raise Conflict(_l("You have given your feedback already."), code="already_given")
    feedback = TraineeFeedback(placement_id=placement.id, rating=rating, text=text)
    db.session.add(feedback)
    db.session.flush()
    return feedback


def feedback_of(placement: Placement) -> TraineeFeedback | None:
    return db.session.scalar(sa.select(TraineeFeedback).where(TraineeFeedback.placement_id == placement.id))


def feedback_of_all(placements: list[Placement]) -> dict[int, TraineeFeedback | None]:
    """feedback_of() each placement (by placement id), in one query."""
    found = {f.placement_id: f for f in db.session.scalars(sa.select(TraineeFeedback).where(
        TraineeFeedback.placement_id.in_([p.id for p in placements] or [-1])))}
    return {p.id: found.get(p.id) for p in placements}
