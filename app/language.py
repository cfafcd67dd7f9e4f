"""The interface language: chosen by `?lang=` on any link or by /lang/<code>, then kept for the
browser in a cookie, so the next click or redirect stays in that language."""
from __future__ import annotations

from babel import Locale
from flask import Flask, Response, current_app, request
from flask_login import current_user

COOKIE = "lang"
# Babel expands zh_CN to its CLDR name zh_Hans_CN, which is also the catalog's folder name.
LOCALES = {"zh_CN": Locale.parse("zh_CN"), "en": Locale("en")}


def remember(response: Response, code: str) -> Response:
    if code in LOCALES:
        response.set_cookie(COOKIE, code, max_age=365 * 86400, samesite="Lax", httponly=True,
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def _keep_query_choice(response: Response) -> Response:
    # A shared link with ?lang=en must not fall back to Chinese on the very next page.
    wanted = request.args.get("lang")
    if wanted in LOCALES and request.cookies.get(COOKIE) != wanted:
        remember(response, wanted)
    return response


def select_locale() -> Locale:
    wanted = request.args.get("lang") or request.cookies.get(COOKIE)
    if wanted in LOCALES:
        return LOCALES[wanted]
    if request.blueprint == "api":  # token-authenticated: no session user to ask
        return LOCALES["zh_CN"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale in LOCALES:
        return LOCALES[current_user.locale]
    return LOCALES["zh_CN"]


def init_app(app: Flask) -> None:
    app.after_request(_keep_query_choice)
