"""A report's content as a file: the PDF (WeasyPrint, A4, the CJK fonts embedded, no network or
file access) and the XLSX with the same figures."""
from __future__ import annotations

import io
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from app.plans.ledger import figures
from app.plans.models import TargetPeriod
from app.plans.reports import charts
from app.plans.reports.content import Report, number, signed
from app.plans.reports.models import KIND_LABELS, ReportKind
from app.spreadsheets import safe_row, sheet_title
from app.timeutil import fmt

FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans CJK", "Source Han Sans SC", sans-serif'


def kind_words(kind: str) -> str:
    return str(KIND_LABELS[kind])


def period_words(report: Report) -> str:
    if report.kind == ReportKind.ANNUAL.value:
        return _("Year %(year)s (%(first)s to %(last)s)", year=report.first.year, first=report.first.isoformat(),
                 last=report.last.isoformat())
    if report.kind == ReportKind.MONTHLY.value:
        return _("%(year)s-%(month)02d", year=report.last.year, month=report.last.month)
    return _("%(first)s to %(last)s", first=report.first.isoformat(), last=report.last.isoformat())


def scope_words(report: Report) -> str:
    if not report.scope_names:
        return _("All departments of the bureau")
    return "、".join(report.scope_names)


def html(report: Report) -> str:
    """The report's HTML (rendered outside any request: no url_for, no current user)."""
    template = current_app.jinja_env.get_template("plans/reports/report.html")
    return template.render(report=report, kind=kind_words(report.kind), period=period_words(report),
                           scope=scope_words(report), generated=fmt(report.generated_at), number=number,
                           signed=signed, charts=charts, font=FONT_FAMILY, monthly=report.kind == ReportKind.MONTHLY.value,
                           figures=figures, per_year=TargetPeriod.YEAR.value)


def _refuse_fetch(url, *args, **kwargs):
    raise ValueError(f"a report loads nothing: {url[:60]}")


def pdf(report: Report) -> bytes:
    from weasyprint import HTML  # lazy: WeasyPrint takes 0.4 s to import

    return HTML(string=html(report), url_fetcher=_refuse_fetch, base_url=None).write_pdf()


def _cell(value):
    """A figure as a number cell (whole numbers as integers), None left empty."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list]) -> None:
    sheet = book.create_sheet(sheet_title(title))
    sheet.append(safe_row(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(safe_row(row))
    sheet.freeze_panes = "A2"


def xlsx(report: Report) -> bytes:
    book = Workbook()
    cover = book.active
    cover.title = sheet_title(_("Report"))
    for row in ([_("Plan"), report.plan.title], [_("Report"), kind_words(report.kind)],
                [_("Period"), period_words(report)], [_("Figures as of"), report.last.isoformat()],
                [_("Prepared for"), scope_words(report)], [_("Generated at"), report.generated_at and fmt(report.generated_at)]):
        cover.append(safe_row(row))
    header = [_("Code"), _("Plan target"), _("Plan item"), _("Unit"), _("Target number"), _("Actual"),
              _("Expected by now"), _("Gap"), _("Status"), _("Period from"), _("Period to")]
    if report.kind == ReportKind.MONTHLY.value:
        header.append(_("Change this month"))
    rows = []
    for f in report.targets:
        p = f.progress
        row = [f.target.code, f.target.title, f.target.item.code if f.target.item else "", f.target.unit,
               _cell(f.target.number), _cell(p.actual), _cell(p.expected), _cell(p.gap), f.status_words,
               p.period.first.isoformat(), p.period.last.isoformat()]
        if report.kind == ReportKind.MONTHLY.value:
            row.append(_cell(f.change))
        rows.append(row)
    _sheet(book, _("Summary of the targets"), header, rows)
    _sheet(book, _("By year"), [_("Code"), _("Plan target"), _("Year"), _("Figure"), _("What the figure is")],
           [[f.target.code, f.target.title, year, _cell(value),
             _("new that year") if f.target.computed else _("figure at the year's end")]
            for f in report.targets for year, value in f.years])
    _sheet(book, _("By department"), [_("Code"), _("Plan target"), _("Department"), _("Figure")],
           [[f.target.code, f.target.title, name, n] for f in report.targets for name, n in f.departments])
    _sheet(book, _("Entered figures"),
           [_("Code"), _("Plan target"), _("Year"), _("As of"), _("Value"), _("Entered by"), _("Entered at"),
            _("Evidence"), _("Corrects"), _("Reason for the correction"), _("Note")],
           [[fig.target.code, fig.target.title, fig.year, fig.as_of.isoformat(), _cell(fig.value),
             fig.entered_by.name if fig.entered_by else "", fmt(fig.entered_at), fig.evidence_name or "",
             fig.corrects_id, fig.correction_reason or "", fig.note]
            for section in report.items for fig in section.entered])
    _sheet(book, _("Definitions"), [_("Code"), _("Plan target"), _("What counts"), _("How it is counted")],
           [[d.target.code, d.target.title, d.text, d.counter] for d in report.definitions])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
