"""Grading a cohort: assessments with weights (and optional rubrics), grades entered by the
cohort's trainers, the weighted total, and the lock that publishing the grades puts on them.

- Weights are whole percentages and sum to 100. The weighted total is on a 0–100 scale:
  Σ weight × score ÷ max score; an assessment without a grade counts 0 (the total says how
  many of the assessments are graded).
- An "attendance" assessment is not entered: its score is the founder's attendance rate ×
  its max score (`attendance.rates`, with the cohort's explicit denominator).
- With a rubric a grade is the level chosen per criterion, and the score is
  Σ points chosen ÷ Σ best points × max score.
- Every change of a grade is kept as a GradeChange (who, when, old → new). Publishing the
  grades locks them; only an admin can unlock, with a reason, which is audited and written
  on every change made while unlocked.
- Grade writes and publication serialise on the cohort's CohortGrading row (a row lock on
  PostgreSQL, the database write lock on SQLite), so no grade slips in after publication.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.audit import services as audit
from app.cohorts.lessons import attendance
from app.cohorts.camps import services as cohorts
from app.cohorts.camps.models import DEFAULT_RULES, Cohort, Enrolment
from app.cohorts.models import (
    Assessment,
    AssessmentKind,
    CohortGrading,
    Grade,
    GradeChange,
    GradeLockEvent,
    RubricCriterion,
    RubricLevel,
)
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.numbers import exact, round_score
from app.timeutil import utcnow

MAX_ASSESSMENTS = 12


class GradesLocked(Conflict):
    code = "grades_locked"


class RulesFixed(Conflict):
    code = "rules_fixed"


# -- state and its lock ----------------------------------------------------------------------
def state(cohort: Cohort, *, lock: bool = False) -> CohortGrading:
    """The cohort's grading state (made on first use). `lock=True` holds it until the
    transaction ends: grade writes and publication of one cohort take turns."""
    row = db.session.get(CohortGrading, cohort.id)
    if row is None:
        try:
            with db.session.begin_nested():
                row = CohortGrading(cohort_id=cohort.id, locked=False, unlock_reason="")
                db.session.add(row)
        except sa.exc.IntegrityError:  # made by a concurrent request just now
            row = db.session.get(CohortGrading, cohort.id)
    if lock:
        db.session.flush()
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.refresh(row, with_for_update=True)
        else:
            db.session.execute(sa.text("UPDATE cohort_gradings SET cohort_id = cohort_id WHERE cohort_id = :id"),
                               {"id": cohort.id})
            db.session.refresh(row)
    return row


def is_locked(cohort: Cohort) -> bool:
    row = db.session.get(CohortGrading, cohort.id)
    return bool(row and row.locked)


def locked_of(chosen: list[Cohort]) -> dict[int, bool]:
    """is_locked of each cohort (by cohort id), in one query."""
    locked = set(db.session.scalars(sa.select(CohortGrading.cohort_id).where(
        CohortGrading.cohort_id.in_([c.id for c in chosen] or [-1]), CohortGrading.locked.is_(True))))
    return {c.id: c.id in locked for c in chosen}


def _refuse_if_locked(row: CohortGrading) -> None:
    if row.locked:
        raise GradesLocked(_l("The grades of this cohort are published and locked; an admin can unlock them."))


def lock_history(cohort: Cohort) -> list[GradeLockEvent]:
    return list(db.session.scalars(sa.select(GradeLockEvent).where(GradeLockEvent.cohort_id == cohort.id)
                                   .order_by(GradeLockEvent.id)))


def latest_publication(cohort: Cohort) -> GradeLockEvent | None:
    return db.session.scalar(sa.select(GradeLockEvent).where(GradeLockEvent.cohort_id == cohort.id,
                                                             GradeLockEvent.action == "publish")
                             .order_by(GradeLockEvent.id.desc()).limit(1))


# -- assessments -------------------------------------------------------------------------------
def assessments(cohort: Cohort) -> list[Assessment]:
    return list(db.session.scalars(sa.select(Assessment).where(Assessment.cohort_id == cohort.id)
                                   .order_by(Assessment.position, Assessment.id)))


def get_assessment(assessment_id: int, cohort: Cohort) -> Assessment:
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or assessment.cohort_id != cohort.id:
        raise NotFound(_l("No such assessment in this cohort."))
    return assessment


def enrolment_in(cohort: Cohort, enrolment_id) -> Enrolment:
    """The cohort's enrolment with this id (NotFound for another cohort's, or for no whole number)."""
    enrolment = db.session.get(Enrolment, enrolment_id) if isinstance(enrolment_id, int) else None
    if enrolment is None or enrolment.cohort_id != cohort.id:
        raise NotFound(_l("The page you are looking for does not exist."))
    return enrolment


def _number(value, *, whole: bool = False) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip().replace("，", ".").replace(",", ".")
        if not value:
            return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or (whole and number != int(number)):
        return None
    return int(number) if whole else number


def _rubric_spec(raw, prefix: str, errors: dict) -> list[tuple[str, list[tuple[str, float]]]]:
    """[(criterion name, [(level label, points), ...]), ...] from the editor's data."""
    spec = []
    for criterion in raw or []:
        name = str(criterion.get("name") or "").strip()
        levels = []
        for level in criterion.get("levels") or []:
            label, points = str(level.get("label") or "").strip(), _number(level.get("points"))
            if not label or len(label) > 40 or points is None or not 0 <= points <= 1000:
                errors[f"{prefix}-rubric"] = _l("Each level needs a label and points from 0 to 1000.")
            levels.append((label[:40], points or 0.0))
        if not name or len(name) > 120:
            errors[f"{prefix}-rubric"] = _l("Each criterion needs a name of at most 120 characters.")
        elif len(levels) < 2 or max(p for _label, p in levels) <= 0:
            errors[f"{prefix}-rubric"] = _l("Each criterion needs at least two levels, the best worth more than 0.")
        spec.append((name, levels))
    return spec


def _rubric_of(assessment: Assessment) -> list[tuple[str, list[tuple[str, float]]]]:
    return [(c.name, [(lv.label, lv.points) for lv in c.levels]) for c in assessment.criteria]


def _has_grades(assessment: Assessment) -> bool:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Grade)
                             .where(Grade.assessment_id == assessment.id)) > 0


def set_assessments(actor, cohort: Cohort, specs: list[dict]) -> list[Assessment]:
    """Replace the cohort's assessments with `specs`, in order: each a dict with `name`, `kind`
    ("attendance" or "graded"), `weight` (whole %), `max_score` (default 100), an optional
    `rubric` ([{"name", "levels": [{"label", "points"}]}]) and, for one that exists, its `id`.
    Weights must sum to 100. Once an assessment has grades its kind, max score and rubric stay
    as they are, and it cannot be removed; nothing can change while the grades are locked."""
    cohorts.require_run(actor, cohort.cycle.programme)
    row = state(cohort, lock=True)
    _refuse_if_locked(row)
    existing = {a.id: a for a in assessments(cohort)}
    errors, cleaned = {}, []
    if not specs:
        errors["assessments"] = _l("Add at least one assessment.")
    if len(specs) > MAX_ASSESSMENTS:
        errors["assessments"] = _l("At most %(n)s assessments.", n=MAX_ASSESSMENTS)
    kinds = {k.value for k in AssessmentKind}
    for i, spec in enumerate(specs):
        prefix = f"assessments-{i}"
        name = str(spec.get("name") or "").strip()
        kind = spec.get("kind") or AssessmentKind.GRADED.value
        weight = _number(spec.get("weight"), whole=True)
        max_score = _number(spec.get("max_score", 100))
        if not name or len(name) > 80:
            errors[f"{prefix}-name"] = _l("Give the assessment a name of at most 80 characters.")
        if kind not in kinds:
            errors[f"{prefix}-kind"] = _l("Choose how the assessment is scored.")
        if weight is None or not 0 < weight <= 100:
            errors[f"{prefix}-weight"] = _l("The weight is a whole percentage from 1 to 100.")
        if max_score is None or not 0 < max_score <= 1000:
            errors[f"{prefix}-max_score"] = _l("The maximum score is a number above 0, at most 1000.")
        rubric = _rubric_spec(spec.get("rubric"), prefix, errors)
        if rubric and kind == AssessmentKind.ATTENDANCE.value:
            errors[f"{prefix}-rubric"] = _l("An attendance assessment is computed and has no rubric.")
        current = None
        if spec.get("id"):
            current = existing.get(_number(spec.get("id"), whole=True))
            if current is None:
                raise NotFound(_l("No such assessment in this cohort."))
            if _has_grades(current) and (kind != current.kind or max_score != current.max_score
                                         or rubric != _rubric_of(current)):
                errors[f"{prefix}-kind"] = _l("%(name)s already has grades: its kind, maximum score and rubric "
                                              "can no longer change.", name=current.name)
        cleaned.append((current, name, kind, weight, max_score, rubric))
    if sum(1 for c in cleaned if c[2] == AssessmentKind.ATTENDANCE.value) > 1:
        errors["assessments"] = _l("Only one assessment can be computed from attendance.")
    if not errors and sum(c[3] for c in cleaned) != 100:
        errors["weights"] = _l("The weights add up to %(sum)s %%; they must add up to 100 %%.",
                               sum=sum(c[3] for c in cleaned))
    kept = {c[0].id for c in cleaned if c[0] is not None}
    for gone in (a for a in existing.values() if a.id not in kept):
        if _has_grades(gone):
            errors["assessments"] = _l("%(name)s already has grades and cannot be removed.", name=gone.name)
    if errors:
        raise InvalidInput(fields=errors)
    for gone in (a for a in existing.values() if a.id not in kept):
        db.session.delete(gone)
    result = []
    for position, (current, name, kind, weight, max_score, rubric) in enumerate(cleaned):
        assessment = current or Assessment(cohort_id=cohort.id)
        assessment.name, assessment.kind, assessment.weight = name, kind, weight
        assessment.max_score, assessment.position = max_score, position
        if (rubric != _rubric_of(assessment)) if current else rubric:
            assessment.criteria = [
                RubricCriterion(name=c_name, position=n,
                                levels=[RubricLevel(label=label, points=points, position=m)
                                        for m, (label, points) in enumerate(levels)])
                for n, (c_name, levels) in enumerate(rubric)]
        db.session.add(assessment)
        result.append(assessment)
    db.session.flush()
    audit.record(actor, "grading.assessments", cohort,
                 assessments=[{"id": a.id, "name": a.name, "kind": a.kind, "weight": a.weight,
                               "max_score": a.max_score, "criteria": len(a.criteria)} for a in result])
    return result


# -- scores ------------------------------------------------------------------------------------
def rubric_score(assessment: Assessment, levels: dict | None) -> float | None:
    """Σ points chosen ÷ Σ best points × max score; criteria not chosen count 0."""
    if not levels:
        return None
    best = sum(c.max_points for c in assessment.criteria)
    if best <= 0:
        return None
    points = {lv.id: lv.points for c in assessment.criteria for lv in c.levels}
    chosen = sum((exact(points.get(int(level_id), 0.0)) for level_id in levels.values() if level_id is not None),
                 Decimal(0))
    return float(round_score(chosen / exact(best) * exact(assessment.max_score)))


def _clean_levels(assessment: Assessment, levels) -> dict | None:
    """{criterion id (str): level id} with only known criteria and their own levels."""
    if levels in (None, {}, ""):
        return None
    if not isinstance(levels, dict):
        raise InvalidInput(fields={"levels": _l("Choose one of the rubric's levels for each criterion.")})
    criteria = {c.id: {lv.id for lv in c.levels} for c in assessment.criteria}
    cleaned = {}
    for key, value in levels.items():
        criterion, level = _number(key, whole=True), _number(value, whole=True) if value not in (None, "") else None
        if criterion not in criteria or (value not in (None, "") and level not in criteria[criterion]):
            raise InvalidInput(fields={"levels": _l("Choose one of the rubric's levels for each criterion.")})
        if level is not None:
            cleaned[str(criterion)] = level
    return cleaned or None


def record_grade(actor, enrolment: Enrolment, assessment: Assessment, score=None, levels=None) -> Grade:
    """Set (or clear, with nothing given) one founder's grade in one assessment. Trainers of the
    cohort and those who run its programme; refused once the grades are published."""
    cohort = enrolment.cohort
    cohorts.require_teach(actor, cohort)
    if assessment.cohort_id != enrolment.cohort_id:
        raise NotFound(_l("No such assessment in this cohort."))
    if not enrolment.active:
        raise InvalidInput(_l("%(name)s has withdrawn from the cohort.", name=enrolment.user.name),
                           fields={"enrolment": _l("This founder has withdrawn.")})
    if assessment.is_attendance:
        raise InvalidInput(fields={"score": _l("This score is computed from attendance.")})
    if assessment.has_rubric:
        if score not in (None, ""):
            raise InvalidInput(fields={"score": _l("This assessment is graded with its rubric.")})
        new_levels = _clean_levels(assessment, levels)
        new_score = rubric_score(assessment, new_levels)
    else:
        if levels:
            raise InvalidInput(fields={"levels": _l("This assessment has no rubric.")})
        new_levels = None
        new_score = _number(score)
        if new_score is None and score not in (None, "") and not (isinstance(score, str) and not score.strip()):
            raise InvalidInput(fields={"score": _l("Enter a number.")})
        if new_score is not None:
            if not 0 <= new_score <= assessment.max_score:
                raise InvalidInput(fields={"score": _l("Enter a score from 0 to %(max)s.",
                                                       max=f"{assessment.max_score:g}")})
            new_score = float(round_score(new_score))
    row = state(cohort, lock=True)
    _refuse_if_locked(row)
    grade = db.session.scalar(sa.select(Grade).where(Grade.enrolment_id == enrolment.id,
                                                     Grade.assessment_id == assessment.id))
    old_score, old_levels = (grade.score, grade.levels) if grade else (None, None)
    if grade is not None and old_score == new_score and (old_levels or None) == new_levels:
        return grade
    if grade is None and new_score is None and new_levels is None:  # clearing what was never set
        return Grade(enrolment_id=enrolment.id, assessment_id=assessment.id)
    if grade is None:
        grade = Grade(enrolment_id=enrolment.id, assessment_id=assessment.id)
        db.session.add(grade)
    grade.score, grade.levels = new_score, new_levels
    grade.graded_by_id, grade.updated_at = actor.id, utcnow()
    db.session.flush()
    db.session.add(GradeChange(grade_id=grade.id, enrolment_id=enrolment.id, assessment_id=assessment.id,
                               changed_by_id=actor.id, changed_at=grade.updated_at,
                               old_score=old_score, new_score=new_score, old_levels=old_levels,
                               new_levels=new_levels,
                               unlock_reason=row.unlock_reason if row.published_at else ""))
    db.session.flush()
    return grade


def grades(cohort: Cohort) -> dict[tuple[int, int], Grade]:
    """{(enrolment id, assessment id): Grade}"""
    rows = db.session.scalars(sa.select(Grade).join(Assessment).where(Assessment.cohort_id == cohort.id))
    return {(g.enrolment_id, g.assessment_id): g for g in rows}


def changes(enrolment: Enrolment) -> list[GradeChange]:
    return list(db.session.scalars(sa.select(GradeChange).where(GradeChange.enrolment_id == enrolment.id)
                                   .order_by(GradeChange.id.desc())))


@dataclass
class Total:
    # 0..100, rounded by the one rule (app.numbers.round_score); assessments without a score count 0.
    # The grid, the export, the results and the bands all use this same rounded value.
    score: Decimal
    graded: int   # how many assessments have a score
    of: int       # how many assessments there are

    @property
    def complete(self) -> bool:
        return self.graded == self.of


def scores(cohort: Cohort, *, rates: dict | None = None, now=None) -> dict[int, dict[int, float | None]]:
    """{enrolment id: {assessment id: score or None}} for the enrolled founders."""
    columns = assessments(cohort)
    people = cohorts.active_enrolments(cohort)
    if rates is None and any(a.is_attendance for a in columns):
        rates = attendance.rates(cohort, now)
    cells = grades(cohort)
    table = {}
    for enrolment in people:
        row = {}
        for a in columns:
            if a.is_attendance:
                rate = (rates or {}).get(enrolment.id)
                row[a.id] = (float(round_score(Decimal(rate.attended) / rate.denominator * exact(a.max_score)))
                             if rate and rate.rate is not None else None)
            else:
                grade = cells.get((enrolment.id, a.id))
                row[a.id] = grade.score if grade else None
        table[enrolment.id] = row
    return table


def total_of(columns: list[Assessment], row: dict[int, float | None]) -> Total:
    value = sum((exact(a.weight) * exact(row[a.id]) / exact(a.max_score)
                 for a in columns if row.get(a.id) is not None), Decimal(0))
    return Total(score=round_score(value), graded=sum(1 for a in columns if row.get(a.id) is not None),
                 of=len(columns))


def totals(cohort: Cohort, *, rates: dict | None = None, now=None) -> dict[int, Total]:
    columns = assessments(cohort)
    return {eid: total_of(columns, row) for eid, row in scores(cohort, rates=rates, now=now).items()}


def weighted_total(enrolment: Enrolment, *, rates: dict | None = None, now=None) -> Total:
    """The founder's weighted total (0–100) over the cohort's assessments."""
    cohort = enrolment.cohort
    columns = assessments(cohort)
    table = scores(cohort, rates=rates, now=now)
    return total_of(columns, table.get(enrolment.id, {}))


# -- publication and unlocking -----------------------------------------------------------------
def publish(actor, cohort: Cohort) -> CohortGrading:
    """Publish the grades: from now on they are locked."""
    cohorts.require_run(actor, cohort.cycle.programme)
    row = state(cohort, lock=True)
    if row.locked:
        return row
    if not assessments(cohort):
        raise InvalidInput(_l("Set the assessments before publishing grades."))
    row.locked, row.published_at, row.published_by_id, row.unlock_reason = True, utcnow(), actor.id, ""
    db.session.add(GradeLockEvent(cohort_id=cohort.id, action="publish", actor_id=actor.id, at=row.published_at))
    audit.record(actor, "grading.publish", cohort)
    db.session.flush()
    return row


def unlock(actor, cohort: Cohort, reason: str) -> CohortGrading:
    """Reopen published grades for changes: admins only, with a reason (kept, audited, and
    written on every grade change made while unlocked)."""
    if not (actor and getattr(actor, "is_admin", False)):
        raise PermissionDenied(_l("Only an admin can unlock published grades."))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(fields={"reason": _l("Give the reason for unlocking the grades.")})
    if len(reason) > 300:
        raise InvalidInput(fields={"reason": _l("At most 300 characters.")})
    row = state(cohort, lock=True)
    if not row.locked:
        raise Conflict(_l("The grades of this cohort are not locked."), code="not_locked")
    row.locked, row.unlock_reason = False, reason
    db.session.add(GradeLockEvent(cohort_id=cohort.id, action="unlock", actor_id=actor.id, at=utcnow(),
                                  reason=reason))
    audit.record(actor, "grading.unlock", cohort, reason=reason)
    db.session.flush()
    return row


# -- completion rules --------------------------------------------------------------------------
RULE_BOUNDS = {
    "min_attendance": (0.0, 1.0),
    "min_score": (0.0, 100.0),
    "distinction_score": (0.0, 100.0),
    "distinction_top_share": (0.0, 1.0),
}


def rules(cohort: Cohort) -> dict:
    return dict(DEFAULT_RULES) | {k: v for k, v in (cohort.rules or {}).items() if k in DEFAULT_RULES}


PERCENT_RULES = ("min_attendance", "distinction_top_share")  # entered as percentages, kept as shares


def entered_rules(form) -> dict:
    """The rules form's values as set_rules takes them: percentages become shares; what is not a
    number is passed on as typed, for set_rules to refuse."""
    values = {}
    for key in PERCENT_RULES:
        raw = (form.get(key) or "").strip()
        number = _number(raw)
        values[key] = number / 100 if number is not None else raw
    for key in ("min_score", "distinction_score"):
        values[key] = form.get(key, "")
    return values


def set_rules(actor, cohort: Cohort, **values) -> dict:
    """Change the completion rules; refused once the first result is published."""
    cohorts.require_run(actor, cohort.cycle.programme)
    if cohort.rules_fixed_at is not None:
        raise RulesFixed(_l("The completion rules were fixed when the first results were published."))
    new, errors = rules(cohort), {}
    for key, value in values.items():
        if key not in RULE_BOUNDS:
            continue
        low, high = RULE_BOUNDS[key]
        number = _number(value)
        if number is None or not low <= number <= high:
            errors[key] = _l("Enter a number from %(low)s to %(high)s.", low=f"{low:g}", high=f"{high:g}")
        else:
            new[key] = number
    if errors:
        raise InvalidInput(fields=errors)
    cohort.rules = {**(cohort.rules or {}), **new}
    audit.record(actor, "cohort.rules", cohort, rules=new)
    db.session.flush()
    return new
