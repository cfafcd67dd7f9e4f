"""The admin lists issue as many statements at 200 rows as at 10 (issue 19)."""
from __future__ import annotations

import pytest

from app.audit.models import AuditEntry
from app.extensions import db
from app.notifications.models import OutboxMessage
from app.notifications.sms.models import SmsMessage
from tests.conftest import login
from tests.fixtures.list_rows import people


@pytest.fixture
def as_admin(client, admin):
    login(client, admin)
    return client


def test_users(as_admin, flat_in_rows, departments):
    flat_in_rows(as_admin, "/admin/users", add=lambda n: people(
        n, roles=("organiser", "trainer"), departments=list(departments.values())[:2]))


def _outbox(n: int) -> None:
    db.session.add_all(OutboxMessage(user=u, to_address=u.email, kind="registration_confirmed",
                                     subject="报名成功", template="registration_confirmed", status="sent")
                       for u in people(n))
    db.session.commit()


def _sms(n: int) -> None:
    db.session.add_all(SmsMessage(user=u, mobile=u.mobile, kind="registration_confirmed",
                                  template_code="SMS_1", status="sent") for u in people(n))
    db.session.commit()


def _audit(n: int) -> None:
    db.session.add_all(AuditEntry(actor_id=u.id, action="export", subject_type="event", subject_id=1)
                       for u in people(n))
    db.session.commit()


def test_mail_outbox(as_admin, flat_in_rows):
    flat_in_rows(as_admin, "/admin/outbox", add=_outbox)


def test_sms_outbox(as_admin, flat_in_rows):
    flat_in_rows(as_admin, "/admin/outbox/sms", add=_sms)


def test_audit_log(as_admin, flat_in_rows):
    flat_in_rows(as_admin, "/admin/audit", add=_audit)
