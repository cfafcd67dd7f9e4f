"""/me/code: the page, the credential its script asks for, the phones list with revoke."""
from datetime import timedelta

import sqlalchemy as sa

from app.checkin import services as checkin
from app.registrations import services as reg
from app.tickets.models import PhoneKey
from app.timeutil import utcnow
from tests.conftest import login
from tests.fixtures.person_codes import Phone


def test_the_page_needs_a_login_and_serves_its_offline_worker(client, create_user):
    assert client.get("/me/code").status_code == 302
    login(client, create_user(name="张玥"))
    page = client.get("/me/code")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-testid="personal-code"' in html and "my-code.js" in html and "qrcode.js" in html
    worker = client.get("/me/code/sw.js")
    assert worker.status_code == 200 and worker.headers["Service-Worker-Allowed"] == "/me/code"


def test_a_credential_through_the_endpoint_makes_codes_the_door_accepts(client, db_session, create_user,
                                                                         create_event):
    person = create_user(name="张玥")
    now = utcnow()
    event = create_event(starts_at=now + timedelta(minutes=30))
    reg.register(person, event)
    db_session.commit()
    login(client, person)
    mine = Phone(person)
    body = mine.get_credential_online(client)
    assert abs(body["server_time"] - now.timestamp()) < 60 and len(body["credential"]) == 151
    again = mine.get_credential_online(client)  # renewal: the same phone key
    assert again["phone_key"] == body["phone_key"]
    assert checkin.scan(checkin.event_checkpoint(event), mine.code(utcnow())).result.value == "ok"
    assert "iPhone" not in db_session.get(PhoneKey, mine.key_id).label  # the test client is no iPhone


def test_bad_requests_get_a_message_and_change_nothing(client, db_session, create_user):
    login(client, create_user())
    for body in ({"public_key": "x" * 43}, {"public_key": None}, {}, [1, 2], {"public_key": "\x00"}):
        response = client.post("/me/code/credential", json=body)
        assert response.status_code == 422 and response.get_json()["fields"]["public_key"]
    response = client.post("/me/code/credential", data="{not json", content_type="application/json")
    assert response.status_code == 422
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PhoneKey)) == 0


def test_revoking_a_lost_phone_from_the_page(client, db_session, create_user, phone):
    person, other = create_user(name="张玥"), create_user()
    lost, theirs = phone(person), phone(other)
    login(client, person)
    assert f'data-phone-key="{lost.key_id}"' in client.get("/me/code").get_data(as_text=True)
    assert client.post(f"/me/code/phones/{theirs.key_id}/revoke").status_code == 404  # not theirs to revoke
    assert client.post("/me/code/phones/99999999999/revoke").status_code == 404
    response = client.post(f"/me/code/phones/{lost.key_id}/revoke")
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(PhoneKey, lost.key_id).revoked_at is not None
    assert db_session.get(PhoneKey, theirs.key_id).revoked_at is None
    refused = client.post("/me/code/credential", json={"public_key": lost.public_text})
    assert refused.status_code == 409 and refused.get_json()["code"] == "revoked"


def test_staff_revoke_a_persons_phone_with_a_reason_on_the_user_page(client, db_session, create_user, admin, phone):
    person, other = create_user(name="张玥"), create_user()
    lost, theirs = phone(person), phone(other)
    login(client, admin)
    page = client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert f'data-phone-key="{lost.key_id}"' in page and f'data-phone-key="{theirs.key_id}"' not in page
    url = f"/admin/users/{person.id}/phones/{lost.key_id}/revoke"
    assert client.post(f"/admin/users/{person.id}/phones/{theirs.key_id}/revoke",
                       data={"reason": "挂失"}).status_code == 404  # not this person's phone
    client.post(url, data={"reason": ""})
    db_session.expire_all()
    assert db_session.get(PhoneKey, lost.key_id).revoked_at is None  # a reason is needed
    assert client.post(url, data={"reason": "本人来电挂失"}).status_code == 302
    db_session.expire_all()
    revoked = db_session.get(PhoneKey, lost.key_id)
    assert revoked.revoked_at is not None and revoked.revoke_reason == "本人来电挂失" and revoked.revoked_by_id == admin.id
    login(client, person)
    assert client.post(url, data={"reason": "x"}).status_code == 403  # not staff


def test_a_person_cannot_mint_phone_keys_without_end(client, db_session, create_user):
    person = create_user()
    login(client, person)
    answers = [Phone(person) for _ in range(31)]
    codes = [client.post("/me/code/credential", json={"public_key": p.public_text}).status_code for p in answers]
    assert codes[:30] == [200] * 30 and codes[30] == 429
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PhoneKey)) == 30


def test_revoking_a_lost_phone_ends_its_sign_in(app, client, db_session, create_user):
    """Whoever holds the lost phone, still signed in, cannot sign the person's code anew."""
    person = create_user(name="张玥")
    lost_phone = app.test_client()
    login(lost_phone, person)
    lost = Phone(person)
    lost.get_credential_online(lost_phone)
    login(client, person)  # the person, on another device
    assert client.post(f"/me/code/phones/{lost.key_id}/revoke").status_code == 302
    assert lost_phone.get("/me/code").status_code == 302  # signed out: to the login page
    assert lost_phone.post("/me/code/credential", json={"public_key": Phone(person).public_text}).status_code in (
        401, 302)
    assert client.get("/me/code").status_code == 200  # the device that revoked stays signed in
