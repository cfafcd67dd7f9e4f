"""Issuing at Talent Week scale (issue 19): the attendees in one statement, the certificates in
bulk, whatever the size of the event; the holders of a big batch told by a background job, once."""
from __future__ import annotations

import itertools
import secrets
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app import transaction
from app.accounts.models import User
from app.certificates import notices, services
from app.certificates.models import Certificate, SerialCounter
from app.checkin.models import Scan
from app.checkin.services import event_checkpoint
from app.notifications.models import InboxMessage, OutboxMessage
from app.registrations.models import Registration
from app.timeutil import utcnow
from tests.fixtures.accounts import RARE_NAMES

_numbers = itertools.count()


@pytest.fixture
def crowd(db_session, create_event):
    """`crowd(n)`: an event under way with n attendees (a first accepted entry each, every third
    scanned in twice, and one registrant who never came), made in bulk; returns the event and the
    attendees in order of arrival."""

    def _make(n: int):
        event = create_event(starts_at=utcnow() - timedelta(hours=1), capacity=None)
        door = event_checkpoint(event)
        people = [User(name=RARE_NAMES[i % len(RARE_NAMES)], mobile=f"136{next(_numbers):08d}", password_hash="x")
                  for i in range(n + 1)]
        db_session.add_all(people)
        db_session.flush()
        now = utcnow()
        registrations = [Registration(event_id=event.id, user_id=p.id, status="confirmed", created_at=now,
                                      queued_at=now, status_changed_at=now, ticket_secret=secrets.token_urlsafe(24),
                                      ticket_generation=1) for p in people]
        db_session.add_all(registrations)
        db_session.flush()
        # Arrivals out of the order of registration: the last registrant came first.
        start = now - timedelta(minutes=50)
        scans = [Scan(checkpoint_id=door.id, registration_id=r.id, direction="in", result="ok", device="test",
                      scanned_at=start + timedelta(seconds=n - i), detail={})
                 for i, r in enumerate(registrations[:n])]
        scans += [Scan(checkpoint_id=door.id, registration_id=s.registration_id, direction="in",
                       result="already_checked_in", device="test", scanned_at=s.scanned_at + timedelta(minutes=3),
                       detail={}) for s in scans[::3]]
        db_session.add_all(scans)
        db_session.commit()
        return event, list(reversed(people[:n]))

    return _make


def test_attendees_come_in_one_statement_in_order_of_arrival(app, db_session, crowd, count_statements):
    event, came = crowd(30)
    assert event.id  # loaded before counting
    with count_statements() as seen:
        found = services.attendees(event)
    assert len(seen) == 1, seen
    assert [u.id for u in found] == [u.id for u in came]
    assert services.attendee_count(event) == 30


@pytest.mark.parametrize("kind", ["attendance"])
def test_issuing_is_flat_in_the_attendees(app, db_session, admin, crowd, count_statements, kind, monkeypatch):
    # Each commit hands a big batch's notices to a thread, whose statements would be counted too.
    monkeypatch.setattr(notices, "dispatch", lambda cert_ids, locale: None)
    counts = []
    # The first issue of the run may create the templates and their versions; both batches after it
    # are big (a small one tells its holders at once: statements per holder, up to notices.INLINE).
    for n in (3, notices.INLINE + 10, notices.INLINE + 200):
        event, came = crowd(n)
        assert event.id
        with count_statements() as seen:
            result = services.issue_for_attendance(admin, event, kind=kind)
            db_session.flush()
        db_session.commit()
        counts.append(len(seen))
        assert [c.recipient_id for c in result.issued] == [u.id for u in came]
        serials = [c.serial for c in result.issued]
        assert serials == sorted(serials) and len(set(serials)) == n
        assert len({c.code for c in result.issued}) == n
        assert all(c.template_version_id is not None and c.version == 1 for c in result.issued)
    assert counts[1] == counts[2], counts


def test_a_big_batch_is_told_after_the_commit_each_holder_once(app, db_session, admin, crowd, monkeypatch):
    monkeypatch.setattr(notices, "INLINE", 3)
    handed = []
    monkeypatch.setattr(notices.jobs, "in_thread", lambda func, *args, **kw: handed.append((func, args)))
    monkeypatch.setattr(notices.jobs, "redis_url", lambda: None)
    event, came = crowd(8)
    result = services.issue_for_attendance(admin, event)
    ids = [c.id for c in result.issued]
    transaction.commit()
    assert [(func, args[0]) for func, args in handed] == [(notices.run_notices, ids)]

    def told() -> int:
        return db_session.scalar(sa.select(sa.func.count()).select_from(InboxMessage).where(
            InboxMessage.kind == "certificate_issued", InboxMessage.user_id.in_([u.id for u in came])))

    assert told() == 0  # nothing yet: the job tells them
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Certificate)
                             .where(Certificate.id.in_(ids), Certificate.notified_at.is_(None))) == 8
    monkeypatch.setattr(notices, "CHUNK", 3)
    assert notices.run_notices(ids, "zh_CN") == 8
    assert told() == 8
    assert db_session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(
        OutboxMessage.kind == "certificate_issued", OutboxMessage.user_id.in_([u.id for u in came]))) == 8
    assert notices.run_notices(ids, "zh_CN") == 0  # a retried job tells nobody twice
    assert told() == 8
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Certificate)
                             .where(Certificate.id.in_(ids), Certificate.notified_at.is_(None))) == 0


def test_a_big_batch_issued_outside_a_request_is_handed_over_by_any_commit_and_forgotten_on_rollback(
        app, db_session, admin, crowd, monkeypatch):
    """A command or a job that commits the session itself hands the notices over too; a rolled-back
    batch hands nothing, then or at a later commit."""
    monkeypatch.setattr(notices, "INLINE", 3)
    handed = []
    monkeypatch.setattr(notices.jobs, "in_thread", lambda func, *args, **kw: handed.append(args[0]))
    monkeypatch.setattr(notices.jobs, "redis_url", lambda: None)
    rolled_back = services.issue_for_attendance(admin, crowd(5)[0])
    assert rolled_back.issued
    db_session.rollback()
    db_session.commit()
    assert handed == []
    result = services.issue_for_attendance(admin, crowd(6)[0])
    db_session.commit()
    assert handed == [[c.id for c in result.issued]]
    db_session.commit()
    assert len(handed) == 1


def test_a_small_batch_is_told_in_the_issuing_transaction(app, db_session, admin, crowd):
    event, came = crowd(2)
    result = services.issue_for_attendance(admin, event)
    db_session.flush()
    assert all(c.notified_at is not None for c in result.issued)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(InboxMessage).where(
        InboxMessage.kind == "certificate_issued", InboxMessage.user_id.in_([u.id for u in came]))) == 2
    db_session.rollback()


def test_a_batch_across_a_millionth_serial_comes_back_whole_and_in_order(app, db_session, admin, crowd):
    """Serials are padded to six digits; the millionth of a year has seven and no longer sorts as text
    after the 999,999th, so issuing reads its certificates back by serial, not by a range."""
    event, came = crowd(4)
    services.issue_for_attendance(admin, crowd(1)[0])  # the counter row of this kind and year
    db_session.execute(sa.update(SerialCounter).values(last_value=999_998))
    result = services.issue_for_attendance(admin, event)
    db_session.commit()
    assert [c.recipient_id for c in result.issued] == [u.id for u in came]
    assert [c.serial.rsplit("-", 1)[1] for c in result.issued] == ["999999", "1000000", "1000001", "1000002"]
