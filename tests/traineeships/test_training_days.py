"""Training days are meetings on the batch's event: trainees check in with their ticket through
the shared scan service, and the batch reads attendance per trainee from that ledger."""
from datetime import timedelta

import pytest

from app.checkin import links
from app.checkin import services as checkin
from app.errors import InvalidInput, PermissionDenied
from app.tickets import services as tickets
from app.timeutil import utcnow
from app.traineeships import endings, training_days


def test_training_day_attendance_through_the_check_in_service(db_session, placed_batch, create_user):
    made = placed_batch(trainees=(2, 1))
    start = utcnow() - timedelta(minutes=30)
    with pytest.raises(PermissionDenied):
        training_days.save_training_day(made.contacts[0], made.batch, title="开班仪式", starts_at=start,
                                        ends_at=start + timedelta(hours=2))
    with pytest.raises(InvalidInput):
        training_days.save_training_day(made.organiser, made.batch, title="开班仪式", kind="party", starts_at=start,
                                        ends_at=start + timedelta(hours=2))
    day = training_days.save_training_day(made.organiser, made.batch, title="开班仪式暨岗前培训", kind="opening",
                                          starts_at=start, ends_at=start + timedelta(hours=3), place="区人才中心")
    db_session.commit()
    a, b, c = made.placements
    point = checkin.session_checkpoint(day.session)
    assert checkin.scan(point, tickets.ticket_token(a.registration), device="门口").result.value == "ok"
    endings.withdraw(made.organiser, c, reason="个人原因")
    db_session.commit()
    assert checkin.scan(point, tickets.ticket_token(c.registration)).result.value != "ok"
    db_session.commit()
    assert [d.id for d in training_days.training_days(made.batch)] == [day.id]
    seen = training_days.attendance([day], made.placements)
    assert seen[a.id][day.id] is not None and seen[b.id][day.id] is None and c.id not in seen
    secret = training_days.day_scanner(made.organiser, day)
    db_session.commit()
    assert links.link_for_secret(secret).checkpoint_id == point.id
    with pytest.raises(PermissionDenied):
        training_days.day_scanner(create_user("organiser", department="skills"), day)
    edited = training_days.save_training_day(made.organiser, made.batch, title="岗前培训（改期）", starts_at=start,
                                             ends_at=start + timedelta(hours=4), day=day)
    assert edited.id == day.id and edited.title == "岗前培训（改期）"
