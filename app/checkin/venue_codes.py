"""Venue codes (场所码): the code a checkpoint shows for people to check themselves in with their
own phone, and what a scanned code is worth.

On a screen the code rotates: it signs the checkpoint and the 30-second slot, and is accepted
for this slot and the one before, so a photo sent to an absent friend stops working within a
minute. A rotating code cannot be printed, so a printed code is the nearest right thing, and
weaker: it signs the checkpoint and its print generation, works only inside the checkpoint's
window (the scan decides that, as for any scan), until the organiser prints anew — and anyone
holding a photo of it can use it from elsewhere meanwhile. The organiser chooses which one
the checkpoint accepts (Checkpoint.venue_code); the screen's code is always accepted.

A code is the bytes (kind, checkpoint id, slot or generation) and a MAC of them, base64url.
"""
from __future__ import annotations

import hashlib
import hmac
import struct
import time
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from app import base64url
from app.checkin.models import PRINTED, Checkpoint
from app.errors import InvalidInput
from app.extensions import db
from app.inputs import INT_MAX

ROTATE_SECONDS = 30
_SCREEN_KIND, _PRINT_KIND = 1, 2
_CODE = struct.Struct(">BII")  # kind, checkpoint id, slot or print generation
_MAC_BYTES = 12


class InvalidCode(InvalidInput):
    code = "invalid_code"


class CodeExpired(InvalidInput):
    code = "code_expired"


class CodeReplaced(CodeExpired):
    """A printed code of an earlier printout (or of a checkpoint now showing its code on a screen)."""
    code = "code_replaced"


@dataclass(frozen=True)
class VenueCode:
    checkpoint: Checkpoint
    printed: bool


def slot(at: float | None = None) -> int:
    return int((time.time() if at is None else at) // ROTATE_SECONDS)


def seconds_left(at: float | None = None) -> int:
    return ROTATE_SECONDS - int(time.time() if at is None else at) % ROTATE_SECONDS


def _mac(payload: bytes) -> bytes:
    key = hashlib.sha256(b"venue-code:" + current_app.config["SECRET_KEY"].encode()).digest()
    return hmac.new(key, payload, hashlib.sha256).digest()[:_MAC_BYTES]


def _sign(kind: int, checkpoint_id: int, number: int) -> str:
    payload = _CODE.pack(kind, checkpoint_id, number)
    return base64url.encode(payload + _mac(payload))


def screen_code(checkpoint: Checkpoint, at: float | None = None) -> str:
    """The code a screen shows now (`at`: another moment, as a Unix time)."""
    return _sign(_SCREEN_KIND, checkpoint.id, slot(at))


def printed_code(checkpoint: Checkpoint) -> str:
    """The code of the checkpoint's current printout (generation 0: none was printed yet)."""
    return _sign(_PRINT_KIND, checkpoint.id, checkpoint.print_generation)


def read(code: str, at: float | None = None) -> VenueCode:
    """The checkpoint a scanned code is for, if the code is genuine and still good at `at` (the
    moment it was read; now by default). Whether the checkpoint admits self check-in, and this
    person, is the caller's question."""
    try:
        raw = base64url.decode(code)
    except ValueError:
        raw = b""
    if len(raw) != _CODE.size + _MAC_BYTES or not hmac.compare_digest(raw[_CODE.size:], _mac(raw[:_CODE.size])):
        raise InvalidCode(_l("This is not a check-in code of this system."))
    kind, checkpoint_id, number = _CODE.unpack(raw[:_CODE.size])
    known = kind in (_SCREEN_KIND, _PRINT_KIND) and 0 < checkpoint_id <= INT_MAX  # past the column: no row
    checkpoint = db.session.get(Checkpoint, checkpoint_id) if known else None
    if checkpoint is None:  # signed by us, but the checkpoint was deleted since
        raise InvalidCode(_l("This is not a check-in code of this system."))
    if kind == _SCREEN_KIND:
        if not 0 <= slot(at) - number <= 1:
            raise CodeExpired(_l("This code has expired: scan the code on the screen again."))
        return VenueCode(checkpoint, printed=False)
    if checkpoint.venue_code != PRINTED or number != checkpoint.print_generation or number == 0:
        raise CodeReplaced(_l("This printed code is no longer valid: it was replaced. Ask the organisers."))
    return VenueCode(checkpoint, printed=True)
