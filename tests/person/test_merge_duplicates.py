"""The likely duplicates: each reason finds its pair however the values were typed, unrelated
people and inactive accounts are left out; the staff pages are an administrator's."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.errors import PermissionDenied
from app.extensions import db
from app.person.merge.duplicates import find_duplicates
from app.person.merge.models import AccountMerge
from tests.conftest import login


def _person(name, **kw):
    user = User(name=name, password_hash="!", **kw)
    db.session.add(user)
    db.session.flush()
    return user


@pytest.fixture
def people(db_session):
    made = {
        # an older row holds the number as it was typed
        "mobile_a": _person("王伟", mobile="+86 138-0013-8000"), "mobile_b": _person("王 伟", mobile="13800138000"),
        "email_a": _person("李娜", email="Li.Na@Example.com"), "email_b": _person("李娜", email="li.na@example.com "),
        "id_a": _person("张敏", id_number="31011219900101123x"), "id_b": _person("张敏", id_number="31011219900101123Ｘ"),
        "name_a": _person("刘 洋", employer="上海华谊（集团）公司"), "name_b": _person("刘洋", employer="上海华谊（集团）公司 "),
        # unrelated: same name elsewhere, a similar number, and an inactive twin
        "other": _person("刘洋", employer="闵行区中心医院", mobile="13800138001"),
        "inactive": _person("李娜", email="LI.NA@example.COM.cn", active=False),
        "inactive_twin": _person("王伟", mobile="+86 13800138000 ", active=False),
    }
    db_session.commit()
    return made


def test_each_reason_finds_its_pair_and_nobody_else(db_session, people, admin):
    pairs = {(p.first.id, p.second.id): p.reasons for p in find_duplicates(admin)}
    ids = {name: u.id for name, u in people.items()}

    def reasons(a, b):
        return pairs.get(tuple(sorted((ids[a], ids[b]))))

    assert reasons("mobile_a", "mobile_b") == ["mobile"]
    assert reasons("email_a", "email_b") == ["email"]
    assert reasons("id_a", "id_b") == ["id_number"]
    assert reasons("name_a", "name_b") == ["name_employer"]
    assert len(pairs) == 4, pairs
    organiser = db.session.scalar(sa.select(User).where(User.id == admin.id))
    organiser.set_roles(["organiser"])
    with pytest.raises(PermissionDenied):
        find_duplicates(organiser)


def test_the_pages_are_an_administrators(client, db_session, people, admin, create_user):
    organiser = create_user("organiser")
    a, b = people["mobile_a"], people["mobile_b"]
    login(client, organiser)
    assert client.get("/console/people/duplicates").status_code == 403
    assert client.get(f"/console/people/compare?a={a.id}&b={b.id}").status_code == 403
    assert client.post(f"/console/people/compare?a={a.id}&b={b.id}",
                       data={"survivor": str(b.id), "reason": "同一人"}).status_code == 403
    assert client.get("/console/people/merges").status_code == 403
    client.post("/logout")

    login(client, admin)
    page = client.get("/console/people/duplicates").get_data(as_text=True)
    assert "138****8000" in page and "13800138000" not in page and "李娜" in page
    compare = client.get(f"/console/people/compare?a={a.id}&b={b.id}")
    assert compare.status_code == 200 and "13800138000" not in compare.get_data(as_text=True)
    for bad in ("a=x&b=1", f"a={a.id}&b=99999999999999999999", f"a={a.id}", f"a={a.id}%00&b={b.id}"):
        assert client.get(f"/console/people/compare?{bad}").status_code in (404, 422), bad
    # no reason: the form again, nothing merged
    missing = client.post(f"/console/people/compare?a={a.id}&b={b.id}", data={"survivor": str(b.id), "reason": ""})
    assert missing.status_code == 200 and db.session.scalar(sa.select(sa.func.count()).select_from(AccountMerge)) == 0
    forged = client.post(f"/console/people/compare?a={a.id}&b={b.id}", data={"survivor": "7", "reason": "同一人"})
    assert forged.status_code == 200 and db.session.scalar(sa.select(sa.func.count()).select_from(AccountMerge)) == 0
    # into itself: a translated refusal, nothing changed
    itself = client.post(f"/console/people/compare?a={a.id}&b={a.id}", data={"survivor": str(a.id), "reason": "同一人"})
    assert itself.status_code == 302 and db.session.scalar(sa.select(sa.func.count()).select_from(AccountMerge)) == 0

    done = client.post(f"/console/people/compare?a={a.id}&b={b.id}", data={"survivor": str(b.id), "reason": "同一人"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/console/people/merges")
    merge = db.session.scalar(sa.select(AccountMerge))
    assert (merge.survivor_id, merge.absorbed_id, merge.reason) == (b.id, a.id, "同一人")
    listing = client.get("/console/people/merges").get_data(as_text=True)
    assert f"/console/people/merges/{merge.id}/undo" in listing
    assert client.post("/console/people/merges/99999999999/undo").status_code == 404
    assert client.post(f"/console/people/merges/{merge.id}/undo").status_code == 302
    db.session.expire_all()
    assert db.session.get(AccountMerge, merge.id).undone_at is not None
    assert f"/console/people/merges/{merge.id}/undo" not in client.get("/console/people/merges").get_data(as_text=True)
