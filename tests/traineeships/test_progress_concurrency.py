"""Two contacts of one host confirming the same month at the same moment, each on its own
connection: one row for the month (the placement's row lock, the unique constraint behind it),
the later confirmation a correction; two evaluations of one stage at once: one evaluation."""
from datetime import date

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.organisations.models import OrganisationContact
from app.traineeships import evaluations, months
from app.traineeships.models import Evaluation, MonthlyAttendance, Placement
from tests.racing import race

pytestmark = pytest.mark.concurrency


def test_racing_confirmations_and_evaluations(app, db_session, placed_batch, create_user):
    from app.accounts.models import User

    made = placed_batch(trainees=(1,))
    second = create_user(name="基地联系人乙")
    db_session.add(OrganisationContact(organisation=made.hosts[0], user=second))
    db_session.commit()
    pid, contacts = made.placements[0].id, [made.contacts[0].id, second.id] * 2

    def confirm(contact_id):
        return months.confirm_month(db.session.get(User, contact_id), db.session.get(Placement, pid), "2026-07",
                                    present_days=20, absent_days=1, today=date(2026, 8, 3)).id

    results, errors = race(app, confirm, contacts, workers=len(contacts))
    assert not errors and len(set(results)) == 1
    scores = {c["key"]: 20 for c in made.batch.rubric}

    def evaluate(contact_id):
        return evaluations.evaluate(db.session.get(User, contact_id), db.session.get(Placement, pid), "mid", scores,
                                    today=date(2026, 8, 15)).id

    results, errors = race(app, evaluate, contacts, workers=len(contacts))
    assert len(results) == 1 and len(errors) == len(contacts) - 1, errors
    db_session.expire_all()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(MonthlyAttendance)) == 1
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Evaluation)) == 1
