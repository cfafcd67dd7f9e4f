"""Retention: participants whose last occasion (the end of the latest event they registered for,
or their sign-up when they never registered) is more than RETENTION_YEARS ago are anonymised
(erasure.erase, via "retention"). Staff accounts are never due, nor is anyone with an occasion
still to come (it ends after the cut-off), nor anyone already erased.

`due` is the dry run admins read first (/admin/retention, `flask privacy retention --dry-run`);
`run` erases who is due at that moment and writes its report to the audit log. The job runs daily
(`scheduled`): from RQ's scheduler when REDIS_URL is set, else from a thread of the web process."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone

import sqlalchemy as sa
from flask import current_app
from flask_sqlalchemy.pagination import Pagination, SelectPagination

from app import jobs
from app.accounts.models import User, UserRole
from app.audit import services as audit
from app.events.models import Event
from app.extensions import db
from app.person.rights.erasure import erase
from app.person.rights.models import Erasure
from app.privacy import mask_email, mask_phone
from app.registrations.models import Registration
from app.timeutil import local_today
from app.transaction import commit

BATCH = 100  # people erased by one run at most: each erasure searches every table, so a backlog takes a few days
JOB_ID = "privacy-retention"


@dataclass(frozen=True)
class Due:
    user_id: int
    login_masked: str
    last_occasion: datetime
    by_sign_up: bool  # no occasion at all: counted from the account's creation


def years() -> int:
    return int(current_app.config.get("RETENTION_YEARS") or 0)


def cutoff(today: date) -> datetime:
    """Midnight UTC of the day RETENTION_YEARS before `today` (29 February -> 28th)."""
    try:
        day = today.replace(year=today.year - years())
    except ValueError:
        day = today.replace(year=today.year - years(), day=28)
    return datetime.combine(day, time(0), tzinfo=timezone.utc)


def due(today: date | None = None, limit: int | None = None) -> list[Due]:
    """Who is due on `today`, longest gone first; at most `limit` of them."""
    query = _due_query(today)
    if query is None:
        return []
    if limit:
        query = query.limit(limit)
    return [_due(row) for row in db.session.execute(query)]


def _due(row) -> Due:
    return Due(user_id=row.id, login_masked=mask_phone(row.mobile) or mask_email(row.email) or "—",
               last_occasion=row.last or row.created_at, by_sign_up=row.last is None)


class _RowsPagination(SelectPagination):
    """Flask-SQLAlchemy's paging of a select of columns: its rows, not their first column."""

    def _query_items(self) -> list:
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select))


def due_page(page: int, per_page: int = 100, today: date | None = None) -> Pagination | None:
    """The dry run a page at a time (a backlog of thousands is counted, not drawn); None when
    retention is off."""
    query = _due_query(today)
    if query is None:
        return None
    found = _RowsPagination(select=query, session=db.session(), page=page, per_page=per_page, error_out=False)
    found.items = [_due(row) for row in found.items]
    return found


def _due_query(today: date | None) -> sa.Select | None:
    if years() <= 0:
        return None
    last_event = (sa.select(Registration.user_id, sa.func.max(Event.ends_at).label("last"))
                  .join(Event, Event.id == Registration.event_id).group_by(Registration.user_id).subquery())
    last = sa.func.coalesce(last_event.c.last, User.created_at)
    query = (sa.select(User.id, User.mobile, User.email, last_event.c.last, User.created_at)
             .outerjoin(last_event, last_event.c.user_id == User.id)
             .where(~sa.exists().where(UserRole.user_id == User.id),
                    ~sa.exists().where(Erasure.user_id == User.id, Erasure.done_at.is_not(None)),
                    last < cutoff(today or local_today()))
             .order_by(last, User.id))
    return query


def run(actor, today: date | None = None) -> list[int]:
    """Erase everyone due now (at most BATCH); the report (ids and count) goes to the audit log."""
    today = today or local_today()
    people = due(today, limit=BATCH)
    erased = []
    for person in people:
        user = db.session.get(User, person.user_id)
        erase(actor, user, via="retention", reason=f"retention {years()}y")
        erased.append(user.id)
    audit.record(actor, "privacy.retention", None, years=years(), cutoff=cutoff(today).date().isoformat(),
                 erased=len(erased), user_ids=erased)
    return erased


def scheduled() -> None:
    """The daily job: run, commit, and (with Redis) put itself on RQ's schedule for tomorrow."""
    if years() <= 0:
        return
    run(None)
    commit()
    if jobs.redis_url():
        schedule_next()


def schedule_next() -> None:
    """With Redis: the next run at 03:00 Shanghai time (19:00 UTC)."""
    jobs.schedule_daily(scheduled, job_id=JOB_ID, hour_utc=19)
