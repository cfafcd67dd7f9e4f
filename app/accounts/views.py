from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import services, throttle
from app.accounts.bp import bp
from app.accounts.forms import LoginForm, PasswordForm, ProfileForm, SignupForm
from app.accounts.models import Role, User
from app.extensions import login_manager
from app.transaction import commit
from app.urls import public_url
from app.web import perform, safe_next

login_manager.login_view = "accounts.login"
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(user_id: str):
    return services.user_for_session(user_id)


def _start_session(user: User) -> User:
    services.start_session(user, lifetime=current_app.config["REMEMBER_COOKIE_DURATION"],
                           user_agent=request.user_agent.string)
    return user


def _signed_in(remember: bool = False):
    """perform()'s `to` after signing in: called after its commit, so the session row the
    cookie names exists before the cookie does."""
    def to(user: User) -> str:
        login_user(user, remember=remember)
        # A bureau leader reads the plan's dashboard (app/plans); by its endpoint's name, no import.
        return safe_next(url_for("plans.dashboard_home") if user.has_role(Role.LEADER) else url_for("main.home"))
    return to


@login_manager.unauthorized_handler
def unauthorized():
    if request.path.startswith("/api/"):
        return {"code": "unauthenticated", "message": _("Sign in first.")}, 401
    flash(_("Please sign in to continue."), "info")
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


@bp.route("/login", methods=["GET", "POST"])
@throttle.sign_in_form
def login():
    form = LoginForm()
    if form.validate_on_submit() and (done := perform(
            lambda: _start_session(services.authenticate(form.login.data, form.password.data)),
            form=form, success="", to=_signed_in(remember=form.remember.data))):
        return done
    return render_template("accounts/login.html", form=form)


@bp.route("/signup", methods=["GET", "POST"])
@throttle.sign_up_form
def signup():
    form = SignupForm()
    if form.validate_on_submit() and (done := perform(
            lambda: _start_session(services.sign_up_agreeing(
                agreed=form.consent.data, name=form.name.data, password=form.password.data, mobile=form.mobile.data,
                email=form.email.data, employer=form.employer.data, id_number=form.id_number.data)),
            form=form, success=lambda user: _("Welcome, %(name)s! Your account is ready.", name=user.name),
            to=_signed_in())):
        return done
    return render_template("accounts/signup.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    done = perform(lambda: services.end_session(current_user) if current_user.is_authenticated else None,
                   success=_("You have signed out."), category="info", to=url_for("main.home"))
    logout_user()  # after the commit that ended the session's row
    return done


@bp.route("/me/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if request.method == "GET":
        form.id_number.data = ""
        form.language.data = current_user.locale or "zh_CN"
    password_form = PasswordForm(prefix="pw")

    def save():
        services.update_profile(current_user, name=form.name.data, mobile=form.mobile.data,
                                email=form.email.data, employer=form.employer.data,
                                id_number=form.id_number.data or None)
        services.set_notice_channels(current_user, mail=form.notify_mail.data, sms=form.notify_sms.data)
        current_user.locale = form.language.data

    if form.validate_on_submit() and (done := perform(
            save, form=form, success=_("Your profile is saved."), to=url_for("accounts.profile"))):
        done.delete_cookie("lang")  # the saved language now decides
        return done
    feed_url = public_url("calendars.feed", token=services.calendar_token(current_user))
    tokens = services.active_api_tokens(current_user)
    commit()  # the calendar token may have just been created
    return render_template("accounts/profile.html", form=form, password_form=password_form, feed_url=feed_url,
                           tokens=tokens)


@bp.route("/me/password", methods=["POST"])
@login_required
def change_password():
    form = PasswordForm(prefix="pw")
    if not form.validate_on_submit():
        flash(_("The password needs at least %(n)s characters.", n=services.MIN_PASSWORD), "error")
        return redirect(url_for("accounts.profile"))
    return perform(lambda: services.change_password(current_user, form.current.data, form.new.data),
                   success=_("Your password is changed."), to=url_for("accounts.profile"))


@bp.route("/me/calendar/reset", methods=["POST"])
@login_required
def reset_calendar():
    return perform(lambda: services.reset_calendar_token(current_user),
                   success=_("Your calendar link is renewed; the old link no longer works."),
                   to=url_for("accounts.profile"))


@bp.route("/me/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    return perform(lambda: services.revoke_api_token(current_user, token_id),
                   success=_("The API token is revoked; apps using it must sign in again."),
                   to=url_for("accounts.profile"))
