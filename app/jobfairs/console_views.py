"""The bureau's console for a fair: its numbers, employers and positions, the sheet import, and
each booth's code on a screen and on paper."""
from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app.jobfairs import counts, fairs, portal, sheets
from app.jobfairs.bp import bp, staff
from app.jobfairs.forms import EmployerForm, PositionForm, PositionsSheetForm
from app.organisations.linking import pick
from app.tickets.services import qr_data_uri
from app.urls import public_url
from app.web import FieldMessages, allowed, perform


def _fair(event_id: int):
    return allowed(fairs.get_fair(event_id), fairs.require_run)


def _back(event) -> str:
    return url_for("jobfairs.fair", event_id=event.id)


@bp.route("/console/jobfairs/")
@staff
def fair_list():
    events = fairs.fairs_for(current_user)
    return render_template("jobfairs/console_list.html", events=events,
                           counts=counts.list_counts(events))


def _fair_page(event, employer_form=None, position_form=None, status: int = 200):
    employers = fairs.employers_of(event)
    position_form = position_form or PositionForm(prefix="p")
    position_form.employer.choices = [SelectChoice(e.id, f"{e.booth} · {e.organisation.name}") for e in employers]
    return render_template("jobfairs/fair.html", event=event, employers=employers, counts=counts.fair_counts(event),
                           employer_form=employer_form or EmployerForm(prefix="e"),
                           position_form=position_form), status


@bp.route("/console/jobfairs/<int:event_id>")
@staff
def fair(event_id: int):
    return _fair_page(_fair(event_id))


@bp.route("/console/jobfairs/<int:event_id>/employers", methods=["POST"])
@staff
def add_employer(event_id: int):
    event = _fair(event_id)
    form = EmployerForm(prefix="e")
    if form.validate_on_submit() and (done := perform(
            lambda: fairs.add_employer(current_user, event, pick(form.organisation.data), form.booth.data),
            success=_("Employer added."), to=_back(event), form=form)):
        return done
    return _fair_page(event, employer_form=form, status=422)


@bp.route("/console/jobfairs/<int:event_id>/positions", methods=["POST"])
@staff
def add_position(event_id: int):
    event = _fair(event_id)
    form = PositionForm(prefix="p")
    form.employer.choices = [SelectChoice(e.id, e.booth) for e in fairs.employers_of(event)]
    if form.validate_on_submit() and (done := perform(
            lambda: fairs.add_position(current_user, fairs.get_employer(form.employer.data, event),
                                       title=form.title.data, openings=form.openings.data,
                                       education=form.education.data, major=form.major.data or "",
                                       salary_min=form.salary_min.data, salary_max=form.salary_max.data,
                                       location=form.location.data or ""),
            success=_("Position added."), to=_back(event), form=form)):
        return done
    return _fair_page(event, position_form=form, status=422)


@bp.route("/console/jobfairs/<int:event_id>/import", methods=["GET", "POST"])
@staff
def import_positions(event_id: int):
    event = _fair(event_id)
    form = PositionsSheetForm()
    errors = FieldMessages(summary=_("Nothing was imported: correct the sheet and try again."))
    if form.validate_on_submit() and (done := perform(
            lambda: sheets.import_positions(current_user, event, form.file.data.read()),
            success=lambda added: _("%(n)s positions imported.", n=len(added)), to=_back(event), form=errors)):
        return done
    status = 422 if errors or form.errors else 200
    return render_template("jobfairs/import.html", event=event, form=form, errors=errors,
                           columns=sheets.header()), status


def _booth_page(fair_employer_id: int, template: str):
    booth = fairs.get_employer(fair_employer_id)
    portal.require_booth(current_user, booth)
    link = public_url("jobfairs.booth", code=booth.booth_code)
    return render_template(template, booth=booth, link=link, qr_src=qr_data_uri(link))


@bp.route("/jobfairs/booths/<int:fair_employer_id>/screen")
@login_required
def booth_screen(fair_employer_id: int):
    """The booth's code for a screen at the booth (the fair's organisers or the employer's contacts)."""
    return _booth_page(fair_employer_id, "jobfairs/booth_screen.html")


@bp.route("/jobfairs/booths/<int:fair_employer_id>/print")
@login_required
def booth_print(fair_employer_id: int):
    """The booth's code on an A4 sheet (print CSS)."""
    return _booth_page(fair_employer_id, "jobfairs/booth_print.html")
