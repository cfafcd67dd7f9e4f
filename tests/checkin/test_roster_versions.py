"""On PostgreSQL the roster's entries are kept per process while the event's roster stamp stands:
the database changes the stamp (triggers) with every row the entries are built from — through the
services or bulk SQL — and leaves it with anything else, so a kept roster is never older than its
rows. SQLite has no triggers and keeps nothing: these tests are PostgreSQL's."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.checkin import roster as rosters
from app.checkin import roster_versions
from app.checkin import services as checkin
from app.events.models import EventSession
from app.extensions import db
from app.registrations import services as reg
from app.registrations.models import Registration, SessionBooking
from app.tickets import services as tickets
from app.timeutil import utcnow


@pytest.fixture
def venue(db_session, create_event, create_user):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the roster stamp is kept by PostgreSQL's triggers")
    start = utcnow() + timedelta(hours=1)
    event = create_event(starts_at=start, ends_at=start + timedelta(hours=2), capacity=10)
    point = checkin.ensure_checkpoints(event)[0]
    registration = reg.register(create_user(name="赵赟", mobile="13912345678"), event)
    db_session.commit()
    return event, point, registration


def _changes(db_session, event, change) -> bool:
    before = roster_versions.stamp(event.id)
    change()
    db_session.commit()
    return roster_versions.stamp(event.id) != before


def test_what_the_entries_are_built_from_changes_the_stamp(db_session, venue, create_user):
    event, point, registration = venue
    assert roster_versions.stamp(event.id) is not None  # the registration made it
    assert _changes(db_session, event, lambda: reg.register(create_user(name="钱多多"), event))
    assert _changes(db_session, event, lambda: tickets.reset(registration))
    assert _changes(db_session, event, lambda: setattr(registration.user, "name", "赵小赟"))
    assert _changes(db_session, event, lambda: setattr(registration.user, "mobile", "13900000000"))
    # bulk SQL, which no service sees: a merge, an erasure, a script
    assert _changes(db_session, event, lambda: db_session.execute(
        sa.update(User).where(User.id == registration.user_id).values(name="赵赟")))
    assert _changes(db_session, event, lambda: db_session.execute(
        sa.update(Registration).where(Registration.id == registration.id).values(status="waitlisted")))
    assert _changes(db_session, event, lambda: db_session.execute(
        sa.delete(Registration).where(Registration.id == registration.id)))


def test_a_cancellation_changes_the_stamp_and_other_columns_do_not(db_session, venue):
    event, point, registration = venue
    assert not _changes(db_session, event, lambda: setattr(registration.user, "employer", "紫竹高新区某公司"))
    assert not _changes(db_session, event, lambda: setattr(registration.user, "name", registration.user.name))
    assert _changes(db_session, event, lambda: reg.cancel(registration.user, registration))


def test_session_bookings_change_the_stamp(db_session, venue):
    event, point, registration = venue
    talk = EventSession(event_id=event.id, title="政策解读", starts_at=event.starts_at,
                        ends_at=event.starts_at + timedelta(hours=1))
    db_session.add(talk)
    db_session.flush()
    booking = SessionBooking(registration_id=registration.id, session_id=talk.id, status="confirmed")
    assert _changes(db_session, event, lambda: db_session.add(booking))
    assert _changes(db_session, event, lambda: setattr(booking, "status", "waitlisted"))
    assert _changes(db_session, event, lambda: db_session.delete(booking))


def test_the_entries_are_built_once_while_the_stamp_stands(db_session, venue):
    event, point, registration = venue
    first = rosters._entries_and_checked_in(point)[0]
    assert rosters._entries_and_checked_in(point)[0] is first  # the kept text, not one built again
    body = rosters.roster_body(point)
    assert rosters.roster_body(point).etag == body.etag

    # a check-in is not in the entries: they are still kept, and the download carries it
    assert checkin.scan(point, tickets.ticket_token(registration)).result.value == "ok"
    db_session.commit()
    assert rosters._entries_and_checked_in(point)[0] is first
    assert rosters.roster(point)["checked_in"] == [registration.id]

    db_session.execute(sa.update(User).where(User.id == registration.user_id).values(name="赵小赟"))
    db_session.commit()
    renamed = rosters._entries_and_checked_in(point)[0]
    assert renamed is not first and '"赵小赟"' in renamed
    assert rosters._entries_and_checked_in(point)[0] is renamed
    assert rosters.roster(point)["entries"] == [[registration.id, registration.ticket_generation, "赵小赟", "5678",
                                                 registration.user_id]]
