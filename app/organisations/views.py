"""The registry's staff pages: the list with search and kind filter, an organisation, its form,
the duplicates with their merge, the XLSX import and export."""
from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.organisations import contacts, queries, services, sheets
from app.organisations.bp import bp, staff
from app.organisations.forms import ContactForm, ImportForm, OrganisationForm
from app.organisations.models import OrganisationKind
from app.web import FieldMessages, allowed, download, page_arg, perform


def _organisation(organisation_id: int):
    return allowed(services.get_organisation(organisation_id), services.require_staff)


@bp.route("/")
@staff
def index():
    q = (request.args.get("q") or "").strip()[:100]
    kind = request.args.get("kind") if request.args.get("kind") in {k.value for k in OrganisationKind} else None
    page = services.search_organisations(current_user, q, kind, page=page_arg())
    return render_template("organisations/list.html", page=page, q=q, kind=kind)


@bp.route("/<int:organisation_id>")
@staff
def detail(organisation_id: int):
    organisation = _organisation(organisation_id)
    return render_template("organisations/detail.html", organisation=organisation,
                           merged=queries.merged_into_this(organisation),
                           history=queries.status_history(organisation), trail=queries.audit_trail(organisation),
                           contacts=contacts.contacts_of(organisation), contact_form=ContactForm())


@bp.route("/<int:organisation_id>/contacts", methods=["POST"])
@staff
def add_contact(organisation_id: int):
    organisation = _organisation(organisation_id)
    form = ContactForm()
    return perform(lambda: contacts.add_contact(current_user, organisation, form.mobile.data or ""),
                   success=_("Contact added."), to=url_for("organisations.detail", organisation_id=organisation.id))


@bp.route("/contacts/<int:contact_id>/remove", methods=["POST"])
@staff
def remove_contact(contact_id: int):
    contact = contacts.get_contact(contact_id)
    return perform(lambda: contacts.remove_contact(current_user, contact), success=_("Contact removed."),
                   to=lambda o: url_for("organisations.detail", organisation_id=o.id),
                   refused_to=url_for("organisations.index"))


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
@staff
def edit(organisation_id: int | None = None):
    organisation = _organisation(organisation_id) if organisation_id else None
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        done = perform(lambda: services.save_organisation(current_user, organisation, **form.values()),
                       success=_("Organisation saved."), form=form,
                       to=lambda o: url_for("organisations.detail", organisation_id=o.id))
        if done:
            return done
    return render_template("organisations/form.html", organisation=organisation, form=form)


@bp.route("/duplicates")
@staff
def duplicates():
    services.require_staff(current_user)
    return render_template("organisations/duplicates.html", groups=services.find_duplicates())


@bp.route("/<int:organisation_id>/merge/<int:duplicate_id>", methods=["POST"])
@staff
def merge(organisation_id: int, duplicate_id: int):
    keep, duplicate = _organisation(organisation_id), _organisation(duplicate_id)
    return perform(lambda: services.merge(current_user, keep, duplicate), success=_("Organisations merged."),
                   to=url_for("organisations.detail", organisation_id=keep.id),
                   refused_to=url_for("organisations.duplicates"))


@bp.route("/import", methods=["GET", "POST"])
@staff
def import_sheet():
    services.require_staff(current_user)
    form = ImportForm()
    errors = FieldMessages(summary=_("Nothing was imported: correct the sheet and try again."))
    if form.validate_on_submit():
        done = perform(lambda: sheets.import_xlsx(current_user, form.file.data.read()),
                       success=lambda added: _("%(n)s organisations imported.", n=len(added)),
                       to=url_for("organisations.index"), form=errors)
        if done:
            return done
    status = 422 if errors or form.errors else 200
    return render_template("organisations/import.html", form=form, errors=errors, columns=sheets.header()), status


@bp.route("/export.xlsx")
@staff
def export():
    return download(sheets.export_xlsx(current_user), "organisations.xlsx")
