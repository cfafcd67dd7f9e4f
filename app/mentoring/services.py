"""Mentoring (延伸服务): organisers pair a roster mentor with founders of a cohort they run (one
mentor, several founders; one active mentor per founder per cohort); the mentor, or the cohort's
trainers and organisers, log sessions; the founder rates each of their own sessions once.

Scope is checked here: organisers act on their department's cohorts only, trainers on their own
cohorts, a mentor on their own founders; what is not theirs is as absent as a missing row.
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.audit import services as audit
from app.cohorts.camps import services as cohorts
from app.cohorts.camps.models import Cohort
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.locking import lock, lock_objects
from app.lookups import get_or_not_found
from app.mentoring.models import RATING_MAX, RATING_MIN, MentoringSession, Pairing, PairingStatus
from app.rosters.models import MemberStatus, RosterKind, RosterMember
from app.timeutil import local_today, utcnow


# -- scope ---------------------------------------------------------------------------------
def require_run(user: User, cohort: Cohort) -> None:
    cohorts.require_run(user, cohort.cycle.programme)


def is_mentor_of(user: User | None, pairing: Pairing) -> bool:
    return bool(user is not None and getattr(user, "id", None) == pairing.mentor.user_id)


def can_log(user: User | None, pairing: Pairing) -> bool:
    return is_mentor_of(user, pairing) or cohorts.can_teach(user, pairing.cohort)


def get_pairing(pairing_id: int) -> Pairing:
    return get_or_not_found(Pairing, pairing_id, _l("No such mentoring pair."))


def visible_pairing(user: User, pairing_id: int) -> Pairing:
    """The pairing, for its mentor, its founder, and the cohort's trainers and organisers."""
    pairing = get_pairing(pairing_id)
    if not (can_log(user, pairing) or pairing.founder_id == getattr(user, "id", None)):
        raise NotFound(_l("No such mentoring pair."))
    return pairing


def get_session(session_id: int) -> MentoringSession:
    return get_or_not_found(MentoringSession, session_id, _l("No such mentoring session."))


def serving_mentors() -> list[RosterMember]:
    """Mentors who may be paired now: active, within their term."""
    found = db.session.scalars(sa.select(RosterMember).where(
        RosterMember.kind == RosterKind.MENTOR.value, RosterMember.status == MemberStatus.ACTIVE.value,
        RosterMember.term_to >= local_today()).order_by(RosterMember.id))
    return list(found)


def mentor_appointments(user: User) -> list[RosterMember]:
    return list(db.session.scalars(sa.select(RosterMember).where(
        RosterMember.kind == RosterKind.MENTOR.value, RosterMember.user_id == user.id)))


# -- pairing -------------------------------------------------------------------------------
def pair(actor: User, cohort: Cohort, mentor: RosterMember | None, founder: User | None, *,
         started_on: date | None = None) -> Pairing:
    require_run(actor, cohort)
    errors = {}
    if mentor is None or mentor.kind != RosterKind.MENTOR.value or not mentor.serving:
        errors["mentor_id"] = _l("Choose a mentor whose appointment is active.")
    enrolled = {e.user_id for e in cohorts.active_enrolments(cohort)}
    if founder is None or founder.id not in enrolled:
        errors["founder_id"] = _l("Choose a founder enrolled in this cohort.")
    if errors:
        raise InvalidInput(fields=errors)
    lock(Cohort, cohort.id)  # pairings of a cohort are decided one at a time
    current = db.session.scalar(sa.select(Pairing).where(
        Pairing.cohort_id == cohort.id, Pairing.founder_id == founder.id,
        Pairing.status == PairingStatus.ACTIVE.value))
    if current is not None:
        raise Conflict(_l("This founder already has a mentor in this cohort: end that pairing first."),
                       code="already_paired")
    pairing = Pairing(cohort=cohort, mentor=mentor, founder=founder, started_on=started_on or local_today(),
                      created_by_id=actor.id, status=None)
    try:
        with db.session.begin_nested():  # the partial unique index is the backstop
            pairing.transition(PairingStatus.ACTIVE, actor=actor, note="paired")
    except IntegrityError:
        raise Conflict(_l("This founder already has a mentor in this cohort: end that pairing first."),
                       code="already_paired") from None
    audit.record(actor, "mentoring.pair", pairing, cohort=cohort.id, mentor=mentor.id, founder=founder.id)
    return pairing


def end_pairing(actor: User, pairing: Pairing, *, note: str) -> Pairing:
    require_run(actor, pairing.cohort)
    note = (note or "").strip()
    if not note or len(note) > 300:
        raise InvalidInput(fields={"note": _l("Say why the pairing ends (at most 300 characters).")})
    lock_objects(pairing, refresh=["status"])
    pairing.transition(PairingStatus.ENDED, actor=actor, note=note)
    pairing.ended_on, pairing.end_note = local_today(), note
    audit.record(actor, "mentoring.end", pairing, note=note)
    return pairing


# -- sessions ------------------------------------------------------------------------------
def log_session(actor: User, pairing: Pairing, *, held_on: date, topic: str, minutes: str = "",
                follow_up: str = "") -> MentoringSession:
    """A session of an active pairing, logged by its mentor or the cohort's trainers or organisers."""
    if not can_log(actor, pairing):
        raise PermissionDenied(_l("Only the founder's mentor and the cohort's trainers can log a session."))
    if not pairing.active:
        raise Conflict(_l("This pairing has ended."), code="pairing_ended")
    errors = {}
    topic = (topic or "").strip()
    if not topic or len(topic) > 200:
        errors["topic"] = _l("Give the topic (at most 200 characters).")
    if not isinstance(held_on, date):
        errors["held_on"] = _l("Give the date of the session.")
    elif held_on > local_today() or held_on < pairing.started_on:
        errors["held_on"] = _l("The session is held between the start of the pairing and today.")
    if len(minutes or "") > 5000 or len(follow_up or "") > 2000:
        errors["minutes"] = _l("The minutes are at most 5000 characters, the follow-up 2000.")
    if errors:
        raise InvalidInput(fields=errors)
    session = MentoringSession(pairing=pairing, held_on=held_on, topic=topic, minutes=(minutes or "").strip(),
                               follow_up=(follow_up or "").strip(), logged_by_id=actor.id)
    db.session.add(session)
    db.session.flush()
    audit.record(actor, "mentoring.session", session, pairing=pairing.id)
    return session


def rate_session(actor: User, session: MentoringSession, *, rating, comment: str = "") -> MentoringSession:
    """The founder's rating of one of their own sessions, once."""
    if session.pairing.founder_id != getattr(actor, "id", None):
        raise NotFound(_l("No such mentoring session."))
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = None
    if value is None or not RATING_MIN <= value <= RATING_MAX:
        raise InvalidInput(fields={"rating": _l("Rate from 1 to 5.")})
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise InvalidInput(fields={"comment": _l("At most 500 characters.")})
    lock_objects(session, refresh=["rating"])  # two tabs rating at once: the first counts
    if session.rating is not None:
        raise Conflict(_l("You have rated this session already."), code="already_rated")
    session.rating, session.rating_comment, session.rated_at = value, comment, utcnow()
    audit.record(actor, "mentoring.rate", session, rating=value)
    return session
