"""A person's inbox issues as many statements with 200 messages as with 10 (issue 19); the mail
and SMS outboxes are admin pages (tests/admin/test_flat_pages.py)."""
from __future__ import annotations

from app.extensions import db
from app.notifications.models import InboxMessage
from tests.conftest import login


def test_inbox(client, create_user, flat_in_rows):
    person = create_user()
    login(client, person)

    def add(n: int) -> None:
        db.session.add_all(InboxMessage(user_id=person.id, kind="confirmed", title="报名成功",
                                        body="您的名额已确认。", link="/me/registrations") for _ in range(n))
        db.session.commit()

    flat_in_rows(client, "/me/inbox", add=add)
