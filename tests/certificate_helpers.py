"""Shared by the certificate tests: an event people really checked in at (through scan())."""
from __future__ import annotations

from datetime import timedelta

from app.timeutil import utcnow

RARE_NAMES = ("张玥", "李喆", "王堃", "赵赟", "林〇")


def event_with_attendees(db_session, create_event, create_user, names, *, absent=0, **event_kw):
    """An event happening now; everyone in `names` registered and scanned in, plus `absent`
    confirmed registrants who never came. Returns (event, attendees, absentees)."""
    from app.checkin import services as checkin
    from app.registrations import services as reg
    from app.tickets import services as tickets

    event = create_event(starts_at=utcnow() - timedelta(hours=1), capacity=None, **event_kw)
    point = checkin.event_checkpoint(event)
    came, stayed_away = [], []
    for name in names:
        user = create_user(name=name)
        registration = reg.register(user, event)
        checkin.scan(point, tickets.ticket_token(registration))
        came.append(user)
    for _ in range(absent):
        user = create_user()
        reg.register(user, event)
        stayed_away.append(user)
    db_session.commit()
    return event, came, stayed_away
