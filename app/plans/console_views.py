"""The plan's console pages: the plans, one plan's items and targets (with definitions and
责任部门), a target's figure history with the enter and correct forms, the evidence download, and
the "规划事项" page of each occasion (series, event, camp cycle, batch, competition, studio)."""
from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app import private_files
from app.plans import entering, loading, tagging
from app.plans.bp import bp
from app.plans.forms import CorrectionForm, FigureForm, TagsForm
from app.plans.ledger.figures import plan_years
from app.plans.models import Measure, SubjectKind, TargetPeriod
from app.transaction import commit
from app.web import perform

KINDS = "any(" + ",".join(k.value for k in SubjectKind) + ")"


@bp.route("/console/plans")
@login_required
def console_plans():
    entering.require_console(current_user)
    return render_template("plans/console/plans.html", plans=loading.plans())


@bp.route("/console/plans/<int:plan_id>")
@login_required
def console_plan(plan_id: int):
    plan = entering.get_plan(plan_id)
    targets = entering.visible_targets(current_user, plan)
    return render_template("plans/console/plan.html", plan=plan, targets=targets,
                           period_label=TargetPeriod.label_of, measure_label=Measure.label_of)


def _figure_form(target) -> FigureForm:
    form = FigureForm()
    if target.period == TargetPeriod.YEAR.value:
        form.year.choices = [SelectChoice(str(y), str(y) if target.years == 1 else f"{y}–{y + target.years - 1}")
                             for y in plan_years(target.plan, target.years)]
    return form


def _target_page(target, form=None, correction=None, correcting=None, status=200):
    rows = entering.history(current_user, target)
    return render_template("plans/console/target.html", target=target, rows=rows,
                           form=form or _figure_form(target), correction=correction or CorrectionForm(),
                           correcting=correcting, may_enter=entering.may_enter(current_user, target),
                           may_download=entering.may_download(current_user, target),
                           period_label=TargetPeriod.label_of, measure_label=Measure.label_of), status


@bp.route("/console/plans/targets/<int:target_id>")
@login_required
def console_target(target_id: int):
    target = entering.get_target(target_id)
    entering.require_read(current_user, target)
    return _target_page(target)


@bp.route("/console/plans/targets/<int:target_id>/figures", methods=["POST"])
@login_required
def enter_figure(target_id: int):
    target = entering.get_target(target_id)
    entering.require_enter(current_user, target)
    form = _figure_form(target)
    if form.validate_on_submit():
        done = perform(lambda: entering.enter(current_user, target, form.value.data, form.as_of.data,
                                              year=form.year.data or None, note=form.note.data or "",
                                              evidence=entering.read_evidence(request.files.get("evidence"))),
                       success=_("Figure entered."), form=form,
                       to=url_for("plans.console_target", target_id=target.id))
        if done:
            return done
    return _target_page(target, form=form, status=422)


@bp.route("/console/plans/figures/<int:figure_id>/correct", methods=["POST"])
@login_required
def correct_figure(figure_id: int):
    figure = entering.get_figure(figure_id)
    target = figure.target
    entering.require_enter(current_user, target)
    form = CorrectionForm()
    if form.validate_on_submit():
        done = perform(lambda: entering.correct(current_user, figure, form.value.data, form.reason.data,
                                                evidence=entering.read_evidence(request.files.get("evidence"))),
                       success=_("Figure corrected; the previous value stays in the history."), form=form,
                       to=url_for("plans.console_target", target_id=target.id))
        if done:
            return done
    return _target_page(target, correction=form, correcting=figure.id, status=422)


@bp.route("/console/plans/figures/<int:figure_id>/evidence")
@login_required
def figure_evidence(figure_id: int):
    figure = entering.get_figure(figure_id)
    stored, name, mimetype = entering.evidence_file(current_user, figure)
    commit()  # the download's audit row
    return private_files.response(stored, name, content_type=mimetype)


@bp.route(f"/console/plans/tags/<{KINDS}:subject_kind>/<int:subject_id>", methods=["GET", "POST"])
@login_required
def subject_items(subject_kind: str, subject_id: int):
    subject = tagging.get_subject(subject_kind, subject_id)
    tagging.require_tag(current_user, subject_kind, subject)
    plan = loading.current_plan()
    if plan is None:
        abort(404)
    choices = tagging.items_of(subject_kind, subject.id, plan)
    form = TagsForm()
    form.items.choices = [SelectChoice(c.item.id, f"{c.item.code} {c.item.title}") for c in choices]
    if not form.is_submitted():
        form.items.data = [c.item.id for c in choices if c.serves]
    here = url_for("plans.subject_items", subject_kind=subject_kind, subject_id=subject.id)
    if form.validate_on_submit():
        done = perform(lambda: tagging.set_items(current_user, subject_kind, subject.id, form.items.data or [], plan),
                       success=_("Plan items saved."), form=form, to=here)
        if done:
            return done
    status = 422 if form.is_submitted() else 200
    return render_template("plans/console/subject_items.html", plan=plan, choices=choices, form=form,
                           kind=subject_kind, kind_label=SubjectKind.label_of(subject_kind),
                           title=tagging.subject_title(subject_kind, subject)), status
