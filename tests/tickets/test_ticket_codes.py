"""Ticket codes decode strictly: one canonical base64url text per ticket. A code with an inserted
`!`, space, newline or `=`, with padding, or with the unused bits of its last character set is
not the ticket (issue 11, finding 12)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app import base64url
from app.registrations import services as reg
from app.tickets import services as tickets
from app.tickets import tokens
from app.timeutil import utcnow


@pytest.fixture
def ticket(db_session, create_event, create_user):
    start = utcnow() + timedelta(hours=1)
    event = create_event(starts_at=start, ends_at=start + timedelta(hours=2), capacity=5)
    registration = reg.register(create_user(name="王堃"), event)
    db_session.commit()
    return registration, tickets.ticket_token(registration)


def _mutations(token: str) -> list[str]:
    middle = len(token) // 2
    return [
        token[:middle] + "!" + token[middle:],
        token[:middle] + " " + token[middle:],
        token[:middle] + "\n" + token[middle:],
        token[:middle] + "=" + token[middle:],
        token + "=", token + "==", token + "\n", " " + token, token + " ", "\t" + token,
        token[:10] + "\r\n" + token[10:],
        token.replace(token[5], "+" if token[5] != "+" else "/", 1),  # the other alphabet
        token + "A",  # one character too many (a length no encoding produces)
    ]


def test_the_genuine_code_is_accepted(ticket):
    registration, token = ticket
    assert tickets.check_token(token).id == registration.id


@pytest.mark.parametrize("n", range(13))
def test_each_mutation_of_a_valid_ticket_is_refused(ticket, n):
    registration, token = ticket
    bad = _mutations(token)[n]
    assert bad != token
    with pytest.raises(tickets.InvalidTicket):
        tickets.check_token(bad)
    with pytest.raises(tokens.BadToken):
        tokens.verify(tickets.public_key(registration.event), bad)


def test_a_mutated_code_scans_as_invalid_through_the_api(client, db_session, ticket, create_user):
    from app.checkin.services import ensure_checkpoints
    from tests.fixtures.accounts import api_headers

    registration, token = ticket
    checkpoint = ensure_checkpoints(registration.event)[0]
    db_session.commit()
    headers = api_headers(client, create_user("organiser"))
    for bad in _mutations(token):
        response = client.post("/api/v1/checkins", json={"token": bad, "checkpoint": checkpoint.id},
                               headers=headers)
        assert response.status_code in (200, 422)
        if response.status_code == 200:
            assert response.json["result"] == "invalid" and "attendee" not in response.json
    genuine = client.post("/api/v1/checkins", json={"token": token, "checkpoint": checkpoint.id}, headers=headers)
    assert genuine.json["result"] == "ok"


def test_strict_decoding_refuses_non_canonical_last_characters():
    raw = b"\x01\x02\x03\x04\x05"  # 5 bytes: 7 characters, the last one with two unused bits
    text = base64url.encode(raw)
    assert base64url.decode(text) == raw
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(text[-1])
    for spare in (1, 2, 3):
        variant = text[:-1] + alphabet[last | spare]
        if variant != text:
            with pytest.raises(ValueError):
                base64url.decode(variant)
    for bad in (text + "=", text[:3] + "!" + text[3:], text + "\n", "", "A"):
        if bad:
            with pytest.raises(ValueError):
                base64url.decode(bad)
    assert base64url.decode("") == b""


def test_venue_codes_decode_strictly_too(app, ctx):
    from app.checkin import venue_codes
    from app.errors import InvalidInput

    payload = venue_codes._CODE.pack(1, 1, 2)
    code = base64url.encode(payload + venue_codes._mac(payload))
    for bad in (code + "=", code[:5] + " " + code[5:], code + "\n", code[:-1] + chr(ord(code[-1]) ^ 1)):
        with pytest.raises(InvalidInput):
            venue_codes.read(bad, at=2 * venue_codes.ROTATE_SECONDS)


@pytest.mark.parametrize("ids", [(2 ** 32 - 1, 1), (1, 2 ** 31), (0, 1)])
def test_a_signed_code_with_ids_past_the_columns_is_invalid_not_a_crash(db_session, ticket, ids):
    registration, _token = ticket
    key = tickets.ensure_event_key(registration.event)
    forged = tokens.sign(key.private_key, tokens.TicketClaims(ids[0], ids[1], 0))
    with pytest.raises(tickets.InvalidTicket):
        tickets.check_token(forged)
