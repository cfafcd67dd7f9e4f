"""Roster lists issue as many statements at 200 rows as at 10 (issue 19): the organisers' list and
its export (200 members), the ambassador's own page (200 registrations through the link)."""
from __future__ import annotations

from datetime import date

from app.extensions import db
from app.rosters.models import RosterMember
from tests.conftest import login
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
