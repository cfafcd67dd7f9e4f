"""The host portal during and after the placement: its trainees with the months to confirm
(pending, overdue), a trainee's page with the month, evaluation and 留用 forms; and the trainee's
own feedback page. The services refuse anyone but the host's contacts (or the trainee)."""
from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.errors import InvalidInput
from app.inputs import bounded_int
from app.organisations.contacts import organisation_ids_of
from app.timeutil import local_today
from app.traineeships import evaluations, months, retention
from app.traineeships.bp import bp
from app.traineeships.defaults import criterion_label
from app.traineeships.models import STAGE_LABELS, Placement
from app.traineeships.progress_forms import FeedbackForm, MonthForm, RetentionForm
from app.traineeships.scope import get_placement, placements_hosted_by, require_contact_of, require_trainee
from app.web import allowed, perform

# How far back the portal looks for months still to confirm.
PORTAL_MONTHS = 24


def _own(placement_id: int) -> Placement:
    return allowed(get_placement(placement_id), require_contact_of)


def _back(placement: Placement) -> str:
    return url_for("traineeships.host_trainee", placement_id=placement.id)


@bp.route("/host/trainees")
@login_required
def host_trainees():
    ids = organisation_ids_of(current_user)
    if not ids:
        abort(403)
    today = local_today()
    first = months.first_of(today).replace(year=today.year - PORTAL_MONTHS // 12)  # the 1st: no 29 February
    return render_template("traineeships/host_trainees.html", placements=placements_hosted_by(
        current_user, Placement.status.in_(("confirmed", "completed", "withdrawn"))),
        missing=months.unconfirmed_months(Placement.host_id.in_(ids), first=first))


@bp.route("/host/trainees/<int:placement_id>")
@login_required
def host_trainee(placement_id: int):
    placement = _own(placement_id)
    confirmed = months.confirmed_months(placement)
    return render_template("traineeships/host_trainee.html", placement=placement, confirmed=confirmed,
                           months=[(m, months.working_days(placement, m), months.due_on(m),
                                    months.confirmable(placement, m)) for m in months.months_of(placement)],
                           evaluations=evaluations.evaluations_of(placement), criterion_label=criterion_label,
                           month_form=MonthForm(), retention_form=RetentionForm(obj=None),
                           decidable=retention.decidable(placement), today=local_today(), STAGE_LABELS=STAGE_LABELS)


@bp.route("/host/trainees/<int:placement_id>/months", methods=["POST"])
@login_required
def host_confirm_month(placement_id: int):
    placement = _own(placement_id)
    form = MonthForm()
    if not form.validate():  # a malformed number: told in a message on the trainee's page, nothing kept
        return perform(lambda: _refuse(form), success="", to=_back(placement))
    return perform(lambda: months.confirm_month(current_user, placement, form.month.data,
                                                present_days=form.present_days.data,
                                                absent_days=form.absent_days.data or 0, note=form.note.data or ""),
                   success=_("Month confirmed."), to=_back(placement))


def _refuse(form):
    raise InvalidInput(fields={k: " ".join(map(str, v)) for k, v in form.errors.items()})


@bp.route("/host/trainees/<int:placement_id>/evaluations", methods=["POST"])
@login_required
def host_evaluate(placement_id: int):
    placement = _own(placement_id)
    scores = {}
    for criterion in placement.batch.rubric or []:
        raw = request.form.get(f"score_{criterion.get('key')}", "")
        scores[str(criterion.get("key"))] = bounded_int(raw, -1, 1000) if raw.strip() else None
    return perform(lambda: evaluations.evaluate(current_user, placement, request.form.get("stage", "")[:10], scores,
                                                comment=request.form.get("comment", "")[:2001]),
                   success=_("Evaluation saved."), to=_back(placement))


@bp.route("/host/trainees/<int:placement_id>/retention", methods=["POST"])
@login_required
def host_retention(placement_id: int):
    placement = _own(placement_id)
    form = RetentionForm()
    form.validate()
    return perform(lambda: retention.decide(current_user, placement, retained=form.retained.data == "yes",
                                            retained_from=form.retained_from.data),
                   success=_("Retention saved."), to=_back(placement))


@bp.route("/me/traineeships/placements/<int:placement_id>/feedback", methods=["GET", "POST"])
@login_required
def my_feedback(placement_id: int):
    placement = allowed(get_placement(placement_id), require_trainee)
    form = FeedbackForm()
    if form.validate_on_submit() and (done := perform(
            lambda: evaluations.give_feedback(current_user, placement, rating=form.rating.data,
                                              text=form.text.data or ""),
            success=_("Thank you for your feedback."), form=form,
            to=url_for("traineeships.my_feedback", placement_id=placement.id))):
        return done
    return render_template("traineeships/feedback.html", placement=placement, form=form,
                           given=evaluations.feedback_of(placement), open=evaluations.may_give_feedback(placement))
