"""/me/inbox: the person's own notices."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.notifications import inbox
from app.notifications.bp import bp
from app.transaction import commit
from app.urls import local_path
from app.web import page_arg, perform


@bp.route("/me/inbox")
@login_required
def index():
    return render_template("inbox/index.html", page=inbox.messages(current_user, page_arg()))


@bp.route("/me/inbox/<int:inbox_id>")
@login_required
def open_message(inbox_id: int):
    message = inbox.open_message(current_user, inbox_id)
    commit()  # opening it marks it read
    link = local_path(message.link)
    return redirect(request.script_root + link if link else url_for("inbox.index"))


@bp.route("/me/inbox/read-all", methods=["POST"])
@login_required
def read_all():
    return perform(lambda: inbox.mark_all_read(current_user),
                   success=lambda changed: _("All messages are marked as read.") if changed else "",
                   to=url_for("inbox.index"))


@bp.app_context_processor
def _unread_badge():
    return {"inbox_unread": _unread_for_header}


def _unread_for_header() -> int:
    """The header's badge: one count per request, however often the page asks."""
    if not current_user.is_authenticated:
        return 0
    # Kept on the request, not on `g`: an app context may outlive one request (tests, CLI).
    if not hasattr(request, "inbox_unread"):
        request.inbox_unread = inbox.unread_count(current_user)
    return request.inbox_unread
