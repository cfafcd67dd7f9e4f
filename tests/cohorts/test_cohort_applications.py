"""Camp applications and selection: the credit code check, the form and its window, pitch decks,
one application per cycle, weighted scores of several reviewers, ranking, selection against
capacities, notifications, permissions and the console pages."""
from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from app import file_store, private_files
from app.audit.models import AuditEntry
from app.cohorts.camps import services as cohorts
from app.cohorts.selection import applications as apps
from app.cohorts.models import Application, ApplicationHistory
from app.errors import Conflict, InvalidInput, PermissionDenied
from app.file_store.models import StoredFile
from app.notifications.models import OutboxMessage
from app.notifications.services import message_body
from app.timeutil import utcnow

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def uscc(first17: str) -> str:
    return first17 + apps.uscc_check_character(first17)


def form(**changes) -> dict:
    values = {
        "name": "张创业", "mobile": "13912345678", "email": "founder@example.com", "id_number": "",
        "company_name": "上海闵行智造科技有限公司", "uscc": uscc("91310112MA1GBUG2X"),
        "founded_on": "2024-05-20", "industry": "ai", "team_size": "12", "funding_stage": "angel",
        "business_plan": "我们为中小制造企业提供基于视觉检测的质检SaaS，已服务闵行区十二家工厂，"
                         "计划两年内覆盖长三角三百家企业，并完成A轮融资。" * 2,
    }
    values.update(changes)
    return values


def pdf_upload(data: bytes = PDF, name: str = "deck.pdf") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name, content_type="application/pdf")


def open_applications(cycle, db_session):
    cycle.applications_open_at = utcnow() - timedelta(days=1)
    cycle.applications_close_at = utcnow() + timedelta(days=14)
    db_session.commit()
    return cycle


@pytest.fixture
def camp(db_session, create_cohort, create_user):
    """An open cycle with an incubation cohort of 2 places and a growth cohort of 3."""
    incubation = create_cohort("incubation", capacity=2)
    growth = create_cohort("growth", capacity=3, cycle=incubation.cycle)
    open_applications(incubation.cycle, db_session)
    incubation.growth = growth
    return incubation


def submit(cycle, tier, user, db_session, **changes):
    deck = changes.pop("pitch_deck", None)
    application = apps.apply(user, cycle, tier, pitch_deck=deck, **form(**changes))
    db_session.commit()
    return application


def count(db_session, model) -> int:
    return db_session.scalar(sa.select(sa.func.count()).select_from(model))


# -- 统一社会信用代码 -------------------------------------------------------------------------
def test_unified_social_credit_code_check_character():
    # real companies' codes (Huawei, Tencent) and one a test computes
    for code in ("914403001922038216", "9144030071526726XG", "91350100M000100Y43", uscc("91310112MA1GBUG2X")):
        assert apps.validate_uscc(code), code
    assert apps.uscc_check_character("91440300192203821") == "6"
    assert apps.validate_uscc(" 9144 0300 7152 6726xg ")  # spaces and lower case are tidied
    assert not apps.validate_uscc("914403001922038217")  # wrong check character
    assert not apps.validate_uscc("9144030071526726XH")
    assert not apps.validate_uscc("91440300192203821")  # 17 characters
    assert not apps.validate_uscc("9144030019220382161")
    for letter in "IOZSV":  # not in the 31-character alphabet
        assert not apps.validate_uscc("9144030071526726X" + letter)
        assert not apps.validate_uscc(uscc("91310112MA1GBUG2X")[:10] + letter + "0000000")
    assert not apps.validate_uscc("") and not apps.validate_uscc(None)


# -- applying -------------------------------------------------------------------------------
def test_every_field_is_checked_with_a_translated_message_and_nothing_is_kept(db_session, camp, create_user):
    founder = create_user()
    bad = form(name="", mobile="1234", email="not-an-email", id_number="310101199001011230",
               company_name="x", uscc="91310112MA1GBUG2XA", founded_on="2099-01-01", industry="casino",
               team_size="0", funding_stage="series-z", business_plan="太短")
    with pytest.raises(InvalidInput) as error:
        apps.apply(founder, camp.cycle, None, **bad)
    assert set(error.value.fields) == {"tier_id", "name", "mobile", "email", "id_number", "company_name", "uscc",
                                       "founded_on", "industry", "team_size", "funding_stage", "business_plan"}
    assert str(error.value.fields["uscc"]) == "统一社会信用代码无效（应为18位，请核对最后一位）。"
    db_session.rollback()
    assert count(db_session, Application) == 0
    with pytest.raises(InvalidInput) as error:  # a tier of the programme without a cohort in this cycle
        acceleration = next(t for t in camp.cycle.programme.tiers if t.code == "acceleration")
        apps.apply(founder, camp.cycle, acceleration, **form(founded_on="not a date", team_size="many"))
    assert set(error.value.fields) == {"tier_id", "founded_on", "team_size"}
    db_session.rollback()
    application = submit(camp.cycle, camp.tier, founder, db_session, uscc="9131 0112 ma1g bug2 x" +
                         apps.uscc_check_character("91310112MA1GBUG2X").lower(), mobile="+86 139-1234-5678")
    assert application.uscc == uscc("91310112MA1GBUG2X") and application.mobile == "13912345678"
    assert application.status == "submitted" and application.founded_on == date(2024, 5, 20)


def test_applications_only_while_the_window_is_open(db_session, create_cohort, create_user):
    cohort = create_cohort()
    founder = create_user()
    with pytest.raises(Conflict) as error:  # no window set
        apps.apply(founder, cohort.cycle, cohort.tier, **form())
    assert error.value.code == "applications_closed"
    cohort.cycle.applications_open_at = utcnow() + timedelta(days=1)
    db_session.commit()
    with pytest.raises(Conflict):
        apps.apply(founder, cohort.cycle, cohort.tier, **form())
    cohort.cycle.applications_open_at = utcnow() - timedelta(days=10)
    cohort.cycle.applications_close_at = utcnow() - timedelta(days=1)
    db_session.commit()
    with pytest.raises(Conflict):
        apps.apply(founder, cohort.cycle, cohort.tier, **form())
    db_session.rollback()
    open_applications(cohort.cycle, db_session)
    application = submit(cohort.cycle, cohort.tier, founder, db_session)
    cohort.cycle.applications_close_at = utcnow() - timedelta(minutes=1)
    db_session.commit()
    with pytest.raises(Conflict):  # closed: no more changes by the applicant
        apps.update(founder, application, cohort.tier, **form(company_name="改名公司"))
    with pytest.raises(Conflict):
        apps.withdraw(founder, application)


def test_one_application_per_person_per_cycle(db_session, camp, create_user):
    founder = create_user()
    first = submit(camp.cycle, camp.tier, founder, db_session)
    with pytest.raises(Conflict) as error:
        apps.apply(founder, camp.cycle, camp.growth.tier, **form())
    assert error.value.code == "already_applied"
    db_session.rollback()
    apps.update(founder, first, camp.growth.tier, **form(team_size="15"))
    db_session.commit()
    assert first.tier_id == camp.growth.tier_id and first.team_size == 15
    apps.withdraw(founder, first, "先专注融资")
    db_session.commit()
    again = submit(camp.cycle, camp.tier, founder, db_session)
    assert again.id == first.id and again.status == "submitted"
    assert [(h.old_status, h.new_status) for h in apps.history(again)] == [
        (None, "submitted"), ("submitted", "withdrawn"), ("withdrawn", "submitted")]
    assert count(db_session, Application) == 1


def test_pitch_deck_must_be_a_pdf_of_at_most_10_mb(app, db_session, camp, create_user, client, login_as):
    founder, other = create_user(), create_user()
    stored = sa.select(sa.func.count()).select_from(StoredFile)
    before = db_session.scalar(stored)
    with pytest.raises(InvalidInput) as error:  # a PNG named .pdf
        apps.apply(founder, camp.cycle, camp.tier, pitch_deck=pdf_upload(PNG, "deck.pdf"), **form())
    assert set(error.value.fields) == {"pitch_deck"}
    with pytest.raises(InvalidInput):  # one byte too large
        big = PDF + b"0" * (app.config["MAX_PITCH_DECK_BYTES"] - len(PDF) + 1)
        apps.apply(founder, camp.cycle, camp.tier, pitch_deck=pdf_upload(big), **form())
    with pytest.raises(InvalidInput) as error:  # a good deck with a bad field: nothing is stored either
        apps.apply(founder, camp.cycle, camp.tier, pitch_deck=pdf_upload(), **form(uscc="123"))
    assert set(error.value.fields) == {"uscc"}
    db_session.rollback()
    assert db_session.scalar(stored) == before and count(db_session, Application) == 0

    application = submit(camp.cycle, camp.tier, founder, db_session, pitch_deck=pdf_upload(name="路演.PDF"))
    assert private_files.exists(application.pitch_deck) and application.pitch_deck.endswith(".pdf")
    assert b"".join(file_store.chunks(application.pitch_deck, file_store.PRIVATE)) == PDF
    assert not file_store.exists(application.pitch_deck, file_store.IMAGE)
    url = f"/camps/applications/{application.id}/pitch-deck.pdf"
    assert client.get(url).status_code == 302  # sign in first
    assert client.get(f"/uploads/{application.pitch_deck}").status_code == 404  # not a public upload
    login_as(other)
    assert client.get(url).status_code == 403
    login_as(founder)
    response = client.get(url)
    assert response.status_code == 200 and response.data == PDF and response.mimetype == "application/pdf"
    assert "no-store" in response.headers["Cache-Control"]
    login_as(camp.trainers[0])  # a trainer of the cycle reviews
    assert client.get(url).status_code == 200


# -- scores and ranking ---------------------------------------------------------------------
RUBRIC = [{"name": "商业模式", "weight": 3, "max_score": 10}, {"name": "团队", "weight": 1, "max_score": 5}]


def test_weighted_scores_of_two_reviewers_are_combined(db_session, camp, create_user):
    runner, trainer = camp.runner, camp.trainers[0]
    a, b = apps.set_rubric(runner, camp.cycle, RUBRIC)
    db_session.commit()
    application = submit(camp.cycle, camp.tier, create_user(), db_session)
    apps.score(runner, application, {a.id: 8, b.id: 5}, "模式清晰")   # (3·0.8 + 1·1.0) / 4 = 85
    apps.score(trainer, application, {str(a.id): "6", str(b.id): "2"})  # (3·0.6 + 1·0.4) / 4 = 55
    db_session.commit()
    combined = apps.combined_scores(camp.cycle, [application.id])[application.id]
    assert combined.reviewers == 2 and combined.score == pytest.approx(70.0)
    assert sorted(round(r.total, 6) for r in combined.reviews) == [55.0, 85.0]
    apps.score(trainer, application, {a.id: 7.5, b.id: 2})  # scoring again replaces the reviewer's scores
    db_session.commit()
    assert apps.combined_scores(camp.cycle, [application.id])[application.id].score == pytest.approx(
        (85 + (3 * 0.75 + 0.4) / 4 * 100) / 2)

    for bad in ({a.id: 11, b.id: 1}, {a.id: 8}, {a.id: -1, b.id: 1}, {a.id: "八", b.id: 1}, {a.id: 7.3, b.id: 1}):
        with pytest.raises(InvalidInput):
            apps.score(runner, application, bad)
        db_session.rollback()
    with pytest.raises(PermissionDenied):  # an organiser of another department
        apps.score(create_user("organiser", department="talent_center"), application, {a.id: 1, b.id: 1})
    with pytest.raises(PermissionDenied):  # a judge who is no trainer of the cycle
        apps.score(create_user("judge"), application, {a.id: 1, b.id: 1})
    with pytest.raises(InvalidInput):  # a scored criterion cannot be removed, nor its maximum lowered
        apps.set_rubric(runner, camp.cycle, [{"id": a.id, "name": "商业模式", "weight": 3, "max_score": 10}])
    db_session.rollback()
    with pytest.raises(InvalidInput) as error:
        apps.set_rubric(runner, camp.cycle, [{"id": a.id, "name": "商业模式", "weight": 3, "max_score": 5},
                                             {"id": b.id, "name": "团队", "weight": 0, "max_score": 5}])
    assert set(error.value.fields) == {"criteria-0-max_score", "criteria-1-weight"}


def test_ranking_by_combined_score_ties_to_the_earlier_submission(db_session, camp, create_user):
    runner = camp.runner
    (criterion,) = apps.set_rubric(runner, camp.cycle, [{"name": "综合", "weight": 1, "max_score": 10}])
    db_session.commit()
    early, late, best, unscored = (submit(camp.cycle, camp.tier, create_user(), db_session) for _ in range(4))
    early.submitted_at = utcnow() - timedelta(hours=3)
    late.submitted_at = utcnow() - timedelta(hours=1)
    unscored.submitted_at = utcnow() - timedelta(hours=5)
    for application, value in ((late, 7), (early, 7), (best, 9)):
        apps.score(runner, application, {criterion.id: value})
    db_session.commit()
    rows = apps.ranking(camp.cycle, camp.tier)
    assert [r.application.id for r in rows] == [best.id, early.id, late.id, unscored.id]
    assert [r.rank for r in rows] == [1, 2, 3, 4]
    assert rows[0].combined.score == pytest.approx(90) and rows[3].combined.score is None


# -- selection ------------------------------------------------------------------------------
def test_selection_respects_the_cohorts_capacity(db_session, camp, create_user):
    runner = camp.runner
    a, b, c = (submit(camp.cycle, camp.tier, create_user(), db_session) for _ in range(3))
    g = submit(camp.cycle, camp.growth.tier, create_user(), db_session)
    with pytest.raises(Conflict) as error:  # 3 for 2 places: nobody of the batch is admitted
        apps.decide(runner, [a, b, c, g], "admitted", "欢迎")
    assert error.value.code == "not_enough_places"
    db_session.rollback()
    assert {x.status for x in (a, b, c, g)} == {"submitted"}
    assert cohorts.enrolled_count(camp) == 0 and cohorts.enrolled_count(camp.growth) == 0

    result = apps.decide(runner, [a, b, g], "admitted", "欢迎加入")
    db_session.commit()
    assert result == {"changed": 3, "skipped": 0}
    assert cohorts.enrolled_count(camp) == 2 and apps.places_left(camp) == 0 and apps.places_left(camp.growth) == 2
    enrolment = apps.enrolment_for(a)
    assert enrolment.cohort_id == camp.id and enrolment.company == a.company_name and enrolment.active
    assert a.decided_by_id == runner.id and a.decision_note == "欢迎加入" and a.decided_at is not None

    assert apps.decide(runner, [c], "waitlisted") == {"changed": 1, "skipped": 0}
    db_session.commit()
    with pytest.raises(Conflict):  # the cohort is full
        apps.decide(runner, [c], "admitted")
    db_session.rollback()
    assert apps.decide(runner, [a, c], "waitlisted") == {"changed": 0, "skipped": 2}  # admitted / unchanged
    db_session.rollback()
    cohorts.withdraw(runner, enrolment, reason="公司迁出闵行")
    db_session.commit()
    assert apps.decide(runner, [c], "admitted")["changed"] == 1
    db_session.commit()
    assert cohorts.enrolled_count(camp) == 2 and c.status == "admitted"
    assert [(h.old_status, h.new_status) for h in apps.history(c)] == [
        (None, "submitted"), ("submitted", "waitlisted"), ("waitlisted", "admitted")]
    decided = db_session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "application.decide")).all()
    assert len(decided) == 5
    with pytest.raises(InvalidInput):
        apps.decide(runner, [g], "promoted")
    with pytest.raises(PermissionDenied):
        apps.decide(create_user("organiser", department="talent_center"), [g], "rejected")


def test_applicants_are_notified(db_session, camp, create_user):
    founder = create_user(email="chuangye@example.com")
    other = create_user()
    application = submit(camp.cycle, camp.tier, founder, db_session)
    rejected = submit(camp.cycle, camp.tier, other, db_session)
    apps.decide(camp.runner, [application], "admitted", "请按时报到")
    apps.decide(camp.runner, [rejected], "rejected", "商业计划尚不成熟")
    db_session.commit()
    messages = db_session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [(m.user_id, m.kind) for m in messages] == [
        (founder.id, "application_received"), (other.id, "application_received"),
        (founder.id, "application_admitted"), (other.id, "application_rejected")]
    assert messages[0].to_address == "chuangye@example.com" and messages[1].status == "unsent"
    admitted = message_body(messages[2])
    assert "恭喜" in admitted and camp.name in admitted and "请按时报到" in admitted
    assert "/camps/applications" in admitted
    assert apps.enrolment_for(application).registration.ticket_secret in admitted  # the QR credential
    assert messages[2].registration_id == apps.enrolment_for(application).registration_id
    assert "商业计划尚不成熟" in message_body(messages[3])
    assert "已收到" in message_body(messages[0])


# -- pages ----------------------------------------------------------------------------------
def test_a_founder_applies_from_a_phone_and_sees_the_status(client, db_session, camp, create_user, login_as):
    founder = create_user(name="王创")
    page = client.get(f"/camps/{camp.cycle.id}")
    assert page.status_code == 200 and "创业孵化营" in page.text
    assert client.get(f"/camps/{camp.cycle.id}/apply").status_code == 302  # sign in first
    login_as(founder)
    assert "王创" in client.get(f"/camps/{camp.cycle.id}/apply?tier={camp.tier_id}").text
    data = form(tier_id=str(camp.tier_id), uscc="91310112MA1GBUG2XA")
    response = client.post(f"/camps/{camp.cycle.id}/apply", data=data, content_type="multipart/form-data")
    assert response.status_code == 200 and "统一社会信用代码无效" in response.text
    too_big = PDF + b"0" * (11 * 1024 * 1024)  # over the form's own request limit: refused at the door
    data = form(tier_id=str(camp.tier_id), pitch_deck=(io.BytesIO(too_big), "deck.pdf"))
    assert client.post(f"/camps/{camp.cycle.id}/apply", data=data,
                       content_type="multipart/form-data").status_code == 413
    deck = PDF + b"0" * (9 * 1024 * 1024 + 512 * 1024)  # 9.5 MB: more than other forms take (8 MB)
    data = form(tier_id=str(camp.tier_id), pitch_deck=(io.BytesIO(deck), "deck.pdf"))
    response = client.post(f"/camps/{camp.cycle.id}/apply", data=data, content_type="multipart/form-data")
    assert response.status_code == 302 and response.headers["Location"].endswith("/camps/applications")
    db_session.expire_all()
    application = apps.application_of(founder, camp.cycle)
    assert application.pitch_deck and application.status == "submitted"
    assert file_store.size(application.pitch_deck, file_store.PRIVATE) == len(deck)
    assert client.get(f"/camps/{camp.cycle.id}/apply").headers["Location"].endswith(
        f"/camps/applications/{application.id}/edit")
    mine = client.get("/camps/applications").text
    assert "已提交" in mine and "上海闵行智造科技有限公司" in mine
    apps.decide(camp.runner, [application], "admitted")
    db_session.commit()
    mine = client.get("/camps/applications").text
    assert "已录取" in mine and camp.name in mine
    response = client.post(f"/camps/applications/{application.id}/withdraw")  # admitted: not by the founder
    assert response.status_code == 302
    db_session.expire_all()
    assert application.status == "admitted"


def test_console_permissions(client, db_session, camp, create_user, login_as):
    founder, nosy = create_user(), create_user()
    application = submit(camp.cycle, camp.tier, founder, db_session)
    cycle_id = camp.cycle.id
    pages = [f"/console/cycles/{cycle_id}/applications", f"/console/applications/{application.id}",
             f"/console/cycles/{cycle_id}/ranking", f"/console/cycles/{cycle_id}/rubric",
             f"/console/cycles/{cycle_id}/applications.xlsx", f"/console/applications/{application.id}/score"]
    login_as(create_user("organiser", department="talent_center"))  # not the programme's department
    for url in pages:
        assert client.get(url).status_code == 403, url
    assert client.post(f"/console/cycles/{cycle_id}/decide",
                       data={"ids": [application.id], "action": "rejected"}).status_code == 403
    login_as(nosy)
    for url in pages:
        assert client.get(url).status_code == 403, url
    assert client.get(f"/camps/applications/{application.id}/edit").status_code == 404
    assert "上海闵行智造科技有限公司" not in client.get("/camps/applications").text
    login_as(camp.trainers[0])  # a trainer of the cycle reviews but does not decide
    assert client.get(f"/console/applications/{application.id}").status_code == 200
    assert client.get(f"/console/cycles/{cycle_id}/rubric").status_code == 403
    assert client.post(f"/console/cycles/{cycle_id}/decide",
                       data={"ids": [application.id], "action": "rejected"}).status_code == 403
    db_session.expire_all()
    assert application.status == "submitted"


def test_console_pages_render_and_act(client, db_session, camp, create_user, login_as):
    from openpyxl import load_workbook

    a = submit(camp.cycle, camp.tier, create_user(), db_session, id_number="11010519491231002X",
               pitch_deck=pdf_upload())
    b = submit(camp.cycle, camp.tier, create_user(), db_session, mobile="13700001111",
               company_name="浦江生物医药有限公司")
    login_as(camp.runner)
    cycle_id = camp.cycle.id
    assert "2026–2027" in client.get("/console/camps").text
    response = client.post(f"/console/cycles/{cycle_id}/rubric", data={
        "rows": "3", "criteria-0-name": "商业模式", "criteria-0-weight": "3", "criteria-0-max_score": "10",
        "criteria-1-name": "团队", "criteria-1-weight": "1", "criteria-1-max_score": "5",
        "criteria-2-name": "", "criteria-2-weight": "", "criteria-2-max_score": ""})
    assert response.status_code == 302
    criteria = apps.rubric(camp.cycle)
    assert [(c.name, c.weight, c.max_score) for c in criteria] == [("商业模式", 3, 10), ("团队", 1, 5)]
    bad = client.post(f"/console/cycles/{cycle_id}/rubric", data={
        "rows": "1", "criteria-0-id": str(criteria[0].id), "criteria-0-name": "商业模式",
        "criteria-0-weight": "0", "criteria-0-max_score": "10"})
    assert bad.status_code == 200 and "权重" in bad.text
    assert len(apps.rubric(camp.cycle)) == 2
    assert client.get(f"/console/applications/{a.id}/score").status_code == 200
    response = client.post(f"/console/applications/{a.id}/score",
                           data={f"score-{criteria[0].id}": "8", f"score-{criteria[1].id}": "5", "comment": "好"})
    assert response.status_code == 302
    bad = client.post(f"/console/applications/{b.id}/score",
                      data={f"score-{criteria[0].id}": "12", f"score-{criteria[1].id}": "5"})
    assert bad.status_code == 200 and "0 到 10" in bad.text
    listing = client.get(f"/console/cycles/{cycle_id}/applications?tier={camp.tier_id}&status=submitted").text
    assert "139****5678" in listing and "13912345678" not in listing and "<td>85 <span" in listing
    detail = client.get(f"/console/applications/{a.id}").text
    assert "110***********002X" in detail and "pitch-deck.pdf" in detail and "<strong>85</strong>" in detail
    ranking = client.get(f"/console/cycles/{cycle_id}/ranking?tier={camp.tier_id}").text
    assert "剩余 2 个名额" in ranking and ranking.index(a.company_name) < ranking.index(b.company_name)
    response = client.post(f"/console/cycles/{cycle_id}/decide",
                           data={"ids": [a.id, b.id], "action": "admitted", "note": "欢迎"})
    assert response.status_code == 302
    db_session.expire_all()
    assert a.status == b.status == "admitted" and apps.places_left(camp) == 0
    assert "剩余 0 个名额" in client.get(f"/console/cycles/{cycle_id}/ranking?tier={camp.tier_id}").text
    xlsx = client.get(f"/console/cycles/{cycle_id}/applications.xlsx")
    assert xlsx.status_code == 200
    cells = [str(c.value) for row in load_workbook(io.BytesIO(xlsx.data)).active.iter_rows() for c in row]
    assert "137****1111" in cells and "13700001111" not in cells and "110***********002X" in cells
    full = client.get(f"/console/cycles/{cycle_id}/applications.xlsx?full=1")
    cells = [str(c.value) for row in load_workbook(io.BytesIO(full.data)).active.iter_rows() for c in row]
    assert "13700001111" in cells
    exports = db_session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "applications.export")).all()
    assert [e.detail["full_values"] for e in exports] == [False, True]
    assert count(db_session, ApplicationHistory) == 4


def test_the_larger_upload_limit_is_set_before_csrf_protection_reads_the_form(app):
    from app.cohorts.selection.views import allow_pitch_decks

    names = [f.__name__ for f in app.before_request_funcs[None]]
    assert names.index(allow_pitch_decks.__name__) < names.index("csrf_protect")
    assert app.config["MAX_CONTENT_LENGTH"] < app.config["MAX_PITCH_DECK_BYTES"] \
        < app.config["MAX_APPLICATION_REQUEST_BYTES"]


# -- concurrency ----------------------------------------------------------------------------
@pytest.mark.concurrency
def test_batches_admitted_at_once_never_overfill_a_cohort(app, db_session, camp, create_user):
    from tests.racing import race

    capacity = camp.capacity + 1  # 3 places
    camp.capacity = camp.event.capacity = capacity
    db_session.commit()
    chosen = [submit(camp.cycle, camp.tier, create_user(), db_session).id for _ in range(6)]
    batches = [chosen[0:2], chosen[2:4], chosen[4:6]]
    runner_id = camp.runner.id

    def admit(ids):
        from app.accounts.models import User
        from app.extensions import db

        found = [db.session.get(Application, i) for i in ids]
        return apps.decide(db.session.get(User, runner_id), found, "admitted")["changed"]

    results, errors = race(app, admit, batches, 3)
    assert results == [2] and len(errors) == 2 and all("NotEnoughPlaces" in e for e in errors)
    db_session.expire_all()
    assert cohorts.enrolled_count(camp) == 2
    statuses = sorted(db_session.get(Application, i).status for i in chosen)
    assert statuses == ["admitted"] * 2 + ["submitted"] * 4


@pytest.mark.concurrency
def test_the_same_person_submitting_twice_at_once_gets_one_application(app, db_session, camp, create_user):
    from tests.racing import race

    founder_id, cycle_id, tier_id = create_user().id, camp.cycle.id, camp.tier_id

    def attempt(_):
        from app.accounts.models import User
        from app.cohorts.camps.models import Tier
        from app.extensions import db

        return apps.apply(db.session.get(User, founder_id), cohorts.get_cycle(cycle_id),
                          db.session.get(Tier, tier_id), **form()).status

    results, errors = race(app, attempt, range(4), 4)
    assert results == ["submitted"] and len(errors) == 3
    assert all("AlreadyApplied" in e for e in errors), errors
    assert count(db_session, Application) == 1


def test_demo_applications_fill_a_cycle_and_select_from_the_ranking(db_session, camp, create_user):
    from app.demo.applications import load_applications

    applicants = [create_user() for _ in range(14)]
    counts = load_applications(camp.cycle, camp.runner, applicants)
    db_session.commit()
    assert counts == {"applications": 11, "admitted": 5, "waitlisted": 6, "rejected": 0}  # 2·1.5+2, 3·1.5+2
    assert apps.places_left(camp) == 0 and apps.places_left(camp.growth) == 0
    assert len(apps.rubric(camp.cycle)) == 4
    for application in apps.applications(camp.cycle):
        assert apps.validate_uscc(application.uscc)
        assert apps.combined_scores(camp.cycle, [application.id])[application.id].reviewers >= 2
    ranked = apps.ranking(camp.cycle, camp.tier)
    assert [r.application.status for r in ranked][:2] == ["admitted", "admitted"]
    assert load_applications(camp.cycle, camp.runner, applicants) == {"applications": 0}


# -- words (issue 12, defect 9 and the review scores) --------------------------------------------
def test_a_cycle_badge_tells_its_application_phase_in_one_consistent_word(client, db_session, create_cohort,
                                                                          login_as):
    """A cycle without dates showed 申请已截止 beside 申请：尚未公布, and an open one read 申报开始."""
    cycle = create_cohort("incubation").cycle
    login_as(create_cohort("growth", cycle=cycle).runner)
    wrong = ("申报开始", "申报截止", "尚未公布")

    def pages():
        return [client.get("/camps").get_data(as_text=True), client.get("/console/camps").get_data(as_text=True),
                client.get(f"/camps/{cycle.id}").get_data(as_text=True)]

    listing, console, detail = pages()  # no dates yet
    for page in (listing, console):
        assert "申请时间待公布" in page and "申请已截止" not in page and "正在接受申请" not in page
    assert "申请时间: 待公布" in detail
    assert not any(w in p for w in wrong for p in (listing, console, detail))

    cycle.applications_open_at = utcnow() + timedelta(days=3)  # announced, not open yet
    db_session.commit()
    listing, console, _detail = pages()
    for page in (listing, console):
        assert "开始接受申请" in page and "申请已截止" not in page and "待公布" not in page
    assert "申请时间: " in listing

    open_applications(cycle, db_session)
    listing, console, _detail = pages()
    for page in (listing, console):
        assert "正在接受申请" in page and "申请已截止" not in page
        assert not any(w in page for w in wrong)

    cycle.applications_close_at = utcnow() - timedelta(hours=1)
    cycle.applications_open_at = utcnow() - timedelta(days=10)
    db_session.commit()
    listing, console, _detail = pages()
    for page in (listing, console):
        assert "申请已截止" in page and "正在接受申请" not in page and "待公布" not in page


def test_review_scores_show_two_decimals_like_everywhere_else(client, db_session, camp, create_user, login_as):
    """Combined scores and reviewers' weighted totals were shown with one decimal (75.6, 66.2)."""
    runner, trainer = camp.runner, camp.trainers[0]
    a, b = apps.set_rubric(runner, camp.cycle, RUBRIC)
    application = submit(camp.cycle, camp.tier, create_user(), db_session)
    apps.score(runner, application, {a.id: 8, b.id: 5})      # 85
    apps.score(trainer, application, {a.id: 7.5, b.id: 2})   # (3·0.75 + 1·0.4) / 4 = 66.25
    db_session.commit()                                      # combined (85 + 66.25) / 2 = 75.625
    login_as(runner)
    cycle_id = camp.cycle.id
    listing = client.get(f"/console/cycles/{cycle_id}/applications").get_data(as_text=True)
    detail = client.get(f"/console/applications/{application.id}").get_data(as_text=True)
    ranking = client.get(f"/console/cycles/{cycle_id}/ranking?tier={camp.tier_id}").get_data(as_text=True)
    for page in (listing, detail, ranking):
        assert "75.63" in page and not re.search(r"75\.6(?!3)", page)
    assert "<td>66.25</td>" in detail and "66.2<" not in detail and "<td>85</td>" in detail
    assert "<td>7.5</td>" in detail
