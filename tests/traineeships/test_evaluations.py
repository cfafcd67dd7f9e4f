"""The host's evaluations on the batch's rubric, the trainee's feedback, completion and
withdrawal (the seat on the batch's event released, the trainee told)."""
from datetime import date

import pytest
import sqlalchemy as sa

from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.notifications.models import InboxMessage, OutboxMessage
from app.notifications.services import message_body
from app.transitions import changes_of
from app.traineeships import endings, evaluations

FULL = {"discipline": 25, "skills": 20, "attitude": 18, "teamwork": 22}


@pytest.mark.parametrize("scores, bad", [
    ({"discipline": 25, "skills": 20, "attitude": 18}, {"scores.teamwork"}),
    (dict(FULL, skills=26), {"scores.skills"}),
    (dict(FULL, skills=-1), {"scores.skills"}),
    (dict(FULL, skills=2.5), {"scores.skills"}),
    (dict(FULL, skills=True), {"scores.skills"}),
    (dict(FULL, skills="abc"), {"scores.skills"}),
    (dict(FULL, charm=5), {"scores.charm"}),
    ("25,20,18,22", {"scores"}),
    ({}, {"scores.discipline", "scores.skills", "scores.attitude", "scores.teamwork"}),
])
def test_rubric_every_criterion_required_and_in_range(placed_batch, scores, bad):
    made = placed_batch(trainees=(1,))
    with pytest.raises(InvalidInput) as refused:
        evaluations.evaluate(made.contacts[0], made.placements[0], "mid", scores, today=date(2026, 8, 15))
    assert set(refused.value.fields) == bad


def test_mid_then_final_once_each_by_the_own_host(db_session, placed_batch, create_user):
    made = placed_batch(trainees=(1, 1))
    p, contact = made.placements[0], made.contacts[0]
    with pytest.raises(PermissionDenied):
        evaluations.evaluate(made.contacts[1], p, "mid", FULL, today=date(2026, 8, 15))
    with pytest.raises(Conflict):  # not begun
        evaluations.evaluate(contact, p, "mid", FULL, today=date(2026, 6, 30))
    with pytest.raises(Conflict):  # the mid-term first
        evaluations.evaluate(contact, p, "final", FULL, today=date(2026, 9, 20))
    with pytest.raises(InvalidInput):
        evaluations.evaluate(contact, p, "halfway", FULL, today=date(2026, 8, 15))
    mid = evaluations.evaluate(contact, p, "mid", dict(FULL, skills="20"), comment="认真", today=date(2026, 8, 15))
    assert mid.scores["skills"] == 20 and evaluations.total(mid) == 85
    db_session.commit()
    with pytest.raises(Conflict):
        evaluations.evaluate(contact, p, "mid", FULL, today=date(2026, 8, 16))
    evaluations.evaluate(contact, p, "final", FULL, today=date(2026, 9, 25))
    assert set(evaluations.evaluations_of(p)) == {"mid", "final"}


def test_feedback_once_after_the_final_evaluation_or_the_end(db_session, placed_batch):
    made = placed_batch(trainees=(2,))
    p, other = made.placements
    with pytest.raises(Conflict):
        evaluations.give_feedback(p.user, p, rating=5, today=date(2026, 8, 1))
    with pytest.raises(NotFound):
        evaluations.give_feedback(other.user, p, rating=5, today=date(2026, 10, 1))
    for rating in (0, 6, "5", None):
        with pytest.raises(InvalidInput):
            evaluations.give_feedback(p.user, p, rating=rating, today=date(2026, 10, 1))
    evaluations.give_feedback(p.user, p, rating=4, text="收获很大", today=date(2026, 9, 30))
    db_session.commit()
    with pytest.raises(Conflict):
        evaluations.give_feedback(p.user, p, rating=5, today=date(2026, 10, 1))
    evaluations.evaluate(made.contacts[0], other, "mid", FULL, today=date(2026, 8, 15))
    evaluations.evaluate(made.contacts[0], other, "final", FULL, today=date(2026, 9, 1))
    assert evaluations.give_feedback(other.user, other, rating=5, today=date(2026, 9, 2)).rating == 5


def test_withdrawal_by_the_bureau_releases_the_seat_and_tells_the_trainee(db_session, placed_batch, create_user):
    made = placed_batch(trainees=(1,))
    made.placements[0].user.email = "trainee@example.com"  # takes mail
    p = made.placements[0]
    with pytest.raises(PermissionDenied):
        endings.withdraw(made.contacts[0], p, reason="本人申请")
    with pytest.raises(PermissionDenied):
        endings.withdraw(create_user("organiser", department="skills"), p, reason="本人申请")
    with pytest.raises(InvalidInput):
        endings.withdraw(made.organiser, p, reason=" ")
    endings.withdraw(made.organiser, p, reason="已找到正式工作", by_trainee=True)
    db_session.commit()
    assert p.status == "withdrawn" and p.withdrawn_reason == "已找到正式工作" and p.withdrawn_at
    assert not p.registration.is_active
    assert changes_of(p)[-1].note == "trainee: 已找到正式工作"
    notice = db_session.scalar(sa.select(InboxMessage).where(InboxMessage.user_id == p.user_id))
    assert notice.kind == "traineeship_withdrawn"
    mail = db_session.scalar(sa.select(OutboxMessage).where(OutboxMessage.user_id == p.user_id,
                                                            OutboxMessage.kind == "traineeship_withdrawn"))
    body = message_body(mail)
    assert mail.template == "traineeship" and made.hosts[0].name in body and "已找到正式工作" in body
    with pytest.raises(Conflict):
        endings.withdraw(made.organiser, p, reason="再次")


def test_completion_needs_the_end_and_the_final_evaluation(db_session, placed_batch):
    made = placed_batch(trainees=(2,))
    p, q = made.placements
    contact = made.contacts[0]
    with pytest.raises(Conflict):
        endings.complete(made.organiser, p, today=date(2026, 10, 1))  # no final evaluation
    for placement in (p, q):
        evaluations.evaluate(contact, placement, "mid", FULL, today=date(2026, 8, 15))
    evaluations.evaluate(contact, p, "final", FULL, today=date(2026, 9, 25))
    with pytest.raises(Conflict):
        endings.complete(made.organiser, p, today=date(2026, 9, 29))  # not ended
    with pytest.raises(PermissionDenied):
        endings.complete(contact, p, today=date(2026, 10, 1))
    done = endings.complete_batch(made.organiser, made.batch, made.placements, today=date(2026, 10, 1))
    assert done == [p] and p.status == "completed" and q.status == "confirmed"
