"""Events: brand series, events, registration questions, listings. Publishing, cancelling, capacity
changes and agenda sessions with their checkpoints and bookings are app.lifecycle's (above registrations)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import Department, Role, User, organises
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.events.models import (
    NUMBER_BOUND,
    TEXT_LIMITS,
    WALL_NAME_LABELS,
    Event,
    EventFormat,
    EventKind,
    EventSession,
    EventStatus,
    Places,
    Question,
    QuestionKind,
    Series,
)
from app.extensions import db
from app.lookups import get_or_not_found
from app.timeutil import LOCAL_TZ, utcnow


# -- permissions --------------------------------------------------------------
def can_manage(user: User | None, event: Event) -> bool:
    return organises(user, event.department_id)


def require_manage(user: User, event: Event) -> None:
    if not can_manage(user, event):
        raise PermissionDenied()


def managed_departments(user: User) -> list[Department]:
    if user.is_admin:
        return list(db.session.scalars(sa.select(Department).order_by(Department.id)))
    if user.has_role(Role.ORGANISER):
        return list(user.departments)
    return []


def get_event(event_id: int) -> Event:
    return get_or_not_found(Event, event_id, _l("No such event."))


# -- series -------------------------------------------------------------------
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9\-]{1,58}$")


def can_manage_series(user: User | None, series: Series) -> bool:
    """A series belongs to its department: its organisers (and admins) edit it and put events on it."""
    return organises(user, series.department_id)


def require_manage_series(user: User, series: Series) -> None:
    if not can_manage_series(user, series):
        raise PermissionDenied(_l("Only organisers of the series' department can change it or add events to it."))


def usable_series(user: User) -> list[Series]:
    """The series `user` may put events on."""
    query = sa.select(Series).order_by(Series.id)
    if not user.is_admin:
        mine = user.department_ids if user.has_role(Role.ORGANISER) else set()
        query = query.where(Series.department_id.in_(mine or [-1]))
    return list(db.session.scalars(query))


def get_series_by_id(series_id: int) -> Series:
    return get_or_not_found(Series, series_id, _l("No such series."))


def save_series(actor: User, *, name: str, slug: str, description: str = "",
                department: Department | None = None, series: Series | None = None) -> Series:
    if not actor.is_staff:
        raise PermissionDenied()
    if series is not None:
        require_manage_series(actor, series)
    errors = {}
    if not name.strip():
        errors["name"] = _l("Please enter a name.")
    if not SLUG_RE.match(slug or ""):
        errors["slug"] = _l("Use lower-case letters, digits and hyphens.")
    else:
        other = db.session.scalar(sa.select(Series.id).where(Series.slug == slug))
        if other and (series is None or other != series.id):
            errors["slug"] = _l("This short name is already used.")
    if department is None:
        errors["department_id"] = _l("Choose the department the series belongs to.")
    elif not organises(actor, department.id):
        errors["department_id"] = _l("You can only give a series to your own departments.")
    if errors:
        raise InvalidInput(fields=errors)
    if series is None:
        series = Series()
        db.session.add(series)
    series.name, series.slug, series.description = name.strip(), slug, description or ""
    series.department = department
    db.session.flush()
    return series


def get_series(slug: str) -> Series:
    series = db.session.scalar(sa.select(Series).where(Series.slug == slug))
    if series is None:
        raise NotFound(_l("No such series."))
    return series


# -- events -------------------------------------------------------------------
EVENT_FIELDS = ("title", "series_id", "kind", "department_id", "venue", "address", "starts_at",
                "ends_at", "description", "capacity", "requires_approval", "registration_opens_at",
                "registration_closes_at", "wall_names", "places", "format", "invited_only")


def _validate_event(data: dict) -> dict:
    errors = {}
    if not (data.get("title") or "").strip():
        errors["title"] = _l("Please enter a title.")
    # Lists, not sets: a value of the wrong type (a list from JSON) is simply not among them.
    if data.get("kind") not in [k.value for k in EventKind]:
        errors["kind"] = _l("Choose a kind of event.")
    if not (data.get("venue") or "").strip():
        errors["venue"] = _l("Please enter the venue.")
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if not isinstance(starts, datetime):
        errors["starts_at"] = _l("Please enter the start time.")
    if not isinstance(ends, datetime):
        errors["ends_at"] = _l("Please enter the end time.")
    elif isinstance(starts, datetime) and ends <= starts:
        errors["ends_at"] = _l("The event must end after it starts.")
    capacity = data.get("capacity")
    if capacity is not None and (not isinstance(capacity, int) or capacity < 1 or capacity > 100000):
        errors["capacity"] = _l("Capacity is a whole number from 1 to 100000, or empty for no limit.")
    opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
    if opens and closes and closes <= opens:
        errors["registration_closes_at"] = _l("Registration must close after it opens.")
    if data.get("wall_names", "masked") not in list(WALL_NAME_LABELS):
        errors["wall_names"] = _l("Choose how the check-in wall shows names.")
    if data.get("series_id") and db.session.get(Series, data["series_id"]) is None:
        errors["series_id"] = _l("No such series.")
    if data.get("format", EventFormat.ONSITE.value) not in [f.value for f in EventFormat]:
        errors["format"] = _l("Choose whether the event is on-site, online or hybrid.")
    if data.get("places", Places.OPEN.value) not in [p.value for p in Places]:
        errors["places"] = _l("Choose how places are taken.")
    return errors


def _check_department(actor: User, department_id) -> None:
    if department_id is None or db.session.get(Department, department_id) is None:
        raise InvalidInput(fields={"department_id": _l("Choose the owner department.")})
    if not actor.is_admin and department_id not in actor.department_ids:
        raise InvalidInput(fields={"department_id": _l("You can only create events for your own departments.")})


def _check_series(actor: User, series_id) -> None:
    """An event goes on a series only by the hand of the series' organisers (or an admin)."""
    if series_id and not can_manage_series(actor, db.session.get(Series, series_id)):
        raise InvalidInput(fields={"series_id": _l("This series belongs to another department: only its "
                                                   "organisers can add events to it.")})


def create_event(actor: User, **data) -> Event:
    """A new event, always a draft here: `status` (published or draft) is checked with the other
    fields, and app.lifecycle.create_event publishes it when asked (publishing needs the ticket
    key and the checkpoints, which live above this layer)."""
    if "invitation_only" in data:  # the old spelling would be dropped silently: an open event by mistake
        raise TypeError("create_event(invitation_only=True) is now create_event(places=Places.INVITATION.value)")
    if not actor.is_staff:
        raise PermissionDenied()
    status = data.pop("status", EventStatus.DRAFT.value) or EventStatus.DRAFT.value
    errors = _validate_event(data)
    if status not in [s.value for s in EventStatus]:
        errors["status"] = _l("Unknown status.")
    if errors:
        raise InvalidInput(fields=errors)
    _check_department(actor, data.get("department_id"))
    _check_series(actor, data.get("series_id"))
    event = Event(created_by=actor, status=EventStatus.DRAFT.value,
                  **{k: data.get(k) for k in EVENT_FIELDS if k in data})
    event.title, event.venue = event.title.strip(), event.venue.strip()
    db.session.add(event)
    db.session.flush()
    if status == EventStatus.CANCELLED.value:
        raise InvalidInput(fields={"status": _l("A new event cannot start cancelled.")})
    return event


def update_event(actor: User, event: Event, **data) -> Event:
    require_manage(actor, event)
    if event.is_cancelled:
        raise Conflict(_l("A cancelled event cannot be edited."), code="event_cancelled")
    merged = {k: getattr(event, k) for k in EVENT_FIELDS} | data
    errors = _validate_event(merged)
    if errors:
        raise InvalidInput(fields=errors)
    if merged["department_id"] != event.department_id:
        _check_department(actor, merged["department_id"])
    if (merged["series_id"] or None) != event.series_id:
        _check_series(actor, merged["series_id"])
    for key in EVENT_FIELDS:
        if key in data:
            setattr(event, key, data[key])
    db.session.flush()
    return event


def duplicate_event(actor: User, event: Event, *, shift_days: int = 0) -> Event:
    """A draft copy with the same agenda and questions, no registrations."""
    require_manage(actor, event)
    shift = timedelta(days=shift_days)
    copy = Event(created_by=actor, status=EventStatus.DRAFT.value,
                 **{k: getattr(event, k) for k in EVENT_FIELDS})
    copy.title = str(_l("%(title)s (copy)", title=event.title))[:200]
    if event.series is not None and not can_manage_series(actor, event.series):
        copy.series_id = None  # put on another department's series by an admin: the copy is not
    copy.cover_image = event.cover_image
    if event.places == Places.ENTRY.value:
        copy.places = Places.OPEN.value  # entries come through the programme that owns the event; a copy has none
    for key in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        if getattr(copy, key):
            setattr(copy, key, getattr(copy, key) + shift)
    copy.sessions = [EventSession(title=s.title, starts_at=s.starts_at + shift, ends_at=s.ends_at + shift,
                                  room=s.room, speaker=s.speaker, capacity=s.capacity)
                     for s in event.sessions]
    copy.questions = [Question(position=q.position, label=q.label, help_text=q.help_text, kind=q.kind,
                               required=q.required, choices=[dict(c) for c in q.choices or []])
                      for q in event.questions]
    db.session.add(copy)
    db.session.flush()
    return copy


def set_cover_image(actor: User, event: Event, filename: str | None) -> None:
    require_manage(actor, event)
    event.cover_image = filename


# -- agenda sessions ----------------------------------------------------------
def span_agenda(event: Event) -> None:
    """Stretch an invitation-only event over its whole agenda (a cohort's lessons, a studio's
    activities), so its calendar entry, check-in windows and "past" state follow the schedule."""
    if event.sessions:
        event.starts_at = min([event.starts_at] + [s.starts_at for s in event.sessions])
        event.ends_at = max([event.ends_at] + [s.ends_at for s in event.sessions])


# -- questions ----------------------------------------------------------------
def parse_choices(text: str) -> list[dict]:
    """One choice per line; `label | limit` sets a per-choice limit."""
    choices = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        label, _, limit = line.partition("|")
        limit = limit.strip()
        if limit and not (limit.isascii() and limit.isdigit() and len(limit) <= 6):
            raise InvalidInput(fields={"choices": _l("A limit after | must be a whole number.")})
        choices.append({"label": label.strip(), "limit": int(limit) if limit else None})
    return choices


def choices_text(question: Question) -> str:
    return "\n".join(c["label"] + (f" | {c['limit']}" if c.get("limit") is not None else "")
                     for c in question.choices or [])


def _limit_number(raw, errors: dict, key: str) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip().replace("，", "").replace(",", ""))
    except InvalidOperation:
        value = None
    if value is None or isinstance(raw, bool) or not value.is_finite() or abs(value) > NUMBER_BOUND:
        errors[key] = _l("Enter a number.")
        return None
    return value


def _question_limits(kind: QuestionKind, max_length, min_value, max_value, errors: dict) -> dict:
    """The limits that apply to this kind, checked; the others are cleared."""
    limits = {"max_length": None, "min_value": None, "max_value": None}
    if kind in TEXT_LIMITS:
        top = TEXT_LIMITS[kind]
        length = _limit_number(max_length, errors, "max_length")
        if length is not None and (length != length.to_integral_value() or not 1 <= length <= top):
            errors["max_length"] = _l("Enter a whole number from 1 to %(max)s.", max=top)
        elif length is not None:
            limits["max_length"] = int(length)
    elif kind == QuestionKind.NUMBER:
        low = _limit_number(min_value, errors, "min_value")
        high = _limit_number(max_value, errors, "max_value")
        if low is not None and high is not None and low > high:
            errors["max_value"] = _l("The largest number must not be below the smallest.")
        limits["min_value"], limits["max_value"] = low, high
    return limits


def save_question(actor: User, event: Event, *, label: str, kind: str, required: bool = False,
                  help_text: str = "", choices: list[dict] | None = None, position: int | None = None,
                  question: Question | None = None, max_length=None, min_value=None,
                  max_value=None) -> Question:
    """A registration question. Text answers may be limited in length (up to the kind's own
    limit) and numbers to a range; the hint under the field is made from these limits."""
    require_manage(actor, event)
    errors = {}
    if not (label or "").strip():
        errors["label"] = _l("Please enter the question.")
    if kind not in {k.value for k in QuestionKind}:
        errors["kind"] = _l("Choose a kind of answer.")
    elif QuestionKind(kind).has_choices:
        labels = [c["label"] for c in choices or []]
        if len(labels) < 2:
            errors["choices"] = _l("Give at least two choices, one per line.")
        elif len(set(labels)) != len(labels):
            errors["choices"] = _l("Each choice must be different.")
    limits = (_question_limits(QuestionKind(kind), max_length, min_value, max_value, errors)
              if kind in {k.value for k in QuestionKind} else {})
    if errors:
        raise InvalidInput(fields=errors)
    if question is None:
        next_position = len(event.questions)
        question = Question(event=event, position=next_position)
        db.session.add(question)
    question.label, question.kind, question.required = label.strip(), kind, bool(required)
    question.help_text = help_text or ""
    question.choices = choices if QuestionKind(kind).has_choices else []
    question.max_length, question.min_value, question.max_value = (
        limits["max_length"], limits["min_value"], limits["max_value"])
    if position is not None:
        question.position = position
    db.session.flush()
    return question


def delete_question(actor: User, question: Question) -> None:
    require_manage(actor, question.event)
    db.session.delete(question)


# -- listings -----------------------------------------------------------------
@dataclass
class EventFilter:
    series_id: int | None = None
    kind: str | None = None
    department_id: int | None = None
    status: str | None = None
    on_date: date | None = None
    date_from: date | None = None
    q: str | None = None
    upcoming: bool = False
    public: bool = False  # only what anyone may see and register for


def _local_day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ)
    return start, start + timedelta(days=1)


def filtered_events(f: EventFilter):
    query = sa.select(Event)
    if f.series_id:
        query = query.where(Event.series_id == f.series_id)
    if f.kind:
        query = query.where(Event.kind == f.kind)
    if f.department_id:
        query = query.where(Event.department_id == f.department_id)
    if f.status:
        query = query.where(Event.status == f.status)
    if f.on_date:
        start, end = _local_day_bounds(f.on_date)
        query = query.where(Event.starts_at < end, Event.ends_at >= start)
    elif f.date_from:
        start, _ = _local_day_bounds(f.date_from)
        query = query.where(Event.ends_at >= start)
    if f.upcoming:
        query = query.where(Event.ends_at >= utcnow())
    if f.public:
        query = query.where(Event.places != Places.INVITATION.value)
    if f.q:
        like = f"%{f.q.strip()}%"
        query = query.where(sa.or_(Event.title.ilike(like), Event.venue.ilike(like)))
    return query


def public_events(f: EventFilter) -> list[Event]:
    f.status, f.public = EventStatus.PUBLISHED.value, True
    query = filtered_events(f).order_by(Event.starts_at, Event.id)
    return list(db.session.scalars(query))


def console_events(actor: User, f: EventFilter) -> list[Event]:
    query = filtered_events(f)
    if not actor.is_admin:
        query = query.where(Event.department_id.in_(actor.department_ids or {-1}))
    return list(db.session.scalars(query.order_by(Event.starts_at.desc(), Event.id.desc())))
