"""The demo registry: 30 organisations of every kind (valid codes), stations and host companies for
the traineeships' demo, people and events linked to them, station counts with events."""
from __future__ import annotations

import sqlalchemy as sa

from app.accounts.models import User
from app.cohorts.camps.models import Enrolment
from app.competitions.models import JudgeAssignment
from app.demo.loader import load_demo
from app.demo.organisations import demo_hosts, demo_universities
from app.events.models import EventOrganisation
from app.extensions import db
from app.organisation_pages.sections import fill
from app.organisation_pages.stations import station_counts
from app.organisations.models import Organisation
from app.organisations.uscc import validate_uscc
from app.studios.models import Studio


def test_demo_registry_and_its_links(app, db_session):
    load_demo(participants=40, seed=2026, echo=lambda *a, **k: None)
    organisations = list(db.session.scalars(sa.select(Organisation)))
    kinds = {}
    for o in organisations:
        kinds[o.kind] = kinds.get(o.kind, 0) + 1
    assert len(organisations) == 30
    assert kinds == {"company": 7, "host_company": 8, "university": 6, "agency": 2, "partner_region": 7}
    assert all(validate_uscc(o.uscc) for o in organisations if o.kind in ("company", "host_company"))
    assert {o.in_minhang for o in organisations if o.kind == "company"} == {True, False}
    hosts, universities = demo_hosts(), demo_universities()
    assert len(hosts) == 8 and all(h.base_status == "approved" and h.base_places_per_year for h in hosts)
    assert len(universities) == 6 and all(u.station_signed_on and u.station_contact for u in universities)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Studio).where(
        Studio.master_organisation_id.is_not(None))) == 3
    assert db.session.scalar(sa.select(sa.func.count()).select_from(JudgeAssignment).where(
        JudgeAssignment.organisation_id.is_not(None))) >= 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment).where(
        Enrolment.organisation_id.is_not(None))) >= 1
    roles = set(db.session.scalars(sa.select(EventOrganisation.role)))
    assert roles == {"co_organiser", "participant", "host_university"}
    admin = db.session.scalar(sa.select(User).where(User.email == "admin@minhang.example"))
    stations = {s.university.name: s for s in station_counts(admin)}
    assert stations["上海交通大学"].total.events >= 1
    sections = {f.section.key: f.count for f in fill(universities[0])}
    assert sections["events"] >= 2
    event_links = db.session.scalar(sa.select(sa.func.count()).select_from(EventOrganisation))
    load_demo(participants=40, seed=2026, echo=lambda *a, **k: None)  # a second run adds nothing
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 30
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EventOrganisation)) == event_links
