"""The console: figures per programme against the rows, the organiser's scope, chart, export, drill-down."""
from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.followups.links import survey_token
from app.followups.models import FollowupSurvey


@pytest.fixture
def answered(db_session, client, ended_programmes, send_surveys):
    """Camp and pitch surveys at six months; the founders answer: one own company in Minhang (500 万元,
    8 people), one outside Minhang (100 万元, 4 people); of the entrants one is employed in Minhang, one
    does not answer. The camp at twelve months: one founder answers, in Minhang."""
    e = ended_programmes
    send_surveys(date(2025, 12, 30))
    answers = {e.founders[0].id: {"working": "own_company_minhang", "organisation": "上海孵化0科技有限公司",
                                  "funding_wan": "500", "team_size": "8"},
               e.founders[1].id: {"working": "outside_minhang", "organisation": "苏州某科技有限公司",
                                  "funding_wan": "100", "team_size": "4"},
               e.entrants[0].id: {"working": "employed_minhang", "organisation": "上海某公司"}}
    for survey in db_session.scalars(sa.select(FollowupSurvey)).all():
        if survey.user_id in answers:
            assert client.post(f"/f/{survey_token(survey)}", data=answers[survey.user_id]).status_code == 302
    send_surveys(date(2026, 6, 30))
    twelve = db_session.scalar(sa.select(FollowupSurvey).where(FollowupSurvey.user_id == e.founders[1].id,
                                                               FollowupSurvey.months_after == 12))
    client.post(f"/f/{survey_token(twelve)}", data={"working": "employed_minhang", "organisation": "上海某公司"})
    db_session.expire_all()
    return e


def test_figures_per_programme_match_the_rows(app, db_session, answered, admin):
    from app.followups.figures import figures, retention_counts

    e = answered
    rows = {(f.programme_kind, f.months_after): f for f in figures(admin)}
    camp6 = rows[("camp", 6)]
    assert (camp6.sent, camp6.answered, camp6.in_minhang) == (2, 2, 1)
    assert camp6.response_rate == 1 and camp6.in_minhang_share == pytest.approx(0.5)
    assert (camp6.funding_sum, camp6.funding_median, camp6.team_sum, camp6.team_median) == (600, 300, 12, 6)
    pitch6 = rows[("pitch", 6)]
    assert (pitch6.sent, pitch6.answered, pitch6.in_minhang, pitch6.funding) == (2, 1, 1, [])
    assert pitch6.response_rate == pytest.approx(0.5)
    pitch12 = rows[("pitch", 12)]  # the pitch's twelve months (2026-05-20) were caught up on 2026-06-30
    camp12 = rows[("camp", 12)]
    assert (camp12.sent, camp12.answered, camp12.in_minhang) == (2, 1, 1)
    assert (pitch12.sent, pitch12.answered) == (2, 0)
    # the same numbers for the plan's targets
    counts = {(c.programme_kind, c.programme_id): c for c in retention_counts(12)}
    assert counts[("camp", e.cohort.id)].in_minhang == 1 and counts[("camp", e.cohort.id)].asked == 2
    assert retention_counts(12, department_ids={e.talent_organiser.departments[0].id}) == \
        [c for c in retention_counts(12) if c.programme_kind == "pitch"]


def test_console_pages_are_scoped_to_the_organisers_departments(app, client, db_session, answered, login_as):
    e = answered
    login_as(e.camp_runner)  # 区就促中心: the camp is theirs, the pitch competition is not
    page = client.get("/console/followups/").get_data(as_text=True)
    assert e.cohort.name in page and e.competition.name not in page
    assert "followup-chart" in page
    assert client.get(f"/console/followups/camp/{e.cohort.id}").status_code == 200
    assert client.get(f"/console/followups/pitch/{e.competition.id}").status_code == 403
    assert client.get(f"/console/followups/pitch/{e.competition.id}/people").status_code == 403
    assert client.post(f"/console/followups/pitch/{e.competition.id}", data={"months": "3"}).status_code == 403
    assert client.get("/console/followups/astronaut/1").status_code == 404
    assert client.get(f"/console/followups/camp/{2**40}").status_code == 404
    assert client.get(f"/console/followups/camp/{e.cohort.id + 999}").status_code == 404


def test_participants_cannot_see_the_console(app, client, answered, login_as):
    login_as(answered.founders[0])
    assert client.get("/console/followups/").status_code == 403
    assert client.get("/console/followups/export.xlsx").status_code == 403


def test_drill_down_masks_phones_and_is_audited(app, client, db_session, answered, login_as):
    from app.audit.models import AuditEntry
    from app.privacy import mask_phone

    e = answered
    login_as(e.camp_runner)
    page = client.get(f"/console/followups/camp/{e.cohort.id}/people").get_data(as_text=True)
    founder = e.founders[0]
    assert founder.name in page and mask_phone(founder.mobile) in page and founder.mobile not in page
    assert "上海孵化0科技有限公司" in page
    entry = db_session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "followups.people_viewed")).one()
    assert entry.actor_id == e.camp_runner.id and entry.detail["count"] == 4


def test_months_form_on_the_programme_page(app, client, db_session, answered, login_as):
    from app.followups.models import FollowupSetting

    e = answered
    login_as(e.camp_runner)
    url = f"/console/followups/camp/{e.cohort.id}"
    bad = client.post(url, data={"months": "0, 99"})
    assert bad.status_code == 422 and db_session.scalar(sa.select(sa.func.count()).select_from(FollowupSetting)) == 0
    assert client.post(url, data={"months": "3, 24"}).status_code == 302
    assert db_session.scalar(sa.select(FollowupSetting.months)) == [3, 24]
    assert 'value="3, 24"' in client.get(url).get_data(as_text=True)


def test_export_has_the_figures_and_is_audited(app, client, db_session, answered, login_as):
    from app.audit.models import AuditEntry

    e = answered
    login_as(e.talent_organiser)  # 区人才中心: the pitch competition (and the traineeship batch, none sent yet)
    response = client.get("/console/followups/export.xlsx")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert [(r[1], r[2], r[3], r[4], r[6]) for r in rows] == [
        (e.competition.name, 6, 2, 1, 1), (e.competition.name, 12, 2, 0, 0)]
    assert db_session.scalar(sa.select(AuditEntry.actor_id).where(AuditEntry.action == "followups.export")) == \
        e.talent_organiser.id
