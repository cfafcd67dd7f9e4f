"""Tickets: the signed QR token of a registration, its private link, its image."""
from __future__ import annotations

import base64
import io
import secrets
from functools import lru_cache
from pathlib import Path

import qrcode
import qrcode.image.svg
import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy.orm import joinedload

from app.errors import Conflict, ServiceError
from app.events.models import Event
from app.extensions import db
from app.locking import lock_in_query
from app.notifications.services import notify
from app.registrations.models import Registration, RegStatus
from app.tickets import tokens
from app.tickets.models import EventKey
from app.timeutil import fmt
from app.urls import public_url


class InvalidTicket(ServiceError):
    code = "invalid"
    http_status = 422
    default_message = _l("This is not a valid ticket.")


def ensure_event_key(event: Event) -> EventKey:
    key = db.session.get(EventKey, event.id)
    if key is None:
        private, public = tokens.new_key_pair()
        key = EventKey(event_id=event.id, private_key=private, public_key=public)
        db.session.add(key)
        db.session.flush()
    return key


def public_key(event: Event) -> bytes:
    return ensure_event_key(event).public_key


def ticket_token(registration: Registration) -> str:
    key = ensure_event_key(registration.event)
    claims = tokens.TicketClaims(registration.event_id, registration.id, registration.ticket_generation)
    return tokens.sign(key.private_key, claims)


def check_token(token: str, *, lock: bool = False) -> Registration:
    """The registration a scanned token stands for; InvalidTicket for anything forged,
    altered, superseded by a reset, or unknown. Status (confirmed or not) is the caller's concern.
    With `lock` (a check-in deciding), the registration's row is locked in the same round trip
    on PostgreSQL (FOR NO KEY UPDATE)."""
    try:
        claims = tokens.peek(token)
    except tokens.BadToken as exc:
        raise InvalidTicket(reason=str(exc)) from None
    # One round trip for the event's key and the registration with its user (a scanner shows
    # the name): a check-in scan is mostly round trips.
    query = (sa.select(EventKey.public_key, Registration).select_from(Registration)
             .join(EventKey, EventKey.event_id == Registration.event_id)
             .where(Registration.id == claims.registration_id, Registration.event_id == claims.event_id)
             .options(joinedload(Registration.user)))
    if lock:
        query = lock_in_query(query, Registration)
    found = db.session.execute(query).first()
    if found is None:  # which part is unknown, for the scan log
        known_event = db.session.scalar(sa.select(EventKey.event_id).where(EventKey.event_id == claims.event_id))
        raise InvalidTicket(reason="unknown_registration" if known_event else "unknown_event")
    public, registration = found
    try:
        tokens.verify(public, token)
    except tokens.BadToken as exc:
        raise InvalidTicket(reason=str(exc)) from None
    if (registration.ticket_generation & 0xFFFF) != claims.generation:
        superseded = InvalidTicket(reason="superseded")
        # genuine but replaced: the scan log names whose old ticket it was (kept off `details`,
        # which an error answer would show)
        superseded.registration = registration
        raise superseded
    return registration


def ticket_url(registration: Registration, external: bool = True) -> str:
    if external:
        return public_url("tickets.show", secret=registration.ticket_secret)
    return url_for("tickets.show", secret=registration.ticket_secret)


def has_ticket(registration: Registration) -> bool:
    return registration.status == RegStatus.CONFIRMED.value


def resend(registration: Registration) -> None:
    if not has_ticket(registration):
        raise Conflict(_l("Only confirmed registrations have a ticket."), code="not_confirmed")
    notify(registration.user, "ticket", _l("Your ticket: %(event)s", event=registration.event.title),
           "ticket", registration=registration)


def reset(registration: Registration) -> None:
    """New private link and new QR: the old link and any copy of the old code stop working."""
    registration.ticket_secret = secrets.token_urlsafe(24)
    registration.ticket_generation += 1
    db.session.flush()


# -- rendering ----------------------------------------------------------------
def _qr(data: str, box_size: int = 10) -> qrcode.QRCode:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, box_size=box_size)
    qr.add_data(data)
    qr.make(fit=True)
    return qr


def qr_svg(data: str) -> str:
    image = _qr(data).make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    svg = image.to_string(encoding="unicode")
    # Scale with the page: the SVG keeps its viewBox, the CSS decides the size.
    return svg.replace('width="', 'data-width="', 1).replace('height="', 'data-height="', 1)


def qr_data_uri(data: str) -> str:
    """The QR code as a PNG data: URI for an <img>: in WeChat (and most phone browsers) a long
    press on an image saves it or recognises the code, which an inline SVG does not offer. The
    Content-Security-Policy allows data: images (app/security_headers.py)."""
    buffer = io.BytesIO()
    _qr(data, box_size=8).make_image().save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@lru_cache(maxsize=1)
def _font_path() -> str | None:
    for candidate in ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                      "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"):
        if Path(candidate).exists():
            return candidate
    return None


def ticket_png(registration: Registration) -> bytes:
    """A ticket image to save on the phone: QR code with the event and name beneath."""
    qr = _qr(ticket_token(registration)).make_image().get_image().convert("RGB")
    width = max(qr.width, 720)
    canvas = Image.new("RGB", (width, qr.height + 200), "white")
    canvas.paste(qr, ((width - qr.width) // 2, 0))
    draw = ImageDraw.Draw(canvas)
    path = _font_path()
    big = ImageFont.truetype(path, 34) if path else ImageFont.load_default()
    small = ImageFont.truetype(path, 26) if path else ImageFont.load_default()
    event = registration.event
    lines = [(event.title[:24], big), (f"{registration.user.name}  {fmt(event.starts_at)}", small),
             (event.venue[:30], small)]
    y = qr.height + 10
    for text, font in lines:
        box = draw.textbbox((0, 0), text, font=font)
        draw.text(((width - (box[2] - box[0])) // 2, y), text, fill="black", font=font)
        y += (box[3] - box[1]) + 22
    out = io.BytesIO()
    canvas.save(out, "PNG", optimize=True)
    return out.getvalue()
