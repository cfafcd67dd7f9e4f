"""Targeted invitations: partner universities (each with its own link, which its career office
forwards to students) and lists of people. An invited-only event takes registrations only
through here; registration itself refuses everyone else (`register(invited=...)`)."""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.accounts.services import find_by_mobile
from app.audit import services as audit
from app.errors import InvalidInput, NotFound
from app.events.models import Event
from app.events.services import require_manage
from app.extensions import db
from app.locking import lock
from app.online.models import PersonInvitation, UniversityInvitation
from app.online.notices import notify_invited
from app.organisations.models import Organisation, OrganisationKind
from app.referred import CODE_ALPHABET, CODE_LENGTH, normalise
from app.registrations import services as reg
from app.registrations.models import Registration
from app.registrations.registering import NotInvited
from app.spreadsheets import sheet_rows

MAX_LIST = 2000


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def invite_universities(actor: User, event: Event, organisation_ids: list[int]) -> list[UniversityInvitation]:
    """Invite partner universities of the registry; one invitation (and link) each, kept if invited before."""
    require_manage(actor, event)
    wanted = sorted(set(organisation_ids))
    if not wanted:
        raise InvalidInput(fields={"organisation_ids": _l("Choose at least one university.")})
    found = db.session.scalars(sa.select(Organisation).where(
        Organisation.id.in_(wanted), Organisation.kind == OrganisationKind.UNIVERSITY.value,
        Organisation.merged_into_id.is_(None))).all()
    if len(found) != len(wanted):
        raise InvalidInput(fields={"organisation_ids": _l("Choose universities of the organisations registry.")})
    lock(Event, event.id)
    existing = {i.organisation_id: i for i in db.session.scalars(
        sa.select(UniversityInvitation).where(UniversityInvitation.event_id == event.id))}
    made = []
    for organisation in found:
        if organisation.id in existing:
            continue
        invitation = UniversityInvitation(event_id=event.id, organisation_id=organisation.id, code=_new_code(),
                                          created_by_id=actor.id)
        db.session.add(invitation)
        made.append(invitation)
    db.session.flush()
    audit.record(actor, "online.universities.invited", event, organisations=[o.id for o in found])
    return made


def university_invitations(event: Event) -> list[UniversityInvitation]:
    # the console lists each invited university by name
    return list(db.session.scalars(sa.select(UniversityInvitation).where(UniversityInvitation.event_id == event.id)
                                   .options(joinedload(UniversityInvitation.organisation))
                                   .order_by(UniversityInvitation.id)))


def invitation_by_code(code: str | None, *, opened: bool = False) -> UniversityInvitation:
    """A university's invitation from its link; `opened` counts one opening of the link."""
    value = normalise(code)
    invitation = db.session.scalar(sa.select(UniversityInvitation).where(UniversityInvitation.code == value)) \
        if value else None
    if invitation is None:
        raise NotFound(_l("This invitation link is not valid."), code="invitation_not_found")
    if opened:
        db.session.execute(sa.update(UniversityInvitation).where(UniversityInvitation.id == invitation.id)
                           .values(opens=UniversityInvitation.opens + 1))
    return invitation


def invite_people(actor: User, event: Event, mobiles_text: str) -> list[PersonInvitation]:
    """Invite the people whose mobile numbers are listed (one a line); all or nothing: an unknown
    number refuses the whole list with its line, nothing is invited."""
    require_manage(actor, event)
    lines = [line.strip() for line in (mobiles_text or "").splitlines()]
    numbered = [(n, line) for n, line in enumerate(lines, start=1) if line]
    if not numbered:
        raise InvalidInput(fields={"mobiles": _l("Paste at least one mobile number.")})
    return _invite(actor, event, numbered, "mobiles", lambda lines: _l(
        "No account has the mobile number on line(s) %(lines)s; nobody was invited.", lines=lines))


def invite_people_from_sheet(actor: User, event: Event, data: bytes) -> list[PersonInvitation]:
    """The same from a workbook (a clerk's list, mobile numbers in the first column under a
    header); all or nothing, an unknown number named by its row."""
    require_manage(actor, event)
    rows, too_many = sheet_rows(data, 1, MAX_LIST)
    numbered = [(number, cells[0]) for number, cells in rows if cells[0]]
    if too_many:
        raise InvalidInput(fields={"file": _l("At most %(n)s people at a time.", n=MAX_LIST)})
    if not numbered:
        raise InvalidInput(fields={"file": _l("The sheet has no mobile numbers below its header row.")})
    return _invite(actor, event, numbered, "file", lambda rows: _l(
        "No account has the mobile number in row(s) %(rows)s; nobody was invited.", rows=rows))


def _invite(actor: User, event: Event, numbered: list[tuple[int, str]], field: str,
            unknown) -> list[PersonInvitation]:
    if len(numbered) > MAX_LIST:
        raise InvalidInput(fields={field: _l("At most %(n)s people at a time.", n=MAX_LIST)})
    people, missing = [], []
    for number, line in numbered:
        user = find_by_mobile(line)
        if user is None:
            missing.append(str(number))
        else:
            people.append(user)
    if missing:
        raise InvalidInput(fields={field: unknown(", ".join(missing[:20]))})
    already = set(db.session.scalars(sa.select(PersonInvitation.user_id).where(
        PersonInvitation.event_id == event.id)))
    made = []
    for user in people:
        if user.id in already:
            continue
        already.add(user.id)
        invitation = PersonInvitation(event_id=event.id, user_id=user.id, invited_by_id=actor.id)
        db.session.add(invitation)
        made.append(invitation)
        notify_invited(user, event)
    db.session.flush()
    audit.record(actor, "online.people.invited", event, count=len(made))
    return made


def person_invitation(user: User, event: Event) -> PersonInvitation | None:
    return db.session.scalar(sa.select(PersonInvitation).where(
        PersonInvitation.event_id == event.id, PersonInvitation.user_id == user.id))


def my_invitations(user: User) -> list[PersonInvitation]:
    return list(db.session.scalars(sa.select(PersonInvitation).where(PersonInvitation.user_id == user.id)
                                   .order_by(PersonInvitation.id.desc())
                                   .options(joinedload(PersonInvitation.event))))  # the page lists the events


def register_invited(user: User, event: Event, *, code: str | None = None, answers: dict | None = None,
                     session_ids=None) -> Registration:
    """Register through an invitation: a university's link (`code`, recorded for that university)
    or the person's own invitation. Without either an invited-only event refuses (not_invited)."""
    invitation = person_invitation(user, event)
    if code is not None:
        university = invitation_by_code(code)
        if university.event_id != event.id:
            raise NotInvited()
        if invitation is None:
            invitation = PersonInvitation(event_id=event.id, user_id=user.id, university_invitation_id=university.id)
            db.session.add(invitation)
        elif invitation.university_invitation_id is None:
            invitation.university_invitation_id = university.id
    if invitation is None:
        if event.invited_only:
            raise NotInvited()
        return reg.register(user, event, answers, session_ids)
    # A confirmed seat's notice carries the join link (inbox, SMS, mail): app.registrations.notices.
    return reg.register(user, event, answers, session_ids, invited=True)


def partner_universities() -> list[Organisation]:
    """The registry's universities an organiser may invite (merged duplicates are not offered)."""
    return list(db.session.scalars(sa.select(Organisation).where(
        Organisation.kind == OrganisationKind.UNIVERSITY.value, Organisation.merged_into_id.is_(None))
        .order_by(Organisation.name)))
