"""The job seeker's pages: a booth's code opened on the phone (sign-in first: login_required
sends them to the login page and back), and their applications with the consent's withdrawal."""
from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app.errors import InvalidInput
from app.jobfairs import consent, fairs, interests
from app.jobfairs.bp import bp
from app.jobfairs.forms import InterestForm
from app.transaction import commit
from app.web import FieldMessages, perform


def _form(booth, interest=None) -> InterestForm:
    form = InterestForm()
    form.positions.choices = [SelectChoice(p.id, p.title) for p in booth.positions]
    form.consent.label.text = str(consent.wording(booth.organisation.name, booth.event.title))
    form.share_mobile.label.text = str(consent.mobile_wording(booth.organisation.name))
    if request.method == "GET":
        profile = interests.default_profile(current_user)
        form.name.data, form.education.data = profile.name, profile.education
        form.school.data, form.major.data = profile.school, profile.major
        if interest is not None:
            form.positions.data = [p.id for p in interest.positions]
    return form


def _share(booth, form, interest=None):
    errors = FieldMessages()
    cv = interests.read_cv(request.files.get("cv"), errors)

    def action():
        if errors:
            raise InvalidInput(fields=dict(errors))
        return interests.share(current_user, booth, position_ids=form.positions.data or [],
                               profile=interests.Profile(name=form.name.data or "", education=form.education.data or "",
                                                         school=form.school.data or "", major=form.major.data or ""),
                               agreed=bool(form.consent.data), include_mobile=bool(form.share_mobile.data), cv=cv,
                               interest=interest)
    return perform(action, success=_("Sent: %(employer)s can now see your profile.", employer=booth.organisation.name),
                   to=url_for("jobfairs.mine"), form=form, fields={"cv": "cv"})


@bp.route("/jobfairs/b/<code>", methods=["GET", "POST"])
@login_required
def booth(code: str):
    booth = fairs.booth_by_code(code)
    form = _form(booth, interests.interest_of(current_user, booth))
    if request.method == "POST":
        if form.validate_on_submit() or form.errors.keys() <= {"positions"}:
            done = _share(booth, form)
            if done:
                return done
        return render_template("jobfairs/booth.html", booth=booth, form=form), 422
    interests.record_visit(current_user, booth)
    commit()
    return render_template("jobfairs/booth.html", booth=booth, form=form)


@bp.route("/me/jobfairs")
@login_required
def mine():
    mine = interests.my_interests(current_user)
    return render_template("jobfairs/mine.html", interests=mine, consents=consent.standing_of(mine))


@bp.route("/me/jobfairs/<int:interest_id>/withdraw", methods=["POST"])
@login_required
def withdraw(interest_id: int):
    interest = interests.get_own(current_user, interest_id)
    return perform(lambda: interests.withdraw(current_user, interest),
                   success=_("Consent withdrawn: %(employer)s no longer sees your profile.",
                             employer=interest.employer.organisation.name),
                   to=url_for("jobfairs.mine"), category="info")


@bp.route("/me/jobfairs/<int:interest_id>/confirm", methods=["GET", "POST"])
@login_required
def confirm(interest_id: int):
    """A pending interest (the booth's volunteer scanned the seeker's ticket) confirmed with consent."""
    interest = interests.get_pending(current_user, interest_id)
    booth = interest.employer
    form = _form(booth, interest)
    if request.method == "POST":
        if form.validate_on_submit() or form.errors.keys() <= {"positions"}:
            done = _share(booth, form, interest)
            if done:
                return done
        return render_template("jobfairs/booth.html", booth=booth, form=form, pending=interest), 422
    return render_template("jobfairs/booth.html", booth=booth, form=form, pending=interest)


