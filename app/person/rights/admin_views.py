"""Admins: the retention dry run and its run, and erasing a person on their request."""
from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import Role
from app.person.rights import erasure, retention
from app.person.rights.bp import bp
from app.person.rights.forms import EraseByAdminForm, RetentionRunForm
from app.web import page_arg, perform, roles_required

admin_only = roles_required(Role.ADMIN)


@bp.route("/admin/retention")
@admin_only
def retention_report():
    return render_template("person/rights/retention.html", due=retention.due_page(page_arg()), years=retention.years(),
                           cutoff=retention.cutoff(retention.local_today()), form=RetentionRunForm(),
                           batch=retention.BATCH)


@bp.route("/admin/retention/run", methods=["POST"])
@admin_only
def retention_run():
    form = RetentionRunForm()
    if not form.validate_on_submit():
        return retention_report(), 400
    return perform(lambda: retention.run(current_user),
                   success=lambda erased: _("%(n)s people's personal data anonymised.", n=len(erased)),
                   to=url_for("rights.retention_report"))


@bp.route("/admin/users/<int:user_id>/erase", methods=["GET", "POST"])
@admin_only
def admin_erase(user_id: int):
    user = erasure.user_for_admin(current_user, user_id)
    form = EraseByAdminForm()
    if form.validate_on_submit() and (done := perform(
            lambda: erasure.erase_by_admin(current_user, user_id, form.reason.data),
            form=form, success=_("The person's personal data is erased."),
            to=url_for("admin.user_edit", user_id=user_id))):
        return done
    return render_template("person/rights/admin_erase.html", form=form, user=user,
                           done=erasure.erasure_of(user.id), kept=erasure.KEPT_REASONS)
