"""What the record is made of: items, each one thing the person did, with the figures that matter.
Plain data (no database objects), so the timeline, the PDF snapshot and the JSON read the same."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from app.labels import LabelledEnum


class ItemKind(LabelledEnum):
    EVENT = "event", _l("Event")
    ONLINE_EVENT = "online_event", _l("Online event")
    CAMP_APPLICATION = "camp_application", _l("Camp application")
    CAMP = "camp", _l("Entrepreneurship camp")
    COMPETITION = "competition", _l("Skills competition")
    PITCH = "pitch", _l("Pitch competition")
    STUDIO = "studio", _l("Skills master studio")
    TRAINEESHIP = "traineeship", _l("Traineeship")
    MENTORING = "mentoring", _l("Mentoring session")
    CERTIFICATE = "certificate", _l("Certificate")
    FOLLOWUP = "followup", _l("Follow-up (留在闵行)")


# Kinds that count as a programme in the summary (a camp, a competition, a studio, a traineeship).
PROGRAMME_KINDS = frozenset({ItemKind.CAMP.value, ItemKind.COMPETITION.value, ItemKind.PITCH.value,
                             ItemKind.STUDIO.value, ItemKind.TRAINEESHIP.value})


@dataclass(frozen=True)
class Figure:
    """One number worth showing: `code` for machines, `label` and `text` for people. `done` of
    `total` is kept for rates (attendance 9 of 10), `value` for a single number (a score, a rank)."""
    code: str
    label: str
    text: str
    done: int | None = None
    total: int | None = None
    value: float | None = None


def rate_figure(code: str, label, done: int, total: int) -> Figure:
    percent = round(100 * done / total) if total else 0
    return Figure(code, str(label), f"{done}/{total} = {percent} %" if total else "—", done, total,
                  percent if total else None)


def value_figure(code: str, label, value, text: str | None = None) -> Figure:
    number = float(value) if value is not None else None
    shown = text if text is not None else ("—" if number is None else f"{number:g}")
    return Figure(code, str(label), shown, value=number)


@dataclass(frozen=True)
class RecordItem:
    key: str                      # "<kind>:<row id>", unique within a record
    when: date                    # the day it began (or was issued)
    kind: str                     # an ItemKind code
    programme: str                # the series or programme it belongs to ("" when none)
    title: str
    status: str                   # a stable code (the source's own status codes)
    status_label: str             # that status in the reader's language
    department_id: int | None     # whose item it is, for staff scope
    figures: tuple[Figure, ...] = ()
    link: str | None = None       # the person's page about it
    staff_link: str | None = None
    verify_link: str | None = None  # a certificate's public verification page
    attended: bool = False        # came at least once (for the summary)
    sessions_done: int = 0        # sessions attended / held, for the overall attendance rate
    sessions_total: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def kind_label(self) -> str:
        return ItemKind.label_of(self.kind)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["when"] = self.when.isoformat()
        data["kind_label"] = self.kind_label
        return data
