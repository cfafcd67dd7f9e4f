"""Two hosts accepting the same person at the same moment, each on its own connection: exactly
one placement (the application's row lock, the partial unique index behind it)."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.traineeships import review
from app.traineeships.models import ApplicationChoice, Placement
from tests.racing import race

pytestmark = pytest.mark.concurrency


def test_two_hosts_accepting_the_same_person_at_once_make_one_placement(app, db_session, traineeship,
                                                                        create_user, apply_as):
    from app.accounts.models import User

    world = traineeship(hosts=3)
    people = [create_user() for _ in range(4)]
    # Every person chose all three places; each host accepts each person at once.
    attempts = []
    for person in people:
        application = apply_as(person, world.batch, world.places)
        attempts += [(world.contacts[n].id, choice.id) for n, choice in enumerate(application.choices)]

    def accept(item):
        contact_id, choice_id = item
        return review.accept(db.session.get(User, contact_id), db.session.get(ApplicationChoice, choice_id)).id

    results, errors = race(app, accept, attempts, workers=len(attempts))
    assert len(results) == len(people)
    assert len(errors) == len(attempts) - len(people) and all("already_placed" in e or "AlreadyPlaced" in e
                                                              or "Conflict" in e for e in errors), errors
    db_session.expire_all()
    rows = db_session.execute(sa.select(Placement.user_id, sa.func.count()).group_by(Placement.user_id)).all()
    assert sorted(n for _user, n in rows) == [1] * len(people)
