"""Base64url without padding, decoded strictly: one canonical text per value.

Python's decoder skips characters outside the alphabet (`!`, spaces, newlines), accepts padding
anywhere near the end and ignores the unused low bits of the last character, so many texts
decode to the same bytes. Codes people scan or type (tickets, lesson codes) are compared as
given, so only the one text `encode` makes is accepted."""
from __future__ import annotations

import base64
import binascii
import re

_ALPHABET = re.compile(r"[A-Za-z0-9_-]*")


def encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode(text: str) -> bytes:
    """The bytes of a canonical base64url text; ValueError for anything else."""
    if not isinstance(text, str) or not _ALPHABET.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError("not canonical base64url")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64url") from exc
    if encode(raw) != text:  # unused bits set in the last character
        raise ValueError("not canonical base64url")
    return raw
