"""A person's own data: the overview, the downloads (JSON, PDF) and erasure."""
from __future__ import annotations

import json

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from app.accounts import consents
from app.person.rights import erasure, export, pdf
from app.person.rights.bp import bp
from app.person.rights.forms import EraseOwnForm
from app.timeutil import local_today
from app.transaction import commit
from app.web import download, perform


@bp.route("/me/data")
@login_required
def my_data():
    return render_template("person/rights/my_data.html", consents=consents.history(current_user),
                           version=consents.current_version(), kept=erasure.KEPT_REASONS)


@bp.route("/me/data.json")
@login_required
def my_data_json():
    data = export.export(current_user, current_user, "json")
    commit()  # the audit row of the download
    body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    return download(body, f"my-data-{local_today().isoformat()}.json", "application/json")


@bp.route("/me/data.pdf")
@login_required
def my_data_pdf():
    data = export.export(current_user, current_user, "pdf")
    commit()  # the audit row of the download
    return download(pdf.render(data, current_user), f"my-data-{local_today().isoformat()}.pdf", "application/pdf")


@bp.route("/me/data/erase", methods=["GET", "POST"])
@login_required
def erase():
    form = EraseOwnForm()
    if form.validate_on_submit() and (done := perform(
            lambda: erasure.erase_own(current_user, password=form.password.data, understood=form.understood.data),
            form=form, success=_("Your personal data is erased and your account is closed."),
            to=url_for("rights.erased"))):
        logout_user()  # its sessions are already deleted; this clears the cookie
        return done
    return render_template("person/rights/erase.html", form=form, kept=erasure.KEPT_REASONS)


@bp.route("/me/data/erased")
def erased():
    return render_template("person/rights/erased.html", kept=erasure.KEPT_REASONS)
