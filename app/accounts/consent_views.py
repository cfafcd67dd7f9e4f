"""The privacy notice (/privacy, public) and the page that asks a signed-in person to agree to its
current version (/me/privacy/consent) — before any other page, until they do.

Declining signs the person out: the account and its data stay as they are, and signing in again
asks again. What a person may still do without agreeing: read the notice, sign out, change the
language, and download or erase their data (the rights pages), which PIPL gives them regardless."""
from __future__ import annotations

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from app.accounts import consents, services
from app.accounts.bp import bp
from app.accounts.forms import ConsentForm
from app.web import perform, safe_next

# Pages reachable before agreeing (endpoint names, or blueprints ending with a dot).
OPEN_BEFORE_CONSENT = ("static", "accounts.privacy_notice", "accounts.privacy_consent", "accounts.logout",
                       "main.set_language", "main.favicon", "main.upload", "rights.")
# Whose answers go to a program, not a person: never redirected to a page.
NOT_PAGES = ("api.", "sms.", "online_beat.", "calendars.feed", "checkin.service_worker")
_CHECKED = "privacy_ok"  # "<user id>:<version>" once checked, so each request costs no query


def _open(endpoint: str | None) -> bool:
    if endpoint is None:
        return True
    return any(endpoint == name or (name.endswith(".") and endpoint.startswith(name))
               for name in OPEN_BEFORE_CONSENT + NOT_PAGES)


@bp.before_app_request
def ask_for_consent():
    if _open(request.endpoint) or not current_user.is_authenticated:
        return None
    mark = f"{current_user.id}:{consents.current_version()}"
    if session.get(_CHECKED) == mark:
        return None
    if consents.has_current(current_user):
        session[_CHECKED] = mark
        return None
    here = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("accounts.privacy_consent", next=here))


@bp.route("/privacy")
def privacy_notice():
    return render_template("accounts/privacy_notice.html", version=consents.current_version())


@bp.route("/me/privacy/consent", methods=["GET", "POST"])
def privacy_consent():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=url_for("accounts.privacy_consent")))
    form = ConsentForm()
    if form.validate_on_submit():
        if request.form.get("decline"):
            done = perform(lambda: services.end_session(current_user), category="info", to=url_for("main.home"),
                           success=_("You did not agree to the privacy notice, so you are signed out. Your account "
                                     "is unchanged; sign in again when you want to agree."))
            logout_user()
            return done
        if done := perform(lambda: consents.agree(current_user, form.consent.data), form=form,
                           success=_("Thank you: your agreement to the privacy notice is recorded."),
                           to=safe_next(url_for("main.home"))):
            return done
    latest = consents.latest(current_user)
    return render_template("accounts/privacy_consent.html", form=form, version=consents.current_version(),
                           latest=latest)
