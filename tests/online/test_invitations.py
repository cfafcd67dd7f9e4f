"""Targeted invitations: partner universities' links (counted per university), a list of people,
and the invited-only setting that refuses everyone else with a clear message and a stable code."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.timeutil import utcnow


@pytest.fixture
def universities(create_organisation):
    return [create_organisation(kind="university", name=name, district="闵行区")
            for name in ("上海交通大学", "华东师范大学")]


def test_invited_only_refuses_others_with_a_clear_message(client, db_session, online_event, create_user, login_as):
    from app.errors import ServiceError
    from app.registrations import services as reg

    event = online_event(invited_only=True)
    stranger = create_user()
    with pytest.raises(ServiceError) as refused:
        reg.register(stranger, event)
    assert refused.value.code == "not_invited" and refused.value.http_status == 403
    db_session.rollback()
    login_as(stranger)
    page = client.post(f"/events/{event.id}/register", data={}, follow_redirects=True)
    assert "invited people only" in page.text or "仅限受邀" in page.text
    assert reg.registration_of(stranger, event) is None
    from tests.fixtures.accounts import api_headers

    answer = client.post(f"/api/v1/events/{event.id}/registrations", json={}, headers=api_headers(client, stranger))
    assert answer.status_code == 403 and answer.json["code"] == "not_invited"


def test_university_links_register_and_count_per_university(client, db_session, online_event, universities,
                                                            create_user, login_as):
    from app.online import figures, invitations
    from app.registrations import services as reg

    start = utcnow() + timedelta(days=3)
    event = online_event(invited_only=True, starts_at=start, ends_at=start + timedelta(hours=2))
    organiser = event.test_organiser
    made = invitations.invite_universities(organiser, event, [u.id for u in universities])
    db_session.commit()
    sjtu, ecnu = made
    student = create_user()
    assert client.get(f"/online/i/{sjtu.code}").status_code == 200  # opened once, signed out
    login_as(student)
    assert client.get(f"/online/i/{sjtu.code}").status_code == 200
    response = client.post(f"/online/i/{sjtu.code}")
    assert response.status_code == 302
    assert reg.registration_of(student, event).status == "confirmed"
    rows = {row.name: row for row in figures.university_rows(organiser, event)}
    assert (rows["上海交通大学"].opens, rows["上海交通大学"].people, rows["上海交通大学"].registered) == (2, 1, 1)
    assert (rows["华东师范大学"].opens, rows["华东师范大学"].registered) == (0, 0)
    assert client.get("/online/i/zzzzzzzz").status_code == 404


def test_inviting_a_list_of_people_is_all_or_nothing(db_session, online_event, create_user):
    from app.errors import InvalidInput
    from app.online import invitations
    from app.online.models import PersonInvitation
    from app.registrations import services as reg

    event = online_event(invited_only=True)
    known = create_user()
    with pytest.raises(InvalidInput) as refused:
        invitations.invite_people(event.test_organiser, event, f"{known.mobile}\n13000000000\n")
    assert "2" in str(refused.value.fields["mobiles"])
    db_session.rollback()
    assert db_session.query(PersonInvitation).count() == 0
    invitations.invite_people(event.test_organiser, event, f" {known.mobile} \n\n{known.mobile}")
    db_session.commit()
    assert db_session.query(PersonInvitation).count() == 1
    registration = invitations.register_invited(known, event)
    assert registration.status == "confirmed"
    assert reg.registration_of(known, event) is not None


def test_other_departments_organiser_cannot_invite_or_read(online_event, universities, create_user):
    from app.errors import PermissionDenied
    from app.online import figures, invitations, parts

    event = online_event()
    other = create_user("organiser", department="employment")
    with pytest.raises(PermissionDenied):
        invitations.invite_universities(other, event, [universities[0].id])
    with pytest.raises(PermissionDenied):
        figures.university_rows(other, event)
    with pytest.raises(PermissionDenied):
        parts.save_part(other, event, stream_url="https://example.org/")


def test_online_part_accepts_only_web_addresses(online_event):
    from app.errors import InvalidInput
    from app.online import parts

    event = online_event()
    for bad in ("javascript:alert(1)", "data:text/html,x", "ftp://x.org/", "https://", "https://a b.org/",
                "https://x.org/" + "a" * 600):
        with pytest.raises(InvalidInput):
            parts.save_part(event.test_organiser, event, stream_url=bad)
    with pytest.raises(InvalidInput):
        parts.save_part(event.test_organiser, event, stream_url="https://x.org/", attended_minutes=0)


def test_attendance_certificates_for_onsite_or_online(db_session, live_online_event, create_registration, app):
    from app.checkin import services as checkin
    from app.online import certificates, presence
    from app.registrations.join_links import join_token

    app.config.update(ONLINE_HEARTBEAT_SECONDS=60, ONLINE_HEARTBEAT_GRACE_SECONDS=20)
    event = live_online_event(attended_minutes=1)
    door_person, online_person, absent = (create_registration(event) for _ in range(3))
    t0 = event.starts_at + timedelta(minutes=1)
    checkin.scan(checkin.event_checkpoint(event), None, registration_id=door_person.id, now=t0)
    presence.join(join_token(online_person), now=t0)
    presence.heartbeat(join_token(online_person), now=t0 + timedelta(seconds=61))
    result = certificates.issue_attendance(event.test_organiser, event)
    assert {c.recipient_id for c in result.issued} == {door_person.user_id, online_person.user_id}


def test_registering_through_an_invitation_sends_the_join_link(db_session, online_event, universities, create_user):
    from app.notifications.models import InboxMessage
    from app.notifications.sms.models import SmsMessage
    from app.online import invitations
    from app.registrations.join_links import join_url

    event = online_event(invited_only=True)
    link, = invitations.invite_universities(event.test_organiser, event, [universities[0].id])
    student = create_user()
    registration = invitations.register_invited(student, event, code=link.code)
    db_session.commit()
    inbox = db_session.query(InboxMessage).filter_by(user_id=student.id, kind="confirmed").one()
    assert join_url(registration) in inbox.body
    sms = db_session.query(SmsMessage).filter_by(user_id=student.id).one()
    assert sms.kind == "online_join"
    assert sms.params["link"] == join_url(registration)
