"""The attendance list an organiser downloads, with the audit row saying who took it.

Its rows come from one statement (each confirmed registrant with their person and the first
entry time at every checkpoint) and are produced one by one, so a Talent Week's ten thousand
registrants are neither ten thousand queries nor one list held in memory."""
from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from flask_babel import gettext as _

from app.accounts.models import User
from app.audit import services as audit
from app.checkin.services import event_checkpoints, first_entries_query
from app.events.models import Event
from app.extensions import db
from app.privacy import mask_phone
from app.registrations.models import Registration, RegStatus
from app.timeutil import fmt

CHUNK = 1000  # rows fetched at a time (a server-side cursor on PostgreSQL)


def _confirmed(event: Event):
    return sa.and_(Registration.event_id == event.id, Registration.status == RegStatus.CONFIRMED.value)


def attendance_rows(event: Event) -> tuple[list[str], Iterator[list]]:
    """One row per confirmed registrant in order of registration, a column per checkpoint with
    the first entry time. The rows are read as they are consumed."""
    points = event_checkpoints(event)
    header = [_("Name"), _("Mobile"), _("Employer")] + [p.name for p in points]
    return header, _rows(event, [p.id for p in points])


def _rows(event: Event, point_ids: list[int]) -> Iterator[list]:
    times = None
    if point_ids:
        # one column per checkpoint: the registration's first entry there, or nothing
        firsts = first_entries_query(point_ids)
        times = (sa.select(firsts.c.registration_id, *[
            sa.func.max(sa.case((firsts.c.checkpoint_id == pid, firsts.c.scanned_at))).label(f"p{n}")
            for n, pid in enumerate(point_ids)]).group_by(firsts.c.registration_id).subquery("entry_times"))
    columns = [times.c[f"p{n}"] for n in range(len(point_ids))] if times is not None else []
    query = (sa.select(User.name, User.mobile, User.employer, *columns).select_from(Registration)
             .join(User, User.id == Registration.user_id))
    if times is not None:
        query = query.outerjoin(times, times.c.registration_id == Registration.id)
    query = query.where(_confirmed(event)).order_by(Registration.id).execution_options(yield_per=CHUNK)
    for name, mobile, employer, *entered in db.session.execute(query):
        yield [name, mask_phone(mobile), employer or ""] + [fmt(t, "%H:%M") if t else "" for t in entered]


def attendance_export(actor: User, event: Event) -> tuple[list, Iterator[list]]:
    header, rows = attendance_rows(event)
    count = db.session.scalar(sa.select(sa.func.count(Registration.id)).where(_confirmed(event)))
    audit.record(actor, "attendance.export", event, rows=count)
    return header, rows
