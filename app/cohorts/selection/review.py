"""Rubric, reviewers' scores, combined scores and the ranking of a tier's applications."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.audit import services as audit
from app.cohorts.camps import services as cohorts
from app.cohorts.camps.models import Cycle, Tier
from app.cohorts.models import Application, ReviewCriterion, ReviewScore
from app.cohorts.selection.access import applications, require_review, WITHDRAWN
from app.errors import Conflict, InvalidInput, PermissionDenied
from app.extensions import db
from app.inputs import bounded_int, INT_MAX
from app.timeutil import utcnow


# -- rubric and scores ---------------------------------------------------------------------
def rubric(cycle: Cycle) -> list[ReviewCriterion]:
    return list(db.session.scalars(sa.select(ReviewCriterion).where(ReviewCriterion.cycle_id == cycle.id)
                                   .order_by(ReviewCriterion.position, ReviewCriterion.id)))


MAX_RUBRIC_ROWS = 100  # a rubric has a handful of criteria; the form says how many rows it sent


def entered_rubric(form) -> list[dict]:
    """The rubric editor's rows (`rows` of them, fields criteria-N-id/name/weight/max_score) as
    set_rubric takes them: blank new lines are ignored, and an existing criterion whose name was
    blanked is left out, so it is removed."""
    rows = []
    for i in range(bounded_int(form.get("rows"), 0, MAX_RUBRIC_ROWS) or 0):
        row = {k: form.get(f"criteria-{i}-{k}", "").strip() for k in ("id", "name", "weight", "max_score")}
        if row["name"]:
            rows.append(row)
    return rows


def _int(value) -> int | None:
    return bounded_int(value, -INT_MAX, INT_MAX)


def set_rubric(actor: User, cycle: Cycle, criteria: list[dict]) -> list[ReviewCriterion]:
    """Replace the cycle's rubric by `criteria` (in order): dicts of name, weight (1–100),
    max_score (1–100) and, for an existing criterion, its id. A criterion that has scores may
    be changed but not removed, and its maximum not lowered below a score given."""
    cohorts.require_run(actor, cycle.programme)
    current = {c.id: c for c in rubric(cycle)}
    errors: dict = {}
    cleaned = []
    for i, spec in enumerate(criteria):
        name = (spec.get("name") or "").strip()
        weight, max_score, cid = _int(spec.get("weight")), _int(spec.get("max_score")), _int(spec.get("id"))
        if cid is not None and cid not in current:
            errors[f"criteria-{i}-name"] = _l("This criterion belongs to another rubric.")
            continue
        if not name or len(name) > 80:
            errors[f"criteria-{i}-name"] = _l("Name the criterion (at most 80 characters).")
        if weight is None or not 1 <= weight <= 100:
            errors[f"criteria-{i}-weight"] = _l("The weight is a whole number from 1 to 100.")
        if max_score is None or not 1 <= max_score <= 100:
            errors[f"criteria-{i}-max_score"] = _l("The maximum score is a whole number from 1 to 100.")
        elif cid is not None:
            highest = db.session.scalar(sa.select(sa.func.max(ReviewScore.score))
                                        .where(ReviewScore.criterion_id == cid))
            if highest is not None and highest > max_score:
                errors[f"criteria-{i}-max_score"] = _l("A reviewer already gave %(score)s on this criterion.",
                                                       score=_num(highest))
        cleaned.append((cid, name, weight, max_score))
    if not cleaned and not errors:
        errors["criteria"] = _l("The rubric needs at least one criterion.")
    kept = {cid for cid, *_rest in cleaned if cid is not None}
    for cid, criterion in current.items():
        if cid not in kept and db.session.scalar(sa.select(ReviewScore.id).where(ReviewScore.criterion_id == cid)
                                                 .limit(1)):
            errors["criteria"] = _l("“%(name)s” has scores and cannot be removed.", name=criterion.name)
    if errors:
        raise InvalidInput(fields=errors)
    for cid, criterion in current.items():
        if cid not in kept:
            db.session.delete(criterion)
    result = []
    for position, (cid, name, weight, max_score) in enumerate(cleaned):
        criterion = current[cid] if cid is not None else ReviewCriterion(cycle_id=cycle.id)
        criterion.name, criterion.weight, criterion.max_score, criterion.position = name, weight, max_score, position
        db.session.add(criterion)
        result.append(criterion)
    db.session.flush()
    audit.record(actor, "rubric.set", cycle, criteria=[[c.id, c.name, c.weight, c.max_score] for c in result])
    return result


def _num(value: float) -> str:
    return f"{value:g}"


def score(reviewer: User, application: Application, scores: dict, comment: str = "") -> list[ReviewScore]:
    """Record `reviewer`'s scores of `application`, one for every criterion of the rubric
    ({criterion_id: score}, 0..max, halves allowed); `comment` is their remark on it. Scoring
    again replaces the reviewer's earlier scores (audited)."""
    cycle = application.cycle
    require_review(reviewer, cycle)
    if application.user_id == reviewer.id:
        raise PermissionDenied(_l("You cannot review your own application."))
    if application.status == WITHDRAWN:
        raise Conflict(_l("This application was withdrawn."), code="withdrawn")
    criteria = rubric(cycle)
    if not criteria:
        raise Conflict(_l("The rubric of this cycle has no criteria yet."), code="no_rubric")
    comment = (comment or "").strip()
    errors: dict = {}
    values: dict[int, float] = {}
    given = {_int(k): v for k, v in (scores or {}).items()}
    for criterion in criteria:
        raw = given.get(criterion.id)
        try:
            value = float(str(raw).strip())
        except (TypeError, ValueError):
            value = None
        if value is None or value != value or not 0 <= value <= criterion.max_score or (value * 2) % 1:
            errors[f"score-{criterion.id}"] = _l("Give a score from 0 to %(max)s.", max=criterion.max_score)
        else:
            values[criterion.id] = value
    if len(comment) > 1000:
        errors["comment"] = _l("The comment is at most 1000 characters.")
    if errors:
        raise InvalidInput(fields=errors)
    existing = {s.criterion_id: s for s in db.session.scalars(sa.select(ReviewScore).where(
        ReviewScore.application_id == application.id, ReviewScore.reviewer_id == reviewer.id))}
    now, before = utcnow(), {cid: s.score for cid, s in existing.items()}
    rows = []
    for criterion in criteria:
        row = existing.get(criterion.id) or ReviewScore(application_id=application.id, reviewer_id=reviewer.id,
                                                        criterion_id=criterion.id)
        row.score, row.comment, row.updated_at = values[criterion.id], comment, now
        db.session.add(row)
        rows.append(row)
    db.session.flush()
    audit.record(reviewer, "application.score", application, scores={str(k): v for k, v in values.items()},
                 before={str(k): v for k, v in before.items()})
    return rows


@dataclass
class Review:
    reviewer: User
    scores: dict[int, ReviewScore]
    total: float | None  # 0–100, None while a criterion is not scored
    comment: str = ""


@dataclass
class Combined:
    score: float | None
    reviews: list[Review] = field(default_factory=list)

    @property
    def reviewers(self) -> int:
        return sum(1 for r in self.reviews if r.total is not None)


def weighted_total(criteria: list[ReviewCriterion], scores: dict[int, float]) -> float | None:
    """Σ weight·score/max ÷ Σ weight × 100; None unless every criterion is scored."""
    if not criteria or any(c.id not in scores for c in criteria):
        return None
    weights = sum(c.weight for c in criteria)
    return sum(c.weight * scores[c.id] / c.max_score for c in criteria) / weights * 100


def combined_scores(cycle: Cycle, application_ids: list[int]) -> dict[int, Combined]:
    criteria = rubric(cycle)
    rows = db.session.scalars(sa.select(ReviewScore).where(ReviewScore.application_id.in_(application_ids or [-1]))
                              .options(selectinload(ReviewScore.reviewer))
                              .order_by(ReviewScore.reviewer_id, ReviewScore.id)).all()
    grouped: dict[int, dict[int, list[ReviewScore]]] = {}
    for row in rows:
        grouped.setdefault(row.application_id, {}).setdefault(row.reviewer_id, []).append(row)
    result = {}
    for app_id in application_ids:
        reviews = []
        for items in grouped.get(app_id, {}).values():
            by_criterion = {s.criterion_id: s for s in items}
            total = weighted_total(criteria, {cid: s.score for cid, s in by_criterion.items()})
            reviews.append(Review(reviewer=items[0].reviewer, scores=by_criterion, total=total,
                                  comment=items[0].comment))
        totals = [r.total for r in reviews if r.total is not None]
        result[app_id] = Combined(score=sum(totals) / len(totals) if totals else None, reviews=reviews)
    return result


@dataclass
class RankRow:
    rank: int
    application: Application
    combined: Combined


def ranking(cycle: Cycle, tier: Tier) -> list[RankRow]:
    """Applications to `tier` (withdrawn ones left out) by combined score, highest first; ties
    go to the earlier submission; unscored applications come last."""
    found = [a for a in applications(cycle, tier_id=tier.id) if a.status != WITHDRAWN]
    scores = combined_scores(cycle, [a.id for a in found])

    def key(a: Application):
        value = scores[a.id].score
        return (value is None, -(value or 0.0), a.submitted_at, a.id)

    return [RankRow(rank=i, application=a, combined=scores[a.id])
            for i, a in enumerate(sorted(found, key=key), 1)]
