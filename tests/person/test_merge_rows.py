"""A merge moves every kind of row that names a person, keeps who-did-what, and its undo puts the
database back exactly. One world for the module (tests/fixtures/merge.py); each test rolls back."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.demo.duplicates import BY_EMAIL, BY_MOBILE
from app.errors import Conflict
from app.extensions import db
from app.person.merge import services
from app.person.merge.duplicates import find_duplicates
from app.person.merge.models import AccountMerge
from app.person.merge.policies import KEEP, POLICIES, user_columns
from app.registrations.models import Registration
from tests.fixtures.merge import snapshot

pytestmark = pytest.mark.module_world


def _merge(world, reason="同一人：手机号和邮箱各注册了一个账号"):
    admin = db.session.get(User, world.admin_id)
    return services.merge_accounts(admin, survivor_id=world.survivor_id, absorbed_id=world.absorbed_id, reason=reason)


def _owner(table_name: str, pk: dict, column: str, candidates: tuple[int, int]) -> int | None:
    table = db.metadata.tables[table_name]
    others = [table.c[name] == value for name, value in pk.items() if name != column]
    return db.session.scalar(sa.select(table.c[column]).where(*others, table.c[column].in_(candidates)))


def test_every_kind_of_row_moves_to_the_survivor_and_actors_stay(merge_world, db_session):
    w = merge_world
    # the absorbed account holds a row of every user column that a merge changes (and the
    # registration with answers and scans, the enrolment with grades)
    held = {(table, column) for table, _pk, column in w.held}
    assert {key for key, policy in POLICIES.items() if policy.kind != KEEP} - held <= {("users", "merged_into_id")}
    registration_id = next(pk["id"] for table, pk, _c in w.held if table == "registrations")
    scans = db.session.scalar(sa.text("SELECT count(*) FROM scans WHERE registration_id = :r"), {"r": registration_id})
    answers = db.session.scalar(sa.text("SELECT count(*) FROM registration_answers WHERE registration_id = :r"),
                                {"r": registration_id})
    enrolment_id = next(pk["id"] for table, pk, _c in w.held if table == "enrolments")
    grades = db.session.scalar(sa.text("SELECT count(*) FROM grades WHERE enrolment_id = :e"), {"e": enrolment_id})
    assert scans and answers and grades

    merge = _merge(w)

    for table, pk, column in w.held:
        expected = w.absorbed_id if POLICIES[(table, column)].kind == KEEP else w.survivor_id
        assert _owner(table, pk, column, (w.absorbed_id, w.survivor_id)) == expected, (table, column)
    for table, column in user_columns():
        if POLICIES[(table.name, column.name)].kind != KEEP:
            left = db.session.scalar(sa.select(sa.func.count()).select_from(table).where(column == w.absorbed_id))
            assert left == 0, f"{table.name}.{column.name} still names the absorbed account"
    # what hangs from a moved row went with it
    assert db.session.scalar(sa.text("SELECT user_id FROM registrations WHERE id = :r"),
                             {"r": registration_id}) == w.survivor_id
    assert db.session.scalar(sa.text("SELECT count(*) FROM scans WHERE registration_id = :r"),
                             {"r": registration_id}) == scans
    assert db.session.scalar(sa.text("SELECT count(*) FROM grades WHERE enrolment_id = :e"),
                             {"e": enrolment_id}) == grades

    absorbed, survivor = db.session.get(User, w.absorbed_id), db.session.get(User, w.survivor_id)
    assert not absorbed.active and absorbed.merged_into_id == survivor.id
    # the survivor kept its email and took the mobile it lacked (which left the absorbed account)
    assert survivor.email == "merge.survivor@example.com" and survivor.mobile == "19911110001"
    assert absorbed.mobile is None
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "account.merge"))
    assert entry.subject_id == merge.id and entry.detail["absorbed_id"] == w.absorbed_id
    assert entry.detail["rows"]["registrations"]["moved"] == 1 and entry.detail["contacts"] == ["mobile"]
    assert len(merge.moves) == sum(1 for t, _pk, c in w.held if POLICIES[(t, c)].kind != KEEP)
    db_session.rollback()


def test_undo_restores_every_row_exactly(merge_world, db_session):
    before = snapshot()
    merge = _merge(merge_world)
    assert snapshot() != before
    admin = db.session.get(User, merge_world.admin_id)
    services.undo_merge(admin, merge.id)
    db.session.flush()
    db.session.expire_all()
    assert snapshot() == before
    assert merge.undone_at is not None and merge.undone_by_id == admin.id
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.action == "account.merge_undo"))
    with pytest.raises(Conflict) as refused:
        services.undo_merge(admin, merge.id)
    assert refused.value.code == "merge_already_undone"
    db_session.rollback()


def test_undo_after_the_window_is_refused(merge_world, db_session):
    merge = _merge(merge_world)
    merge.merged_at = merge.merged_at - timedelta(days=31)
    db.session.flush()
    with pytest.raises(Conflict) as refused:
        services.undo_merge(db.session.get(User, merge_world.admin_id), merge.id)
    assert refused.value.code == "undo_expired"
    db_session.rollback()


def test_undo_is_refused_when_a_moved_row_changed_since(merge_world, db_session):
    merge = _merge(merge_world)
    token = next(m for m in merge.moves if m["t"] == "api_tokens")
    db.session.execute(sa.text("DELETE FROM api_tokens WHERE id = :i"), {"i": token["pk"]["id"]})
    with pytest.raises(Conflict) as refused:
        services.undo_merge(db.session.get(User, merge_world.admin_id), merge.id)
    assert refused.value.code == "merge_rows_changed"
    db_session.rollback()


def test_a_later_merge_must_be_undone_first(merge_world, db_session):
    w = merge_world
    first = _merge(w)
    third = User(name="合并测试甲", password_hash="!", email="merge.third@example.com")
    db.session.add(third)
    db.session.flush()
    admin = db.session.get(User, w.admin_id)
    services.merge_accounts(admin, survivor_id=third.id, absorbed_id=w.survivor_id, reason="又一个账号")
    with pytest.raises(Conflict) as refused:
        services.undo_merge(admin, first.id)
    assert refused.value.code == "merge_superseded"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AccountMerge)) == 2
    db_session.rollback()


def test_the_demo_holds_two_accounts_of_one_person_to_merge(merge_world, db_session):
    admin = db.session.get(User, merge_world.admin_id)
    by_mobile = db.session.scalar(sa.select(User).where(User.mobile == BY_MOBILE["mobile"]))
    by_email = db.session.scalar(sa.select(User).where(User.email == BY_EMAIL["email"]))
    pair = next(p for p in find_duplicates(admin) if {p.first.id, p.second.id} == {by_mobile.id, by_email.id})
    assert pair.reasons == ["id_number", "name_employer"]

    def places(user):
        return {r.event_id: r.status for r in db.session.scalars(sa.select(Registration).where(
            Registration.user_id == user.id))}
    mobile_places, email_places = places(by_mobile), places(by_email)
    shared = set(mobile_places) & set(email_places)
    assert len(shared) == 1 and len(mobile_places) >= 2 and len(email_places) >= 2
    event_id, = shared
    assert (mobile_places[event_id], email_places[event_id]) == ("confirmed", "cancelled")
    counts = {u.id: db.session.scalar(sa.text("SELECT count(*) FROM certificates WHERE recipient_id = :u"),
                                      {"u": u.id}) for u in (by_mobile, by_email)}
    assert all(counts.values())

    services.merge_accounts(admin, survivor_id=by_email.id, absorbed_id=by_mobile.id, reason="同一人，两次注册")
    db.session.expire_all()
    # the confirmed place (the mobile account's) is now the survivor's; the cancelled one stays as history
    assert places(by_email)[event_id] == "confirmed" and places(by_mobile) == {event_id: "cancelled"}
    assert db.session.get(User, by_email.id).mobile == BY_MOBILE["mobile"]
    db_session.rollback()
