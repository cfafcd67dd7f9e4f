"""Applying: the company's USCC is checked (or the company is to be founded), the returnee rules
stored on the competition are checked with every failing reason listed, the deck must be a PDF."""
from __future__ import annotations

import io

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
    assert entry.registration.status == "pending" and entry.number == 1 and ps.deck_name(entry) is not None


def test_the_entry_form_lists_every_problem_and_then_takes_the_entry(client, db_session, pitch, create_user,
                                                                     login_as):
    from app.pitch.models import PitchEntry
    from tests.fixtures.organisations import uscc_for
    from tests.fixtures.pitch import PDF

    login_as(create_user(name="郑海归"))
    url = f"/pitch/{pitch.competition.id}/apply"
    assert client.get(url).status_code == 200
    bad = client.post(url, data={"project": "光子芯片", "company_name": "上海光芯科技有限公司", "uscc": "123",
                                 "degree": "bachelor", "return_year": "1999", "business_plan": "短"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 200 and db_session.query(PitchEntry).count() == 0
    assert "统一社会信用代码" in page and "PDF" in page
    good = client.post(url, content_type="multipart/form-data", data={
        "project": "光子芯片", "company_name": "上海光芯科技有限公司", "uscc": uscc_for(808), "country": "美国",
        "degree": "doctor", "return_year": "2025", "member-0-name": "王工", "member-0-employer": "上海光芯科技有限公司",
        "business_plan": "硅基光子芯片设计，面向数据中心光互连，已获天使轮融资。",
        "pitch_deck": (io.BytesIO(PDF), "deck.pdf")})
    assert good.status_code == 302 and good.headers["Location"].endswith("/pitch/mine")
    entry = db_session.query(PitchEntry).one()
    assert entry.members[0].name == "王工" and entry.registration.status == "pending"
