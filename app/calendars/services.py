"""iCalendar (RFC 5545) feeds: one event with its agenda, a series, a person's registrations."""
from __future__ import annotations

import icalendar
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.events.models import Event, EventStatus, Series
from app.extensions import db
from app.registrations.join_links import join_url
from app.registrations.models import Registration, RegStatus
from app.timeutil import LOCAL_TZ, to_local, utcnow
from app.urls import public_url

PRODID = "-//Minhang HRSSB//Talent Events//ZH"


def _calendar(name: str) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(LOCAL_TZ))
    return cal


def _vevent(uid: str, summary: str, starts, ends, *, location: str, description: str, url: str,
            cancelled: bool, stamp) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", uid)
    item.add("dtstamp", utcnow())
    item.add("last-modified", stamp)
    item.add("summary", summary)
    item.add("dtstart", to_local(starts).replace(microsecond=0))
    item.add("dtend", to_local(ends).replace(microsecond=0))
    if location:
        item.add("location", location)
    if description:
        item.add("description", description)
    item.add("url", url)
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return item


def _event_components(event: Event, *, with_sessions: bool = True) -> list[icalendar.Event]:
    url = public_url("events.detail", event_id=event.id)
    location = " ".join(x for x in (event.venue, event.address) if x)
    items = []
    if not (event.invitation_only and event.sessions):  # a cohort's months-long span is not an appointment
        items.append(_vevent(event.calendar_uid, event.title, event.starts_at, event.ends_at,
                             location=location, description=event.description, url=url,
                             cancelled=event.is_cancelled, stamp=event.updated_at))
    if with_sessions:
        for s in event.sessions:
            where = " ".join(x for x in (event.venue, s.room) if x)
            detail = "\n".join(x for x in (event.title, s.speaker) if x)
            items.append(_vevent(s.calendar_uid, f"{s.title}｜{event.title}", s.starts_at, s.ends_at,
                                 location=where, description=detail, url=url,
                                 cancelled=event.is_cancelled, stamp=event.updated_at))
    return items


def _finish(cal: icalendar.Calendar) -> bytes:
    cal.add_missing_timezones()
    return cal.to_ical()


def event_ics(event: Event) -> bytes:
    cal = _calendar(event.title)
    for item in _event_components(event):
        cal.add_component(item)
    return _finish(cal)


def series_ics(series: Series) -> bytes:
    cal = _calendar(series.name)
    events = db.session.scalars(sa.select(Event).where(
        Event.series_id == series.id,
        Event.status.in_((EventStatus.PUBLISHED.value, EventStatus.CANCELLED.value)))
        .options(selectinload(Event.sessions)).order_by(Event.starts_at))  # every event's agenda, at once
    for event in events:
        for item in _event_components(event):
            cal.add_component(item)
    return _finish(cal)


def personal_ics(user: User) -> bytes:
    """Confirmed registrations; those cancelled since stay in the feed marked CANCELLED so
    subscribed phones remove them instead of keeping a stale entry."""
    cal = _calendar("我的活动 · 闵行人才")
    rows = db.session.scalars(sa.select(Registration).where(
        Registration.user_id == user.id,
        Registration.status.in_((RegStatus.CONFIRMED.value, RegStatus.CANCELLED.value)))
        # each registration's event, agenda and bookings, read for all of them at once
        .options(selectinload(Registration.event).selectinload(Event.sessions), selectinload(Registration.bookings)))
    for registration in rows:
        event = registration.event
        if event.status == EventStatus.DRAFT.value:
            continue
        cancelled = registration.status != RegStatus.CONFIRMED.value or event.is_cancelled
        # No bookings at all: a chosen participant (a cohort's founder) attends the whole agenda.
        booked = {b.session_id for b in registration.bookings if b.status == RegStatus.CONFIRMED.value} \
            if registration.bookings else {s.id for s in event.sessions}
        # The person's own feed only: their join link (never the stream itself, never a public feed).
        join = None if cancelled else join_url(registration)
        for item in _event_components(event):
            uid = str(item["uid"])
            if uid.startswith("session-") and int(uid.split("-")[1].split("@")[0]) not in booked:
                continue
            if cancelled:
                item["status"] = "CANCELLED"
            if join and uid == event.calendar_uid:
                text = "\n\n".join(x for x in (str(item.pop("description", "") or ""), join) if x)
                item.pop("url", None)
                item.add("description", text)
                item.add("url", join)
            cal.add_component(item)
    return _finish(cal)


def user_for_feed(token: str) -> User | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(sa.select(User).where(User.calendar_token == token, User.active.is_(True)))
