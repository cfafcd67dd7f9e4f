"""When a programme's people are asked: FOLLOWUP_MONTHS (a list for every kind, or a map kind →
list) unless the programme's organisers chose other months for it (audited). A change applies to
surveys not made yet; those already sent keep their months."""
from __future__ import annotations

from calendar import monthrange
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.accounts.models import User, organises
from app.audit import services as audit
from app.errors import InvalidInput, PermissionDenied
from app.extensions import db
from app.followups.models import FollowupSetting
from app.followups.programmes import Programme
from app.timeutil import utcnow

MAX_MONTHS = 60
MAX_COUNT = 6


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer: 31 Aug + 6 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def default_months(kind: str) -> list[int]:
    configured = current_app.config.get("FOLLOWUP_MONTHS") or [6, 12]
    if isinstance(configured, dict):
        configured = configured.get(kind) or [6, 12]
    return sorted({int(m) for m in configured})


def chosen_months() -> dict[tuple[str, int], list[int]]:
    """Every programme's own months, by (kind, id)."""
    return {(s.programme_kind, s.programme_id): list(s.months or [])
            for s in db.session.scalars(sa.select(FollowupSetting))}


def months_of(programme: Programme) -> list[int]:
    setting = _setting(programme)
    return sorted(setting.months) if setting is not None else default_months(programme.kind)


def is_default(programme: Programme) -> bool:
    return _setting(programme) is None


def _setting(programme: Programme) -> FollowupSetting | None:
    return db.session.scalar(sa.select(FollowupSetting).where(FollowupSetting.programme_kind == programme.kind,
                                                              FollowupSetting.programme_id == programme.id))


def require_organiser(actor: User | None, programme: Programme) -> None:
    if not organises(actor, programme.department_id):
        raise PermissionDenied(_l("Only organisers of the programme's department can do this."))


def parse_months(text) -> list[int]:
    """"6, 12" or "6 12" (also with Chinese commas) → [6, 12]; anything else is refused."""
    message = _l("Give one to %(count)s numbers of months from 1 to %(max)s, e.g. 6, 12.", count=MAX_COUNT,
                 max=MAX_MONTHS)
    if not isinstance(text, str) or len(text) > 60:
        raise InvalidInput(fields={"months": message})
    parts = text.replace("，", ",").replace("、", ",").replace(",", " ").split()
    if not parts or len(parts) > MAX_COUNT or not all(p.isdigit() and len(p) <= 3 for p in parts):
        raise InvalidInput(fields={"months": message})
    months = sorted({int(p) for p in parts})
    if not all(1 <= m <= MAX_MONTHS for m in months):
        raise InvalidInput(fields={"months": message})
    return months


def set_months(actor: User, programme: Programme, text) -> list[int]:
    """The programme's own months (an empty text: back to the default)."""
    require_organiser(actor, programme)
    before = months_of(programme)
    setting = _setting(programme)
    if isinstance(text, str) and not text.strip():
        if setting is not None:
            db.session.delete(setting)
        months = default_months(programme.kind)
    else:
        months = parse_months(text)
        if setting is None:
            setting = FollowupSetting(programme_kind=programme.kind, programme_id=programme.id)
            db.session.add(setting)
        setting.months, setting.updated_by_id, setting.updated_at = months, actor.id, utcnow()
    audit.record(actor, "followups.months", None, kind=programme.kind, programme_id=programme.id,
                 months=months, before=before)
    return months
