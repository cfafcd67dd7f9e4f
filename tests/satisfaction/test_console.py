"""The console: the figures by occasion (an organiser's departments only) with the chart's data and
the XLSX export (audited), an occasion's page with its comments shown anonymously (reading them
audited), and the templates, which only administrators edit and whose edits never change answers
already given."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from tests.conftest import login
from tests.fixtures.satisfaction import answers


@pytest.fixture
def two_departments(db_session, ended_event, send_satisfaction):
    from app.satisfaction import answering
    from app.satisfaction.models import SatisfactionSurvey

    ours = ended_event(names=("王小明", "李小红"), title="人才政策宣讲会（我们的）")
    theirs = ended_event(department="employment", names=("赵小刚",), title="就业招聘会（别人的）")
    send_satisfaction()
    for user, ratings, comment in ((ours.attendees[0], (5, 4, 4, 5), "希望多办几场"),
                                   (theirs.attendees[0], (2, 2, 2, 2), "别人家的意见")):
        survey = db_session.scalar(sa.select(SatisfactionSurvey).where(SatisfactionSurvey.user_id == user.id))
        answering.answer(survey, answers(survey, *ratings, comment=comment))
    db_session.commit()
    return ours, theirs


def _audits(db_session, action):
    from app.audit.models import AuditEntry

    return db_session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)).all()


def test_an_organiser_sees_the_figures_of_their_departments_only(client, two_departments, create_user):
    ours, theirs = two_departments
    login(client, create_user("organiser", department="talent_center"))
    page = client.get("/console/satisfaction/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert ours.event.title in text and theirs.event.title not in text
    assert "satisfaction-chart" in text and "4.50" in text and "50%" in text
    assert client.get(f"/console/satisfaction/{theirs.event.id}").status_code == 403


def test_a_participant_cannot_open_the_console(client, two_departments):
    ours, _ = two_departments
    login(client, ours.attendees[0])
    assert client.get("/console/satisfaction/").status_code == 403
    assert client.get("/console/satisfaction/export.xlsx").status_code == 403


def test_the_occasion_page_shows_comments_without_names_and_audits_reading_them(db_session, client,
                                                                                two_departments, create_user):
    ours, theirs = two_departments
    login(client, create_user("organiser", department="talent_center"))
    page = client.get(f"/console/satisfaction/{ours.event.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "希望多办几场" in text and "别人家的意见" not in text
    for person in ours.attendees:
        assert person.name not in text and person.mobile not in text and person.mobile[-4:] not in text
    assert "4.50" in text  # the score of its one answer (5+4+4+5)/4
    [audit] = _audits(db_session, "satisfaction.comments_viewed")
    assert audit.detail == {"event_id": ours.event.id, "count": 1}


def test_the_xlsx_has_the_figures_and_its_export_is_audited(db_session, client, two_departments, create_user):
    ours, theirs = two_departments
    organiser = create_user("organiser", department="talent_center")
    login(client, organiser)
    response = client.get("/console/satisfaction/export.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.data))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[1] == (ours.event.title, 2, 1, "50%", 4.5)
    assert len(rows) == 2  # the other department's occasion is not in it
    [audit] = _audits(db_session, "satisfaction.export")
    assert audit.actor_id == organiser.id


def _form(questions):
    data = {}
    for i, q in enumerate(questions):
        data.update({f"key_{i}": q.get("key", ""), f"label_{i}": q["label"], f"kind_{i}": q["kind"],
                     f"choices_{i}": "；".join(q.get("choices", ()))})
        if q.get("required"):
            data[f"required_{i}"] = "y"
    return data


def test_editing_a_template_asks_new_surveys_and_keeps_old_answers(db_session, client, admin, two_departments,
                                                                   ended_event, send_satisfaction):
    from app.satisfaction import questionnaires
    from app.satisfaction.models import SatisfactionSurvey, SurveyAnswer

    ours, _ = two_departments
    old = questionnaires.current_questions("event")
    before = db_session.execute(sa.select(SurveyAnswer.question_key, SurveyAnswer.question, SurveyAnswer.rating)
                                .order_by(SurveyAnswer.id)).all()
    login(client, admin)
    assert client.get("/console/satisfaction/templates/event").status_code == 200
    edited = [dict(old[0], label="总体打分（新）"), *old[1:4],
              {"label": "您是怎么知道这次活动的？", "kind": "single", "choices": ["微信公众号", "朋友推荐"], "required": True}]
    response = client.post("/console/satisfaction/templates/event", data=_form(edited))
    assert response.status_code == 302
    now = questionnaires.latest("event")
    assert now.version == 2 and now.questions[0] == dict(old[0], label="总体打分（新）")
    assert now.questions[4]["kind"] == "single" and now.questions[4]["key"] == "q1"

    # the answers given before keep the questions as they were asked
    assert db_session.execute(sa.select(SurveyAnswer.question_key, SurveyAnswer.question, SurveyAnswer.rating)
                              .order_by(SurveyAnswer.id)).all() == before
    # the surveys sent before still ask version 1; a new occasion asks version 2
    assert {s.template.version for s in db_session.scalars(sa.select(SatisfactionSurvey))} == {1}
    fresh = ended_event(names=("新来的",))
    send_satisfaction()
    survey = db_session.scalar(sa.select(SatisfactionSurvey).where(SatisfactionSurvey.event_id == fresh.event.id))
    assert survey.template.version == 2
    page = client.get("/console/satisfaction/").get_data(as_text=True)
    assert "4.50" in page


@pytest.mark.parametrize("change", [
    {"label_0": "", "label_1": "", "label_2": "", "label_3": ""},  # no rating left
    {"kind_4": "number"},  # not a survey kind
    {"kind_4": "single", "choices_4": "只有一个"},  # one choice
    {"label_0": "长" * 201},
])
def test_a_bad_template_is_refused_and_saves_nothing(db_session, client, admin, change):
    from app.satisfaction import questionnaires

    login(client, admin)
    data = _form(questionnaires.current_questions("event"))
    data.update(change)
    assert client.post("/console/satisfaction/templates/event", data=data).status_code == 422
    assert questionnaires.latest("event") is None


def test_only_administrators_edit_templates(client, create_user):
    login(client, create_user("organiser"))
    assert client.get("/console/satisfaction/templates/event").status_code == 403
    assert client.post("/console/satisfaction/templates/event", data={"label_0": "x", "kind_0": "rating"}).status_code == 403


def test_an_unknown_kind_of_template_is_not_found(client, admin):
    login(client, admin)
    assert client.get("/console/satisfaction/templates/nothing").status_code == 404
