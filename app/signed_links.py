"""Signed links that need no login (a survey or join link opened from an SMS inside WeChat): a short
list of integers signed with the site's key under a salt of its own, so a link made for one purpose
is worthless for another and none can be guessed or turned into another person's. What the numbers
are (a survey and its person, a registration and its ticket generation) is the caller's business."""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

MAX_TOKEN_LENGTH = 120


def _serializer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def sign(salt: str, *numbers: int) -> str:
    return _serializer(salt).dumps(list(numbers))


def read(salt: str, token, count: int = 2) -> tuple[int, ...] | None:
    """The `count` integers signed under `salt`, or None for anything we did not sign (a forged,
    truncated or overlong token, another salt's, one of another shape)."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        value = _serializer(salt).loads(token)
    except BadSignature:
        return None
    if (not isinstance(value, list) or len(value) != count
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        return None
    return tuple(value)
