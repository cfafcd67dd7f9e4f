from __future__ import annotations

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts.bp import bp
from app.accounts import services, throttle
from app.accounts.forms import LoginForm, PasswordForm, ProfileForm, SignupForm
from app.accounts.models import User
from app.errors import InvalidInput
from app.extensions import db, login_manager
from app.transaction import commit
from app.urls import public_url
from app.web import apply_errors, safe_next

login_manager.login_view = "accounts.login"
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(user_id: str):
    return services.user_for_session(user_id)


def _sign_in(user: User, remember: bool = False) -> None:
    services.start_session(user, lifetime=current_app.config["REMEMBER_COOKIE_DURATION"],
                           user_agent=request.user_agent.string)
    commit()
    login_user(user, remember=remember)


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
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.login.data, form.password.data)
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            _sign_in(user, remember=form.remember.data)
            return redirect(safe_next(url_for("main.home")))
    return render_template("accounts/login.html", form=form)


@bp.route("/signup", methods=["GET", "POST"])
@throttle.sign_up_form
def signup():
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = services.sign_up(name=form.name.data, password=form.password.data,
                                    mobile=form.mobile.data, email=form.email.data,
                                    employer=form.employer.data, id_number=form.id_number.data)
        except InvalidInput as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            _sign_in(user)
            flash(_("Welcome, %(name)s! Your account is ready.", name=user.name), "success")
            return redirect(safe_next(url_for("main.home")))
    return render_template("accounts/signup.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        services.end_session(current_user)
        commit()
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/me/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if request.method == "GET":
        form.id_number.data = ""
        form.language.data = current_user.locale or "zh_CN"
    password_form = PasswordForm(prefix="pw")
    if form.validate_on_submit():
        try:
            services.update_profile(current_user, name=form.name.data, mobile=form.mobile.data,
                                    email=form.email.data, employer=form.employer.data,
                                    id_number=form.id_number.data or None)
            services.set_notice_channels(current_user, mail=form.notify_mail.data, sms=form.notify_sms.data)
            current_user.locale = form.language.data
        except InvalidInput as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            commit()
            flash(_("Your profile is saved."), "success")
            response = make_response(redirect(url_for("accounts.profile")))
            response.delete_cookie("lang")
            return response
    feed_url = public_url("calendars.feed", token=services.calendar_token(current_user))
    tokens = services.active_api_tokens(current_user)
    db.session.commit()
    return render_template("accounts/profile.html", form=form, password_form=password_form, feed_url=feed_url,
                           tokens=tokens)


@bp.route("/me/password", methods=["POST"])
@login_required
def change_password():
    form = PasswordForm(prefix="pw")
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.new.data)
        except InvalidInput as exc:
            db.session.rollback()
            flash(" ".join(str(m) for m in exc.fields.values()), "error")
        else:
            commit()
            flash(_("Your password is changed."), "success")
    else:
        flash(_("The password needs at least %(n)s characters.", n=services.MIN_PASSWORD), "error")
    return redirect(url_for("accounts.profile"))


@bp.route("/me/calendar/reset", methods=["POST"])
@login_required
def reset_calendar():
    services.reset_calendar_token(current_user)
    commit()
    flash(_("Your calendar link is renewed; the old link no longer works."), "success")
    return redirect(url_for("accounts.profile"))


@bp.route("/me/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    services.revoke_api_token(current_user, token_id)
    commit()
    flash(_("The API token is revoked; apps using it must sign in again."), "success")
    return redirect(url_for("accounts.profile"))
