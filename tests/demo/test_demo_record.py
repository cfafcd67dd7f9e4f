"""The demo participant of the README (13800138000, 李玥) has a talent record spanning an event,
a camp, a competition and a certificate, and a statement of it prints."""
from __future__ import annotations

import sqlalchemy as sa

from app.accounts.models import User
from app.demo.loader import load_demo
from app.extensions import db
from app.person.record import timeline


def test_the_demo_participant_has_a_record_across_programmes(app, db_session):
    load_demo(participants=60, seed=2026, echo=lambda *a, **k: None)
    person = db.session.scalar(sa.select(User).where(User.mobile == "13800138000"))
    with app.test_request_context():
        record = timeline.build(person)
    kinds = {item.kind for item in record.items}
    assert {"camp", "competition", "certificate"} <= kinds
    assert kinds & {"event", "online_event"}
    assert record.summary.events_attended >= 1 and record.summary.certificates >= 1
