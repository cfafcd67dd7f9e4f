"""What the venue code's screen (a projector at the door or in the room) and its printed poster
show: the code as a QR of its short public URL, arrivals against those expected, and a warning
when a scan now would be refused (the window is shut, or self check-in is off)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.checkin import services as checkin
from app.checkin import venue_codes
from app.checkin.models import DOOR, Checkpoint
from app.events.services import can_manage
from app.extensions import db
from app.tickets.services import qr_svg
from app.timeutil import fmt, utcnow
from app.urls import public_url


def code_url(code: str) -> str:
    return public_url("checkin.self_check_in", code=code)


def notice(checkpoint: Checkpoint, now: datetime | None = None) -> str | None:
    """Why people scanning the code now would be refused, for whoever shows it to say so before
    they do."""
    if not checkpoint.self_check_in:
        return str(_l("Self check-in is off at this checkpoint: scans of this code are refused. "
                      "Turn it on in the check-in rules."))
    opens, closes = checkin.window(checkpoint)
    now = now or utcnow()
    if now < opens:
        return str(_l("Check-in is not open yet: it opens at %(time)s. Scans before then are refused.",
                      time=fmt(opens, "%m-%d %H:%M")))
    if now > closes:
        return str(_l("Check-in closed at %(time)s: scans are refused now.", time=fmt(closes, "%m-%d %H:%M")))
    return None


def screen_data(checkpoint: Checkpoint, *, arrived: int | None = None, expected: int | None = None) -> dict:
    """The screen's state, fetched again as the code rotates. `arrived`/`expected`: the caller's
    own count (a lesson counts its enrolled founders), else the checkpoint's."""
    if arrived is None or expected is None:
        summary = checkin.checkpoint_attendance(checkpoint)
        arrived, expected = summary.checked_in, summary.expected
    code = venue_codes.screen_code(checkpoint)
    url = code_url(code)
    return {"code": code, "url": url, "svg": qr_svg(url), "seconds_left": venue_codes.seconds_left(),
            "arrived": arrived, "expected": expected, "notice": notice(checkpoint)}


def poster_data(checkpoint: Checkpoint) -> dict:
    """The printed poster: the current printout's code (None before the first printout)."""
    opens, closes = checkin.window(checkpoint)
    url = code_url(venue_codes.printed_code(checkpoint)) if checkpoint.print_generation else None
    return {"url": url, "svg": qr_svg(url) if url else None, "opens": opens, "closes": closes,
            "generation": checkpoint.print_generation}


def screens_for(user, sessions) -> dict[int, int]:
    """session id -> its checkpoint's id, for the meetings (lessons, activities, training days)
    whose venue code `user` may show: a page lists links to the screens it can open."""
    sessions = [s for s in sessions if can_manage(user, s.event)]
    if not sessions:
        return {}
    return dict(db.session.execute(sa.select(Checkpoint.session_id, Checkpoint.id).where(
        Checkpoint.session_id.in_([s.id for s in sessions]), Checkpoint.kind == DOOR)).all())
