"""Monthly attendance: for every month of a placement the host's contact confirms how many days
the trainee was present and absent (within that month's working days of the placement). Confirming
again corrects the month; each confirmation is audited with the values it replaced.

A month is due on the 5th of the next month (Asia/Shanghai): unconfirmed on the 6th, it is
overdue. Which months are unconfirmed is read from the rows in one query (`unconfirmed_months`):
the months of the window, joined to the placements they fall in, minus the confirmed ones.
"""
from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.audit import services as audit
from app.errors import Conflict, InvalidInput
from app.extensions import db
from app.locking import lock_objects
from app.organisations.models import Organisation
from app.timeutil import local_today, utcnow
from app.traineeships.models import MonthlyAttendance, Placement, PlacementStatus
from app.traineeships.scope import require_contact_of

DUE_DAY = 5  # a month is confirmed by the 5th of the next month
# Months of these placements are confirmed: a withdrawn trainee's months are not asked for.
ATTENDING = (PlacementStatus.CONFIRMED.value, PlacementStatus.COMPLETED.value)


def first_of(day: date) -> date:
    return day.replace(day=1)


def last_of(month: date) -> date:
    return month.replace(day=monthrange(month.year, month.month)[1])


def next_month(month: date) -> date:
    return last_of(month) + timedelta(days=1)


def due_on(month: date) -> date:
    """The last day the month may be confirmed without being overdue."""
    return next_month(month).replace(day=DUE_DAY)


def months_between(first: date, last: date) -> list[date]:
    """First days of the months from `first`'s to `last`'s, in order."""
    months, month = [], first_of(first)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def months_of(placement: Placement) -> list[date]:
    return months_between(placement.starts_on, placement.ends_on)


def span_in(placement: Placement, month: date) -> tuple[date, date]:
    """The placement's days within the month."""
    return max(month, placement.starts_on), min(last_of(month), placement.ends_on)


def working_days(placement: Placement, month: date) -> int:
    """Monday to Friday within the placement's days of the month. Public holidays and their
    swapped working weekends are not modelled: the host's count of present and absent days
    simply may not exceed this."""
    first, last = span_in(placement, month)
    return sum(1 for n in range((last - first).days + 1) if (first + timedelta(days=n)).weekday() < 5)


def confirmable(placement: Placement, month: date, today: date | None = None) -> bool:
    """A month is confirmed once the placement's days in it are over."""
    return span_in(placement, month)[1] <= (today or local_today())


def _month(value) -> date | None:
    if isinstance(value, date):
        return first_of(value)
    try:
        year, month = str(value or "")[:7].split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        return None


def confirm_month(actor: User, placement: Placement, month, *, present_days, absent_days, note: str = "",
                  today: date | None = None) -> MonthlyAttendance:
    """Confirm (or correct) the trainee's month. `month`: a date in it or 'YYYY-MM'."""
    require_contact_of(actor, placement)
    month = _month(month)
    errors = {}
    if month is None or month not in months_of(placement):
        raise InvalidInput(fields={"month": _l("Choose a month of the placement.")})
    if not confirmable(placement, month, today):
        raise InvalidInput(fields={"month": _l("This month is confirmed once the placement's days in it are over.")})
    limit = working_days(placement, month)
    for key, value in (("present_days", present_days), ("absent_days", absent_days)):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= limit:
            errors[key] = _l("A number of days from 0 to %(n)s.", n=limit)
    if not errors and present_days + absent_days > limit:
        errors["absent_days"] = _l("Present and absent days together are at most the month's %(n)s working days.",
                                   n=limit)
    note = (note or "").strip()
    if len(note) > 300:
        errors["note"] = _l("At most 300 characters.")
    if errors:
        raise InvalidInput(fields=errors)
    lock_objects(placement, refresh=["status"])
    if placement.status not in ATTENDING:
        raise Conflict(_l("Months are confirmed only for confirmed or completed placements."), code="not_attending")
    row = db.session.scalar(sa.select(MonthlyAttendance).where(MonthlyAttendance.placement_id == placement.id,
                                                               MonthlyAttendance.month == month))
    before = None
    if row is None:
        row = MonthlyAttendance(placement_id=placement.id, month=month)
        db.session.add(row)
    else:
        before = {"present_days": row.present_days, "absent_days": row.absent_days, "note": row.note}
    row.present_days, row.absent_days, row.note = present_days, absent_days, note
    row.confirmed_by_id, row.confirmed_at = actor.id, utcnow()
    db.session.flush()
    audit.record(actor, "traineeship.month_corrected" if before else "traineeship.month_confirmed", placement,
                 month=month.isoformat(), present_days=present_days, absent_days=absent_days, before=before)
    return row


def confirmed_months(placement: Placement) -> dict[date, MonthlyAttendance]:
    return {row.month: row for row in db.session.scalars(
        sa.select(MonthlyAttendance).where(MonthlyAttendance.placement_id == placement.id))}


# -- which months are missing ----------------------------------------------------------
@dataclass
class MissingMonth:
    placement: Placement
    host: Organisation
    month: date
    due: date
    overdue: bool


def _calendar(first: date, last: date) -> sa.CTE:
    """The months from `first` to `last` as rows (first day, last day, due date): a union of
    literal selects, which SQLite and PostgreSQL both read."""
    rows = [sa.select(sa.literal(m, sa.Date).label("first"), sa.literal(last_of(m), sa.Date).label("last"),
                      sa.literal(due_on(m), sa.Date).label("due")) for m in months_between(first, last)]
    return (sa.union_all(*rows) if len(rows) > 1 else rows[0]).cte("calendar")


def unconfirmed_months(*where, first: date, today: date | None = None) -> list[MissingMonth]:
    """Months from `first` on whose placement days are over and which nobody confirmed, of the
    placements matching `where` (e.g. Placement.batch_id == …, Placement.host_id.in_(…)), by host;
    `overdue` once the due date (the 5th of the next month) has passed. One query."""
    today = today or local_today()
    if first > today:
        return []
    calendar = _calendar(first, today)
    confirmed = aliased(MonthlyAttendance)
    ends_in_month = sa.case((Placement.ends_on < calendar.c["last"], Placement.ends_on), else_=calendar.c["last"])
    query = (sa.select(Placement, Organisation, calendar.c["first"], calendar.c["due"])
             .join(Organisation, Organisation.id == Placement.host_id)
             .join(calendar, sa.and_(Placement.starts_on <= calendar.c["last"],
                                     Placement.ends_on >= calendar.c["first"]))
             .outerjoin(confirmed, sa.and_(confirmed.placement_id == Placement.id,
                                           confirmed.month == calendar.c["first"]))
             .where(confirmed.id.is_(None), Placement.status.in_(ATTENDING), ends_in_month <= today, *where)
             .order_by(Organisation.name_key, Organisation.id, calendar.c["first"], Placement.id))
    return [MissingMonth(placement, host, _as_date(month), _as_date(due), _as_date(due) < today)
            for placement, host, month, due in db.session.execute(query).all()]


def _as_date(value) -> date:
    """A literal date read back from the union (SQLite answers it as text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))
