"""A fair's employers and positions from an XLSX sheet, all or nothing: each row names an employer
of the register (by its 统一社会信用代码 or name), its booth and one position; a wrong row gets
its own message and only a sheet without one changes anything. An employer already at the fair
keeps its booth (the row's booth must match it)."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.errors import InvalidInput
from app.events.models import Event
from app.extensions import db
from app.jobfairs.fairs import EMPLOYER_KINDS, add_employer, add_position, position_errors, require_run
from app.jobfairs.models import Education, FairEmployer, Position
from app.organisations.linking import resolve
from app.spreadsheets import sheet_rows

MAX_ROWS = 1000
COLUMNS = ("organisation", "booth", "title", "openings", "education", "major", "salary_min", "salary_max", "location")


def header() -> list[str]:
    return [_("Employer (name or unified social credit code)"), _("Booth"), _("Position"), _("Openings"),
            _("Education (any, secondary, vocational, associate, bachelor, master, doctorate)"), _("Major"),
            _("Salary from (yuan a month)"), _("Salary to (yuan a month)"), _("Location")]


def _number(text: str, empty=None):
    return int(text) if text.isdigit() and len(text) < 10 else (empty if text == "" else text)


def _education(text: str) -> str:
    text = (text or "").strip().lower()
    if not text:
        return Education.ANY.value
    for e in Education:
        if text in (e.value, str(e.label).lower()):
            return e.value
    return text


def read_rows(event: Event, data: bytes) -> list[dict]:
    """The checked rows; InvalidInput with one message per wrong row."""
    filled, too_long = sheet_rows(data, len(COLUMNS), MAX_ROWS)
    present = {e.organisation_id: e.booth for e in db.session.scalars(
        sa.select(FairEmployer).where(FairEmployer.event_id == event.id))}
    booths = {booth: org for org, booth in present.items()}
    errors, rows = {}, []
    for number, cells in filled:
        cells = dict(zip(COLUMNS, cells))
        organisation = resolve(cells["organisation"], cells["organisation"])
        values = dict(title=cells["title"], openings=_number(cells["openings"], 0),
                      education=_education(cells["education"]), major=cells["major"],
                      salary_min=_number(cells["salary_min"]), salary_max=_number(cells["salary_max"]),
                      location=cells["location"])
        problems = [str(m) for m in position_errors(**values).values()]
        booth = cells["booth"].strip()
        if organisation is None or organisation.kind not in EMPLOYER_KINDS:
            problems.insert(0, _("%(name)s: not an employer in the register", name=cells["organisation"] or "—"))
        elif not booth or len(booth) > 20:
            problems.append(_("Give the booth number (at most 20 characters)."))
        elif present.get(organisation.id, booth) != booth or booths.get(booth, organisation.id) != organisation.id:
            problems.append(_("Booth %(booth)s: another employer's, or not this employer's booth", booth=booth))
        else:
            present[organisation.id], booths[booth] = booth, organisation.id
        if problems:
            errors[f"row{number}"] = _l("Row %(n)s: %(problems)s", n=number, problems=" ".join(problems))
        else:
            rows.append(dict(values, organisation=organisation, booth=booth))
    if too_long:
        errors["file"] = _l("At most %(n)s positions in one sheet.", n=MAX_ROWS)
    elif not (rows or errors):
        errors["file"] = _l("The sheet has no positions below its header row.")
    if errors:
        raise InvalidInput(fields=errors)
    return rows


def import_positions(actor: User, event: Event, data: bytes) -> list[Position]:
    """Every row's position added (its employer joining the fair at its booth when new), or none."""
    require_run(actor, event)
    employers = {e.organisation_id: e for e in db.session.scalars(
        sa.select(FairEmployer).where(FairEmployer.event_id == event.id))}
    added = []
    for row in read_rows(event, data):
        organisation = row.pop("organisation")
        booth = row.pop("booth")
        if organisation.id not in employers:
            employers[organisation.id] = add_employer(actor, event, organisation, booth)
        added.append(add_position(actor, employers[organisation.id], **row))
    audit.record(actor, "jobfair.positions_import", event, added=len(added))
    return added
