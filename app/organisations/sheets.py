"""An organisation list as XLSX: the export, and the import, which adds every row or none — a
wrong row (a bad code, an unknown kind, a code already registered) gets its own message and
nothing is kept. Choice columns take the stored code or its label (中文 or English)."""
from __future__ import annotations

import io

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Font

from app.accounts.models import User
from app.audit import services as audit
from app.errors import InvalidInput
from app.extensions import db
from app.labels import labels
from app.organisations import services
from app.organisations.fields import clean
from app.organisations.industries import INDUSTRIES
from app.organisations.models import HostStatus, Organisation, OrganisationKind, OrganisationSize
from app.spreadsheets import safe_row, sheet_rows, sheet_title

MAX_ROWS = 2000
COLUMNS = ("kind", "name", "uscc", "district", "in_minhang", "industries", "size", "contact_name", "contact_phone",
           "contact_email", "station_signed_on", "station_contact", "base_approved_on", "base_places_per_year",
           "base_status")
YES = {"1", "y", "yes", "true", "是", "√", "✓"}
SEPARATORS = ("；", ";", "，", ",", "、", "/", "\n")


def header() -> list[str]:
    return [_("Organisation kind"), _("Organisation name"), _("Unified social credit code"), _("District"),
            _("In Minhang (yes/no)"), _("Industries (separated by ;)"), _("Size"), _("Contact person"),
            _("Contact phone"), _("Contact email"), _("Station agreement signed (YYYY-MM-DD)"), _("Station contact"),
            _("Host approved (YYYY-MM-DD)"), _("Places per year"), _("Host status")]


def _words(table: dict) -> dict[str, str]:
    """{code, English label, Chinese label (casefolded): code} of a choice list."""
    words = {}
    for code, label in table.items():
        code = getattr(code, "value", code)
        words[code.casefold()] = code
        for locale in ("en", "zh_Hans_CN"):
            with force_locale(locale):
                words[str(label).casefold()] = code
    return words


def _choice(text: str, words: dict[str, str]) -> str:
    """The code a cell names; an unknown word is kept as typed, for clean() to refuse."""
    return words.get(text.casefold(), text) if text else ""


def _row_values(cells: list, words: dict) -> dict:
    values = dict(zip(COLUMNS, cells))
    text = {key: str(value) if not hasattr(value, "year") else value for key, value in values.items()}
    industries = str(values["industries"] or "")
    for separator in SEPARATORS:
        industries = industries.replace(separator, ";")
    text.update(
        kind=_choice(str(values["kind"]), words["kind"]),
        size=_choice(str(values["size"]), words["size"]),
        base_status=_choice(str(values["base_status"]), words["base_status"]),
        in_minhang=str(values["in_minhang"]).casefold() in YES,
        industries=[_choice(word.strip(), words["industries"]) for word in industries.split(";") if word.strip()],
    )
    return text


def read_xlsx(data: bytes) -> list[dict]:
    """The checked rows of an organisation sheet; InvalidInput with one message per wrong row."""
    filled, too_long = sheet_rows(data, len(COLUMNS), MAX_ROWS, keep_dates=True)
    words = {"kind": _words(labels(OrganisationKind)), "size": _words(labels(OrganisationSize)),
             "base_status": _words(labels(HostStatus)), "industries": _words(INDUSTRIES)}
    errors: dict[str, object] = {}
    rows, codes_seen = [], {}
    for number, cells in filled:
        problems = []
        try:
            values = clean(_row_values(cells, words))
        except InvalidInput as exc:
            problems = [str(message) for message in exc.fields.values()]
            values = None
        if values is not None and values["uscc"]:
            holder = services.uscc_holder(values["uscc"])
            if holder is not None:
                problems.append(_("the code is already registered for %(name)s", name=holder.name))
            elif values["uscc"] in codes_seen:
                problems.append(_("the same code as row %(n)s", n=codes_seen[values["uscc"]]))
            codes_seen.setdefault(values["uscc"], number)
        if problems:
            errors[f"row{number}"] = _l("Row %(n)s: %(problems)s", n=number, problems=" ".join(problems))
        else:
            rows.append(values)
    if too_long:
        errors["file"] = _l("At most %(n)s organisations in one sheet.", n=MAX_ROWS)
    elif not (rows or errors):
        errors["file"] = _l("The sheet has no organisations below its header row.")
    if not errors:
        return rows
    raise InvalidInput(fields=errors)


def import_xlsx(actor: User, data: bytes) -> list[Organisation]:
    """Every organisation of the sheet added, or none when any row is wrong."""
    services.require_staff(actor)
    added = [services.add(values) for values in read_xlsx(data)]
    db.session.flush()
    audit.record(actor, "organisation.import", None, added=len(added), ids=[o.id for o in added][:200])
    return added


def export_xlsx(actor: User) -> bytes:
    """Every active organisation, in the columns the import reads."""
    services.require_staff(actor)
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(_("Organisations"), "organisations")
    sheet.append(safe_row(header()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for o in db.session.scalars(services.search_query()):
        sheet.append(safe_row([
            o.kind_label, o.name, o.uscc or "", o.district, _("yes") if o.in_minhang else _("no"),
            "; ".join(o.industry_labels), o.size_label, o.contact_name, o.contact_phone, o.contact_email,
            o.station_signed_on.isoformat() if o.station_signed_on else "", o.station_contact,
            o.base_approved_on.isoformat() if o.base_approved_on else "",
            o.base_places_per_year if o.base_places_per_year is not None else "", o.base_status_label]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
