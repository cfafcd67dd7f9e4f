"""The record as machine-readable JSON: a named, versioned schema; ISO dates; stable codes with
their labels beside them (in the reader's language) for whoever shows them."""
from __future__ import annotations

from app.person.record.timeline import Record
from app.timeutil import iso, utcnow

SCHEMA = "minhang.talent-record"
VERSION = 1


def as_json(user, record: Record) -> dict:
    items = []
    for item in record.items:
        data = item.as_dict()
        data.pop("extra", None)
        data.pop("staff_link", None)
        items.append(data)
    return {"schema": SCHEMA, "version": VERSION, "generated_at": iso(utcnow()),
            "person": {"id": user.id, "name": user.name}, "summary": record.summary.as_dict(), "items": items}
