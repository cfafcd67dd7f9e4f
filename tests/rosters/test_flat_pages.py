"""Roster lists issue as many statements at 200 rows as at 10 (issue 19): the organisers' list and
its export (200 members), the ambassador's own page (200 registrations through the link), and one
member's page (200 registrations credited to their link, 200 appointment letters)."""
from __future__ import annotations

import secrets
from datetime import date, timedelta

from app.certificates.models import Certificate
from app.extensions import db
from app.rosters.letters import SUBJECT_TYPE
from app.rosters.models import RosterMember
from app.timeutil import utcnow
from tests.conftest import login
from tests.fixtures import next_number
from tests.fixtures.list_rows import people, registrations


def _members(kind: str, department, organisation):
    def add(n: int) -> None:
        db.session.add_all(RosterMember(kind=kind, user_id=u.id, department_id=department.id,
                                        organisation_id=organisation.id, expertise="跨境电商",
                                        term_from=date(2026, 1, 1), term_to=date(2030, 12, 31), status="active",
                                        referral_code=f"R{u.id:07d}" if kind != "mentor" else None)
                           for u in people(n))
        db.session.commit()
    return add


def test_roster_list(client, admin, departments, create_organisation, flat_in_rows):
    login(client, admin)
    add = _members("ambassador", departments["talent_center"], create_organisation())
    flat_in_rows(client, "/console/rosters/?kind=ambassador", add=add)


def test_roster_export(client, admin, departments, create_organisation, flat_in_rows):
    login(client, admin)
    add = _members("mentor", departments["talent_center"], create_organisation())
    flat_in_rows(client, "/console/rosters/export.xlsx?kind=mentor", add=add)


def test_my_referrals(client, appoint, create_event, flat_in_rows):
    member = appoint("ambassador")
    event = create_event()
    login(client, member.user)
    flat_in_rows(client, "/me/referrals", add=lambda n: registrations(event, n, referral_code=member.referral_code))


def test_member_page_in_credited_registrations(client, appoint, create_event, flat_in_rows):
    member = appoint("ambassador")
    event = create_event()
    login(client, member.organiser)
    flat_in_rows(client, f"/console/rosters/{member.id}",
                 add=lambda n: registrations(event, n, referral_code=member.referral_code))


def test_member_page_in_letters(client, appoint, flat_in_rows):
    """Reissued letters stay listed, each superseding the one before (or revoked): one row each."""
    member = appoint("officer")
    login(client, member.organiser)
    ids = (member.id, member.user_id, member.user.name, member.department_id)
    chain: list[Certificate] = []

    def add(n: int) -> None:
        member_id, user_id, name, department_id = ids
        now = utcnow()
        for _ in range(n):
            i = len(chain)
            chain.append(Certificate(
                serial=f"MH-2026-PS-{next_number():06d}", code=secrets.token_urlsafe(15), kind="appointment",
                subject_type=SUBJECT_TYPE, subject_id=member_id, recipient_id=user_id, recipient_name=name,
                title="聘书", programme="闵行区引才专员", issued_on=date(2026, 1, 1) + timedelta(days=i % 300),
                issuer_department_id=department_id, issuer_name="闵行区人才服务中心", version=i + 1,
                supersedes=chain[-1] if chain else None, revoked_at=now if i % 5 == 4 else None))
            if i:
                chain[-2].superseded_at = now
        db.session.add_all(chain[-n:])
        db.session.commit()

    flat_in_rows(client, f"/console/rosters/{member.id}", add=add)
