"""Admin: accounts and roles, the mail outbox, the audit log."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.admin.bp import bp
from app.accounts import services as accounts
from app.accounts.forms import UserAdminForm, UserCreateForm
from app.accounts.models import Department, Role, User, UserRole, role_label
from app.audit.models import AuditEntry
from app.errors import CORRECTABLE
from app.extensions import db
from app.notifications.models import OutboxMessage
from app.notifications.services import message_body
from app.notifications.sms.models import SMS_LABELS, SmsMessage, sms_label
from app.transaction import commit
from app.web import apply_errors, page_arg, roles_required

admin_only = roles_required(Role.ADMIN)


def _departments():
    return db.session.scalars(sa.select(Department).order_by(Department.id)).all()


def _role_choices():
    return [SelectChoice(r.value, role_label(r.value)) for r in Role if r != Role.PARTICIPANT]


@bp.route("/users")
@admin_only
def users():
    query = sa.select(User).order_by(User.id)
    q = (request.args.get("q") or "").strip()
    if q:
        query = query.where(sa.or_(User.name.ilike(f"%{q}%"), User.mobile.like(f"%{q}%"),
                                   User.email.ilike(f"%{q}%"), User.employer.ilike(f"%{q}%")))
    role = request.args.get("role")
    if role and role != "participant":
        query = query.where(User.id.in_(sa.select(UserRole.user_id).where(UserRole.role == role)))
    page = db.paginate(query, page=page_arg(), per_page=50, error_out=False)
    return render_template("admin/users.html", page=page, q=q, role=role, roles=list(Role))


@bp.route("/users/new", methods=["GET", "POST"])
@admin_only
def user_new():
    form = UserCreateForm()
    form.role.choices = _role_choices() + [SelectChoice("participant", role_label("participant"))]
    form.departments.choices = [SelectChoice(d.id, d.name) for d in _departments()]
    if form.validate_on_submit():
        try:
            names = [d.name for d in _departments() if d.id in (form.departments.data or [])]
            user = accounts.create_user(login=form.login.data.strip(), password=form.password.data,
                                        role=form.role.data, name=form.name.data, departments=names,
                                        actor=current_user)
        except CORRECTABLE as exc:
            db.session.rollback()
            apply_errors(form, exc, {"mobile": "login", "email": "login"})
        else:
            commit()
            flash(_("Account created for %(name)s.", name=user.name), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_new.html", form=form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_only
def user_edit(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = UserAdminForm()
    form.roles.choices = _role_choices()
    form.departments.choices = [SelectChoice(d.id, d.name) for d in _departments()]
    if request.method == "GET":
        form.roles.data = sorted(user.roles - {"participant"})
        form.departments.data = sorted(user.department_ids)
        form.active.data = user.active
    if form.validate_on_submit():
        try:
            departments = [d for d in _departments() if d.id in (form.departments.data or [])]
            accounts.set_roles(user, form.roles.data or [], departments, actor=current_user)
            if form.active.data != user.active:
                accounts.set_active(user, form.active.data, actor=current_user)
        except CORRECTABLE as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            commit()
            flash(_("Account updated."), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_edit.html", form=form, user=user)


@bp.route("/outbox")
@admin_only
def outbox():
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())
    status = request.args.get("status")
    if status:
        query = query.where(OutboxMessage.status == status)
    page = db.paginate(query, page=page_arg(), per_page=50, error_out=False)
    return render_template("admin/outbox.html", page=page, status=status)


@bp.route("/outbox/sms")
@admin_only
def sms_outbox():
    query = sa.select(SmsMessage).order_by(SmsMessage.id.desc())
    status = request.args.get("status")
    if status in SMS_LABELS:
        query = query.where(SmsMessage.status == status)
    page = db.paginate(query, page=page_arg(), per_page=50, error_out=False)
    return render_template("admin/sms.html", page=page, status=status, statuses=list(SMS_LABELS),
                           sms_label=sms_label)


@bp.route("/outbox/<int:message_id>")
@admin_only
def outbox_message(message_id: int):
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    body = message_body(message)
    commit()  # keep the rendered text
    return render_template("admin/outbox_message.html", message=message, body=body)


@bp.route("/audit")
@admin_only
def audit():
    query = sa.select(AuditEntry).order_by(AuditEntry.id.desc())
    page = db.paginate(query, page=page_arg(), per_page=100, error_out=False)
    actors = {u.id: u for u in db.session.scalars(sa.select(User).where(
        User.id.in_({e.actor_id for e in page.items if e.actor_id})))}
    return render_template("admin/audit.html", page=page, actors=actors)
