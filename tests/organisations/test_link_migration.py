"""The data step of migration bb14ln000001: rows typed before it are linked to the registry by the
same rule as new ones (code, then a normalised name no other organisation shares); the rest stay."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from app.extensions import db
from app.organisations.employees import EmployerLink
from app.timeutil import utcnow

MIGRATION = Path(__file__).parents[2] / "migrations" / "versions" / "bb14ln000001_organisation_links.py"


def link_existing():
    spec = importlib.util.spec_from_file_location("organisation_links_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.link_existing


def test_existing_rows_are_linked(db_session, create_organisation, contest, enter, create_studio, create_user):
    from tests.fixtures.competitions import JUDGE_EMPLOYERS

    entry = enter(employer="上海颐家养老服务（闵行）有限公司")
    master = create_user("trainer", name="顾国华", employer="上海莘科精密机械有限公司")
    studio = create_studio(master=master)
    stranger = create_user(employer="上海不在册有限公司")
    assert entry.organisation_id is None and studio.master_organisation_id is None
    care = create_organisation(name="上海颐家养老服务有限公司")
    works = create_organisation(name="上海莘科精密机械有限公司")
    hospital = create_organisation(kind="agency", name=JUDGE_EMPLOYERS[1])
    link_existing()(db.session.connection())
    db_session.expire_all()
    assert entry.organisation_id == care.id and studio.master_organisation_id == works.id
    assert {a.user_id: a.organisation_id for a in contest.category.assignments}[contest.judges[1].id] == hospital.id
    assert db_session.get(EmployerLink, master.id).organisation_id == works.id
    assert db_session.get(EmployerLink, stranger.id) is None
    assert abs((db_session.get(EmployerLink, master.id).linked_at - utcnow()).total_seconds()) < 60
