"""Every column that names an account has a merge policy: a new table with a user foreign key
fails here until its line is added to app/person/merge/policies.py."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.errors import Conflict
from app.extensions import db
from app.person.merge import policies, services
from app.person.merge.policies import KEEP, MOVE, POLICIES, RESOLVE, UNION


def test_every_user_column_in_the_metadata_has_a_policy(app):
    assert policies.unhandled() == []
    columns = {(t.name, c.name) for t, c in policies.user_columns()}
    assert set(POLICIES) - columns == set(), "policies for columns that no longer exist"
    for key, policy in POLICIES.items():
        assert policy.kind in (MOVE, UNION, RESOLVE, KEEP), key
        assert (policy.rank is not None) == (policy.kind == RESOLVE), key
        if policy.kind == KEEP:
            assert policy.why, f"{key}: say why the column is kept"


def test_a_new_table_naming_people_is_caught_and_refuses_merges(app, db_session, create_user, admin):
    table = sa.Table("merge_test_followups", db.metadata, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("respondent_id", sa.ForeignKey("users.id")))
    try:
        assert policies.unhandled() == ["merge_test_followups.respondent_id"]
        a, b = create_user(name="张三"), create_user(name="张三")
        with pytest.raises(Conflict) as refused:
            services.merge_accounts(admin, survivor_id=a.id, absorbed_id=b.id, reason="同一人")
        assert refused.value.code == "merge_policy_missing"
    finally:
        db.metadata.remove(table)
    assert policies.unhandled() == []


def test_unique_keys_are_read_from_the_table(app):
    tables = db.metadata.tables
    assert ["event_id"] in policies.unique_keys(tables["registrations"], tables["registrations"].c.user_id)
    assert ["role"] in policies.unique_keys(tables["user_roles"], tables["user_roles"].c.user_id)
    assert policies.unique_keys(tables["inbox_messages"], tables["inbox_messages"].c.user_id) == []
