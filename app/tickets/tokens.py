"""Signed ticket tokens.

Layout (75 bytes, base64url without padding = 100 characters):
    version u8 | event_id u32 | registration_id u32 | generation u16 | Ed25519 signature (64)
No names and no secrets: the QR stays small and easy to scan, and a scanner holding only
the event's public key can tell a genuine ticket from a forged or altered one.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app import base64url
from app.inputs import INT_MAX

VERSION = 1
_HEADER = struct.Struct(">BIIH")
SIGNATURE_LEN = 64
TOKEN_BYTES = _HEADER.size + SIGNATURE_LEN


@dataclass(frozen=True)
class TicketClaims:
    event_id: int
    registration_id: int
    generation: int


class BadToken(ValueError):
    pass


_b64encode = base64url.encode


def _b64decode(text: str) -> bytes:
    """Strict: a code with an inserted character, padding or whitespace is not the ticket."""
    if not isinstance(text, str) or not text or len(text) > 200:
        raise BadToken("length")
    try:
        return base64url.decode(text)
    except ValueError as exc:
        raise BadToken("encoding") from exc


def sign(private_key: bytes, claims: TicketClaims) -> str:
    header = _HEADER.pack(VERSION, claims.event_id, claims.registration_id, claims.generation & 0xFFFF)
    signature = Ed25519PrivateKey.from_private_bytes(private_key).sign(header)
    return _b64encode(header + signature)


def peek(token: str) -> TicketClaims:
    """The claims as written, unverified: only to find which key to verify with."""
    raw = _b64decode(token)
    if len(raw) != TOKEN_BYTES:
        raise BadToken("size")
    version, event_id, registration_id, generation = _HEADER.unpack(raw[:_HEADER.size])
    if version != VERSION:
        raise BadToken("version")
    if not 0 < event_id <= INT_MAX or not 0 < registration_id <= INT_MAX:
        raise BadToken("range")  # a u32 the INTEGER id columns cannot hold: PostgreSQL would fail on it
    return TicketClaims(event_id, registration_id, generation)


def verify(public_key: bytes, token: str) -> TicketClaims:
    claims = peek(token)
    raw = _b64decode(token)
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(raw[_HEADER.size:], raw[:_HEADER.size])
    except InvalidSignature as exc:
        raise BadToken("signature") from exc
    return claims


def new_key_pair() -> tuple[bytes, bytes]:
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return private, public
