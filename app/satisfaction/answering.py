"""Answering a survey: through its signed link (no login: it came by SMS, opened inside WeChat) or
from "My surveys". The questions are the ones the survey was sent with; an answer is given once
(answering again is refused, and changes nothing), until the survey closes."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.errors import Conflict, InvalidInput, NotFound
from app.extensions import db
from app.inputs import bounded_int
from app.locking import lock_objects
from app.satisfaction.models import (
    RATING_MAX,
    RATING_MIN,
    TEXT_KINDS,
    AskedKind,
    SatisfactionSurvey,
    SurveyAnswer,
)
from app.satisfaction.questionnaires import TEXT_LIMITS
from app.satisfaction.sending import read_token
from app.timeutil import utcnow


def _missing() -> NotFound:
    return NotFound(_l("This survey link is not valid."))


def survey_for_token(token) -> SatisfactionSurvey:
    value = read_token(token)
    survey = db.session.get(SatisfactionSurvey, value[0]) if value else None
    if survey is None or survey.user_id != value[1]:
        raise _missing()
    return survey


def survey_of(user: User | None, survey_id) -> SatisfactionSurvey:
    """One of the person's own surveys (another's is as absent as a missing one)."""
    number = bounded_int(survey_id)
    survey = db.session.get(SatisfactionSurvey, number) if number is not None else None
    if survey is None or user is None or survey.user_id != getattr(user, "id", None):
        raise _missing()
    return survey


def questions(survey: SatisfactionSurvey) -> list[dict]:
    return list(survey.template.questions)


def field_name(question: dict) -> str:
    return f"q_{question['key']}"


def _refusal(survey: SatisfactionSurvey) -> Conflict:
    if survey.answered_at is not None:
        return Conflict(_l("You have already answered this survey: thank you. An answer cannot be changed."),
                        code="already_answered")
    return Conflict(_l("This survey is closed: it could be answered for two weeks after it was sent."),
                    code="survey_closed")


def parse(survey: SatisfactionSurvey, values: dict) -> list[SurveyAnswer]:
    """The answers from a posted form (refused with a message per question)."""
    if not isinstance(values, dict):
        values = {}
    answers, errors = [], {}
    for position, question in enumerate(questions(survey)):
        name, kind = field_name(question), question["kind"]
        raw = values.get(name)
        raw = raw.strip() if isinstance(raw, str) else None
        answer = SurveyAnswer(position=position, question_key=question["key"], kind=kind,
                              question=question["label"][:200], text="")
        if kind == AskedKind.RATING.value:
            number = bounded_int(raw, RATING_MIN, RATING_MAX) if raw and raw.isdigit() and len(raw) == 1 else None
            if number is None:
                errors[name] = _l("Choose a score from %(low)s to %(high)s.", low=RATING_MIN, high=RATING_MAX)
                continue
            answer.rating = number
        elif kind == AskedKind.SINGLE.value:
            if raw and raw not in question.get("choices") or (not raw and question.get("required")):
                errors[name] = _l("Choose one of the answers.")
                continue
            answer.text = raw or ""
        elif kind in TEXT_KINDS:
            limit = TEXT_LIMITS[kind]
            text = raw or ""
            if len(text) > limit:
                errors[name] = _l("At most %(n)s characters.", n=limit)
                continue
            if not text and question.get("required"):
                errors[name] = _l("Please answer this question.")
                continue
            answer.text = text
        else:
            continue
        answers.append(answer)
    if errors:
        raise InvalidInput(fields=errors)
    return answers


def answer(survey: SatisfactionSurvey, values: dict, *, actor: User | None = None,
           now: datetime | None = None) -> SatisfactionSurvey:
    """Record the person's answer. `actor`: the signed-in person answering from their own page
    (the link's holder otherwise: the link is theirs)."""
    if actor is not None and actor.id != survey.user_id:
        raise _missing()
    now = now or utcnow()
    lock_objects(survey, refresh=["answered_at"])
    if not survey.is_open(now):
        raise _refusal(survey)
    answers = parse(survey, values)
    survey.answers = answers
    survey.answered_at = now
    ratings = [a.rating for a in answers if a.rating is not None]
    survey.rating_sum, survey.rating_count = sum(ratings), len(ratings)
    audit.record(survey.user, "satisfaction.answer", survey, via="page" if actor else "link")
    return survey


def surveys_of(user: User) -> list[SatisfactionSurvey]:
    """The person's own surveys, newest first."""
    return list(db.session.scalars(sa.select(SatisfactionSurvey).where(SatisfactionSurvey.user_id == user.id)
                                   .order_by(SatisfactionSurvey.sent_at.desc(), SatisfactionSurvey.id.desc())))
