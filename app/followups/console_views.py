"""The bureau's pages: every programme's figures with a chart and the XLSX export, one programme's
figures with its months setting, and the drill-down to its people (masked, audited)."""
from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.followups import figures, settings, sheets
from app.followups.bp import bp, staff
from app.followups.programmes import get_programme, programmes_of
from app.transaction import commit
from app.web import FieldMessages, download, perform


@bp.route("/console/followups/")
@staff
def overview():
    scope = figures.department_scope(current_user)
    rows = figures.tally(scope)
    return render_template("followups/overview.html", rows=rows, chart=figures.chart(rows),
                           programmes=programmes_of(scope), percent=figures.percent)


@bp.route("/console/followups/export.xlsx")
@staff
def export():
    body = sheets.export_xlsx(current_user)
    commit()  # the audit row of who took the figures
    return download(body, "followup-surveys.xlsx")


def _programme(kind: str, programme_id: int):
    programme = get_programme(kind, programme_id)
    settings.require_organiser(current_user, programme)
    return programme


@bp.route("/console/followups/<kind>/<int:programme_id>", methods=["GET", "POST"])
@staff
def programme(kind: str, programme_id: int):
    found = _programme(kind, programme_id)
    errors = FieldMessages()
    here = url_for("followups.programme", kind=found.kind, programme_id=found.id)
    months_text = ", ".join(str(m) for m in settings.months_of(found))
    if request.method == "POST":
        months_text = request.form.get("months", "")
        done = perform(lambda: settings.set_months(current_user, found, months_text),
                       success=_("The months are saved; they apply to surveys not sent yet."), to=here,
                       form=errors)
        if done is not None:
            return done
    rows = figures.figures(current_user, found)
    page = render_template("followups/programme.html", programme=found, rows=rows, chart=figures.chart(rows),
                           months_text=months_text, default=settings.is_default(found),
                           default_months=settings.default_months(found.kind), errors=errors,
                           percent=figures.percent)
    return page, (422 if errors else 200)


@bp.route("/console/followups/<kind>/<int:programme_id>/people")
@staff
def people(kind: str, programme_id: int):
    found = _programme(kind, programme_id)
    rows = figures.people(current_user, found)
    page = render_template("followups/people.html", programme=found, surveys=rows)
    commit()  # the audit row of who looked at the answers; after rendering: the commit expires the rows
    return page
