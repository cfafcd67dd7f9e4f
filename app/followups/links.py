"""The survey's link: signed with the site's key and bound to one survey and its person, so it
cannot be guessed or turned into another's. Opening it needs no login (it comes by SMS, opened
inside WeChat); the survey's own state decides what the page allows."""
from __future__ import annotations

from app import signed_links
from app.urls import public_url

SALT = "followup-survey"


def survey_token(survey) -> str:
    return signed_links.sign(SALT, survey.id, survey.user_id)


def read_token(token: str | None) -> tuple[int, int] | None:
    """(survey id, person id), or None for anything we did not sign."""
    return signed_links.read(SALT, token)


def survey_url(survey) -> str:
    return public_url("followups.answer", token=survey_token(survey))
