"""Times are stored in UTC and shown in Asia/Shanghai."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def to_local(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(LOCAL_TZ)


def local_to_utc(value: datetime) -> datetime:
    """A naive datetime typed by a person in Shanghai, as aware UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    return value.astimezone(timezone.utc)


def parse_iso(value: str) -> datetime:
    """ISO 8601 from the API; a time without offset is Shanghai time."""
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    return local_to_utc(datetime.fromisoformat(text))


def local_today() -> date:
    return datetime.now(LOCAL_TZ).date()


def fmt(value: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    local = to_local(value)
    return local.strftime(pattern) if local else ""


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
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)
