"""Answers to an event's questions and picked agenda sessions, checked before anything is stored."""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.errors import InvalidInput
from app.events.models import NUMBER_BOUND, Event, EventSession, Question, QuestionKind
from app.extensions import db
from app.registrations.models import ACTIVE_STATUSES, Registration, RegistrationAnswer


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def clean_answer(question: Question, raw):
    """The stored form of one answer, or InvalidInput's message for it."""
    kind = question.kind_enum
    if _empty(raw):
        if question.required:
            raise ValueError(_l("This question must be answered."))
        return None
    if kind in (QuestionKind.TEXT, QuestionKind.LONG_TEXT):
        if not isinstance(raw, str):
            raise ValueError(_l("Please answer with text."))
        limit = question.text_limit
        if len(raw.strip()) > limit:
            raise ValueError(_l("At most %(n)s characters.", n=limit))
        return raw.strip()
    if kind == QuestionKind.SINGLE:
        if not isinstance(raw, str) or raw not in question.choice_labels:
            raise ValueError(_l("Choose one of the listed options."))
        return raw
    if kind == QuestionKind.MULTIPLE:
        values = [raw] if isinstance(raw, str) else raw
        if not isinstance(values, list) or any(v not in question.choice_labels for v in values):
            raise ValueError(_l("Choose among the listed options."))
        return [label for label in question.choice_labels if label in values]
    if kind == QuestionKind.NUMBER:
        if isinstance(raw, bool):
            raise ValueError(_l("Please enter a number."))
        try:
            number = Decimal(str(raw).strip())
        except InvalidOperation:
            raise ValueError(_l("Please enter a number.")) from None
        if not number.is_finite() or abs(number) > NUMBER_BOUND:
            raise ValueError(_l("Please enter a number."))
        low, high = question.min_value, question.max_value
        if (low is not None and number < low) or (high is not None and number > high):
            raise ValueError(question.limits_hint)
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == QuestionKind.DATE:
        try:
            return date.fromisoformat(str(raw).strip()).isoformat()
        except ValueError:
            raise ValueError(_l("Please enter a date like 2026-05-18.")) from None
    raise ValueError(_l("Unknown question."))


def clean_answers(event: Event, answers: dict | None) -> dict[int, object]:
    """Validate all answers at once, so a form shows every problem together."""
    answers = answers or {}
    if not isinstance(answers, dict):
        raise InvalidInput(fields={"answers": _l("Answers must be an object keyed by question id.")})
    if not event.has_questions and not answers:
        return {}
    by_id = {str(q.id): q for q in event.questions}
    errors, cleaned = {}, {}
    for key in answers:
        if str(key) not in by_id:
            errors[f"answers.{key}"] = _l("No such question in this event.")
    for key, question in by_id.items():
        try:
            value = clean_answer(question, answers.get(key, answers.get(question.id)))
        except ValueError as exc:
            errors[f"answers.{key}"] = exc.args[0]
        else:
            if value is not None:
                cleaned[question.id] = value
    if errors:
        raise InvalidInput(fields=errors)
    return cleaned


def clean_picked_sessions(event: Event, session_ids) -> list[EventSession]:
    """The sessions of a change: at least one when the event has an agenda (unlike registering,
    where no pick means the whole agenda, an empty pick here would be a slip of the thumb)."""
    sessions = clean_sessions(event, session_ids)
    if event.has_sessions and not sessions:
        raise InvalidInput(fields={"sessions": _l("Choose at least one session.")})
    return sessions


def check_choice_limits(event: Event, cleaned: dict[int, object], exclude_registration: int | None) -> None:
    """Per-choice limits (e.g. 'lunch: 80'); called under the event lock."""
    if not event.has_questions:
        return
    limited = {q.id: q.limited_choices for q in event.questions if q.limited_choices}
    wanted = {qid: (v if isinstance(v, list) else [v]) for qid, v in cleaned.items() if qid in limited}
    if not any(set(v) & set(limited[qid]) for qid, v in wanted.items()):
        return
    rows = db.session.execute(
        sa.select(RegistrationAnswer.question_id, RegistrationAnswer.value)
        .join(Registration, Registration.id == RegistrationAnswer.registration_id)
        .where(Registration.event_id == event.id, Registration.status.in_(ACTIVE_STATUSES),
               RegistrationAnswer.question_id.in_(list(wanted)),
               Registration.id != (exclude_registration or -1)))
    taken: dict[tuple[int, str], int] = {}
    for qid, value in rows:
        for label in value if isinstance(value, list) else [value]:
            taken[(qid, label)] = taken.get((qid, label), 0) + 1
    errors = {}
    for qid, labels in wanted.items():
        for label in labels:
            limit = limited[qid].get(label)
            if limit is not None and taken.get((qid, label), 0) >= limit:
                errors[f"answers.{qid}"] = _l("“%(choice)s” is fully taken; please choose another option.",
                                              choice=label)
    if errors:
        raise InvalidInput(fields=errors)


def clean_sessions(event: Event, session_ids) -> list[EventSession]:
    if not session_ids:
        return []
    by_id = {s.id: s for s in event.sessions}
    try:
        wanted = {int(s) for s in session_ids}
    except (TypeError, ValueError):
        raise InvalidInput(fields={"sessions": _l("Unknown session.")}) from None
    if not wanted <= set(by_id):
        raise InvalidInput(fields={"sessions": _l("Unknown session.")})
    return [by_id[i] for i in sorted(wanted)]
