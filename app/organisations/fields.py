"""What an organisation's fields may hold, checked in one place for the form and the XLSX import:
`clean()` returns the stored values or raises InvalidInput with a message per field."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from app.errors import InvalidInput
from app.organisations.industries import INDUSTRIES
from app.organisations.models import HostStatus, OrganisationKind, OrganisationSize
from app.organisations.uscc import normalise_uscc, validate_uscc

LIMITS = {"name": 200, "district": 60, "contact_name": 60, "contact_phone": 30, "contact_email": 120,
          "station_contact": 120}
MAX_PLACES = 10_000
# A company has a 统一社会信用代码; a partner region has none, the others may.
USCC_KINDS = {OrganisationKind.COMPANY.value, OrganisationKind.HOST_COMPANY.value}


def _text(values: dict, key: str, errors: dict) -> str:
    text = str(values.get(key) or "").strip()
    if len(text) > LIMITS[key]:
        errors[key] = _l("At most %(n)s characters.", n=LIMITS[key])
    return text


def _code(values: dict, key: str, kind, errors: dict, message) -> str | None:
    code = str(values.get(key) or "").strip() or None
    if code is not None and code not in {m.value for m in kind}:
        errors[key] = message
    return code


def _uscc(values: dict, kind: str, errors: dict) -> str | None:
    code = normalise_uscc(values.get("uscc")) or None
    if code is None:
        if kind in USCC_KINDS:
            errors["uscc"] = _l("A company needs its unified social credit code.")
    elif not validate_uscc(code):
        errors["uscc"] = _l("This is not a valid unified social credit code (18 characters, check character last).")
    return code


def _places(values: dict, errors: dict) -> int | None:
    raw = values.get("base_places_per_year")
    if raw in (None, ""):
        return None
    try:
        places = int(raw)
    except (TypeError, ValueError):
        places = -1
    if not 0 <= places <= MAX_PLACES:
        errors["base_places_per_year"] = _l("Places per year are a whole number from 0 to %(n)s.", n=MAX_PLACES)
        return None
    return places


def _date(values: dict, key: str, errors: dict) -> date | None:
    value = values.get(key)
    if value in (None, ""):
        return None
    if isinstance(value, datetime):  # a date cell of a sheet
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        errors[key] = _l("Write the date as YYYY-MM-DD.")
        return None


def clean(values: dict) -> dict:
    """The stored values of an organisation from what was typed (a form or a sheet row)."""
    errors: dict = {}
    kind = _code(values, "kind", OrganisationKind, errors, _l("Choose the kind of organisation."))
    if kind is None:
        errors["kind"] = _l("Choose the kind of organisation.")
    name = _text(values, "name", errors)
    if not name:
        errors["name"] = _l("Please enter a name.")
    industries = [str(code) for code in values.get("industries") or []]
    if any(code not in INDUSTRIES for code in industries):
        errors["industries"] = _l("Choose industries from the list.")
    clean_values = {
        "kind": kind, "name": name, "uscc": _uscc(values, kind or "", errors),
        "district": _text(values, "district", errors), "in_minhang": bool(values.get("in_minhang")),
        "industries": list(dict.fromkeys(industries)),
        "size": _code(values, "size", OrganisationSize, errors, _l("Choose the size from the list.")),
        "contact_name": _text(values, "contact_name", errors),
        "contact_phone": _text(values, "contact_phone", errors),
        "contact_email": _text(values, "contact_email", errors),
        "station_signed_on": _date(values, "station_signed_on", errors),
        "station_contact": _text(values, "station_contact", errors),
        "base_approved_on": _date(values, "base_approved_on", errors),
        "base_places_per_year": _places(values, errors),
        "base_status": _code(values, "base_status", HostStatus, errors, _l("Choose the host status from the list.")),
    }
    if kind != OrganisationKind.UNIVERSITY.value:  # a station is a university's agreement
        clean_values.update(station_signed_on=None, station_contact="")
    if kind != OrganisationKind.HOST_COMPANY.value:  # a 见习基地 is a host company's approval
        clean_values.update(base_approved_on=None, base_places_per_year=None, base_status=None)
    elif clean_values["base_status"] is None:
        clean_values["base_status"] = HostStatus.APPROVED.value
    if errors:
        raise InvalidInput(fields=errors)
    return clean_values
