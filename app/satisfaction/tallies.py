"""Each occasion's totals (SatisfactionTally), added to in the transaction that sends a survey or
records an answer, with one atomic UPDATE (two answers at once both count); and `recount`, which
rebuilds them from the surveys (after a bulk load, or should a row ever be deleted by hand)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.satisfaction.models import SatisfactionSurvey, SatisfactionTally

T = SatisfactionTally


def _ensure(event_id: int, kind: str, label: str, ended_at) -> None:
    if db.session.get(T, event_id) is not None:
        return
    try:
        with db.session.begin_nested():
            db.session.add(T(event_id=event_id, kind=kind, label=label[:200], ended_at=ended_at))
    except IntegrityError:  # another sender made it first
        pass


def add(occasion, *, sent: int) -> None:
    _ensure(occasion.event_id, occasion.kind, occasion.label, occasion.ended_at)
    db.session.execute(sa.update(T).where(T.event_id == occasion.event_id).values(sent=T.sent + sent),
                       execution_options={"synchronize_session": False})


def add_answer(survey: SatisfactionSurvey) -> None:
    _ensure(survey.event_id, survey.kind, survey.label, survey.ended_at)
    db.session.execute(sa.update(T).where(T.event_id == survey.event_id).values(
        answered=T.answered + 1, rating_sum=T.rating_sum + survey.rating_sum,
        rating_count=T.rating_count + survey.rating_count), execution_options={"synchronize_session": False})


def recount() -> int:
    """Rebuild every occasion's totals from its surveys; the number of occasions."""
    S = SatisfactionSurvey
    db.session.execute(sa.delete(T))
    db.session.execute(sa.insert(T).from_select(
        ["event_id", "kind", "label", "ended_at", "sent", "answered", "rating_sum", "rating_count"],
        sa.select(S.event_id, sa.func.min(S.kind), sa.func.min(S.label), sa.func.min(S.ended_at),
                  sa.func.count(S.id), sa.func.count(S.answered_at), sa.func.sum(S.rating_sum),
                  sa.func.sum(S.rating_count)).group_by(S.event_id)))
    return db.session.scalar(sa.select(sa.func.count()).select_from(T))


def differences() -> list[int]:
    """The occasions whose totals differ from their surveys (none, unless something went around them)."""
    S = SatisfactionSurvey
    actual = {row[0]: tuple(int(v or 0) for v in row[1:]) for row in db.session.execute(
        sa.select(S.event_id, sa.func.count(S.id), sa.func.count(S.answered_at), sa.func.sum(S.rating_sum),
                  sa.func.sum(S.rating_count)).group_by(S.event_id))}
    kept = {t.event_id: (t.sent, t.answered, t.rating_sum, t.rating_count) for t in db.session.scalars(sa.select(T))}
    return sorted(k for k in actual.keys() | kept.keys() if actual.get(k, (0, 0, 0, 0)) != kept.get(k, (0, 0, 0, 0)))
