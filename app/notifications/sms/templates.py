"""Which variables each notice kind's SMS template takes.

The provider's approved template holds the wording; we send only short values: the person's
name, what the notice is about (title), a date and a short link. No free text (a rejection's
reason stays in the mail and the inbox): carriers refuse variables that look like content.
Variable order matters for Tencent (TemplateParamSet is positional, {1} {2} ...); Aliyun gets
them by name (TemplateParam JSON, ${name} ...).
"""
from __future__ import annotations

from app.timeutil import to_local

# kind -> variables, in template order
SMS_VARIABLES: dict[str, tuple[str, ...]] = {
    "confirmed": ("name", "title", "date"),
    "approved": ("name", "title", "date"),
    "pending": ("name", "title"),
    "waitlisted": ("name", "title"),
    "promoted": ("name", "title", "date"),
    "session_promoted": ("name", "title", "date"),
    "rejected": ("name", "title", "link"),
    "event_cancelled": ("name", "title", "date"),
    "ticket": ("name", "title", "link"),
    "tier_invitation": ("name", "title", "link"),
    "application_received": ("name", "title"),
    "application_admitted": ("name", "title", "link"),
    "application_waitlisted": ("name", "title"),
    "application_rejected": ("name", "title", "link"),
    "reminder": ("name", "title", "date"),
    "online_join": ("name", "title", "date", "link"),
    "online_invitation": ("name", "title", "date"),
    "followup_survey": ("name", "title", "link"),  # title: the programme; link: the signed survey link
    "satisfaction_survey": ("name", "title", "link"),  # title: the occasion; link: the signed survey link
}

# Sent even in quiet hours: the person may be on the way to a venue that is closed; a reminder
# is useless after its occasion began (a 2-hour reminder at 07:00 for a 09:00 start must not wait
# until 08:00) and is never scheduled inside the quiet hours anyway (app/reminders/services.py).
URGENT_KINDS = frozenset({"event_cancelled", "reminder"})

# Providers cap each variable (Aliyun: 35 characters for most kinds of variable).
MAX_VALUE_LENGTH = 20


def _short(value) -> str:
    text = " ".join(str(value or "").split())
    return text if len(text) <= MAX_VALUE_LENGTH else text[:MAX_VALUE_LENGTH - 1] + "…"


def sms_params(kind: str, *, user, registration=None, params: dict | None = None,
               link: str = "") -> dict[str, str] | None:
    """The template variables for a notice, or None when the kind has no SMS."""
    names = SMS_VARIABLES.get(kind)
    if names is None:
        return None
    params = params or {}
    event = registration.event if registration is not None else None
    title = event.title if event is not None else (params.get("tier") or params.get("programme")
                                                    or params.get("cohort") or "")
    starts = to_local(event.starts_at) if event is not None and getattr(event, "starts_at", None) else None
    date = starts.strftime("%m-%d %H:%M") if starts else str(params.get("cohort_dates") or "").split(" ")[0]
    if kind == "reminder":  # a lesson's reminder is about the lesson, not the cohort's whole span
        title, date = params.get("occasion") or title, params.get("date") or date
    values = {
        "name": _short(user.name if user is not None else ""),
        "title": _short(title),
        "date": date,
        "link": link,
    }
    return {name: values[name] for name in names}
