import io
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from PIL import Image

from app.errors import InvalidInput
from app.events.models import Event, Series
from app.lifecycle import agenda
from app.registrations import services as reg
from app.timeutil import to_local, utcnow
from tests.conftest import login


def _form(department_id, **kw):
    data = {"title": "海聚英才·全球创新创业峰会", "kind": "forum", "series_id": "0",
            "department_id": str(department_id), "venue": "闵行区会议中心", "address": "沪闵路6258号",
            "starts_at": "2026-12-18T09:00", "ends_at": "2026-12-18T17:30", "description": "峰会议程",
            "capacity": "200"}
    data.update(kw)
    return data


def test_organiser_creates_publishes_duplicates_and_cancels(app, client, db_session, create_user, departments):
    organiser = create_user("organiser")
    login(client, organiser)
    response = client.post("/console/events/new", data=_form(departments["talent_center"].id))
    assert response.status_code == 302
    event = db_session.scalar(sa.select(Event))
    assert event.status == "draft" and event.capacity == 200
    # typed as Shanghai time, stored as UTC
    assert event.starts_at.hour == 1 and to_local(event.starts_at).hour == 9
    visitor = app.test_client()
    assert visitor.get(f"/events/{event.id}").status_code == 404  # drafts are not public
    assert client.get(f"/events/{event.id}").status_code == 200  # ...but their organisers see them

    assert client.post(f"/console/events/{event.id}/publish").status_code == 302
    db_session.expire_all()
    assert event.status == "published" and visitor.get(f"/events/{event.id}").status_code == 200

    response = client.post(f"/console/events/{event.id}/duplicate")
    copy = db_session.scalar(sa.select(Event).where(Event.id != event.id))
    assert copy.status == "draft" and copy.title.startswith(event.title)

    assert client.post(f"/console/events/{event.id}/cancel", data={"reason": "天气原因"}).status_code == 302
    db_session.expire_all()
    assert event.status == "cancelled" and event.cancel_reason == "天气原因"


def test_organiser_manages_only_own_departments(client, db_session, create_user, create_event, departments):
    organiser = create_user("organiser", department="talent_center")
    foreign = create_event(department=departments["skills"])
    login(client, organiser)
    assert client.get(f"/console/events/{foreign.id}").status_code == 403
    assert client.post(f"/console/events/{foreign.id}/cancel", data={}).status_code == 403
    assert client.get(f"/console/events/{foreign.id}/registrations.xlsx").status_code == 403
    response = client.post("/console/events/new", data=_form(departments["skills"].id))
    assert response.status_code == 200
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Event)) == 1
    listing = client.get("/console/events").get_data(as_text=True)
    assert foreign.title not in listing


def test_participants_cannot_open_the_console(client, create_user):
    login(client, create_user())
    assert client.get("/console/events").status_code == 403


def test_invalid_event_form_changes_nothing(client, db_session, create_user, departments):
    login(client, create_user("admin"))
    response = client.post("/console/events/new", data=_form(
        departments["talent_center"].id, ends_at="2026-12-18T08:00", capacity="0"))
    assert response.status_code == 200
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_cover_upload_is_checked(client, db_session, create_user, departments):
    login(client, create_user("admin"))
    buffer = io.BytesIO()
    Image.new("RGB", (320, 180), "red").save(buffer, "PNG")
    ok = _form(departments["talent_center"].id)
    ok["cover"] = (io.BytesIO(buffer.getvalue()), "cover.png")
    assert client.post("/console/events/new", data=ok, content_type="multipart/form-data").status_code == 302
    event = db_session.scalar(sa.select(Event))
    assert event.cover_image.endswith(".png")
    assert client.get(f"/uploads/{event.cover_image}").status_code == 200

    bad = _form(departments["talent_center"].id, title="伪装的图片")
    bad["cover"] = (io.BytesIO(b"<?php echo 1; ?>"), "cover.jpg")
    response = client.post("/console/events/new", data=bad, content_type="multipart/form-data")
    assert response.status_code == 200
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Event)) == 1

    huge = _form(departments["talent_center"].id, title="太大")
    huge["cover"] = (io.BytesIO(b"\0" * (9 * 1024 * 1024)), "big.png")
    response = client.post("/console/events/new", data=huge, content_type="multipart/form-data")
    assert response.status_code == 413


def test_public_filters_by_series_kind_and_date(client, db_session, create_event):
    week = Series(slug="talent-week-2026", name="2026人才闵行周")
    db_session.add(week)
    db_session.commit()
    day = utcnow() + timedelta(days=10)
    forum = create_event(title="开幕论坛", kind="forum", series=week, starts_at=day)
    fair = create_event(title="专场招聘会", kind="job_fair", starts_at=day + timedelta(days=2))
    create_event(title="已结束的宣讲", starts_at=utcnow() - timedelta(days=3))

    def titles(query):
        html = client.get("/" + query).get_data(as_text=True)
        return {t for t in ("开幕论坛", "专场招聘会", "已结束的宣讲") if t in html}

    assert titles("") == {"开幕论坛", "专场招聘会"}
    assert titles(f"?series={week.id}") == {"开幕论坛"}
    assert titles("?kind=job_fair") == {"专场招聘会"}
    assert titles(f"?date={to_local(fair.starts_at).date().isoformat()}") == {"专场招聘会"}
    assert titles("?past=1") == {"开幕论坛", "专场招聘会", "已结束的宣讲"}
    series_page = client.get("/series/talent-week-2026").get_data(as_text=True)
    assert "开幕论坛" in series_page and "专场招聘会" not in series_page
    assert forum.series_id == week.id


def test_event_page_shows_seats_and_agenda(client, db_session, create_event, create_user):
    event = create_event(capacity=1)
    admin = create_user("admin")
    agenda.save_session(admin, event, title="政策解读专场", starts_at=event.starts_at,
                        ends_at=event.starts_at + timedelta(hours=1), room="201会议室", capacity=30)
    reg.register(create_user(), event)
    db_session.commit()
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "政策解读专场" in html and "201会议室" in html


def test_console_registrations_bulk_approve_and_export(client, db_session, create_event, create_user):
    event = create_event(capacity=1, requires_approval=True)
    organiser = create_user("organiser")
    regs = [reg.register(create_user(), event) for _ in range(3)]
    db_session.commit()
    login(client, organiser)
    page = client.get(f"/console/events/{event.id}/registrations").get_data(as_text=True)
    assert regs[0].user.name in page and regs[0].user.mobile not in page
    response = client.post(f"/console/events/{event.id}/registrations/bulk",
                           data={"ids": [str(r.id) for r in regs[:2]], "action": "approve"})
    assert response.status_code == 302
    db_session.expire_all()
    assert [r.status for r in regs] == ["confirmed", "waitlisted", "pending"]


def test_console_agenda_questions_and_series_forms(client, db_session, create_event, create_user):
    from app.events.models import EventSession, Question
    from app.timeutil import local_to_utc

    # the sessions below fall inside the event's day (a session outside it is refused)
    event = create_event(starts_at=local_to_utc(datetime(2026, 12, 18, 9)),
                         ends_at=local_to_utc(datetime(2026, 12, 18, 17)))
    login(client, create_user("organiser"))
    url = f"/console/events/{event.id}"
    bad = client.post(url + "/sessions/new", data={"title": "分论坛", "starts_at": "2026-12-18T10:00",
                                                  "ends_at": "2026-12-18T09:00"})
    assert bad.status_code == 200 and db_session.scalar(sa.select(sa.func.count()).select_from(EventSession)) == 0
    ok = client.post(url + "/sessions/new", data={"title": "分论坛", "starts_at": "2026-12-18T10:00",
                                                 "ends_at": "2026-12-18T11:00", "room": "B201", "capacity": "40"})
    assert ok.status_code == 302 and ok.headers["Location"].endswith("#agenda")
    session = db_session.scalar(sa.select(EventSession))
    assert session.capacity == 40 and to_local(session.starts_at).hour == 10

    bad = client.post(url + "/questions/new", data={"label": "午餐", "kind": "single", "choices": "需要 | 很多"})
    assert bad.status_code == 200 and db_session.scalar(sa.select(sa.func.count()).select_from(Question)) == 0
    ok = client.post(url + "/questions/new", data={"label": "午餐", "kind": "single", "choices": "需要 | 80\n不需要"})
    assert ok.status_code == 302
    assert db_session.scalar(sa.select(Question)).choices == [{"label": "需要", "limit": 80},
                                                              {"label": "不需要", "limit": None}]

    bad = client.post("/console/series/new", data={"name": "海聚英才", "slug": "Not A Slug", "department_id": "0"})
    assert bad.status_code == 200 and db_session.scalar(sa.select(sa.func.count()).select_from(Series)) == 0
    ok = client.post("/console/series/new", data={"name": "海聚英才", "slug": "haiju",
                                                  "department_id": str(event.department_id)})
    assert ok.status_code == 302 and db_session.scalar(sa.select(Series.slug)) == "haiju"


def test_an_organiser_cannot_take_over_or_add_to_another_departments_series(client, db_session, create_event,
                                                                           create_user, departments):
    """Issue 11, finding 2: an organiser of 区人才中心 renamed, re-slugged and moved 技能人才培育's
    series to their own department, and put an event on it through the API. Series belong to
    their department: its organisers (and admins) edit it and add events to it."""
    from app.events import services as ev
    from app.events.models import Event
    from tests.fixtures.accounts import api_headers

    skills = create_user("organiser", department="skills")
    theirs = ev.save_series(skills, name="2026技能人才培育", slug="skills-2026", department=departments["skills"])
    db_session.commit()
    intruder = create_user("organiser", department="talent_center")
    login(client, intruder)
    assert client.get(f"/console/series/{theirs.id}").status_code == 403
    taken = client.post(f"/console/series/{theirs.id}", data={
        "name": "被改名", "slug": "taken-over", "department_id": str(departments["talent_center"].id)})
    assert taken.status_code == 403
    db_session.expire_all()
    assert (theirs.name, theirs.slug, theirs.department_id) == ("2026技能人才培育", "skills-2026",
                                                                departments["skills"].id)
    listing = client.get("/console/series").get_data(as_text=True)
    assert "2026技能人才培育" in listing and f"/console/series/{theirs.id}" not in listing

    body = {"title": "借别人系列的活动", "kind": "forum", "venue": "闵行区人才服务中心", "department": "talent_center",
            "starts_at": "2026-12-18T09:00:00+08:00", "ends_at": "2026-12-18T11:00:00+08:00",
            "series": theirs.id, "status": "published"}
    api = client.post("/api/v1/events", json=body, headers=api_headers(client, intruder))
    assert api.status_code == 422 and "series_id" in api.json["fields"]
    assert client.post("/api/v1/events", json=dict(body, series="skills-2026"),
                       headers=api_headers(client, intruder)).status_code == 422
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Event).where(Event.series_id == theirs.id)) == 0

    # editing one's own event onto the series is refused too; the series' own organisers may
    own = create_event(department=departments["talent_center"])
    with pytest.raises(InvalidInput):
        ev.update_event(intruder, own, series_id=theirs.id)
    db_session.rollback()
    assert db_session.get(Event, own.id).series_id is None
    with pytest.raises(InvalidInput):  # nor can a series be given to a department one does not run
        ev.save_series(intruder, name="新系列", slug="new-series", department=departments["skills"])
    mine = ev.create_event(skills, title="技能大赛宣讲", kind="forum", venue="实训基地",
                           department_id=departments["skills"].id, series_id=theirs.id,
                           starts_at=own.starts_at, ends_at=own.ends_at)
    assert mine.series_id == theirs.id
    admin = create_user("admin")
    assert ev.update_event(admin, own, series_id=theirs.id).series_id == theirs.id


def test_a_session_outside_its_event_is_refused_with_a_message(client, db_session, create_event, create_user):
    """Issue 12, defect 7: a session dated outside its event's time was saved without a word."""
    from app.errors import InvalidInput
    from app.events.models import EventSession
    from app.timeutil import local_to_utc

    event = create_event(starts_at=local_to_utc(datetime(2026, 12, 18, 9)),
                         ends_at=local_to_utc(datetime(2026, 12, 18, 17)))
    organiser = create_user("organiser")
    db_session.commit()
    for start, end, fields in ((datetime(2026, 12, 19, 10), datetime(2026, 12, 19, 11), {"starts_at", "ends_at"}),
                               (datetime(2026, 12, 18, 8), datetime(2026, 12, 18, 10), {"starts_at"}),
                               (datetime(2026, 12, 18, 16), datetime(2026, 12, 18, 18), {"ends_at"})):
        with pytest.raises(InvalidInput) as refused:
            agenda.save_session(organiser, event, title="分论坛", starts_at=local_to_utc(start), ends_at=local_to_utc(end))
        assert set(refused.value.fields) == fields
    db_session.rollback()
    login(client, organiser)
    page = client.post(f"/console/events/{event.id}/sessions/new",
                       data={"title": "分论坛", "starts_at": "2026-12-19T10:00", "ends_at": "2026-12-19T11:00"})
    assert page.status_code == 200
    assert "场次须在活动时间内开始（2026-12-18 09:00 – 2026-12-18 17:00）" in page.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(EventSession)) == 0
    ok = agenda.save_session(organiser, event, title="主论坛", starts_at=event.starts_at, ends_at=event.ends_at)
    assert ok.id
