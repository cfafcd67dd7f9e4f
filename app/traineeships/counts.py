"""Trainees towards the plan's target (三年内招录1500名以上见习和实践学员): distinct people with a
confirmed or completed placement, in all and per host, university, district of the host and year.

Withdrawn placements do not count: the plan counts trainees who took up a placement and stayed
in it, and a withdrawal usually frees the host's place for somebody else, who would otherwise be
counted with the person who left. Rejected and merely proposed placements never started.

`placement_rows` is the one query; `counts` folds its rows (each person once per line); the
page, the spreadsheet and the tests all read them."""
from __future__ import annotations

import io
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy.orm import aliased

from app.extensions import db
from app.organisations.models import Organisation
from app.spreadsheets import safe_row, sheet_title
from app.traineeships.models import PLAN_TARGET, Placement, PlacementStatus, TraineeApplication, TraineeshipBatch

COUNTED = (PlacementStatus.CONFIRMED.value, PlacementStatus.COMPLETED.value)


@dataclass(frozen=True)
class Row:
    user_id: int
    year: int
    host: str
    district: str
    university: str  # the registry's name, or the school as the applicant typed it


def placement_rows(*where) -> list[Row]:
    """One row per counted placement (confirmed or completed). One query."""
    host, university = aliased(Organisation), aliased(Organisation)
    query = (sa.select(Placement.user_id, TraineeshipBatch.year, host.name, host.district, university.name,
                       TraineeApplication.school_name)
             .join(TraineeshipBatch, TraineeshipBatch.id == Placement.batch_id)
             .join(host, host.id == Placement.host_id)
             .join(TraineeApplication, TraineeApplication.id == Placement.application_id)
             .outerjoin(university, university.id == TraineeApplication.university_id)
             .where(Placement.status.in_(COUNTED), *where)
             .order_by(TraineeshipBatch.year, Placement.id))
    return [Row(user_id, year, host_name, district or "", uni or school or "")
            for user_id, year, host_name, district, uni, school in db.session.execute(query).all()]


@dataclass
class Counts:
    trainees: int
    target: int = PLAN_TARGET
    by_host: dict[str, int] = field(default_factory=dict)
    by_university: dict[str, int] = field(default_factory=dict)
    by_district: dict[str, int] = field(default_factory=dict)
    by_year: dict[int, int] = field(default_factory=dict)

    @property
    def share(self) -> float:
        return self.trainees / self.target if self.target else 0.0


def _distinct(rows: list[Row], key) -> dict:
    people: dict = {}
    for row in rows:
        people.setdefault(key(row), set()).add(row.user_id)
    return dict(sorted(((k, len(v)) for k, v in people.items()), key=lambda kv: (-kv[1], str(kv[0]))))


def counts(rows: list[Row] | None = None) -> Counts:
    rows = placement_rows() if rows is None else rows
    return Counts(trainees=len({r.user_id for r in rows}),
                  by_host=_distinct(rows, lambda r: r.host), by_university=_distinct(rows, lambda r: r.university),
                  by_district=_distinct(rows, lambda r: r.district),
                  by_year=dict(sorted(_distinct(rows, lambda r: r.year).items())))


def counts_xlsx(made: Counts) -> bytes:
    """The figures as a workbook: a summary sheet and one sheet per breakdown (numbers only, no
    personal data)."""
    book = Workbook()
    summary = book.active
    summary.title = sheet_title(_("Summary"))
    summary.append(safe_row([_("Trainees"), made.trainees]))
    summary.append(safe_row([_("Target"), made.target]))
    summary.append(safe_row([_("Share of the target"), round(made.share, 4)]))
    for title, label, table in ((_("By host"), _("Host company"), made.by_host),
                                (_("By university"), _("University"), made.by_university),
                                (_("By district"), _("District"), made.by_district),
                                (_("By year"), _("Year"), made.by_year)):
        sheet = book.create_sheet(sheet_title(title))
        sheet.append(safe_row([label, _("Trainees")]))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for key, n in table.items():
            sheet.append(safe_row([key if key != "" else _("Not given"), n]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
