"""At the same moment, each on its own connection: a seeker's form sent several times makes one
interest with one standing consent; two contacts marking the same candidate make one move."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.jobfairs import interests, portal
from app.jobfairs.models import Consent, FairEmployer, Interest
from tests.racing import race

pytestmark = pytest.mark.concurrency


def test_the_same_form_sent_at_once_makes_one_interest_and_one_standing_consent(app, db_session, job_fair,
                                                                                create_user):
    from app.accounts.models import User

    fair = job_fair()
    booth_id, position_id = fair.booths[0].id, fair.booths[0].positions[0].id
    seeker_id = create_user().id

    def share(_n):
        booth = db.session.get(FairEmployer, booth_id)
        return interests.share(db.session.get(User, seeker_id), booth, position_ids=[position_id],
                               profile=interests.Profile(name="同时投递", education="bachelor", school="", major=""),
                               agreed=True).id

    results, errors = race(app, share, range(4), workers=4)
    assert results and all("already_shared" in e or "Conflict" in e for e in errors), errors
    db_session.expire_all()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Interest)) == 1
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Consent).where(Consent.withdrawn_at.is_(None))) == 1


def test_two_contacts_marking_one_candidate_at_once_make_one_move(app, db_session, job_fair, create_user, share_as):
    from app.accounts.models import User
    from app.organisations import contacts
    from app.transitions import changes_of

    fair = job_fair()
    second = create_user()
    contacts.add_contact(fair.organiser, fair.booths[0].organisation, second.mobile)
    db_session.commit()
    interest_id = share_as(create_user(), fair.booths[0]).id
    who = [fair.contacts[0].id, second.id]

    def mark(user_id):
        return portal.mark(db.session.get(User, user_id), db.session.get(Interest, interest_id), "interviewed").id

    results, errors = race(app, mark, who, workers=2)
    assert len(results) == 1 and len(errors) == 1, errors
    assert "Conflict" in errors[0] and "IntegrityError" not in errors[0], errors
    db_session.expire_all()
    interest = db_session.get(Interest, interest_id)
    assert [c.to_status for c in changes_of(interest.outcome)] == ["none", "interviewed"]
