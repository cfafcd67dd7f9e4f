"""What a programme tells an organisation's page about the organisation: plain rows, one shape for
every programme (so the page, in the interface layer, composes programmes it does not know the
models of). Each programme's queries module has `of_organisation(org)`-style functions returning
these; app/organisation_pages lists them as sections."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class LinkedRow:
    group: str  # what the page groups by: a role, a cohort, a competition
    title: str  # a person's name, an event's title
    detail: str = ""  # what they are or did there, in words
    when: date | datetime | None = None
    # Where staff read more: an endpoint and its arguments (url_for), or None.
    endpoint: str | None = None
    args: dict = field(default_factory=dict)
    person_id: int | None = None  # counts people once across rows
