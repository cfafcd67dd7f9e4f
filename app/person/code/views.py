"""/me/code: the page draws the code itself (static/js/my-code.js) from a credential this page
hands out, so it keeps working offline; the phones list lets the person revoke a lost one."""
from __future__ import annotations

from flask import current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import limiter
from app.person.code.bp import bp
from app.tickets import phone_keys
from app.timeutil import iso, utcnow
from app.transaction import commit
from app.web import answers_json, perform

# Words a person recognises their phone by, from the browser's User-Agent.
_DEVICES = (("iPhone", "iPhone"), ("iPad", "iPad"), ("HarmonyOS", "HarmonyOS"), ("Android", "Android"),
            ("Windows", "Windows"), ("Macintosh", "Mac"))


def phone_label(user_agent: str) -> str:
    device = next((name for marker, name in _DEVICES if marker in user_agent), "")
    app = "WeChat" if "MicroMessenger" in user_agent else ""
    return " · ".join(part for part in (device, app) if part) or "Browser"


@bp.route("/me/code")
@login_required
def page():
    config = {
        "user": current_user.id,
        "credential_url": url_for("person_code.credential"),
        "refresh_seconds": phone_keys.REFRESH_SECONDS,
        "renew_after": int(phone_keys.RENEW_AFTER.total_seconds()),
        "worker": url_for("person_code.service_worker"), "scope": url_for("person_code.page"),
        "text": {
            "offline": _("Offline: this code is still valid."),
            "needs_network": _("Connect to the internet once to set up your code on this phone."),
            "revoked": _("This phone's code was revoked. Reload the page to set up this phone anew."),
            "failed": _("The code could not be set up. Try again later."),
            "valid_until": _("Code refreshes every %(n)s seconds.", n=phone_keys.REFRESH_SECONDS),
        },
    }
    return render_template("person/code.html", phones=phone_keys.phones(current_user), config=config,
                           now=utcnow())


def _per_person() -> str:
    return f"phone-credential:{current_user.get_id()}"


@bp.route("/me/code/credential", methods=["POST"])
@login_required
@answers_json  # the page's script shows a refusal from the JSON body
# A phone renews hourly; more than this is a script making phone keys (each one a row).
@limiter.limit("30 per hour", key_func=_per_person)
def credential():
    """The phone's public key in, a day's credential out, with the server's clock for the phone
    to correct its own."""
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    issued = phone_keys.issue(current_user, body.get("public_key"), phone_label(request.user_agent.string or ""))
    commit()
    response = jsonify(credential=issued.credential, phone_key=issued.phone_key.id, expires_at=iso(issued.expires_at),
                       server_time=utcnow().timestamp())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/me/code/phones/<int:phone_key_id>/revoke", methods=["POST"])
@login_required
def revoke(phone_key_id: int):
    phone = phone_keys.get_phone_key(current_user, phone_key_id)
    return perform(lambda: phone_keys.revoke(current_user, phone, request.form.get("reason", "")[:500]),
                   success=_("Phone revoked: its code no longer works, online at once and at offline scanners "
                             "after their next update."),
                   to=url_for("person_code.page"), category="info")


@bp.route("/me/code/sw.js")
def service_worker():
    # Served under /me/code (not /static/) and allowed that scope, so that it serves the page offline.
    response = current_app.send_static_file("js/offline-sw.js")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/me/code"
    return response
