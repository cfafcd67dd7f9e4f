"""The survey's link: signed with the site's key and bound to one survey and its person, so it
cannot be guessed or turned into another's. Opening it needs no login (it comes by SMS, opened
inside WeChat); the survey's own state decides what the page allows."""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from app.urls import public_url

SALT = "followup-survey"
MAX_TOKEN_LENGTH = 120


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def survey_token(survey) -> str:
    return _serializer().dumps([survey.id, survey.user_id])


def read_token(token: str | None) -> tuple[int, int] | None:
    """(survey id, person id), or None for anything we did not sign."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        return None
    return value[0], value[1]


def survey_url(survey) -> str:
    return public_url("followups.answer", token=survey_token(survey))
