"""What the event pages read: the event a URL names for the person managing it, its agenda
sessions and questions by id, the series list, a series' public events."""
from __future__ import annotations

import sqlalchemy as sa

from app.accounts.models import Department, User
from app.errors import NotFound
from app.events.models import Event, EventSession, EventStatus, Question, Series
from app.events.services import get_event, get_series_by_id, require_manage, require_manage_series
from app.extensions import db


def managed_event(actor: User, event_id: int) -> Event:
    """The event for its organiser's pages: NotFound, or PermissionDenied for another department's."""
    event = get_event(event_id)
    require_manage(actor, event)
    return event


def managed_series(actor: User, series_id: int) -> Series:
    series = get_series_by_id(series_id)
    require_manage_series(actor, series)
    return series


def _child(model, child_id: int, event_id: int):
    # A session or question of another event is as absent as one that does not exist.
    child = db.session.get(model, child_id)
    if child is None or child.event_id != event_id:
        raise NotFound()
    return child


def event_session(event_id: int, session_id: int) -> EventSession:
    return _child(EventSession, session_id, event_id)


def event_question(event_id: int, question_id: int) -> Question:
    return _child(Question, question_id, event_id)


def all_series() -> list[Series]:
    return list(db.session.scalars(sa.select(Series).order_by(Series.id)))


def series_events(series: Series) -> list[Event]:
    """A series' page: its published and cancelled events (drafts are not shown), by start."""
    return list(db.session.scalars(sa.select(Event).where(
        Event.series_id == series.id,
        Event.status.in_((EventStatus.PUBLISHED.value, EventStatus.CANCELLED.value)))
        .order_by(Event.starts_at)))




def series_id_for_slug(slug: str) -> int | None:
    return db.session.scalar(sa.select(Series.id).where(Series.slug == slug))


def department_id_for(name_or_code: str) -> int | None:
    """The department an API client names by its name or its code."""
    return db.session.scalar(sa.select(Department.id).where(
        sa.or_(Department.name == name_or_code, Department.code == name_or_code)))
