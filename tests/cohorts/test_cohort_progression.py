"""From published results to certificates (结业 / 优秀学员, through the certificates service) and
to the next tier of a later cycle."""
from datetime import date

import pytest
import sqlalchemy as sa

from app.certificates.models import Certificate
from app.cohorts import progression
from app.cohorts.camps import services as cohorts
from app.cohorts.certificates import issue_from_results
from app.errors import Conflict
from app.notifications.models import OutboxMessage
from tests.conftest import login
from tests.fixtures.cohorts import publish_graded


def test_certificates_follow_published_results(db_session, create_graded_cohort):
    c = create_graded_cohort(3)
    with pytest.raises(Conflict) as error:
        issue_from_results(c["runner"], c["cohort"])
    assert error.value.code == "results_not_published"
    assert publish_graded(c, db_session) == ["distinction", "completed", "not_completed"]
    made = issue_from_results(c["runner"], c["cohort"])
    db_session.commit()
    assert len(made["completion"].issued) == 2 and len(made["distinction"].issued) == 1
    certs = db_session.scalars(sa.select(Certificate).order_by(Certificate.id)).all()
    assert [(x.kind, x.recipient_id) for x in certs] == [
        ("completion", c["people"][0].user_id), ("completion", c["people"][1].user_id),
        ("distinction", c["people"][0].user_id)]
    assert all(x.subject_type == "cohort" and x.subject_id == c["cohort"].id and x.tier == "创业孵化营"
               for x in certs)
    again = issue_from_results(c["runner"], c["cohort"])  # nobody twice
    assert not again["completion"].issued and len(again["completion"].skipped) == 2


def test_graduates_are_invited_to_the_next_tier_of_a_later_cycle(client, db_session, create_graded_cohort,
                                                                 create_cohort):
    c = create_graded_cohort(3)
    publish_graded(c, db_session)
    runner = c["runner"]
    later = cohorts.create_cycle(runner, c["cohort"].cycle.programme, name="2028–2029", starts_on=date(2028, 3, 1),
                                 ends_on=date(2029, 12, 31))
    growth = create_cohort("growth", cycle=later)
    same_cycle_growth = create_cohort("growth", cycle=c["cohort"].cycle)
    assert progression.next_cohorts(c["cohort"]) == [growth]
    best, fine, failed = c["people"]
    with pytest.raises(Conflict) as error:
        progression.invite(runner, failed, growth)
    assert error.value.code == "not_a_graduate"
    with pytest.raises(Conflict) as error:
        progression.invite(runner, best, same_cycle_growth)
    assert error.value.code == "not_next_tier"
    moved = progression.invite(runner, fine, growth)
    db_session.commit()
    assert moved.cohort_id == growth.id and moved.registration.status == "confirmed"
    assert [e.cohort.tier.code for e in cohorts.history(fine.user)] == ["incubation", "growth"]
    mail = db_session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "tier_invitation"))
    assert mail.user_id == fine.user_id and growth.name in mail.subject
    login(client, runner)
    page = client.get(f"/console/cohorts/{c['cohort'].id}/graduates").get_data(as_text=True)
    assert best.user.name in page and failed.user.name not in page
    done = client.post(f"/console/cohorts/{c['cohort'].id}/graduates",
                       data={"target": growth.id, "enrolment": [best.id]})
    assert done.status_code == 302 and cohorts.enrolment_of(best.user, growth) is not None
    issued = client.post(f"/console/cohorts/{c['cohort'].id}/certificates")
    assert issued.status_code == 302 and f"cohort={c['cohort'].id}" in issued.headers["Location"]
    listing = client.get(issued.headers["Location"]).get_data(as_text=True)
    assert "MH-" in listing
