"""引才合作站 counts: for each university with a station agreement, the events it hosted (as the
events' host university; published events only) and their participants — confirmed registrations
and attendees (people with an accepted entry scan in the check-in ledger) — by the year of the
event (Shanghai time). Read by the console page, its XLSX export and the API."""
from __future__ import annotations

import io
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from app.accounts.models import User
from app.checkin.models import Checkpoint, Scan, ScanResult
from app.checkin.services import IN
from app.events.models import Event, EventOrganisation, EventOrganisationRole, EventStatus
from app.extensions import db
from app.organisations.linking import identity_owners
from app.organisations.models import Organisation, OrganisationKind, OrganisationStatus
from app.organisations.services import require_staff
from app.registrations.models import Registration, RegStatus
from app.spreadsheets import safe_row, sheet_title
from app.timeutil import to_local


@dataclass
class YearCounts:
    year: int
    events: int = 0
    registered: int = 0  # confirmed registrations
    attended: int = 0  # people checked in

    def add(self, other: YearCounts) -> None:
        self.events += other.events
        self.registered += other.registered
        self.attended += other.attended


@dataclass
class Station:
    university: Organisation
    years: list[YearCounts] = field(default_factory=list)  # newest first, only years with events

    @property
    def total(self) -> YearCounts:
        total = YearCounts(0)
        for year in self.years:
            total.add(year)
        return total


def stations() -> list[Organisation]:
    """The active universities with a 引才合作站 agreement, by name."""
    return list(db.session.scalars(sa.select(Organisation).where(
        Organisation.kind == OrganisationKind.UNIVERSITY.value, Organisation.station_signed_on.is_not(None),
        Organisation.status == OrganisationStatus.ACTIVE.value).order_by(Organisation.name_key, Organisation.id)))


def _per_event(query, event_ids: list[int]) -> dict[int, int]:
    return dict(db.session.execute(query).all()) if event_ids else {}


def station_counts(actor: User, universities: list[Organisation] | None = None) -> list[Station]:
    require_staff(actor)
    universities = stations() if universities is None else universities
    by_id = {u.id: u for u in universities}
    # a merged duplicate's events are the kept one's
    owner = {organisation_id: by_id[kept] for organisation_id, kept in identity_owners(universities).items()}
    hosted = db.session.execute(
        sa.select(EventOrganisation.organisation_id, Event.id, Event.starts_at).join(Event)
        .where(EventOrganisation.role == EventOrganisationRole.HOST_UNIVERSITY.value,
               EventOrganisation.organisation_id.in_(list(owner) or [-1]),
               Event.status == EventStatus.PUBLISHED.value)).all()
    event_ids = sorted({event_id for _o, event_id, _s in hosted})
    registered = _per_event(sa.select(Registration.event_id, sa.func.count()).where(
        Registration.event_id.in_(event_ids), Registration.status == RegStatus.CONFIRMED.value)
        .group_by(Registration.event_id), event_ids)
    attended = _per_event(sa.select(Checkpoint.event_id, sa.func.count(sa.distinct(Scan.registration_id)))
                          .join(Scan, Scan.checkpoint_id == Checkpoint.id)
                          .where(Checkpoint.event_id.in_(event_ids), Scan.result == ScanResult.OK.value,
                                 Scan.direction == IN).group_by(Checkpoint.event_id), event_ids)
    years: dict[int, dict[int, YearCounts]] = {u.id: {} for u in universities}
    counted: set[tuple[int, int]] = set()
    for organisation_id, event_id, starts_at in hosted:
        university = owner[organisation_id]
        if (university.id, event_id) in counted:  # the station and its merged duplicate on one event
            continue
        counted.add((university.id, event_id))
        year = to_local(starts_at).year
        row = years[university.id].setdefault(year, YearCounts(year))
        row.add(YearCounts(year, 1, registered.get(event_id, 0), attended.get(event_id, 0)))
    return [Station(u, sorted(years[u.id].values(), key=lambda y: -y.year)) for u in universities]


def export_xlsx(actor: User) -> bytes:
    """One row per station and year (and a total row per station with no year)."""
    rows = station_counts(actor)
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(_("Talent stations"), "stations")
    sheet.append(safe_row([_("University"), _("Agreement signed on"), _("Station contact"), _("Year"),
                           _("Events hosted"), _("Confirmed registrations"), _("Attendees")]))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for station in rows:
        u = station.university
        for year in station.years + [station.total]:
            sheet.append(safe_row([u.name, u.station_signed_on.isoformat() if u.station_signed_on else "",
                                   u.station_contact, year.year or _("Total"), year.events, year.registered,
                                   year.attended]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
