"""A batch's places from an XLSX sheet, all or nothing: every row is checked (the host company
named by its code or name in the register, the numbers in range) and a wrong row gets its own
message; only a sheet without a wrong row adds its places."""
from __future__ import annotations


from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.errors import InvalidInput
from app.spreadsheets import sheet_rows
from app.traineeships.batches import host_named, place_errors, require_run, save_place
from app.traineeships.models import TraineeshipBatch, TraineeshipPlace

MAX_ROWS = 500
COLUMNS = ("host", "position", "openings", "months", "monthly_allowance", "description", "requirements")


def header() -> list[str]:
    return [_("Host company (name or unified social credit code)"), _("Position"), _("Openings"), _("Months"),
            _("Monthly allowance (yuan, for information)"), _("What the trainee will do"), _("Requirements")]


def _number(text: str):
    """A whole number as typed, or the text itself for place_errors() to refuse."""
    return int(text) if text.isdigit() and len(text) < 10 else (0 if text == "" else text)


def read_places(data: bytes) -> list[dict]:
    """The checked rows; InvalidInput with one message per wrong row."""
    filled, too_long = sheet_rows(data, len(COLUMNS), MAX_ROWS)
    errors, rows = {}, []
    for number, cells in filled:
        cells = dict(zip(COLUMNS, cells))
        values = dict(host=host_named(cells["host"]), position=cells["position"],
                      openings=_number(cells["openings"]), months=_number(cells["months"]),
                      monthly_allowance=_number(cells["monthly_allowance"]), description=cells["description"],
                      requirements=cells["requirements"])
        problems = place_errors(**values)
        if problems:
            named = {"host_id": _("%(host)s: not a host company in the register", host=cells["host"] or "—")}
            text = " ".join(str(named.get(key, message)) for key, message in problems.items())
            errors[f"row{number}"] = _l("Row %(n)s: %(problems)s", n=number, problems=text)
        else:
            rows.append(values)
    if too_long:
        errors["file"] = _l("At most %(n)s places in one sheet.", n=MAX_ROWS)
    elif not (rows or errors):
        errors["file"] = _l("The sheet has no places below its header row.")
    if errors:
        raise InvalidInput(fields=errors)
    return rows


def import_places(actor: User, batch: TraineeshipBatch, data: bytes) -> list[TraineeshipPlace]:
    """Every place of the sheet added to the batch, or none when any row is wrong."""
    require_run(actor, batch)
    added = [save_place(actor, batch, **values) for values in read_places(data)]
    audit.record(actor, "traineeship.places_import", batch, added=len(added))
    return added
