"""The bureau's pages: the batches, a batch with its places, applications and the placements
hosts proposed (confirm or reject), the batch and place forms, the status moves."""
from __future__ import annotations

from datetime import datetime, time

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.events.services import managed_departments
from app.extensions import db
from app.timeutil import local_to_utc, local_today, to_local
from app.traineeships import batches, placements, queries, sheets
from app.traineeships.bp import bp, staff
from app.traineeships.forms import BatchForm, PlacesSheetForm, PlaceForm, ReasonForm
from app.traineeships.models import BATCH_TRANSITIONS, PlacementStatus
from app.web import FieldMessages, allowed, page_arg, perform

PAGE = 50  # applications per page


def _batch(batch_id: int):
    return allowed(batches.get_batch(batch_id), batches.require_run)


def _back(batch) -> str:
    return url_for("traineeships.batch", batch_id=batch.id)


@bp.route("/console/traineeships/")
@staff
def console_list():
    mine = batches.batches_for(current_user)
    return render_template("traineeships/console_list.html", batches=mine,
                           figures={b.id: queries.figures(b) for b in mine},
                           can_create=bool(managed_departments(current_user)))


@bp.route("/console/traineeships/new", methods=["GET", "POST"])
@bp.route("/console/traineeships/<int:batch_id>/edit", methods=["GET", "POST"])
@staff
def batch_form(batch_id: int | None = None):
    batch = _batch(batch_id) if batch_id else None
    departments = managed_departments(current_user)
    if not departments:
        abort(403)
    form = BatchForm(obj=batch)
    form.department_id.choices = [SelectChoice(d.id, d.name) for d in departments]
    if batch is not None and not form.is_submitted():
        form.applications_open_at.data = to_local(batch.applications_open_at).replace(tzinfo=None)
        form.applications_close_at.data = to_local(batch.applications_close_at).replace(tzinfo=None)
        form.fill_rules(batch.eligibility or {})
    elif batch is None and not form.is_submitted():
        today = local_today()
        form.year.data = today.year
        form.applications_open_at.data = datetime.combine(today, time(9, 0))

    def save():
        common = dict(title=form.title.data, year=form.year.data, season=form.season.data,
                      applications_open_at=local_to_utc(form.applications_open_at.data),
                      applications_close_at=local_to_utc(form.applications_close_at.data),
                      starts_on=form.starts_on.data, ends_on=form.ends_on.data, max_choices=form.max_choices.data,
                      description=form.description.data or "")
        if batch is None:
            department = next(d for d in departments if d.id == form.department_id.data)
            return batches.create_batch(current_user, department=department, kind=form.kind.data, **common)
        return batches.update_batch(current_user, batch, eligibility=form.rules(), **common)

    if form.validate_on_submit() and (done := perform(save, success=_("Batch saved."), form=form, to=_back)):
        return done
    return render_template("traineeships/batch_form.html", form=form, batch=batch)


@bp.route("/console/traineeships/<int:batch_id>")
@staff
def batch(batch_id: int):
    batch = _batch(batch_id)
    # a page of the applications: a summer batch takes them by the thousand
    applications = db.paginate(queries.applications_query(batch), page=page_arg(), per_page=PAGE, error_out=False)
    return render_template("traineeships/batch.html", batch=batch, figures=queries.figures(batch),
                           applications=applications,
                           proposed=placements.placements_of(batch, PlacementStatus.PROPOSED.value),
                           placed=[p for p in placements.placements_of(batch)
                                   if p.status != PlacementStatus.PROPOSED.value],
                           moves=sorted(BATCH_TRANSITIONS.get(batch.status, ())), reason_form=ReasonForm(),
                           taking=batches.taking_applications(batch))


@bp.route("/console/traineeships/<int:batch_id>/status", methods=["POST"])
@staff
def batch_status(batch_id: int):
    batch = _batch(batch_id)
    return perform(lambda: batches.move_batch(current_user, batch, request.form.get("status", "")[:20]),
                   success=_("Batch status changed."), to=_back(batch))


@bp.route("/console/traineeships/<int:batch_id>/places/new", methods=["GET", "POST"])
@bp.route("/console/traineeships/<int:batch_id>/places/<int:place_id>", methods=["GET", "POST"])
@staff
def place_form(batch_id: int, place_id: int | None = None):
    batch = _batch(batch_id)
    place = batches.get_place(place_id, batch) if place_id else None
    form = PlaceForm(obj=place)
    hosts = batches.hosts()
    form.host_id.choices = [SelectChoice(h.id, h.name) for h in hosts]
    if form.validate_on_submit() and (done := perform(
            lambda: batches.save_place(
                current_user, batch, host=next((h for h in hosts if h.id == form.host_id.data), None),
                position=form.position.data, openings=form.openings.data, months=form.months.data,
                monthly_allowance=form.monthly_allowance.data or 0, description=form.description.data or "",
                requirements=form.requirements.data or "", status=form.status.data, place=place),
            success=_("Place saved."), form=form, to=_back(batch))):
        return done
    return render_template("traineeships/place_form.html", form=form, batch=batch, place=place)


@bp.route("/console/traineeships/<int:batch_id>/places/import", methods=["GET", "POST"])
@staff
def import_places(batch_id: int):
    batch = _batch(batch_id)
    form = PlacesSheetForm()
    errors = FieldMessages(summary=_("Nothing was imported: correct the sheet and try again."))
    if form.validate_on_submit() and (done := perform(
            lambda: sheets.import_places(current_user, batch, form.file.data.read()),
            success=lambda added: _("%(n)s places imported.", n=len(added)), to=_back(batch), form=errors)):
        return done
    status = 422 if errors or form.errors else 200
    return render_template("traineeships/import_places.html", batch=batch, form=form, errors=errors,
                           columns=sheets.header()), status


@bp.route("/console/traineeships/placements/<int:placement_id>/confirm", methods=["POST"])
@staff
def confirm(placement_id: int):
    placement = placements.get_placement(placement_id)
    return perform(lambda: placements.confirm(current_user, placement), success=_("Placement confirmed."),
                   to=_back(placement.batch))


@bp.route("/console/traineeships/<int:batch_id>/confirm-all", methods=["POST"])
@staff
def confirm_all(batch_id: int):
    batch = _batch(batch_id)
    return perform(lambda: placements.confirm_all(current_user, batch),
                   success=lambda done: _("%(n)s placements confirmed.", n=len(done)), to=_back(batch))


@bp.route("/console/traineeships/placements/<int:placement_id>/reject", methods=["POST"])
@staff
def reject(placement_id: int):
    placement = placements.get_placement(placement_id)
    form = ReasonForm()
    return perform(lambda: placements.reject(current_user, placement, reason=form.reason.data or ""),
                   success=_("Placement rejected."), to=_back(placement.batch))
