"""The contact fields at a merge: the survivor keeps its own and takes the ones it lacks from the
absorbed account. A unique one (mobile, email) can name one account only, so it leaves the
absorbed account; the others (ID number, employer) are copied."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.errors import Conflict
from app.extensions import db

UNIQUE_FIELDS = ("mobile", "email")
FIELDS = UNIQUE_FIELDS + ("id_number", "employer")


def take_over(survivor: User, absorbed: User) -> list[dict]:
    """Fill the survivor's empty contact fields; returns what was taken, for the undo."""
    taken = []
    for field in FIELDS:
        value = getattr(absorbed, field)
        if getattr(survivor, field) or not value:
            continue
        if field in UNIQUE_FIELDS:
            setattr(absorbed, field, None)
            db.session.flush()  # the value leaves the absorbed account before the survivor takes it
        setattr(survivor, field, value)
        taken.append({"field": field, "value": value, "moved": field in UNIQUE_FIELDS})
    db.session.flush()
    return taken


def give_back(survivor: User, absorbed: User, taken: list[dict]) -> None:
    """Undo `take_over`; refused when the survivor has changed a taken field since (its owner
    chose that value: undoing would overwrite it)."""
    for item in taken:
        if getattr(survivor, item["field"]) != item["value"]:
            raise Conflict(_l("The surviving account's contact details have changed since the merge; undoing "
                              "it would overwrite them, so it is refused."), code="merge_contacts_changed")
    for item in taken:
        setattr(survivor, item["field"], None)
    db.session.flush()
    for item in taken:
        if item["moved"] or getattr(absorbed, item["field"]) is None:
            setattr(absorbed, item["field"], item["value"])
    db.session.flush()
