"""A person's record: the items of every source, newest first, grouped by year, with the
summary figures at the top (events attended, attendance rate, programmes, certificates)."""
from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from app.person.record.items import PROGRAMME_KINDS, ItemKind, RecordItem
from app.person.record.scope import EVERYTHING, Scope
from app.person.record.sources import SOURCES


@dataclass(frozen=True)
class Summary:
    events_attended: int
    sessions_done: int
    sessions_total: int
    programmes: int
    certificates: int

    @property
    def attendance_percent(self) -> int | None:
        return round(100 * self.sessions_done / self.sessions_total) if self.sessions_total else None

    def as_dict(self) -> dict:
        return {"events_attended": self.events_attended, "sessions_attended": self.sessions_done,
                "sessions_held": self.sessions_total, "attendance_percent": self.attendance_percent,
                "programmes": self.programmes, "certificates": self.certificates}


@dataclass(frozen=True)
class Record:
    user_id: int
    items: list[RecordItem]
    summary: Summary

    def by_year(self) -> list[tuple[int, list[RecordItem]]]:
        return [(year, list(items)) for year, items in groupby(self.items, key=lambda item: item.when.year)]


def summarise(items: list[RecordItem]) -> Summary:
    events = (ItemKind.EVENT.value, ItemKind.ONLINE_EVENT.value)
    return Summary(
        events_attended=sum(1 for i in items if i.kind in events and i.attended),
        sessions_done=sum(i.sessions_done for i in items), sessions_total=sum(i.sessions_total for i in items),
        programmes=sum(1 for i in items if i.kind in PROGRAMME_KINDS),
        certificates=sum(1 for i in items if i.kind == ItemKind.CERTIFICATE.value and i.status == "valid"))


def build(user, scope: Scope = EVERYTHING) -> Record:
    items = [item for source in SOURCES for item in source(user, scope) if scope.covers(item.department_id)]
    items.sort(key=lambda item: (item.when, item.key), reverse=True)
    return Record(user.id, items, summarise(items))
