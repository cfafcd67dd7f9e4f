"""The leaders' dashboard: /dashboard (the plan's targets in the reader's scope and the brand events),
a target's page with its breakdowns, and the drill-down to the people or occasions behind a figure.
Read-only for everyone: the figures are entered on the console's plan pages."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.errors import InvalidInput
from app.inputs import INT_MAX, PAGE_MAX, bounded_int
from app.plans import dashboard
from app.plans.bp import bp, readers
from app.transaction import commit

BAD_NUMBER = _l("Not a valid number.")


def _int_arg(name: str, minimum: int = 0, maximum: int = INT_MAX) -> int | None:
    """A whole number from the query string; absent or empty is None, anything else malformed or out
    of range is refused (422) rather than ignored: a drill-down link names exactly one figure."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    value = bounded_int(raw, minimum, maximum)
    if value is None:
        raise InvalidInput(fields={name: BAD_NUMBER})
    return value


def _text_arg(name: str) -> str | None:
    raw = request.args.get(name)
    return None if raw is None or raw == "" else raw


@bp.route("/dashboard")
@readers
def dashboard_home():
    board = dashboard.board(current_user, slug=_text_arg("plan"))
    charts = {f"t{row.target.id}": dashboard.chart(row.progress)
              for group in board.groups for row in group.rows if row.progress.series}
    return render_template("plans/dashboard.html", board=board, charts={"names": _chart_names(), "charts": charts},
                           percent=_percent, number=_number, whole=_whole, evidence_url=_evidence_url)


@bp.route("/dashboard/targets/<int:target_id>")
@readers
def dashboard_target(target_id: int):
    page = dashboard.target_page(current_user, target_id)
    return render_template("plans/dashboard_target.html", page=page, chart=dashboard.chart(page.progress),
                           chart_names=_chart_names(), people_labels=_people_labels(), percent=_percent,
                           number=_number, whole=_whole, evidence_url=_evidence_url)


@bp.route("/dashboard/targets/<int:target_id>/people")
@readers
def dashboard_people(target_id: int):
    found = dashboard.drilldown(current_user, target_id, year=_int_arg("year", 1900, 9999),
                                department_id=_int_arg("department", 1), programme=_text_arg("programme"),
                                page=_int_arg("page", 1, PAGE_MAX) or 1)
    page = render_template("plans/dashboard_people.html", found=found, programme_label=dashboard.programme_label)
    commit()  # the audit row of who looked at the list; after rendering: the commit expires the rows
    return page


def _evidence_url(figure) -> str | None:
    """An entered figure's evidence download (the console's, which gives the file to leaders and the
    target's heads too, audited)."""
    if figure is None or not figure.evidence_file:
        return None
    return url_for("plans.figure_evidence", figure_id=figure.id)


def _chart_names() -> dict:
    return {"actual": _("Counted so far"), "pace": _("Even pace to the target")}


def _people_labels() -> dict:
    return {"male": _("Men"), "female": _("Women"), "unknown": _("Not known"), "under_25": _("Under 25"),
            "25_34": _("25–34"), "35_44": _("35–44"), "45_54": _("45–54"), "55_plus": _("55 and over")}


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _number(value) -> str:
    """A figure as a clerk writes it: 1,500 (no .00 on whole numbers)."""
    if value is None:
        return "—"
    if value == int(value):
        return f"{int(value):,}"
    return f"{float(value):,.2f}"


def _whole(value) -> str:
    """A gap or an even pace, rounded to a whole number for reading (the page's data-* keep it exact)."""
    return "—" if value is None else f"{int(Decimal(value).quantize(Decimal(1), ROUND_HALF_UP)):,}"
