"""A participant's online pages: the personal join page, its heartbeat, a university's invitation
link and the person's own invitations."""
from __future__ import annotations

from flask import current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import security_headers
from app.extensions import limiter
from app.online import invitations, presence
from app.online.bp import beat, bp
from app.registrations import services as reg
from app.transaction import commit
from app.web import perform


def _beats_per_minute() -> str:
    # A few more than the page sends: a slow network may bunch two together.
    interval = max(1, int(current_app.config["ONLINE_HEARTBEAT_SECONDS"]))
    return f"{max(6, 3 * 60 // interval)} per minute"


def _token_key() -> str:
    return "online-beat:" + str((request.view_args or {}).get("token", ""))[:120]


@bp.route("/online/j/<token>")
@security_headers.private_link
def join(token: str):
    joined = presence.join(token)
    commit()
    response = current_app.make_response(render_template(
        "online/join.html", joined=joined, view=joined.view, event=joined.view.registration.event, token=token,
        interval=int(current_app.config["ONLINE_HEARTBEAT_SECONDS"])))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@beat.route("/online/j/<token>/heartbeat", methods=["POST"])
@security_headers.private_link
@limiter.limit(_beats_per_minute, key_func=_token_key)
def heartbeat(token: str):
    result = presence.heartbeat(token)
    commit()
    response = jsonify({"seconds": result.seconds, "attended": result.attended,
                        "threshold_seconds": result.threshold_seconds})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/online/i/<code>")
def invitation(code: str):
    found = invitations.invitation_by_code(code, opened=True)
    commit()
    return render_template("online/invitation.html", invitation=found, event=found.event, code=code)


@bp.route("/online/i/<code>", methods=["POST"])
@login_required
def register_by_invitation(code: str):
    found = invitations.invitation_by_code(code)
    return perform(lambda: invitations.register_invited(current_user, found.event, code=code),
                   success=_("You are registered."), to=url_for("registrations.mine"),
                   refusals=(reg.RegistrationClosed, reg.NotInvited),
                   refused_to=url_for("online.invitation", code=code))


@bp.route("/me/invitations")
@login_required
def my_invitations():
    return render_template("online/my_invitations.html", invitations=invitations.my_invitations(current_user))


@bp.route("/me/invitations/<int:event_id>/register", methods=["POST"])
@login_required
def register_invited(event_id: int):
    event = reg.get_public_event(event_id, current_user)
    return perform(lambda: invitations.register_invited(current_user, event),
                   success=_("You are registered."), to=url_for("registrations.mine"),
                   refusals=(reg.RegistrationClosed, reg.NotInvited), refused_to=url_for("online.my_invitations"))
