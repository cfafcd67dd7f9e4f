"""留用: at the end of a placement the host's contact says whether the company keeps the trainee
on, and from which day (not before the placement's last day, at most a year after it). The
decision may be corrected; each one is audited.

留用率 of a host in a year: retained ÷ completed placements of that year's batches. A host is
flagged when two consecutive years each have at least one completed placement and a rate under
20 % (a year without completed placements breaks the run: there is nothing to judge)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.errors import Conflict, InvalidInput
from app.extensions import db
from app.locking import lock_objects
from app.organisations.models import Organisation
from app.timeutil import local_today, utcnow
from app.traineeships.models import Placement, PlacementStatus, TraineeshipBatch
from app.traineeships.scope import require_contact_of

THRESHOLD = Fraction(1, 5)  # 20 %
LATEST_START = timedelta(days=366)


def decidable(placement: Placement, today: date | None = None) -> bool:
    """At the end: a completed placement, or a confirmed one whose last day has come."""
    return placement.status == PlacementStatus.COMPLETED.value or (
        placement.status == PlacementStatus.CONFIRMED.value and placement.ends_on <= (today or local_today()))


def decide(actor: User, placement: Placement, *, retained, retained_from: date | None = None,
           today: date | None = None) -> Placement:
    require_contact_of(actor, placement)
    if not isinstance(retained, bool):
        raise InvalidInput(fields={"retained": _l("Say whether the company keeps the trainee on.")})
    if retained:
        if not isinstance(retained_from, date):
            raise InvalidInput(fields={"retained_from": _l("Give the day the trainee starts as an employee.")})
        if not placement.ends_on <= retained_from <= placement.ends_on + LATEST_START:
            raise InvalidInput(fields={"retained_from": _l(
                "From the placement's last day (%(day)s) to a year after it.", day=placement.ends_on.isoformat())})
    else:
        retained_from = None
    lock_objects(placement, refresh=["status"])
    if not decidable(placement, today):
        raise Conflict(_l("Retention is decided at the end of the placement."), code="not_ended")
    before = None if placement.retained is None else {
        "retained": placement.retained, "retained_from": placement.retained_from and placement.retained_from.isoformat()}
    placement.retained, placement.retained_from, placement.retention_decided_at = retained, retained_from, utcnow()
    audit.record(actor, "traineeship.retention", placement, retained=retained,
                 retained_from=retained_from and retained_from.isoformat(), before=before)
    return placement


@dataclass
class HostYear:
    host_id: int
    host_name: str
    year: int
    completed: int
    retained: int

    @property
    def rate(self) -> Fraction:
        return Fraction(self.retained, self.completed)

    @property
    def percent(self) -> float:
        return float(self.rate * 100)

    @property
    def low(self) -> bool:
        return self.completed > 0 and self.rate < THRESHOLD


def rates(*where) -> list[HostYear]:
    """留用率 per host and year (of the batch) over completed placements; one query."""
    retained = sa.func.sum(sa.case((Placement.retained.is_(True), 1), else_=0))
    rows = db.session.execute(
        sa.select(Organisation.id, Organisation.name, TraineeshipBatch.year, sa.func.count(Placement.id), retained)
        .join(Organisation, Organisation.id == Placement.host_id)
        .join(TraineeshipBatch, TraineeshipBatch.id == Placement.batch_id)
        .where(Placement.status == PlacementStatus.COMPLETED.value, *where)
        .group_by(Organisation.id, Organisation.name, TraineeshipBatch.year)
        .order_by(Organisation.name, Organisation.id, TraineeshipBatch.year)).all()
    return [HostYear(hid, name, year, int(n), int(kept or 0)) for hid, name, year, n, kept in rows]


@dataclass
class Flag:
    host_id: int
    host_name: str
    years: tuple[HostYear, HostYear]  # the latest two consecutive low years


def flagged(rows: list[HostYear] | None = None) -> list[Flag]:
    """Hosts under 20 % two years running (consecutive years, each with a completed placement)."""
    rows = rates() if rows is None else rows
    by_host: dict[int, dict[int, HostYear]] = {}
    for row in rows:
        by_host.setdefault(row.host_id, {})[row.year] = row
    flags = []
    for host_id, years in by_host.items():
        runs = [(years[y - 1], years[y]) for y in sorted(years) if y - 1 in years and years[y].low and years[y - 1].low]
        if runs:
            flags.append(Flag(host_id, runs[-1][1].host_name, runs[-1]))
    return sorted(flags, key=lambda f: f.host_name)
