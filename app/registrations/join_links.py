"""The personal join link: signed, bound to one registration and its ticket generation, so a new
ticket (a reset, a comeback after cancelling) makes the old link worthless. Opening it needs no
login (a student opens it from an SMS inside WeChat); the page itself decides what it shows."""
from __future__ import annotations

from app import signed_links
from app.registrations.models import Registration
from app.urls import public_url

SALT = "online-join"


def join_token(registration: Registration) -> str:
    return signed_links.sign(SALT, registration.id, registration.ticket_generation)


def read_token(token: str | None) -> tuple[int, int] | None:
    """(registration id, ticket generation), or None for anything not signed by us."""
    return signed_links.read(SALT, token)


def join_url(registration: Registration) -> str | None:
    """The person's join link (on the site's configured address), for an event with an online part."""
    if not registration.event.has_online:
        return None
    return public_url("online.join", token=join_token(registration))
