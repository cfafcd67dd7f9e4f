"""The talent record: every programme's items on /me/record with their figures and links, the
JSON export, and the query count that does not grow with the number of items."""
from __future__ import annotations


from app.person.record import timeline
from tests.conftest import login


def _by_kind(record):
    found = {}
    for item in record.items:
        found.setdefault(item.kind, []).append(item)
    return found


def test_every_source_gives_its_item_with_figures(db_session, record_person):
    record = timeline.build(record_person.person)
    kinds = _by_kind(record)
    assert set(kinds) == {"event", "online_event", "camp_application", "camp", "competition", "studio",
                          "traineeship", "mentoring", "certificate"}
    [onsite] = kinds["event"]
    assert onsite.status == "attended" and onsite.attended and onsite.title == "人才闵行周 开幕论坛"
    [online] = kinds["online_event"]
    assert online.status == "attended"  # four minutes watched, three needed
    assert {f.code: f.text for f in online.figures}["minutes_online"] == "4"
    [camp] = kinds["camp"]
    figures = {f.code: f for f in camp.figures}
    assert (figures["attendance"].done, figures["attendance"].total) == (1, 2)  # away from the first lecture
    assert figures["attendance"].text == "1/2 = 50 %"
    assert camp.status in ("completed", "distinction", "not_completed") and "outcome" in figures
    assert "score" in figures and "rank" in figures
    [application] = kinds["camp_application"]
    assert application.status == "admitted"
    [competition] = kinds["competition"]
    figures = {f.code: f for f in competition.figures}
    assert competition.status == "first" and figures["rank"].text == "1" and "award" in figures
    [studio] = kinds["studio"]
    figures = {f.code: f for f in studio.figures}
    assert figures["attendance"].text == "1/1 = 100 %" and figures["achievements"].text == "1"
    [traineeship] = kinds["traineeship"]
    assert {f.code: f.text for f in traineeship.figures}["evaluation_mid"] == "80/100"
    [mentoring] = kinds["mentoring"]
    assert mentoring.title.startswith("融资路演辅导") and {f.code: f.text for f in mentoring.figures}["rating"] == "5/5"
    [certificate] = kinds["certificate"]
    assert certificate.status == "valid" and certificate.verify_link.endswith(f"/verify/{record_person.certificate.code}")
    summary = record.summary
    assert summary.events_attended == 2 and summary.programmes == 4 and summary.certificates == 1
    assert summary.sessions_total >= 4 and 0 < summary.attendance_percent <= 100


def test_the_page_shows_the_timeline_by_year_with_links(app, client, db_session, record_person):
    login(client, record_person.person)
    html = client.get("/me/record").get_data(as_text=True)
    assert "人才闵行周 开幕论坛" in html and "海聚英才 线上宣讲会" in html and "养老健康照护" in html
    assert "顾国华数控技能大师工作室" in html and "融资路演辅导" in html
    assert "1/2 = 50 %" in html
    assert f'href="/verify/{record_person.certificate.code}"' in html or record_person.certificate.code in html
    assert 'href="/competitions/my"' in html and 'href="/me/traineeships"' in html
    assert "record-year" in html and "record-summary" in html
    assert 'action="/me/record.pdf"' in html and 'href="/me/record.json"' in html


def test_the_json_is_versioned_with_iso_dates_and_codes(client, db_session, record_person):
    login(client, record_person.person)
    response = client.get("/me/record.json")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    data = response.get_json()
    assert data["schema"] == "minhang.talent-record" and data["version"] == 1
    assert data["person"] == {"id": record_person.person.id, "name": "李玥"}
    assert set(data["summary"]) == {"events_attended", "sessions_attended", "sessions_held", "attendance_percent",
                                    "programmes", "certificates"}
    item = next(i for i in data["items"] if i["kind"] == "competition")
    assert item["status"] == "first" and item["status_label"] and item["kind_label"]
    assert len(item["when"]) == 10 and item["when"][4] == "-"
    assert {"code", "label", "text", "done", "total", "value"} <= set(item["figures"][0])
    assert "staff_link" not in item


def test_another_person_sees_nothing_of_it(client, db_session, record_person, create_user):
    login(client, create_user(name="路人"))
    assert "人才闵行周 开幕论坛" not in client.get("/me/record").get_data(as_text=True)
    assert client.get("/me/record.json").get_json()["items"] == []


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get("/me/record").status_code == 302
    assert client.get("/me/record.json").status_code in (302, 401)
