"""Rosters: appointing a person as a mentor, ambassador or recruiting officer for a term, changing
the appointment, suspending, reinstating and ending it.

Organisers of the member's department (and admins) keep a roster; everyone else is refused. A
person is chosen by their mobile number (their account); one current appointment per kind.
"""
from __future__ import annotations

import secrets
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload

from app import referred
from app.accounts.models import Department, User, organises
from app.accounts.services import find_by_mobile
from app.audit import services as audit
from app.errors import Conflict, InvalidInput, PermissionDenied
from app.extensions import db
from app.inputs import INT_MAX
from app.locking import lock, lock_objects
from app.lookups import get_or_not_found
from app.organisations.models import Organisation, OrganisationStatus
from app.rosters.models import MemberStatus, RosterKind, RosterMember
from app.timeutil import local_today

MAX_TERM_YEARS = 10


# -- permissions ---------------------------------------------------------------------------
def can_manage(user: User | None, member_or_department) -> bool:
    department_id = getattr(member_or_department, "department_id", getattr(member_or_department, "id", None))
    return organises(user, department_id)


def require_manage(user: User, member_or_department) -> None:
    if not can_manage(user, member_or_department):
        raise PermissionDenied(_l("Only organisers of the member's department can do this."))


def kind_of(value: str | None) -> RosterKind:
    try:
        return RosterKind(value)
    except ValueError:
        raise InvalidInput(fields={"kind": _l("Choose mentor, ambassador or recruiting officer.")}) from None


# -- lookups -------------------------------------------------------------------------------
def get_member(member_id: int) -> RosterMember:
    return get_or_not_found(RosterMember, member_id, _l("No such roster member."))


def managed_member(user: User, member_id: int) -> RosterMember:
    member = get_member(member_id)
    require_manage(user, member)
    return member


def members_query(user: User, kind: RosterKind | None = None):
    """The members a user keeps (all for an admin, their departments' for an organiser, none else)."""
    # every list of members names each one's person, organisation and department
    query = (sa.select(RosterMember).join(User, User.id == RosterMember.user_id)
             .options(contains_eager(RosterMember.user), joinedload(RosterMember.organisation),
                      joinedload(RosterMember.department)))
    if kind is not None:
        query = query.where(RosterMember.kind == kind.value)
    if not user.is_admin:
        query = query.where(RosterMember.department_id.in_(user.department_ids or [-1])
                            if user.has_role("organiser") else sa.false())
    return query.order_by(RosterMember.status, User.name, RosterMember.id)


def members_for(user: User, kind: RosterKind | None = None) -> list[RosterMember]:
    return list(db.session.scalars(members_query(user, kind)))


def appointments_of(user: User) -> list[RosterMember]:
    """A person's own appointments, current first."""
    return list(db.session.scalars(sa.select(RosterMember).where(RosterMember.user_id == user.id)
                                   .order_by(RosterMember.status, RosterMember.id.desc())))


def organisation_choices() -> list[Organisation]:
    return list(db.session.scalars(sa.select(Organisation).where(
        Organisation.status == OrganisationStatus.ACTIVE.value).order_by(Organisation.name)))


def person_by_mobile(mobile: str, field: str = "mobile") -> User:
    user = find_by_mobile(mobile)
    if user is None:
        raise InvalidInput(fields={field: _l("No account has this mobile number: they sign up first.")})
    return user


# -- appointing ----------------------------------------------------------------------------
def _validate(term_from, term_to, expertise: str, organisation_id) -> tuple[dict, Organisation | None]:
    errors = {}
    if not isinstance(term_from, date):
        errors["term_from"] = _l("Give the first day of the term.")
    if not isinstance(term_to, date):
        errors["term_to"] = _l("Give the last day of the term.")
    elif isinstance(term_from, date) and (term_to < term_from or term_to.year - term_from.year > MAX_TERM_YEARS):
        errors["term_to"] = _l("The term ends after it starts, within %(n)s years.", n=MAX_TERM_YEARS)
    if len(expertise or "") > 200:
        errors["expertise"] = _l("At most 200 characters.")
    organisation = None
    if organisation_id:
        organisation = db.session.get(Organisation, organisation_id) \
            if isinstance(organisation_id, int) and 0 < organisation_id <= INT_MAX else None
        if organisation is None or organisation.status != OrganisationStatus.ACTIVE.value:
            errors["organisation_id"] = _l("Choose an organisation from the register.")
    return errors, organisation


def new_referral_code() -> str:
    """A code for a link that is shared publicly: random, not derived from the person."""
    alphabet = referred.CODE_ALPHABET
    while True:
        code = "".join(secrets.choice(alphabet) for _ in range(referred.CODE_LENGTH))
        if not db.session.scalar(sa.select(RosterMember.id).where(RosterMember.referral_code == code)):
            return code


def appoint(actor: User, *, kind, user: User, department: Department, term_from: date, term_to: date,
            expertise: str = "", organisation_id: int | None = None) -> RosterMember:
    require_manage(actor, department)
    kind = kind_of(kind)
    errors, organisation = _validate(term_from, term_to, expertise, organisation_id)
    if errors:
        raise InvalidInput(fields=errors)
    lock(User, user.id)  # two organisers appointing the same person at once: one wins
    current = db.session.scalar(sa.select(RosterMember.id).where(
        RosterMember.kind == kind.value, RosterMember.user_id == user.id,
        RosterMember.status != MemberStatus.ENDED.value))
    if current:
        raise Conflict(_l("This person already holds a current appointment of this kind."), code="already_appointed")
    member = RosterMember(kind=kind.value, user=user, department=department, organisation=organisation,
                          expertise=(expertise or "").strip(), term_from=term_from, term_to=term_to,
                          referral_code=new_referral_code() if kind.refers else None, status=None)
    try:
        with db.session.begin_nested():  # the transition adds and flushes the row: the index is the backstop
            member.transition(MemberStatus.ACTIVE, actor=actor, note="appointed")
    except IntegrityError:
        raise Conflict(_l("This person already holds a current appointment of this kind."),
                       code="already_appointed") from None
    audit.record(actor, "roster.appoint", member, kind=kind.value, user=user.id)
    return member


def update_member(actor: User, member: RosterMember, *, term_from: date, term_to: date, expertise: str = "",
                  organisation_id: int | None = None) -> RosterMember:
    require_manage(actor, member)
    if member.status == MemberStatus.ENDED.value:
        raise Conflict(_l("This appointment has ended; appoint the person again for a new term."), code="ended")
    errors, organisation = _validate(term_from, term_to, expertise, organisation_id)
    if errors:
        raise InvalidInput(fields=errors)
    before = {"term_from": member.term_from.isoformat(), "term_to": member.term_to.isoformat(),
              "organisation": member.organisation_id}
    member.term_from, member.term_to = term_from, term_to
    member.expertise, member.organisation = (expertise or "").strip(), organisation
    audit.record(actor, "roster.update", member, before=before,
                 after={"term_from": term_from.isoformat(), "term_to": term_to.isoformat(),
                        "organisation": organisation.id if organisation else None})
    return member


def set_status(actor: User, member: RosterMember, status: str, *, note: str = "") -> RosterMember:
    """Suspend, reinstate or end an appointment (ending is final and dated today)."""
    require_manage(actor, member)
    if status not in {s.value for s in MemberStatus}:
        raise InvalidInput(fields={"status": _l("Choose a status.")})
    note = (note or "").strip()
    if len(note) > 300:
        raise InvalidInput(fields={"note": _l("At most 300 characters.")})
    lock_objects(member, refresh=["status"])
    member.transition(status, actor=actor, note=note)
    if status == MemberStatus.ENDED.value:
        member.ended_on, member.end_note = local_today(), note
    audit.record(actor, f"roster.{status}", member, note=note)
    return member
