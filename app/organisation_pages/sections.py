"""The sections of an organisation's page, as a list: each names its programme's query, which
returns LinkedRow rows for the organisation. A programme adds its section here — the page and its
template need no change."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask_babel import lazy_gettext as _l

from app.cohorts import queries as cohorts
from app.competitions import queries as competitions
from app.events import organisations as events
from app.organisations import linking
from app.organisations.linked import LinkedRow
from app.organisations.models import Organisation
from app.studios import queries as studios
from app.traineeships import queries as traineeships


@dataclass(frozen=True)
class Section:
    key: str  # the HTML anchor and the API's key
    title: object  # lazy, translated when shown
    queries: tuple[Callable[[Organisation], list[LinkedRow]], ...]

    def rows(self, organisation: Organisation) -> list[LinkedRow]:
        return [row for query in self.queries for row in query(organisation)]


SECTIONS: list[Section] = [
    Section("people", _l("People"), (cohorts.founders_of, competitions.judges_of, competitions.entrants_of,
                                     studios.masters_of, linking.employees_of)),
    Section("events", _l("Events"), (events.of_organisation,)),
    Section("cohorts", _l("Cohorts"), (cohorts.of_organisation,)),
    # the traineeships' placements of its students (a university) or at its places (a host company)
    Section("trainees", _l("Traineeship trainees"), (traineeships.of_organisation,)),
    Section("awards", _l("Awards"), (competitions.awards_of,)),
]


@dataclass
class Group:
    name: str
    rows: list[LinkedRow]

    @property
    def people(self) -> int:
        return len({r.person_id or r.title for r in self.rows})


@dataclass
class Filled:
    section: Section
    groups: list[Group]

    @property
    def count(self) -> int:
        return sum(len(g.rows) for g in self.groups)


def fill(organisation: Organisation, sections: list[Section] | None = None) -> list[Filled]:
    """Each section's rows for the organisation, grouped (groups in the order their rows come)."""
    filled = []
    for section in SECTIONS if sections is None else sections:
        groups: dict[str, Group] = {}
        for row in section.rows(organisation):
            groups.setdefault(row.group, Group(row.group, [])).rows.append(row)
        filled.append(Filled(section, list(groups.values())))
    return filled
