"""The marking scheme of a category in the organisers' console: criteria and aspects, one by one
or imported from a sheet, and its export."""
from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.competitions import schemes
from app.competitions import services as cs
from app.competitions.bp import bp, run_category, staff
from app.competitions.forms import AspectForm, CriterionForm, ImportForm
from app.web import FieldMessages, download, perform


@bp.route("/console/categories/<int:category_id>/scheme", methods=["GET", "POST"])
@staff
def scheme(category_id: int):
    category = run_category(category_id)
    criterion_form, aspect_form, import_form = CriterionForm(prefix="c"), AspectForm(prefix="a"), ImportForm(prefix="x")
    aspect_form.criterion_id.choices = [SelectChoice(c.id, c.name) for c in category.criteria]
    import_errors = FieldMessages(summary=_("Nothing was imported: correct the sheet and try again."))
    to = url_for("competitions.scheme", category_id=category.id)
    which, done = request.form.get("form"), None
    if which == "criterion" and criterion_form.validate_on_submit():
        done = perform(lambda: cs.add_criterion(current_user, category, name=criterion_form.name.data),
                       success=_("Criterion added."), to=to, form=criterion_form)
    elif which == "aspect" and aspect_form.validate_on_submit():
        criterion = next((c for c in category.criteria if c.id == aspect_form.criterion_id.data), None)
        if criterion is None:
            abort(404)
        done = perform(lambda: cs.add_aspect(current_user, criterion, description=aspect_form.description.data,
                                             kind=aspect_form.kind.data, max_mark=aspect_form.max_mark.data,
                                             outcomes=aspect_form.outcomes.data or ""),
                       success=_("Aspect added."), to=to, form=aspect_form)
    elif which == "import" and import_form.validate_on_submit():
        done = perform(lambda: schemes.import_xlsx(current_user, category, import_form.file.data.read()),
                       success=_("Marking scheme imported."), to=to, form=import_errors)
    if done:
        return done
    schemes.load_scheme(category)
    return render_template("competitions/scheme.html", category=category, competition=category.competition,
                           criterion_form=criterion_form, aspect_form=aspect_form, import_form=import_form,
                           import_errors=import_errors, columns=schemes.header())


@bp.route("/console/aspects/<int:aspect_id>/delete", methods=["POST"])
@staff
def aspect_delete(aspect_id: int):
    aspect = schemes.find_aspect(aspect_id) or abort(404)
    category = run_category(aspect.criterion.category_id)
    return perform(lambda: cs.delete_aspect(current_user, aspect), success=_("Aspect deleted."),
                   to=url_for("competitions.scheme", category_id=category.id))


@bp.route("/console/criteria/<int:criterion_id>/delete", methods=["POST"])
@staff
def criterion_delete(criterion_id: int):
    criterion = schemes.find_criterion(criterion_id) or abort(404)
    category = run_category(criterion.category_id)
    return perform(lambda: cs.delete_criterion(current_user, criterion), success=_("Criterion deleted."),
                   to=url_for("competitions.scheme", category_id=category.id))


@bp.route("/console/categories/<int:category_id>/scheme.xlsx")
@staff
def scheme_export(category_id: int):
    category = run_category(category_id)
    return download(schemes.export_xlsx(schemes.load_scheme(category)), f"scheme-{category.id}.xlsx")
