"""Monthly attendance: the host's contact confirms present and absent days within the month's
working days, corrects them (audited), and a month unconfirmed on the 6th of the next month is
overdue (the 5th is still in time), read from the rows in one query."""
from datetime import date

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.errors import Conflict, InvalidInput, PermissionDenied
from app.traineeships import months
from app.traineeships.models import MonthlyAttendance, Placement


def test_working_days_and_months_of_a_placement(placed_batch):
    made = placed_batch(trainees=(1,), starts_on=date(2026, 7, 15), ends_on=date(2026, 9, 10))
    p = made.placements[0]
    assert months.months_of(p) == [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)]
    assert months.working_days(p, date(2026, 7, 1)) == 13  # 15–31 July 2026: Wed 15th … Fri 31st
    assert months.working_days(p, date(2026, 8, 1)) == 21
    assert months.working_days(p, date(2026, 9, 1)) == 8
    assert months.due_on(date(2026, 12, 1)) == date(2027, 1, 5)


def test_confirm_then_correct_keeps_history(db_session, placed_batch):
    made = placed_batch(trainees=(1,))
    p, contact = made.placements[0], made.contacts[0]
    row = months.confirm_month(contact, p, "2026-07", present_days=20, absent_days=3, note="病假3天",
                               today=date(2026, 8, 2))
    db_session.commit()
    again = months.confirm_month(contact, p, date(2026, 7, 20), present_days=21, absent_days=2,
                                 today=date(2026, 8, 3))
    db_session.commit()
    assert again.id == row.id and (again.present_days, again.absent_days) == (21, 2)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(MonthlyAttendance)) == 1
    actions = list(db_session.scalars(sa.select(AuditEntry).where(AuditEntry.subject_type == "Placement",
                                                                  AuditEntry.subject_id == p.id)
                                      .order_by(AuditEntry.id)))
    assert [a.action for a in actions] == ["traineeship.month_confirmed", "traineeship.month_corrected"]
    assert actions[1].detail["before"] == {"present_days": 20, "absent_days": 3, "note": "病假3天"}


@pytest.mark.parametrize("values, field", [
    (dict(present_days=24, absent_days=0), "present_days"),      # July 2026 has 23 working days
    (dict(present_days=20, absent_days=4), "absent_days"),       # together over 23
    (dict(present_days=-1, absent_days=0), "present_days"),
    (dict(present_days="20", absent_days=0), "present_days"),
    (dict(present_days=True, absent_days=0), "present_days"),
    (dict(present_days=1, absent_days=0, note="长" * 301), "note"),
])
def test_bad_days_are_refused(db_session, placed_batch, values, field):
    made = placed_batch(trainees=(1,))
    with pytest.raises(InvalidInput) as refused:
        months.confirm_month(made.contacts[0], made.placements[0], "2026-07", today=date(2026, 8, 2), **values)
    assert field in refused.value.fields


def test_months_outside_the_placement_or_not_over_are_refused(placed_batch):
    made = placed_batch(trainees=(1,))
    p, contact = made.placements[0], made.contacts[0]
    for month in ("2026-06", "2026-10", "2026-13", "junk", None):
        with pytest.raises(InvalidInput):
            months.confirm_month(contact, p, month, present_days=1, absent_days=0, today=date(2026, 12, 1))
    with pytest.raises(InvalidInput):  # July is not over on the 30th
        months.confirm_month(contact, p, "2026-07", present_days=1, absent_days=0, today=date(2026, 7, 30))


def test_only_the_hosts_own_contact_confirms(placed_batch, create_user):
    made = placed_batch(trainees=(1, 1))
    theirs = made.placements[1]
    for outsider in (made.contacts[0], made.organiser, create_user("admin"), create_user()):
        with pytest.raises(PermissionDenied):
            months.confirm_month(outsider, theirs, "2026-07", present_days=1, absent_days=0, today=date(2026, 8, 2))


def test_withdrawn_placements_are_not_confirmed(db_session, placed_batch):
    made = placed_batch(trainees=(1,))
    p = made.placements[0]
    p.status = "withdrawn"
    db_session.commit()
    with pytest.raises(Conflict):
        months.confirm_month(made.contacts[0], p, "2026-07", present_days=1, absent_days=0, today=date(2026, 8, 2))


def test_overdue_on_the_sixth_not_on_the_fifth(db_session, placed_batch):
    made = placed_batch(trainees=(2, 1))
    done = made.placements[0]
    months.confirm_month(made.contacts[0], done, "2026-07", present_days=23, absent_days=0, today=date(2026, 8, 1))
    db_session.commit()
    batch_only = Placement.batch_id == made.batch.id
    assert months.unconfirmed_months(batch_only, first=made.batch.starts_on, today=date(2026, 7, 30)) == []
    on_fifth = months.unconfirmed_months(batch_only, first=made.batch.starts_on, today=date(2026, 8, 5))
    assert {(m.placement.id, m.month, m.overdue) for m in on_fifth} == {
        (made.placements[1].id, date(2026, 7, 1), False), (made.placements[2].id, date(2026, 7, 1), False)}
    on_sixth = months.unconfirmed_months(batch_only, first=made.batch.starts_on, today=date(2026, 8, 6))
    assert {(m.placement.id, m.overdue) for m in on_sixth} == {(made.placements[1].id, True),
                                                               (made.placements[2].id, True)}
    assert [m.host.id for m in on_sixth] == sorted([m.host.id for m in on_sixth],
                                                   key=lambda h: [x.id for x in made.hosts].index(h))
    # The host portal's view: its own placements only.
    theirs = months.unconfirmed_months(Placement.host_id.in_([made.hosts[1].id]), first=date(2026, 1, 1),
                                       today=date(2026, 10, 1))
    assert {(m.placement.id, m.month) for m in theirs} == {(made.placements[2].id, date(2026, m, 1))
                                                           for m in (7, 8, 9)}
    # Checked against the rows: every unconfirmed, finished month of every attending placement.
    everything = months.unconfirmed_months(batch_only, first=date(2026, 1, 1), today=date(2026, 12, 31))
    rows = {(r.placement_id, r.month) for r in db_session.scalars(sa.select(MonthlyAttendance))}
    expected = {(p.id, m) for p in made.placements for m in months.months_of(p)} - rows
    assert {(m.placement.id, m.month) for m in everything} == expected and all(m.overdue for m in everything)
