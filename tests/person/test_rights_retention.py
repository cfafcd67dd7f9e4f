"""Retention: participants inactive RETENTION_YEARS after their last occasion are listed (dry run)
and anonymised; staff, the recently active and people with occasions to come are untouched."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.person.rights import retention
from app.timeutil import utcnow
from tests.fixtures.accounts import login

YEAR = timedelta(days=365)


@pytest.fixture
def people(db_session, create_user, create_event, create_registration):
    """Who is and is not due with the default 3 years."""
    def attended(user, ago):
        event = create_event()
        create_registration(event, user)
        event.starts_at = utcnow() - ago
        event.ends_at = event.starts_at + timedelta(hours=3)
        return event

    old = create_user(name="久未参加", mobile="13700000101")
    attended(old, 4 * YEAR)
    never = create_user(name="从未参加", email="never@example.org", mobile=None)
    never.created_at = utcnow() - 5 * YEAR
    recent = create_user(name="近期参加")
    attended(recent, 4 * YEAR)
    attended(recent, 1 * YEAR)
    coming = create_user(name="即将参加")
    attended(coming, 4 * YEAR)
    create_registration(create_event(), coming)  # next week
    staff = create_user("organiser", name="老员工")
    staff.created_at = utcnow() - 6 * YEAR
    attended(staff, 5 * YEAR)
    new = create_user(name="新注册")
    db_session.commit()
    return {"old": old, "never": never, "recent": recent, "coming": coming, "staff": staff, "new": new}


def test_dry_run_lists_only_the_inactive_masked(app, db_session, people):
    with app.test_request_context():
        due = retention.due()
    assert [d.user_id for d in due] == [people["never"].id, people["old"].id]
    never, old = due
    assert never.by_sign_up and not old.by_sign_up
    assert old.login_masked == "137****0101" and never.login_masked != "never@example.org"
    assert db_session.get(User, people["old"].id).name == "久未参加"  # a dry run changes nothing


def test_run_anonymises_them_and_leaves_the_others(app, db_session, people, admin):
    with app.test_request_context():
        erased = retention.run(admin)
        db_session.commit()
    assert sorted(erased) == sorted([people["old"].id, people["never"].id])
    db_session.expire_all()
    for key in ("old", "never"):
        user = db_session.get(User, people[key].id)
        assert user.name.startswith("已注销用户") and user.mobile is None and user.email is None and not user.active
    for key, name in (("recent", "近期参加"), ("coming", "即将参加"), ("staff", "老员工"), ("new", "新注册")):
        assert db_session.get(User, people[key].id).name == name
    report = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "privacy.retention"))
    assert report.detail["erased"] == 2 and sorted(report.detail["user_ids"]) == sorted(erased)
    with app.test_request_context():
        assert retention.due() == []  # the erased are not due again


def test_retention_years_is_config(app, db_session, people, monkeypatch):
    monkeypatch.setitem(app.config, "RETENTION_YEARS", 6)
    with app.test_request_context():
        assert retention.due() == []
    monkeypatch.setitem(app.config, "RETENTION_YEARS", 0)
    with app.test_request_context():
        assert retention.due() == [] and retention.run(None) == []


def test_admin_page_shows_the_dry_run_and_runs_it(client, db_session, people, admin, create_user):
    login(client, create_user("organiser"))
    assert client.get("/admin/retention").status_code == 403
    assert client.post("/admin/retention/run").status_code == 403
    client.post("/logout")
    login(client, admin)
    page = client.get("/admin/retention").get_data(as_text=True)
    assert "137****0101" in page and "久未参加" not in page and "13700000101" not in page
    assert client.post("/admin/retention/run").status_code == 302
    db_session.expire_all()
    assert db_session.get(User, people["old"].id).name.startswith("已注销用户")
    report = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "privacy.retention"))
    assert report.actor_id == admin.id


def test_the_dry_run_pages(client, db_session, people, admin):
    """A backlog is counted and shown a page at a time, longest gone first (never, then old)."""
    first, second = retention.due_page(1, per_page=1), retention.due_page(2, per_page=1)
    assert (first.total, first.pages, second.has_next) == (2, 2, False)
    assert [d.user_id for d in first.items + second.items] == [people["never"].id, people["old"].id]
    assert retention.due_page(3, per_page=1).items == []
    login(client, admin)
    shown = client.get("/admin/retention?lang=en").get_data(as_text=True)
    beyond = client.get("/admin/retention?page=2&lang=en").get_data(as_text=True)
    assert "2 people" in shown and "137****0101" in shown
    assert "2 people" in beyond and "137****0101" not in beyond  # a page past the last is empty, not an error
    assert client.get("/admin/retention?page=99999999999").status_code == 200


def test_cli_dry_run_then_run(app, db_session, people):
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["privacy", "retention", "--dry-run"])
    assert dry.exit_code == 0 and "2 due" in dry.output and "137****0101" in dry.output
    db_session.expire_all()
    assert db_session.get(User, people["old"].id).name == "久未参加"
    done = runner.invoke(args=["privacy", "retention"])
    assert done.exit_code == 0 and "2 anonymised" in done.output
    db_session.expire_all()
    assert db_session.get(User, people["old"].id).name.startswith("已注销用户")


def test_scheduled_job_runs_and_reports(app, db_session, people):
    with app.app_context():
        retention.scheduled()
    db_session.expire_all()
    assert db_session.get(User, people["never"].id).name.startswith("已注销用户")
    assert db_session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "privacy.retention")) == 1
