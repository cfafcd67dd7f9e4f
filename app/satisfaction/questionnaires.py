"""The questions asked after each kind of occasion: a template per kind, edited by administrators.

A template is a list of questions {"key", "kind", "label", "required", "choices"}: ratings (1–5,
always required), single choices, short and long texts — the registration questions' kinds that fit
a survey. Until an administrator edits a kind's template, its default is used (four ratings:
overall, content, organisation or venue, usefulness; and one free text). An edit never changes a
stored version: it adds the next one, and surveys already sent keep asking the one they were sent
with (their answers carry the question's text and kind as asked)."""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.audit import services as audit
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.satisfaction.models import AskedKind, OccasionKind, SurveyTemplate

MAX_QUESTIONS = 8
LABEL_MAX = 200
CHOICE_MAX = 100
MAX_CHOICES = 10
TEXT_LIMITS = {AskedKind.TEXT.value: 200, AskedKind.LONG_TEXT.value: 1000}
CHOICE_SEPARATORS = ("；", ";", "|", "\n")

_COMMENT = _l("What should we do better next time? (optional)")
DEFAULTS = {
    OccasionKind.EVENT.value: (
        ("overall", _l("Overall, how satisfied are you with this event?")),
        ("content", _l("The content: speakers, topics and information")),
        ("organisation", _l("The organisation and the venue")),
        ("usefulness", _l("How useful it is for your work or career")),
    ),
    OccasionKind.LESSONS.value: (
        ("overall", _l("Overall, how satisfied are you with the lessons?")),
        ("content", _l("The lecturers and what they taught")),
        ("organisation", _l("The schedule, the organisation and the venue")),
        ("usefulness", _l("How useful the lessons are for your company")),
    ),
    OccasionKind.TRAINEESHIP.value: (
        ("overall", _l("Overall, how satisfied are you with your traineeship?")),
        ("content", _l("The work you did and what you learned")),
        ("organisation", _l("The host's guidance and the bureau's support")),
        ("usefulness", _l("How useful it is for your career")),
    ),
}


def kind_or_404(kind) -> str:
    if kind not in KINDS:
        raise NotFound(_l("No such kind of occasion."))
    return kind


KINDS = tuple(k.value for k in OccasionKind)


def default_questions(kind: str) -> list[dict]:
    """The kind's default questions, worded in the site's first language (they become data)."""
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "zh_CN")):
        questions = [{"key": key, "kind": AskedKind.RATING.value, "label": str(label), "required": True,
                      "choices": []} for key, label in DEFAULTS[kind]]
        questions.append({"key": "comment", "kind": AskedKind.LONG_TEXT.value, "label": str(_COMMENT),
                          "required": False, "choices": []})
    return questions


def latest(kind: str) -> SurveyTemplate | None:
    return db.session.scalar(sa.select(SurveyTemplate).where(SurveyTemplate.kind == kind)
                             .order_by(SurveyTemplate.version.desc()).limit(1))


def current_questions(kind: str) -> list[dict]:
    found = latest(kind)
    return list(found.questions) if found is not None else default_questions(kind)


def current(kind: str) -> SurveyTemplate:
    """The version surveys are sent with now (the default becomes version 1 the first time)."""
    found = latest(kind)
    if found is not None:
        return found
    made = SurveyTemplate(kind=kind, version=1, questions=default_questions(kind))
    try:
        with db.session.begin_nested():
            db.session.add(made)
    except IntegrityError:  # another sender made it first
        return latest(kind)
    return made


def _field(index: int, name: str) -> str:
    return f"{name}_{index}"


def _choices(text: str) -> list[str]:
    for separator in CHOICE_SEPARATORS[:-1]:
        text = text.replace(separator, "\n")
    return [c.strip() for c in text.split("\n") if c.strip()]


def parse(kind: str, values: dict) -> list[dict]:
    """The questions of an edited template from the console's form (rows label_N, kind_N,
    required_N, choices_N, key_N; a row without a label is left out); refused with a message per field."""
    if not isinstance(values, dict):
        raise InvalidInput(_l("Give at least one question."))
    known = {q["key"] for q in current_questions(kind)}
    questions, used, errors = [], set(), {}
    for index in range(MAX_QUESTIONS):
        label = values.get(_field(index, "label"))
        if not isinstance(label, str) or not label.strip():
            continue
        label = " ".join(label.split())
        asked = values.get(_field(index, "kind"))
        if len(label) > LABEL_MAX:
            errors[_field(index, "label")] = _l("At most %(n)s characters.", n=LABEL_MAX)
        if asked not in {k.value for k in AskedKind}:
            errors[_field(index, "kind")] = _l("Choose the kind of question.")
            continue
        choices = []
        if asked == AskedKind.SINGLE.value:
            raw = values.get(_field(index, "choices"))
            choices = _choices(raw) if isinstance(raw, str) else []
            if not 2 <= len(choices) <= MAX_CHOICES or len(set(choices)) != len(choices) \
                    or any(len(c) > CHOICE_MAX for c in choices):
                errors[_field(index, "choices")] = _l(
                    "Give %(min)s to %(max)s different choices, separated by semicolons.", min=2, max=MAX_CHOICES)
        key = values.get(_field(index, "key"))
        if not isinstance(key, str) or key not in known or key in used:
            key = next(f"q{n}" for n in range(1, 100) if f"q{n}" not in known | used)
        used.add(key)
        required = asked == AskedKind.RATING.value or values.get(_field(index, "required")) in ("y", "on", "1")
        questions.append({"key": key, "kind": asked, "label": label, "required": required, "choices": choices})
    if errors:
        raise InvalidInput(fields=errors)
    if not any(q["kind"] == AskedKind.RATING.value for q in questions):
        raise InvalidInput(fields={_field(0, "kind"): _l(
            "A survey needs at least one rating question (1–5): the scores are made of them.")})
    return questions


def edit(actor: User, kind: str, values: dict) -> SurveyTemplate:
    """Save an administrator's edit as the kind's next version (an unchanged form saves nothing)."""
    if actor is None or not getattr(actor, "is_admin", False):
        raise PermissionDenied(_l("Only administrators edit the survey templates."))
    kind = kind_or_404(kind)
    questions = parse(kind, values)
    found = latest(kind)
    if questions == current_questions(kind) and found is not None:
        return found
    made = SurveyTemplate(kind=kind, version=(found.version + 1) if found is not None else 1,
                          questions=questions, created_by_id=actor.id)
    try:
        with db.session.begin_nested():
            db.session.add(made)
    except IntegrityError:  # another administrator saved this version meanwhile
        raise Conflict(_l("Someone else saved these questions meanwhile: open them again and redo your change."),
                       code="template_changed") from None
    audit.record(actor, "satisfaction.template", made, kind=kind, version=made.version,
                 questions=[q["label"] for q in questions])
    return made
