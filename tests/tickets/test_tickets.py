import base64
import io

import pytest
import zxingcpp
from PIL import Image

from app.registrations import services as reg
from app.tickets import services as tickets
from app.tickets import tokens
from tests.conftest import login


def _flip(token: str, index: int) -> str:
    raw = bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    raw[index] ^= 0x01
    return base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()


def test_token_is_short_signed_and_holds_no_names(confirmed):
    token = tickets.ticket_token(confirmed)
    assert len(token) == 100 and "王" not in token
    claims = tickets.check_token(token)
    assert claims.id == confirmed.id
    # a scanner holding only the public key verifies offline
    assert tokens.verify(tickets.public_key(confirmed.event), token).registration_id == confirmed.id


@pytest.mark.parametrize("index", [0, 2, 6, 10, 11, 40, 74])
def test_any_altered_byte_is_invalid(confirmed, index):
    with pytest.raises(tickets.InvalidTicket):
        tickets.check_token(_flip(tickets.ticket_token(confirmed), index))


def test_foreign_and_garbage_tokens_are_invalid(db_session, confirmed, create_event):
    other_event = create_event()
    forged = tokens.sign(tickets.ensure_event_key(other_event).private_key,
                         tokens.TicketClaims(confirmed.event_id, confirmed.id, confirmed.ticket_generation))
    for bad in (forged, "", "hello", "A" * 100, "%%%", str(confirmed.id), "x" * 5000):
        with pytest.raises(tickets.InvalidTicket):
            tickets.check_token(bad)


def test_reset_gives_new_link_and_kills_the_old_code(client, db_session, confirmed):
    old_token, old_secret = tickets.ticket_token(confirmed), confirmed.ticket_secret
    login(client, confirmed.user)
    response = client.post(f"/me/registrations/{confirmed.id}/ticket/reset")
    assert response.status_code == 302
    db_session.refresh(confirmed)
    assert confirmed.ticket_secret != old_secret
    with pytest.raises(tickets.InvalidTicket):
        tickets.check_token(old_token)
    assert tickets.check_token(tickets.ticket_token(confirmed)).id == confirmed.id
    assert client.get(f"/t/{old_secret}").status_code == 404


def test_ticket_page_opens_without_login_and_keeps_numbers_masked(app, confirmed):
    visitor = app.test_client()
    response = visitor.get(f"/t/{confirmed.ticket_secret}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert tickets.ticket_token(confirmed) in html and '<img class="qr qr-image" id="ticket-qr"' in html
    assert confirmed.user.mobile not in html and confirmed.user.mobile_masked in html
    assert response.headers["Cache-Control"] == "private, no-store"
    assert visitor.get("/t/not-a-real-secret").status_code == 404


def test_ticket_image_decodes_to_the_token(app, confirmed):
    response = app.test_client().get(f"/t/{confirmed.ticket_secret}/ticket.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.data)), formats=zxingcpp.BarcodeFormat.QRCode)
    assert [b.text for b in found] == [tickets.ticket_token(confirmed)]


def test_waitlisted_registration_has_no_ticket(app, db_session, create_event, create_user):
    event = create_event(capacity=1)
    reg.register(create_user(), event)
    waiting = reg.register(create_user(), event)
    db_session.commit()
    html = app.test_client().get(f"/t/{waiting.ticket_secret}").get_data(as_text=True)
    assert "ticket-qr" not in html and "<svg" not in html
    assert app.test_client().get(f"/t/{waiting.ticket_secret}/ticket.png").status_code == 404


def test_resend_queues_a_message(app, db_session, confirmed):
    import sqlalchemy as sa

    from app.notifications.models import OutboxMessage

    response = app.test_client().post(f"/t/{confirmed.ticket_secret}/resend")
    assert response.status_code == 302
    kinds = db_session.scalars(sa.select(OutboxMessage.kind).where(OutboxMessage.user_id == confirmed.user_id)).all()
    assert kinds.count("ticket") == 1
