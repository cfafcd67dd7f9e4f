"""Two accounts of one person at the same occasion: the better place ends on the survivor, the
other stays on the absorbed account as history; the refusals of a merge; signing in to a merged account."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.person.merge import services
from app.registrations import decisions
from app.registrations.models import Registration
from tests.conftest import PASSWORD


def _status_of(user_id, event):
    return db.session.scalar(sa.select(Registration.status).where(Registration.user_id == user_id,
                                                                  Registration.event_id == event.id))


def test_the_better_place_survives_and_the_other_is_kept_as_history(db_session, admin, create_user, create_event,
                                                                    create_registration):
    survivor = create_user(name="陈静", employer="上海电气")
    absorbed = create_user(name="陈静", employer="上海电气")
    shared, other = create_event(), create_event()
    weaker = create_registration(shared, survivor)
    decisions.cancel(survivor, weaker)
    better = create_registration(shared, absorbed)
    own = create_registration(other, absorbed)
    kept = create_registration(create_event(), survivor)
    db_session.commit()

    merge = services.merge_accounts(admin, survivor_id=survivor.id, absorbed_id=absorbed.id, reason="同一人")
    db_session.commit()
    db_session.expire_all()
    # the absorbed account's confirmed place is now the survivor's; its cancelled one went the other way
    assert db.session.get(Registration, better.id).user_id == survivor.id
    assert db.session.get(Registration, weaker.id).user_id == absorbed.id
    assert _status_of(survivor.id, shared) == "confirmed" and _status_of(absorbed.id, shared) == "cancelled"
    assert db.session.get(Registration, own.id).user_id == survivor.id
    assert db.session.get(Registration, kept.id).user_id == survivor.id
    swapped = [m for m in merge.moves if m.get("swap")]
    assert len(swapped) == 2 and {m["pk"]["id"] for m in swapped} == {better.id, weaker.id}

    services.undo_merge(admin, merge.id)
    db_session.commit()
    db_session.expire_all()
    assert db.session.get(Registration, better.id).user_id == absorbed.id
    assert db.session.get(Registration, weaker.id).user_id == survivor.id
    assert db.session.get(Registration, own.id).user_id == absorbed.id
    assert db.session.get(User, absorbed.id).active


def test_the_survivors_better_place_stays_and_the_absorbed_one_is_kept(db_session, admin, create_user, create_event,
                                                                        create_registration):
    survivor, absorbed = create_user(), create_user()
    event = create_event()
    mine = create_registration(event, survivor)
    theirs = create_registration(event, absorbed)
    decisions.cancel(absorbed, theirs)
    db_session.commit()
    services.merge_accounts(admin, survivor_id=survivor.id, absorbed_id=absorbed.id, reason="同一人")
    db_session.commit()
    db_session.expire_all()
    assert db.session.get(Registration, mine.id).user_id == survivor.id
    assert db.session.get(Registration, theirs.id).user_id == absorbed.id


def test_refusals(db_session, admin, create_user):
    organiser = create_user("organiser")
    a, b = create_user(), create_user()
    with pytest.raises(PermissionDenied):
        services.merge_accounts(organiser, survivor_id=a.id, absorbed_id=b.id, reason="同一人")
    with pytest.raises(Conflict) as same:
        services.merge_accounts(admin, survivor_id=a.id, absorbed_id=a.id, reason="同一人")
    assert same.value.code == "merge_same_account"
    with pytest.raises(Conflict) as into_admin:
        services.merge_accounts(admin, survivor_id=a.id, absorbed_id=create_user("admin").id, reason="同一人")
    assert into_admin.value.code == "merge_absorbs_admin"
    with pytest.raises(InvalidInput) as bad:
        services.merge_accounts(admin, survivor_id="9" * 40, absorbed_id=b.id, reason="")
    assert set(bad.value.fields) == {"reason", "survivor"}
    with pytest.raises(NotFound):
        services.merge_accounts(admin, survivor_id=a.id, absorbed_id=2_000_000_000, reason="同一人")
    services.merge_accounts(admin, survivor_id=a.id, absorbed_id=b.id, reason="同一人")
    db_session.commit()
    with pytest.raises(Conflict) as again:
        services.merge_accounts(admin, survivor_id=create_user().id, absorbed_id=b.id, reason="同一人")
    assert again.value.code == "merge_already_merged"
    with pytest.raises(Conflict) as into_absorbed:
        services.merge_accounts(admin, survivor_id=b.id, absorbed_id=create_user().id, reason="同一人")
    assert into_absorbed.value.code == "merge_into_absorbed"
    with pytest.raises(NotFound):
        services.undo_merge(admin, "1; DROP TABLE users")


def test_signing_in_to_a_merged_account_names_the_survivors_login(client, db_session, admin, create_user):
    survivor = create_user(mobile="13912345678")
    absorbed = create_user(mobile="13987654321")
    services.merge_accounts(admin, survivor_id=survivor.id, absorbed_id=absorbed.id, reason="同一人")
    db_session.commit()
    answer = client.post("/login", data={"login": "13987654321", "password": PASSWORD})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "139****5678" in text and "13912345678" not in text
    wrong = client.post("/login", data={"login": "13987654321", "password": "not-the-password"})
    assert "139****5678" not in wrong.get_data(as_text=True)
    assert client.post("/login", data={"login": "13912345678", "password": PASSWORD}).status_code == 302
