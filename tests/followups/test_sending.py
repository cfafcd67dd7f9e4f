"""When surveys are due, and the daily job that makes and sends them."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.followups.models import FollowupSurvey
from app.followups.sending import due_surveys
from app.followups.settings import add_months
from tests.fixtures.followups import CAMP_END, PITCH_FINAL, TRAINEESHIP_END


def _surveys(db_session):
    return list(db_session.scalars(sa.select(FollowupSurvey).order_by(FollowupSurvey.id)))


def _due(day):
    return {(p.user_id, p.programme.kind, months, on) for p, months, on in due_surveys(day)}


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(date(2025, 6, 30), 6) == date(2025, 12, 30)
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2025, 9, 30), 12) == date(2026, 9, 30)


def test_due_at_6_and_12_months_for_each_kind(app, ended_programmes):
    e = ended_programmes
    camp = {(u.id, "camp", 6, date(2025, 12, 30)) for u in e.founders}
    traineeship = {(u.id, "traineeship", 6, date(2026, 3, 30)) for u in e.trainees}
    pitch = {(u.id, "pitch", 6, date(2025, 11, 20)) for u in e.entrants}
    assert _due(date(2025, 11, 19)) == set()  # nobody yet: the pitch's six months end the next day
    assert _due(date(2025, 11, 20)) == pitch
    assert _due(date(2025, 12, 30)) == pitch | camp
    assert _due(date(2026, 3, 30)) == traineeship  # the others' six months are more than 60 days ago
    pitch_12 = {(u.id, "pitch", 12, date(2026, 5, 20)) for u in e.entrants}
    assert _due(date(2026, 5, 20)) == pitch_12 | traineeship  # a job that did not run catches up...
    assert _due(date(2026, 6, 30)) == {(u.id, "camp", 12, date(2026, 6, 30)) for u in e.founders} | pitch_12
    assert _due(date(2026, 9, 30)) == {(u.id, "traineeship", 12, date(2026, 9, 30)) for u in e.trainees}
    # the withdrawn founder, the withdrawn trainee and the refused entrant are never asked
    left_out = {e.withdrawn_founder.id, e.withdrawn_trainee.id, e.refused_entrant.id}
    assert not {u for u, *_ in _due(date(2025, 12, 30)) | _due(date(2026, 3, 30))} & left_out
    assert add_months(CAMP_END, 12) == date(2026, 6, 30) and add_months(TRAINEESHIP_END, 6) == date(2026, 3, 30)
    assert add_months(PITCH_FINAL, 6) == date(2025, 11, 20)


def test_send_due_is_idempotent_and_queues_inbox_sms_and_mail(app, db_session, ended_programmes, send_surveys):
    from app.followups.links import read_token
    from app.notifications.models import InboxMessage, OutboxMessage
    from app.notifications.sms.models import SmsMessage

    e = ended_programmes
    e.founders[0].email = "founder0@example.com"
    db_session.commit()
    assert send_surveys(date(2025, 12, 30))["sent"] == 4  # two entrants (pitch), two founders (camp)
    assert send_surveys(date(2025, 12, 30))["sent"] == 0
    assert send_surveys(date(2025, 12, 31))["sent"] == 0  # the next day: nothing new
    surveys = _surveys(db_session)
    assert len(surveys) == 4 and {s.status for s in surveys} == {"sent"}
    founder_survey = next(s for s in surveys if s.user_id == e.founders[0].id)
    assert founder_survey.founder and founder_survey.months_after == 6 and founder_survey.label.endswith(e.cohort.name)
    sms = db_session.scalars(sa.select(SmsMessage).where(SmsMessage.kind == "followup_survey")).all()
    assert sorted(m.user_id for m in sms) == sorted(s.user_id for s in surveys)
    link = next(m for m in sms if m.user_id == e.founders[0].id).params["link"]
    assert link.startswith(app.config["PUBLIC_BASE_URL"] + "/f/")
    assert read_token(link.rsplit("/", 1)[1]) == (founder_survey.id, e.founders[0].id)
    inbox = db_session.scalars(sa.select(InboxMessage).where(InboxMessage.kind == "followup_survey")).all()
    assert len(inbox) == 4 and all(m.link == "/me/followups" for m in inbox)
    mail = db_session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "followup_survey")).all()
    assert [m.to_address for m in mail if m.to_address] == ["founder0@example.com"]
    from app.notifications.services import message_body
    assert link in message_body(next(m for m in mail if m.to_address))


def test_a_survey_made_elsewhere_meanwhile_is_not_made_twice(app, db_session, ended_programmes, send_surveys):
    """Two runs at once: the second one's insert meets the unique key and skips that person."""
    from app.followups import sending

    first = due_surveys(date(2025, 11, 20))
    assert send_surveys(date(2025, 11, 20))["sent"] == 2
    person, months, on = first[0]
    assert sending._make_and_send(person, months, on) is False
    db_session.commit()
    assert len(_surveys(db_session)) == 2


def test_organisers_months_replace_the_default_and_are_audited(app, db_session, ended_programmes, send_surveys):
    from app.audit.models import AuditEntry
    from app.errors import InvalidInput, PermissionDenied
    from app.followups.programmes import get_programme
    from app.followups.settings import months_of, set_months
    import pytest

    e = ended_programmes
    camp = get_programme("camp", e.cohort.id)
    with pytest.raises(PermissionDenied):
        set_months(e.talent_organiser, camp, "3")  # another department's cohort
    for bad in ("0", "61", "six", "1 2 3 4 5 6 7", "3" * 70, None):
        with pytest.raises(InvalidInput):
            set_months(e.camp_runner, camp, bad)
    assert set_months(e.camp_runner, camp, "9，3") == [3, 9]
    db_session.commit()
    assert months_of(camp) == [3, 9]
    assert send_surveys(date(2025, 9, 30))["sent"] == 2  # three months after the camp
    assert {s.months_after for s in _surveys(db_session)} == {3}
    assert _due(date(2025, 12, 30)) == {(u.id, "pitch", 6, date(2025, 11, 20)) for u in e.entrants}
    entry = db_session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "followups.months")).one()
    assert entry.detail["months"] == [3, 9] and entry.detail["before"] == [6, 12]
    set_months(e.camp_runner, camp, "")
    assert months_of(camp) == [6, 12]


def test_unanswered_surveys_expire(app, db_session, ended_programmes, send_surveys):
    from datetime import timedelta

    from app.timeutil import local_today

    today = local_today()
    e = ended_programmes
    # the survey was sent today (sent_at is the real time); it closes FOLLOWUP_ANSWER_DAYS later
    send_surveys(date(2025, 11, 20))
    assert send_surveys(today + timedelta(days=60))["expired"] == 0
    assert send_surveys(today + timedelta(days=61))["expired"] == 2
    assert {s.status for s in _surveys(db_session) if s.programme_kind == "pitch"} == {"expired"}
    assert e.entrants
