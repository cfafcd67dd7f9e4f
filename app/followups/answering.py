"""Answering a survey: through its signed link (no login: it came by SMS) or from "My follow-up
surveys". An answer may be corrected for FOLLOWUP_EDIT_DAYS after it was first given, then it is
final; every version is kept in the audit log (who, when, before → after). An expired survey
(unanswered FOLLOWUP_ANSWER_DAYS after sending) takes no answer.

The employer or company is looked up in the registry (a pick from its suggestions, or a typed name
or code that finds exactly one organisation); a name not in the registry is kept as typed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.errors import Conflict, InvalidInput, NotFound
from app.extensions import db
from app.followups.links import read_token
from app.followups.models import IN_MINHANG, FollowupSurvey, SurveyStatus, Working
from app.followups.sending import deadline
from app.inputs import bounded_int
from app.locking import lock_objects
from app.organisations.linking import LINKABLE_KINDS, canonical, resolve
from app.organisations.models import Organisation, OrganisationStatus
from app.organisations.services import search_query
from app.timeutil import local_today, to_local, utcnow

MAX_FUNDING_WAN = 10_000_000  # 一千亿元: anything above is a typing slip
MAX_TEAM = 100_000
NAMED_EMPLOYER = frozenset(IN_MINHANG) | {Working.OUTSIDE_MINHANG.value}
SUGGESTIONS = 8


def _missing() -> NotFound:
    return NotFound(_l("This survey link is not valid."))


def survey_for_token(token) -> FollowupSurvey:
    value = read_token(token)
    survey = db.session.get(FollowupSurvey, value[0]) if value else None
    if survey is None or survey.user_id != value[1] or survey.status == SurveyStatus.PENDING.value:
        raise _missing()
    return survey


def survey_of(user: User, survey_id) -> FollowupSurvey:
    """One of the person's own surveys (another's is as absent as a missing one)."""
    number = bounded_int(survey_id)
    survey = db.session.get(FollowupSurvey, number) if number is not None else None
    if survey is None or user is None or survey.user_id != getattr(user, "id", None) \
            or survey.status == SurveyStatus.PENDING.value:
        raise _missing()
    return survey


def edit_days() -> int:
    return int(current_app.config.get("FOLLOWUP_EDIT_DAYS") or 30)


def editable_until(survey: FollowupSurvey) -> date | None:
    if survey.answered_at is None:
        return None
    return to_local(survey.answered_at).date() + timedelta(days=edit_days())


def can_answer(survey: FollowupSurvey, today: date | None = None) -> bool:
    today = today or local_today()
    if survey.status == SurveyStatus.SENT.value:
        last = deadline(survey)
        return last is None or today <= last
    if survey.status == SurveyStatus.ANSWERED.value:
        return today <= editable_until(survey)
    return False


def _refusal(survey: FollowupSurvey) -> Conflict:
    if survey.status == SurveyStatus.ANSWERED.value:
        return Conflict(_l("Thank you: your answer is recorded and can no longer be changed."), code="answer_final")
    return Conflict(_l("This survey is closed: it was not answered in time."), code="survey_expired")


def _text(values: dict, key: str, limit: int) -> str:
    value = values.get(key)
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > limit:
        raise InvalidInput(fields={key: _l("At most %(n)s characters.", n=limit)})
    return " ".join(value.split())


def _number(values: dict, key: str, maximum: int, message) -> int | None:
    value = values.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = bounded_int(value.strip() if isinstance(value, str) else value, 0, maximum)
    if number is None:
        raise InvalidInput(fields={key: message})
    return number


def registry_pick(picked, name: str) -> Organisation | None:
    """The registry's organisation for the answer: the suggestion picked (when the name still says
    it), else the typed name or code when it finds exactly one."""
    number = bounded_int(picked) if isinstance(picked, str) and picked.strip() else None
    if number is not None:
        found = canonical(db.session.get(Organisation, number))
        if found is not None and found.status == OrganisationStatus.ACTIVE.value \
                and found.kind in LINKABLE_KINDS and name in (found.name, found.uscc or ""):
            return found
    return resolve(name, name) if name else None


def parse_answer(survey: FollowupSurvey, values: dict) -> dict:
    """The answer's columns from a posted form; refused with a message per field."""
    working = values.get("working")
    if working not in {w.value for w in Working}:
        raise InvalidInput(fields={"working": _l("Choose what you do now.")})
    name = _text(values, "organisation", 200)
    if working in NAMED_EMPLOYER and not name:
        raise InvalidInput(fields={"organisation": _l("Give your employer or your company.")})
    organisation = registry_pick(values.get("organisation_id"), name) if working in NAMED_EMPLOYER else None
    answer = dict(working=working, organisation_id=organisation.id if organisation else None,
                  organisation_name=(organisation.name if organisation and not name else name)
                  if working in NAMED_EMPLOYER else "",
                  note=_text(values, "note", 500), funding_wan=None, team_size=None)
    if survey.founder:  # the founder questions are asked of founders only; anyone else's are ignored
        answer["funding_wan"] = _number(values, "funding_wan", MAX_FUNDING_WAN,
                                        _l("Give the funding in 万元 as a whole number (0 if none)."))
        answer["team_size"] = _number(values, "team_size", MAX_TEAM,
                                      _l("Give the number of people in your team."))
    return answer


def answer(survey: FollowupSurvey, values: dict, *, actor: User | None = None) -> FollowupSurvey:
    """Record (or correct) the person's answer. `actor`: the signed-in person answering from their
    own page (the link's holder otherwise: the link is theirs)."""
    if actor is not None and actor.id != survey.user_id:
        raise _missing()
    if not isinstance(values, dict):
        raise InvalidInput(fields={"working": _l("Choose what you do now.")})
    parsed = parse_answer(survey, values)
    lock_objects(survey, refresh=["status", "answered_at"])
    if not can_answer(survey):
        raise _refusal(survey)
    before = _answers(survey) if survey.status == SurveyStatus.ANSWERED.value else None
    for key, value in parsed.items():
        setattr(survey, key, value)
    if survey.status == SurveyStatus.SENT.value:
        survey.transition(SurveyStatus.ANSWERED, actor=survey.user)
        survey.answered_at = utcnow()
    audit.record(survey.user, "followups.answer", survey, via="page" if actor else "link",
                 answer=_answers(survey), before=before)
    return survey


def _answers(survey: FollowupSurvey) -> dict:
    return {"working": survey.working, "organisation_id": survey.organisation_id,
            "organisation_name": survey.organisation_name, "funding_wan": survey.funding_wan,
            "team_size": survey.team_size, "note": survey.note}


def organisation_suggestions(survey: FollowupSurvey, q) -> list[dict]:
    """Registry organisations a person may name as employer (companies, universities, agencies)."""
    if not can_answer(survey) or not isinstance(q, str):
        return []
    q = q.strip()
    if not 2 <= len(q) <= 60:
        return []
    found = db.session.scalars(search_query(q).where(Organisation.kind.in_(LINKABLE_KINDS)).limit(SUGGESTIONS))
    return [{"id": o.id, "name": o.name} for o in found]


def surveys_of(user: User) -> list[FollowupSurvey]:
    """The person's own surveys, newest first (never the ones not sent)."""
    return list(db.session.scalars(sa.select(FollowupSurvey).where(
        FollowupSurvey.user_id == user.id, FollowupSurvey.status != SurveyStatus.PENDING.value)
        .order_by(FollowupSurvey.due_on.desc(), FollowupSurvey.id.desc())))


@dataclass(frozen=True)
class FollowupAnswer:
    """One answer, as the person's talent record shows it."""
    programme_kind: str
    programme_id: int
    programme: str
    months_after: int
    answered_at: datetime
    working: str
    working_label: str
    in_minhang: bool
    organisation_id: int | None
    employer: str
    funding_wan: int | None
    team_size: int | None


def answers_of(user: User) -> list[FollowupAnswer]:
    """The person's answered surveys, newest first: one source of their talent record."""
    return [FollowupAnswer(s.programme_kind, s.programme_id, s.label, s.months_after, s.answered_at, s.working,
                           s.working_label, s.in_minhang, s.organisation_id, s.employer_text, s.funding_wan,
                           s.team_size)
            for s in db.session.scalars(sa.select(FollowupSurvey).where(
                FollowupSurvey.user_id == user.id, FollowupSurvey.status == SurveyStatus.ANSWERED.value)
                .order_by(FollowupSurvey.answered_at.desc(), FollowupSurvey.id.desc()))]
