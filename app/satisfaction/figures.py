"""What the answers add up to: surveys sent, answered, the response rate and the score (the mean of
every rating given, 1–5), in all or per occasion, kind of occasion or department; and one occasion's
results per question with its comments (anonymous).

Aggregate SQL only: `summary` and `rows` add up each occasion's totals (SatisfactionTally, kept up to
date with its surveys: app/satisfaction/tallies.py) joined to events for the department, one row per
occasion rather than one per person asked, so the plans' dashboard can call them with 100,000 people
in the database (bench/satisfaction_figures.py). `department_ids` None means every department (an administrator
or a leader); the time window is on when the occasion ended, UTC, `start` included and `end` not
(a year in Shanghai: its first moment to the next year's first moment)."""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, has_request_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.accounts.models import Department, User
from app.audit import services as audit
from app.errors import InvalidInput
from app.events.models import Event
from app.extensions import db
from app.satisfaction.models import (
    RATING_MAX,
    RATING_MIN,
    TEXT_KINDS,
    AskedKind,
    OccasionKind,
    SatisfactionSurvey,
    SatisfactionTally,
    SurveyAnswer,
)
from app.satisfaction.occasions import Occasion
from app.satisfaction.sending import require_organiser
from app.timeutil import to_local

S = SatisfactionSurvey
T = SatisfactionTally
BY = ("occasion", "kind", "department")


@dataclass(frozen=True)
class Summary:
    sent: int
    answered: int
    mean: float | None  # the mean of every rating given (1–5); None: nobody answered
    response_rate: float | None  # answered / sent (0–1); None: nothing sent

    @classmethod
    def of(cls, sent, answered, rating_sum, rating_count) -> Summary:
        sent, answered, rating_sum, rating_count = (int(v or 0) for v in (sent, answered, rating_sum, rating_count))
        return cls(sent, answered, rating_sum / rating_count if rating_count else None,
                   answered / sent if sent else None)


@dataclass(frozen=True)
class Row(Summary):
    key: int | str = 0  # the occasion's event id, the kind, or the department's id
    label: str = ""


_TOTALS = (sa.func.sum(T.sent), sa.func.sum(T.answered), sa.func.sum(T.rating_sum), sa.func.sum(T.rating_count))


def _filtered(query, department_ids, start, end, event_ids=None, kind=None):
    if department_ids is not None:
        query = query.where(Event.department_id.in_(department_ids or {-1}))
    if start is not None:
        query = query.where(T.ended_at >= start)
    if end is not None:
        query = query.where(T.ended_at < end)
    if event_ids is not None:
        query = query.where(T.event_id.in_(list(event_ids) or [-1]))
    if kind is not None:
        query = query.where(T.kind == kind)
    return query.where(T.sent > 0)


def _joined(query):
    return query.select_from(T).join(Event, Event.id == T.event_id)


def summary(department_ids: set[int] | None, *, start: datetime | None = None, end: datetime | None = None,
            event_ids: Collection[int] | None = None, kind: str | None = None) -> Summary:
    """The totals of the surveys of these departments' occasions (None: all)."""
    query = sa.select(*_TOTALS)
    query = _joined(query) if department_ids is not None else query.select_from(T)
    return Summary.of(*db.session.execute(_filtered(query, department_ids, start, end, event_ids, kind)).one())


def _text(label) -> str:
    """A label in the request's language, or the site's first language outside a request (a report
    made by a background job)."""
    if has_request_context():
        return str(label)
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "zh_CN")):
        return str(label)


def _row(key, label, sent, answered, rating_sum, rating_count) -> Row:
    s = Summary.of(sent, answered, rating_sum, rating_count)
    return Row(s.sent, s.answered, s.mean, s.response_rate, key=key, label=label)


def rows(department_ids: set[int] | None, *, by: str, start: datetime | None = None,
         end: datetime | None = None) -> list[Row]:
    """The totals per occasion (latest first), per kind or per department (by name)."""
    if by == "occasion":
        query = _joined(sa.select(T.event_id, T.label, T.sent, T.answered, T.rating_sum, T.rating_count)) \
            .order_by(T.ended_at.desc(), T.event_id.desc())
        return [_row(*found) for found in db.session.execute(_filtered(query, department_ids, start, end))]
    if by == "kind":
        query = _joined(sa.select(T.kind, *_TOTALS)).group_by(T.kind)
        found = {kind: totals for kind, *totals in db.session.execute(_filtered(query, department_ids, start, end))}
        return [_row(k.value, _text(k._label), *found[k.value]) for k in OccasionKind if k.value in found]
    if by == "department":
        query = _joined(sa.select(Department.id, Department.name, *_TOTALS)) \
            .join(Department, Department.id == Event.department_id) \
            .group_by(Department.id, Department.name).order_by(Department.name)
        return [_row(key, label, *totals)
                for key, label, *totals in db.session.execute(_filtered(query, department_ids, start, end))]
    raise InvalidInput(_l("Unknown grouping."))



@dataclass
class QuestionResult:
    key: str
    kind: str
    label: str
    answers: int = 0
    rating_sum: int = 0
    distribution: dict = field(default_factory=dict)  # rating (1–5) or choice -> count

    @property
    def mean(self) -> float | None:
        return self.rating_sum / self.answers if self.kind == AskedKind.RATING.value and self.answers else None


def question_results(actor: User, occasion: Occasion) -> list[QuestionResult]:
    """The occasion's ratings and choices per question (the question's latest text), in the order asked."""
    require_organiser(actor, occasion)
    query = (sa.select(SurveyAnswer.question_key, SurveyAnswer.kind, sa.func.min(SurveyAnswer.position),
                       sa.func.max(SurveyAnswer.question), SurveyAnswer.rating, SurveyAnswer.text,
                       sa.func.count(SurveyAnswer.id))
             .join(S, S.id == SurveyAnswer.survey_id)
             .where(S.event_id == occasion.event_id, SurveyAnswer.kind.not_in(TEXT_KINDS))
             .group_by(SurveyAnswer.question_key, SurveyAnswer.kind, SurveyAnswer.rating, SurveyAnswer.text))
    results: dict[tuple, QuestionResult] = {}
    order: dict[tuple, int] = {}
    for key, kind, position, label, rating, text, count in db.session.execute(query):
        result = results.setdefault((key, kind), QuestionResult(key, kind, label))
        order[(key, kind)] = min(order.get((key, kind), position), position)
        result.answers += count
        if kind == AskedKind.RATING.value and rating is not None:
            result.rating_sum += rating * count
            result.distribution[rating] = result.distribution.get(rating, 0) + count
        elif text:
            result.distribution[text] = result.distribution.get(text, 0) + count
    for result in results.values():
        if result.kind == AskedKind.RATING.value:
            result.distribution = {n: result.distribution.get(n, 0) for n in range(RATING_MIN, RATING_MAX + 1)}
    return [results[k] for k in sorted(results, key=lambda k: (order[k], k))]


@dataclass(frozen=True)
class Comment:
    question: str
    text: str
    answered_on: str


def comments(actor: User, occasion: Occasion) -> list[Comment]:
    """The occasion's free-text answers, newest first, without who wrote them; reading them is audited
    (they are what people wrote, if unsigned)."""
    require_organiser(actor, occasion)
    found = db.session.execute(
        sa.select(SurveyAnswer.question, SurveyAnswer.text, S.answered_at).join(S, S.id == SurveyAnswer.survey_id)
        .where(S.event_id == occasion.event_id, SurveyAnswer.kind.in_(TEXT_KINDS), SurveyAnswer.text != "")
        .order_by(S.answered_at.desc(), SurveyAnswer.id.desc())).all()
    result = [Comment(question, text, to_local(at).date().isoformat()) for question, text, at in found]
    if result:
        audit.record(actor, "satisfaction.comments_viewed", None, event_id=occasion.event_id, count=len(result))
    return result


def score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def chart(found: list[Row]) -> dict:
    """For the page's bar chart: per occasion, the score (1–5) and the response rate (%)."""
    shown = [r for r in found if r.sent][:30]
    return {"labels": [r.label for r in shown],
            "datasets": [{"label": str(_l("Score (1–5)")), "axis": "score",
                          "data": [None if r.mean is None else round(r.mean, 2) for r in shown]},
                         {"label": str(_l("Response rate (%)")), "axis": "rate",
                          "data": [None if r.response_rate is None else round(r.response_rate * 100, 1)
                                   for r in shown]}]}
