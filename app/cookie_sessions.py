"""The browser's session: Flask's signed cookie, but never on the JSON API.

The API authenticates by Bearer token only and is exempt from CSRF protection, so it must not act
on a browser's session cookie (app/api/views.py). Its requests get an empty session, whatever
cookie came with them, and it is never saved: no signed-in browser's cookie is read, rewritten or
refreshed by an API call. That also spares every API request the cookie's serializer and signature
(a tenth of a millisecond of a registration's CPU, issue 19). The pages' serializer is built once
per secret key and its fallbacks rather than on every request, as Flask does.
"""
from __future__ import annotations

from flask import Flask, Request, Response, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from itsdangerous import URLSafeTimedSerializer


class CookieSessions(SecureCookieSessionInterface):
    def __init__(self, api_prefix: str) -> None:
        self.api_prefix = api_prefix.rstrip("/") + "/"
        self._serializers: dict[tuple, URLSafeTimedSerializer | None] = {}

    def open_session(self, app: Flask, request: Request):
        if request.path.startswith(self.api_prefix):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if not request.path.startswith(self.api_prefix):
            super().save_session(app, session, response)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys not in self._serializers:
            self._serializers[keys] = super().get_signing_serializer(app)
        return self._serializers[keys]


def init_app(app: Flask, api_prefix: str) -> None:
    app.session_interface = CookieSessions(api_prefix)
