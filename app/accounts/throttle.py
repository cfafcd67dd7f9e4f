"""Sign-in throttling, in the limiter's shared storage (Redis in production, so every worker
and machine counts together).

Only refused attempts count, twice over:
- per client address, across login, sign-up and the API token (LOGIN_RATE_LIMIT): high enough
  for a venue whose participants share one public address, low enough to slow down guessing
  and probing which mobile numbers are registered;
- per account, from any address (LOGIN_ACCOUNT_RATE_LIMIT): many wrong passwords pause
  sign-in to that one account, whatever addresses they came from; others are not affected.
Successful sign-ins never count, so 300 people at one venue all get in.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app, request
from flask_babel import gettext as _

from app.accounts.services import canonical_login
from app.extensions import limiter

ADDRESS_SCOPE = "sign-in-address"
ACCOUNT_SCOPE = "sign-in-account"


def _address_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def _typed_login() -> str:
    if request.is_json:
        body = request.get_json(silent=True)
        value = body.get("login") if isinstance(body, dict) else None
    else:
        value = request.form.get("login")
    return value if isinstance(value, str) else ""


def account_key() -> str:
    """The account a sign-in names, keyed by a keyed hash: storage keys and the limiter's log
    line must not carry mobile numbers or email addresses."""
    secret = current_app.config["SECRET_KEY"].encode("utf-8")
    digest = hmac.new(secret, canonical_login(_typed_login()).encode("utf-8"), hashlib.sha256)
    return "account-" + digest.hexdigest()[:32]


def _form_refused(response) -> bool:
    # A form answers a sign-in with a redirect; a refusal re-renders it. A 429 is not another
    # attempt: counting it would keep extending the pause for someone politely retrying.
    return response.status_code not in (301, 302, 303, 429)


def _api_refused(response) -> bool:
    return response.status_code >= 400 and response.status_code != 429


def _account_paused() -> str:
    return _("Too many wrong passwords for this account: signing in to it is paused for a while. "
             "Please try again in 15 minutes.")


def _address(refused):
    return limiter.shared_limit(_address_limit, scope=ADDRESS_SCOPE, methods=["POST"], deduct_when=refused)


def _account(refused):
    return limiter.shared_limit(_account_limit, scope=ACCOUNT_SCOPE, key_func=account_key, methods=["POST"],
                                deduct_when=refused, error_message=_account_paused)


def sign_in_form(view):
    return _address(_form_refused)(_account(_form_refused)(view))


def sign_up_form(view):
    return _address(_form_refused)(view)


def sign_in_api(view):
    return _address(_api_refused)(_account(_api_refused)(view))
