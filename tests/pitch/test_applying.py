"""Applying: the company's USCC is checked (or the company is to be founded), the returnee rules
stored on the competition are checked with every failing reason listed, the deck must be a PDF."""
from __future__ import annotations

import pytest

from app.timeutil import utcnow
from tests.fixtures.pitch import deck


def test_every_failing_reason_is_listed_and_nothing_is_kept(db_session, pitch, create_user):
    from app.errors import InvalidInput
    from app.pitch import services as ps
    from app.pitch.models import PitchEntry

    user = create_user(name="周博士")
    with pytest.raises(InvalidInput) as refused:
        ps.apply(user, pitch.competition, project="智能传感", company_name="上海某某科技有限公司",
                 uscc="91310112000000000X", country="美国", degree="bachelor", return_year=utcnow().year - 9,
                 business_plan="太短", deck=None)
    db_session.rollback()
    assert {"uscc", "degree", "return_year", "business_plan", "pitch_deck"} <= set(refused.value.fields)
    assert db_session.query(PitchEntry).count() == 0


def test_a_company_to_be_founded_and_a_pending_registration(db_session, pitch, create_user):
    from app.pitch import services as ps

    user = create_user(name="吴海归")
    entry = ps.apply(user, pitch.competition, project="脑机接口康复", company_name="上海拟设脑科技有限公司",
                     to_be_founded=True, country="德国", degree="doctor", return_year=utcnow().year,
                     business_plan="面向卒中康复的脑机接口训练系统，计划在闵行设立公司。", deck=deck())
    db_session.commit()
    assert entry.to_be_founded and entry.uscc is None and entry.organisation_id is None
    assert entry.registration.status == "pending" and entry.number == 1 and ps.deck_path(entry) is not None
