"""Admin: accounts and roles, the mail outbox, the audit log."""
from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.accounts import services as accounts
from app.accounts.forms import UserAdminForm, UserCreateForm
from app.accounts.models import Role, role_label
from app.admin import queries
from app.admin.bp import bp
from app.notifications.services import message_body
from app.organisations import linking
from app.notifications.sms.models import SMS_LABELS, sms_label
from app.tickets import phone_keys
from app.transaction import commit
from app.web import page_arg, perform, roles_required

admin_only = roles_required(Role.ADMIN)


def _role_choices():
    return [SelectChoice(r.value, role_label(r.value)) for r in Role if r != Role.PARTICIPANT]


def _department_choices(departments):
    return [SelectChoice(d.id, d.name) for d in departments]


@bp.route("/users")
@admin_only
def users():
    q = (request.args.get("q") or "").strip()
    role = request.args.get("role")
    page = queries.users_page(page_arg(), q=q, role=role)
    return render_template("admin/users.html", page=page, q=q, role=role, roles=list(Role))


@bp.route("/users/new", methods=["GET", "POST"])
@admin_only
def user_new():
    form = UserCreateForm()
    departments = queries.departments()
    form.role.choices = _role_choices() + [SelectChoice("participant", role_label("participant"))]
    form.departments.choices = _department_choices(departments)
    if form.validate_on_submit() and (done := perform(
            lambda: accounts.create_user(
                login=form.login.data.strip(), password=form.password.data, role=form.role.data,
                name=form.name.data, departments=[d.name for d in departments if d.id in (form.departments.data or [])],
                actor=current_user),
            form=form, fields={"mobile": "login", "email": "login"}, to=url_for("admin.users"),
            success=lambda user: _("Account created for %(name)s.", name=user.name))):
        return done
    return render_template("admin/user_new.html", form=form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_only
def user_edit(user_id: int):
    user = queries.get_user(user_id)
    departments = queries.departments()
    form = UserAdminForm()
    form.roles.choices = _role_choices()
    form.departments.choices = _department_choices(departments)
    if request.method == "GET":
        form.roles.data = sorted(user.roles - {"participant"})
        form.departments.data = sorted(user.department_ids)
        form.active.data = user.active

    def save():
        chosen = [d for d in departments if d.id in (form.departments.data or [])]
        accounts.set_roles(user, form.roles.data or [], chosen, actor=current_user)
        if form.active.data != user.active:
            accounts.set_active(user, form.active.data, actor=current_user)

    if form.validate_on_submit() and (done := perform(
            save, form=form, success=_("Account updated."), to=url_for("admin.users"))):
        return done
    return render_template("admin/user_edit.html", form=form, user=user, employer=linking.employer_of(user),
                           phones=phone_keys.phones(user))


@bp.route("/users/<int:user_id>/employer", methods=["POST"])
@admin_only
def user_employer(user_id: int):
    user = queries.get_user(user_id)
    return perform(lambda: linking.set_employer(current_user, user, request.form.get("organisation")),
                   success=_("The employer's link to the registry is saved."),
                   to=url_for("admin.user_edit", user_id=user.id))


@bp.route("/users/<int:user_id>/phones/<int:phone_key_id>/revoke", methods=["POST"])
@admin_only
def user_phone_revoke(user_id: int, phone_key_id: int):
    """A person's lost phone, revoked by staff (with a reason): its 我的码 stops working."""
    user = queries.get_user(user_id)
    phone = phone_keys.get_phone_key(current_user, phone_key_id, owner=user)
    return perform(lambda: phone_keys.revoke(current_user, phone, request.form.get("reason", "")[:500]),
                   success=_("Phone revoked: its code no longer works, online at once and at offline scanners "
                             "after their next update."),
                   to=url_for("admin.user_edit", user_id=user.id))


@bp.route("/outbox")
@admin_only
def outbox():
    status = request.args.get("status")
    return render_template("admin/outbox.html", page=queries.outbox_page(page_arg(), status), status=status)


@bp.route("/outbox/sms")
@admin_only
def sms_outbox():
    status = request.args.get("status")
    return render_template("admin/sms.html", page=queries.sms_page(page_arg(), status), status=status,
                           statuses=list(SMS_LABELS), sms_label=sms_label)


@bp.route("/outbox/<int:message_id>")
@admin_only
def outbox_message(message_id: int):
    message = queries.get_outbox_message(message_id)
    body = message_body(message)
    commit()  # keep the rendered text
    return render_template("admin/outbox_message.html", message=message, body=body)


@bp.route("/audit")
@admin_only
def audit():
    page, actors = queries.audit_page(page_arg())
    return render_template("admin/audit.html", page=page, actors=actors)
