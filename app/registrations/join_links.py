"""The personal join link: signed, bound to one registration and its ticket generation, so a new
ticket (a reset, a comeback after cancelling) makes the old link worthless. Opening it needs no
login (a student opens it from an SMS inside WeChat); the page itself decides what it shows."""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from app.registrations.models import Registration
from app.urls import public_url

SALT = "online-join"
MAX_TOKEN_LENGTH = 120


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def join_token(registration: Registration) -> str:
    return _serializer().dumps([registration.id, registration.ticket_generation])


def read_token(token: str | None) -> tuple[int, int] | None:
    """(registration id, ticket generation), or None for anything not signed by us."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        return None
    return value[0], value[1]


def join_url(registration: Registration) -> str | None:
    """The person's join link (on the site's configured address), for an event with an online part."""
    if not registration.event.has_online:
        return None
    return public_url("online.join", token=join_token(registration))
