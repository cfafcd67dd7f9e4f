"""Setting a pitch competition up: the competition on its entry event, its eligibility rules (as
data), its rounds with their rubric, judges and advancement rule, and its status."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.accounts.models import Role, User
from app.audit import services as audit
from app.competitions.lifecycle import check_new_competition
from app.errors import Conflict, InvalidInput
from app.events.models import EventKind
from app.extensions import db
from app.lifecycle import services as lifecycle
from app.occasions import services as occasions
from app.organisations.linking import resolve_id
from app.pitch.access import require_run
from app.pitch.models import (
    AdvanceRule,
    Degree,
    PitchCompetition,
    PitchRound,
    PitchStatus,
    RoundCriterion,
    RoundJudge,
    RoundKind,
    RoundStatus,
    UnbrokenTie,
)

MAX_SCORE_LIMIT = 1000


def clean_eligibility(rules: dict | None) -> dict:
    """{"returnee": bool, "max_years_since_return": int | None, "degrees": [Degree values]}."""
    rules = dict(rules or {})
    errors = {}
    years = rules.get("max_years_since_return")
    if years is not None and (not isinstance(years, int) or not 0 <= years <= 50):
        errors["max_years_since_return"] = _l("Years since return is a whole number from 0 to 50, or empty.")
    degrees = list(rules.get("degrees") or [])
    if any(d not in {x.value for x in Degree} for d in degrees):
        errors["degrees"] = _l("Choose degrees from the list.")
    if errors:
        raise InvalidInput(fields=errors)
    return {"returnee": bool(rules.get("returnee")), "max_years_since_return": years, "degrees": degrees}


def create_competition(actor: User, *, name: str, year: int, department_id: int, venue: str,
                       starts_at: datetime, ends_at: datetime, capacity: int, eligibility: dict | None = None,
                       description: str = "", award_rules: dict | None = None) -> PitchCompetition:
    name = check_new_competition(actor, PitchCompetition, name=name, year=year, department_id=department_id,
                                 errors={})
    event = occasions.open_occasion(actor, places=occasions.ENTRY, publish=False, title=name[:200],
                                    kind=EventKind.COMPETITION.value, department_id=department_id,
                                    venue=(venue or "").strip(), starts_at=starts_at, ends_at=ends_at,
                                    capacity=capacity, description=description or "")
    competition = PitchCompetition(name=name, year=year, department_id=department_id, event=event,
                                   description=description or "", eligibility=clean_eligibility(eligibility),
                                   award_rules=dict(award_rules or {"first": 1, "second": 2, "third": 3}))
    db.session.add(competition)
    db.session.flush()
    audit.record(actor, "pitch.create", competition, name=name)
    return competition


def set_status(actor: User, competition: PitchCompetition, status: str) -> PitchCompetition:
    """Open for entries (publishes the event), close entries for judging, or reopen them. The
    results are released by `results.release` only."""
    require_run(actor, competition)
    if status not in (PitchStatus.OPEN.value, PitchStatus.JUDGING.value):
        raise Conflict(_l("The results are released through the final round's release."), code="bad_transition")
    if status == PitchStatus.OPEN.value and not competition.rounds:
        raise Conflict(_l("Add the rounds before opening the competition."), code="no_rounds")
    if status == PitchStatus.OPEN.value and any(r.status != RoundStatus.PENDING.value for r in competition.rounds):
        raise Conflict(_l("The rounds have started: entries cannot reopen."), code="rounds_started")
    if status == PitchStatus.OPEN.value and competition.event.status == "draft":
        lifecycle.publish_event(actor, competition.event)
    competition.transition(status, actor=actor)
    audit.record(actor, "pitch.status", competition, status=status)
    return competition


def _require_editable(round_: PitchRound) -> None:
    if round_.status != RoundStatus.PENDING.value:
        raise Conflict(_l("A round that has started cannot change its rubric or rule."), code="round_started")


def add_round(actor: User, competition: PitchCompetition, *, name: str, kind: str) -> PitchRound:
    require_run(actor, competition)
    if competition.is_released:
        raise Conflict(_l("The results are released; the competition cannot change."), code="released")
    errors = {}
    name = (name or "").strip()
    if not name or len(name) > 60:
        errors["name"] = _l("Please enter a name.")
    if kind not in {k.value for k in RoundKind}:
        errors["kind"] = _l("Choose the kind of round.")
    if competition.rounds and competition.rounds[-1].is_final:
        errors["kind"] = _l("The final is the last round.")
    if errors:
        raise InvalidInput(fields=errors)
    round_ = PitchRound(competition=competition, position=len(competition.rounds) + 1, name=name, kind=kind)
    db.session.add(round_)
    db.session.flush()
    audit.record(actor, "pitch.round", round_, name=name, kind=kind)
    return round_


def set_rubric(actor: User, round_: PitchRound, criteria: list[dict]) -> list[RoundCriterion]:
    """The round's criteria, [{"name", "weight", "max_score"}]; weights add up to 100."""
    require_run(actor, round_.competition)
    _require_editable(round_)
    errors, rows = {}, []
    for i, item in enumerate(criteria or []):
        name = str(item.get("name") or "").strip()
        weight, top = item.get("weight"), item.get("max_score")
        if not name or len(name) > 120:
            errors[f"criteria.{i}.name"] = _l("Please enter a name.")
        if not isinstance(weight, int) or not 1 <= weight <= 100:
            errors[f"criteria.{i}.weight"] = _l("A weight is a whole number from 1 to 100.")
        if not isinstance(top, int) or not 1 <= top <= MAX_SCORE_LIMIT:
            errors[f"criteria.{i}.max_score"] = _l("A maximum is a whole number from 1 to %(n)s.", n=MAX_SCORE_LIMIT)
        rows.append(RoundCriterion(position=i, name=name[:120], weight=weight, max_score=top))
    if not rows:
        errors["criteria"] = _l("Add at least one criterion.")
    elif not errors and sum(r.weight for r in rows) != 100:
        errors["criteria"] = _l("The weights add up to %(n)s, not 100.", n=sum(r.weight for r in rows))
    if errors:
        raise InvalidInput(fields=errors)
    round_.tie_break_criterion_id = None
    round_.criteria = rows
    db.session.flush()
    audit.record(actor, "pitch.rubric", round_, criteria=[(r.name, r.weight, r.max_score) for r in rows])
    return rows


def set_rule(actor: User, round_: PitchRound, *, rule: str, advance_count: int | None = None,
             threshold: str | Decimal | None = None, tie_break_criterion_id: int | None = None,
             unbroken_tie: str = UnbrokenTie.ALL_ADVANCE.value) -> PitchRound:
    """Who advances from the round: the best `advance_count` (tie at the cut: the higher average
    on the tie-break criterion; a tie that stands: `unbroken_tie`), or everyone scoring at least
    `threshold` of 100."""
    require_run(actor, round_.competition)
    _require_editable(round_)
    errors = {}
    if rule not in {r.value for r in AdvanceRule}:
        errors["rule"] = _l("Choose how entries advance.")
    if rule == AdvanceRule.TOP_N.value and (not isinstance(advance_count, int) or not 1 <= advance_count <= 10000):
        errors["advance_count"] = _l("How many advance: a whole number from 1.")
    value = None
    if rule == AdvanceRule.THRESHOLD.value:
        try:
            value = Decimal(str(threshold)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            value = None
        if value is None or not value.is_finite() or not 0 <= value <= 100:
            errors["threshold"] = _l("The threshold is a score from 0 to 100.")
    if tie_break_criterion_id is not None and tie_break_criterion_id not in {c.id for c in round_.criteria}:
        errors["tie_break_criterion_id"] = _l("Choose a criterion of this round.")
    if unbroken_tie not in {u.value for u in UnbrokenTie}:
        errors["unbroken_tie"] = _l("Choose what happens to a tie that stands.")
    if round_.is_final:
        errors["rule"] = _l("Nobody advances from the final: its ranking gives the awards.")
    if errors:
        raise InvalidInput(fields=errors)
    round_.rule, round_.advance_count, round_.threshold = rule, advance_count, value
    round_.tie_break_criterion_id, round_.unbroken_tie = tie_break_criterion_id, unbroken_tie
    audit.record(actor, "pitch.rule", round_, rule=rule, advance_count=advance_count,
                 threshold=str(value) if value is not None else None, tie_break=tie_break_criterion_id,
                 unbroken_tie=unbroken_tie)
    return round_


def set_judges(actor: User, round_: PitchRound, judges: list[User], chief: User | None = None) -> PitchRound:
    """The round's judges (who score) and its chief judge (who confirms); a judge staying keeps
    the employer fixed on their assignment, a new one brings their profile's."""
    require_run(actor, round_.competition)
    people = list(dict.fromkeys(judges)) + ([chief] if chief is not None else [])
    not_judges = [u.name for u in people if not u.has_role(Role.JUDGE)]
    if not_judges:
        raise InvalidInput(fields={"judges": _l("Not judges: %(names)s.", names="、".join(not_judges))})
    if chief is not None and chief in judges:
        raise InvalidInput(fields={"chief": _l("The chief judge confirms and does not score.")})
    kept = {j.user_id: j for j in round_.judges}
    rows = []
    for user in people:
        row = kept.get(user.id) or RoundJudge(user_id=user.id, employer=user.employer,
                                              organisation_id=resolve_id(user.employer))
        row.chief = chief is not None and user.id == chief.id
        rows.append(row)
    round_.judges = rows
    db.session.flush()
    audit.record(actor, "pitch.judges", round_, judges=[u.id for u in judges], chief=chief.id if chief else None,
                 employers={str(r.user_id): r.employer for r in rows})
    return round_


def competitions_for(user: User) -> list[PitchCompetition]:
    query = sa.select(PitchCompetition).order_by(PitchCompetition.year.desc(), PitchCompetition.id.desc())
    if not user.is_admin:
        query = query.where(PitchCompetition.department_id.in_(user.department_ids or [-1]))
    return list(db.session.scalars(query))


def judged_by(user: User) -> list[PitchRound]:
    return list(db.session.scalars(sa.select(PitchRound).join(RoundJudge)
                                   .where(RoundJudge.user_id == user.id).order_by(PitchRound.id.desc())
                                   .options(joinedload(PitchRound.competition))))  # named on the judge's list


def published_competitions() -> list[PitchCompetition]:
    """The public list: every competition past its draft, newest first."""
    return list(db.session.scalars(sa.select(PitchCompetition)
                                   .where(PitchCompetition.status != PitchStatus.DRAFT.value)
                                   .order_by(PitchCompetition.year.desc(), PitchCompetition.id.desc())
                                   # the list shows each one's department and venue
                                   .options(joinedload(PitchCompetition.department),
                                            joinedload(PitchCompetition.event))))
