"""The demo participant (李玥, 13800138000) has 我的码 out of the box: /me/code opens, her phone gets a
credential, and her code is accepted at the next lesson of her camp."""
from __future__ import annotations

import sqlalchemy as sa

from app.checkin import services as checkin
from app.cohorts.camps.models import Enrolment
from app.cohorts.lessons.models import Lesson
from app.demo.loader import load_demo
from app.demo.people import DEMO_PARTICIPANT, DEMO_PASSWORD
from app.events.models import EventSession
from app.accounts.services import find_by_mobile
from app.extensions import db
from app.tickets.models import CodeAuthorityKey
from app.timeutil import utcnow
from tests.conftest import login
from tests.fixtures.person_codes import Phone


def test_the_demo_participant_shows_her_code_at_her_camp_lesson(app, client, db_session):
    load_demo(participants=40, seed=2026, echo=lambda *a, **k: None)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CodeAuthorityKey)) >= 1
    li = find_by_mobile(DEMO_PARTICIPANT["mobile"])
    login(client, li, DEMO_PASSWORD)
    assert client.get("/me/code").status_code == 200
    phone = Phone(li)
    phone.get_credential_online(client)
    lesson = db.session.scalar(
        sa.select(Lesson).join(Enrolment, Enrolment.cohort_id == Lesson.cohort_id)
        .join(EventSession, EventSession.id == Lesson.session_id)
        .where(Enrolment.user_id == li.id, EventSession.starts_at > utcnow()).order_by(EventSession.starts_at))
    assert lesson is not None, "the demo participant has a camp lesson to come"
    at = lesson.starts_at
    phone.get_credential(now=at)  # the day of the lesson: her phone renewed its credential online
    decision = checkin.scan(checkin.session_checkpoint(lesson.session), phone.code(at), scanned_at=at, now=at)
    assert decision.result.value == "ok" and decision.registration.user_id == li.id
