"""Real concurrent connections racing for the same seats."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.registrations import services as reg
from app.registrations.models import Registration
from tests.racing import race

pytestmark = pytest.mark.concurrency


def _race(app, event_id, user_ids, workers):
    from app.accounts.models import User
    from app.events.models import Event

    def attempt(user_id):
        return reg.register(db.session.get(User, user_id), db.session.get(Event, event_id)).status

    return race(app, attempt, user_ids, workers)


def test_200_concurrent_attempts_for_50_seats(app, db_session, create_event, create_user):
    from app.accounts.models import User

    event = create_event(capacity=50)
    db_session.add_all(User(name=f"并发{i}", mobile=f"1370000{i:04d}", password_hash="x") for i in range(200))
    db_session.commit()
    user_ids = db_session.scalars(sa.select(User.id).where(User.name.like("并发%"))).all()
    workers = 40 if db.engine.dialect.name == "postgresql" else 16
    results, errors = _race(app, event.id, user_ids, workers)

    assert errors == []
    assert sorted(set(results)) == ["confirmed", "waitlisted"]
    assert results.count("confirmed") == 50 and results.count("waitlisted") == 150
    db_session.expire_all()
    assert reg.confirmed_count(event.id) == 50 == event.confirmed_count
    waiting = db_session.scalars(sa.select(Registration).where(
        Registration.event_id == event.id, Registration.status == "waitlisted")).all()
    assert sorted(reg.waitlist_position(r) for r in waiting) == list(range(1, 151))
    # Guesses corrected under the lock leave one history row and one notice, both final.
    from app.notifications.models import OutboxMessage
    from app.registrations.models import RegistrationHistory

    history = dict(db_session.execute(
        sa.select(RegistrationHistory.registration_id, RegistrationHistory.to_status)).all())
    notices = db_session.execute(sa.select(OutboxMessage.registration_id, OutboxMessage.kind)).all()
    statuses = dict(db_session.execute(sa.select(Registration.id, Registration.status)
                                       .where(Registration.event_id == event.id)).all())
    assert history == statuses and dict(notices) == statuses and len(notices) == 200


def test_same_person_twice_at_once_gets_one_registration(app, db_session, create_event, create_user):
    event = create_event(capacity=5)
    user = create_user()
    results, errors = _race(app, event.id, [user.id] * 8, 8)
    assert results == ["confirmed"]
    assert len(errors) == 7 and all("AlreadyRegistered" in e for e in errors)
