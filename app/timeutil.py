"""Times are stored in UTC and shown in Asia/Shanghai."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext

LOCAL_TZ = ZoneInfo("Asia/Shanghai")

# What a person may type. Years such as 0001 or 9999 overflow when moved between UTC and Shanghai
# time and mean nothing here; birth dates and founding dates reach further back than events.
EARLIEST = datetime(2000, 1, 1, tzinfo=LOCAL_TZ)
LATEST = datetime(2100, 12, 31, 23, 59, 59, tzinfo=LOCAL_TZ)
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(value: datetime | None) -> datetime | None:
    """A stored time as aware UTC: a naive one is UTC already (as the database keeps it)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def to_local(value: datetime | None) -> datetime | None:
    value = as_utc(value)
    return value.astimezone(LOCAL_TZ) if value is not None else None


def local_to_utc(value: datetime | None) -> datetime | None:
    """A time typed by a person in Shanghai (naive, as a form gives it) as aware UTC; an empty
    form field (None) stays None."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    return value.astimezone(timezone.utc)


def datetime_in_range(value: datetime) -> bool:
    if value.tzinfo is None:
        # Naive values are Shanghai times from a form; compared without moving them (no overflow).
        return EARLIEST.replace(tzinfo=None) <= value <= LATEST.replace(tzinfo=None)
    return EARLIEST <= value <= LATEST


def date_in_range(value: date) -> bool:
    return EARLIEST_DATE <= value <= LATEST_DATE


def range_message(dates: bool = False):
    if dates:
        return lazy_gettext("Give a date between %(start)s and %(end)s.",
                            start=EARLIEST_DATE.isoformat(), end=LATEST_DATE.isoformat())
    return lazy_gettext("Give a time between %(start)s and %(end)s.",
                        start=EARLIEST.date().isoformat(), end=LATEST.date().isoformat())


def parse_iso(value: str) -> datetime:
    """ISO 8601 from the API; a time without offset is Shanghai time. ValueError for text that is not
    such a time, and for one outside EARLIEST..LATEST."""
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if not datetime_in_range(parsed):
        raise ValueError("out of range")
    return local_to_utc(parsed)


def local_today() -> date:
    return datetime.now(LOCAL_TZ).date()


MINUTES = "%Y-%m-%d %H:%M"


def fmt(value: datetime | None, pattern: str = MINUTES) -> str:
    local = to_local(value)
    if not local:
        return ""
    if pattern == MINUTES:  # the same text from isoformat, a third cheaper: exports call it per row
        return local.isoformat(" ", "minutes")[:16]
    return local.strftime(pattern)


def iso(value: datetime | None) -> str | None:
    local = to_local(value)
    return local.isoformat() if local else None


class UTCDateTime(sa.types.TypeDecorator):
    """Stores naive UTC on every backend and hands back aware UTC datetimes."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return as_utc(value)
