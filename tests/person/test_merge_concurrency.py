"""Two merges of the same accounts at once: exactly one happens, the other is refused with its
code; nothing is half merged."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.extensions import db
from app.person.merge import services
from app.person.merge.models import AccountMerge
from app.registrations.models import Registration
from tests.racing import race

pytestmark = pytest.mark.concurrency


def test_crossed_merges_at_once_make_one(app, db_session, admin, create_user, create_event, create_registration):
    a, b = create_user(name="吴昊"), create_user(name="吴昊")
    for user in (a, b):
        create_registration(create_event(), user)
    admin_id = admin.id

    def attempt(pair):
        survivor_id, absorbed_id = pair
        actor = db.session.get(User, admin_id)
        return services.merge_accounts(actor, survivor_id=survivor_id, absorbed_id=absorbed_id, reason="同一人").id

    results, errors = race(app, attempt, [(a.id, b.id), (b.id, a.id), (a.id, b.id), (b.id, a.id)], 4)
    assert len(results) == 1, errors
    assert len(errors) == 3 and all("merge_" in e or "Conflict" in e for e in errors), errors
    db_session.expire_all()
    merge = db_session.scalar(sa.select(AccountMerge))
    assert db_session.scalar(sa.select(sa.func.count()).select_from(AccountMerge)) == 1
    # every registration is the survivor's; the absorbed account holds nothing and is marked
    owners = set(db_session.scalars(sa.select(Registration.user_id)))
    assert owners == {merge.survivor_id}
    assert db_session.get(User, merge.absorbed_id).merged_into_id == merge.survivor_id
