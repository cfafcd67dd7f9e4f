"""The employers' portal: a contact's candidates at their booths (consent standing only), the
export, each candidate's CV, outcome marks, and the volunteer's ticket scan at a booth."""
from __future__ import annotations

from flask import abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app import private_files
from app.extensions import db
from app.jobfairs import candidates_export, consent, fairs, portal, volunteer
from app.jobfairs.bp import bp
from app.jobfairs.forms import OutcomeForm, TicketScanForm
from app.jobfairs.models import Outcome
from app.tickets.services import InvalidTicket
from app.transaction import commit
from app.web import download, page_arg, perform

PAGE = 50  # candidates per page


def _outcome_form() -> OutcomeForm:
    form = OutcomeForm()
    form.outcome.choices = [SelectChoice(o.value, o.label) for o in Outcome if o is not Outcome.NONE]
    return form


@bp.route("/employer/jobfairs")
@login_required
def employer_index():
    if not portal.is_employer_contact(current_user):
        abort(403)
    # a page of the candidates: a booth at a Talent Week fair gathers them by the thousand
    found = db.paginate(portal.visible_interests_query(current_user), page=page_arg(), per_page=PAGE,
                        error_out=False)
    shown = found.items
    standings = consent.standing_of(shown)
    mobiles = {i.id: portal.mobile_shown(i, standings) for i in shown}
    portal.audit_view(current_user, shown, "portal", standings)
    page = render_template("jobfairs/employer_index.html", booths=portal.booths_of(current_user), interests=shown,
                           page=found, mobiles=mobiles, outcomes={i.id: portal.outcome_of(i) for i in shown},
                           consents=standings, outcome_form=_outcome_form(),
                           scan_form=TicketScanForm())
    commit()  # after rendering: a commit expires the candidates, and the page would read each again
    return page


@bp.route("/employer/jobfairs/export")
@login_required
def employer_export():
    if not portal.is_employer_contact(current_user):
        abort(403)
    body = candidates_export.export_xlsx(current_user)
    commit()
    return download(body, "candidates.xlsx")


@bp.route("/employer/interests/<int:interest_id>/cv")
@login_required
def employer_cv(interest_id: int):
    name = portal.cv_file(current_user, portal.get_visible(current_user, interest_id))
    commit()
    return private_files.response(name, "cv.pdf")


@bp.route("/employer/interests/<int:interest_id>/outcome", methods=["POST"])
@login_required
def employer_outcome(interest_id: int):
    interest = portal.get_visible(current_user, interest_id)
    form = _outcome_form()
    form.validate_on_submit()
    return perform(lambda: portal.mark(current_user, interest, form.outcome.data or "", form.note.data or ""),
                   success=_("Outcome recorded."), to=_back_to_page())


def _back_to_page() -> str:
    """The portal's page the outcome was marked on (its form carries it), not always the first."""
    return url_for("jobfairs.employer_index", page=page_arg() if page_arg() > 1 else None)


@bp.route("/employer/booths/<int:fair_employer_id>/scan", methods=["POST"])
@login_required
def employer_scan(fair_employer_id: int):
    booth = fairs.get_employer(fair_employer_id)
    portal.require_booth(current_user, booth)
    form = TicketScanForm()
    form.validate_on_submit()
    return perform(lambda: volunteer.scan_ticket(current_user, booth, form.token.data or ""),
                   success=_("Asked: the seeker confirms on their phone before you see anything."),
                   to=url_for("jobfairs.employer_index"), refusals=(InvalidTicket,))
