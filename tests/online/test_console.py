"""The organiser's online section: the page, saving the online part, inviting, sending join links."""
from __future__ import annotations

from tests.fixtures.online import STREAM


def test_organiser_sets_up_online_part_and_invites(client, db_session, online_event, create_organisation,
                                                    create_user, create_registration, login_as):
    from app.notifications.models import InboxMessage
    from app.online import invitations, parts

    event = online_event()
    registration = create_registration(event)
    university = create_organisation(kind="university", name="上海交通大学")
    student = create_user()
    login_as(event.test_organiser)
    page = client.get(f"/console/events/{event.id}/online")
    assert page.status_code == 200 and STREAM in page.text and "上海交通大学" in page.text
    bad = client.post(f"/console/events/{event.id}/online", data={
        "part-stream_url": "javascript:alert(1)", "part-reveal_minutes": "30", "part-attended_minutes": "30"})
    assert bad.status_code == 400 and parts.part_of(event).stream_url == STREAM
    saved = client.post(f"/console/events/{event.id}/online", data={
        "part-stream_url": "https://live.bilibili.com/4711", "part-access_code": "", "part-reveal_minutes": "15",
        "part-attended_minutes": "45", "part-replay_url": ""})
    assert saved.status_code == 302
    db_session.expire_all()
    part = parts.part_of(event)
    assert (part.stream_url, part.reveal_minutes, part.attended_minutes) == ("https://live.bilibili.com/4711", 15, 45)
    assert client.post(f"/console/events/{event.id}/online/universities",
                       data={"uni-organisation_ids": str(university.id)}).status_code == 302
    assert [i.organisation_id for i in invitations.university_invitations(event)] == [university.id]
    assert client.post(f"/console/events/{event.id}/online/people",
                       data={"people-mobiles": student.mobile}).status_code == 302
    assert db_session.query(InboxMessage).filter_by(user_id=student.id, kind="online_invitation").count() == 1
    assert client.post(f"/console/events/{event.id}/online/join-links").status_code == 302
    assert db_session.query(InboxMessage).filter_by(user_id=registration.user_id, kind="online_join").count() == 1
    login_as(student)
    mine = client.get("/me/invitations")
    assert event.title in mine.text
    assert client.post(f"/me/invitations/{event.id}/register").status_code == 302


def _xlsx(rows) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_clerks_workbook_of_mobile_numbers_invites_all_or_nothing(client, db_session, online_event, create_user,
                                                                    login_as):
    import io

    from app.online.models import PersonInvitation

    event = online_event(invited_only=True)
    first, second = create_user(), create_user()
    login_as(event.test_organiser)
    url = f"/console/events/{event.id}/online/people"

    def post(body: bytes):
        return client.post(url, data={"people-file": (io.BytesIO(body), "名单.xlsx")},
                           content_type="multipart/form-data")

    unknown = post(_xlsx([["手机号"], [first.mobile], ["13900000000"], [second.mobile]]))
    assert unknown.status_code == 400 and ("第 3 行" in unknown.text or "row(s) 3;" in unknown.text)
    assert db_session.query(PersonInvitation).count() == 0
    broken = post(b"PK\x03\x04 not a workbook")
    assert broken.status_code == 400 and db_session.query(PersonInvitation).count() == 0
    assert post(_xlsx([["手机号"], [first.mobile], [None], [int(second.mobile)]])).status_code == 302
    invited = {i.user_id for i in db_session.query(PersonInvitation).filter_by(event_id=event.id)}
    assert invited == {first.id, second.id}
