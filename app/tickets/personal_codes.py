"""The personal code 我的码: one QR per person, accepted at every checkpoint where they hold a
place, changing every 30 seconds, verifiable offline.

Design. Two signatures, two keys:
  * the platform's code authority (CodeAuthorityKey, in the database like an event's key)
    signs a **credential** for one person and one phone's public key, valid for a day
    ("online that day"): the phone fetches it whenever it is online and it is over an hour old;
  * the phone makes its own Ed25519 key pair in the browser (the private half stays in that
    browser's storage) and every 30 seconds signs the credential with the current time.
A scanner holding only the authority's public keys (in its roster) checks the credential, then
the phone's signature with the key the credential vouches for, then the time: a code more than
60 seconds old is refused (`expired`), so a screenshot stops working within a minute, while the
phone makes fresh codes without network for as long as its credential lasts. A lost phone's key
is revoked: online scans refuse it at once, offline scanners with their next roster (which lists
the keys revoked within a credential's lifetime; older ones have no live credential left).

Layout, base64url without padding (181 bytes = 242 characters, a version-11 QR at level M):
    credential (113) = version u8 (2) | authority key id u32 | user id u32 | phone key id u32 |
                       expires u32 (unix s) | phone public key (32) | authority signature (64)
                       — the authority signs the first 49 bytes
    code (181)       = credential | time u32 (unix s) | phone signature (64) over credential‖time
A ticket (app.tickets.tokens) is 75 bytes with version 1: the length and the first byte tell
them apart. No names and no secrets in either.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app import base64url
from app.inputs import INT_MAX
from app.tickets.tokens import BadToken

VERSION = 2
_CLAIMS = struct.Struct(">BIIII")
_TIME = struct.Struct(">I")
KEY_LEN, SIGNATURE_LEN = 32, 64
SIGNED_LEN = _CLAIMS.size + KEY_LEN  # what the authority signs
CREDENTIAL_BYTES = SIGNED_LEN + SIGNATURE_LEN
CODE_BYTES = CREDENTIAL_BYTES + _TIME.size + SIGNATURE_LEN
CODE_CHARS = -(-CODE_BYTES * 4 // 3)  # base64url without padding


@dataclass(frozen=True)
class Credential:
    authority_key_id: int
    user_id: int
    phone_key_id: int
    expires: int  # unix seconds
    phone_public_key: bytes


@dataclass(frozen=True)
class PersonalCode:
    credential: Credential
    time: int  # unix seconds, the phone's (server-corrected) clock when it made the code
    raw: bytes


def looks_like(token: str | None) -> bool:
    """A personal code rather than a ticket: told apart by its length before anything else."""
    return isinstance(token, str) and len(token) == CODE_CHARS


def sign_credential(authority_private: bytes, credential: Credential) -> bytes:
    claims = _CLAIMS.pack(VERSION, credential.authority_key_id, credential.user_id, credential.phone_key_id,
                          credential.expires) + credential.phone_public_key
    return claims + Ed25519PrivateKey.from_private_bytes(authority_private).sign(claims)


def make_code(credential: bytes, phone_private: bytes, at: int) -> str:
    """What the phone shows (the browser does the same in static/js/my-code.js)."""
    message = credential + _TIME.pack(at)
    return base64url.encode(message + Ed25519PrivateKey.from_private_bytes(phone_private).sign(message))


def peek(token: str) -> PersonalCode:
    """The claims as written, unverified: only to find the keys to verify with."""
    if not looks_like(token):
        raise BadToken("length")
    try:
        raw = base64url.decode(token)
    except ValueError as exc:
        raise BadToken("encoding") from exc
    if len(raw) != CODE_BYTES:
        raise BadToken("size")
    version, authority, user, phone, expires = _CLAIMS.unpack(raw[:_CLAIMS.size])
    if version != VERSION:
        raise BadToken("version")
    if not (0 < authority <= INT_MAX and 0 < user <= INT_MAX and 0 < phone <= INT_MAX):
        raise BadToken("range")  # ids the INTEGER columns cannot hold
    (at,) = _TIME.unpack(raw[CREDENTIAL_BYTES:CREDENTIAL_BYTES + _TIME.size])
    credential = Credential(authority, user, phone, expires, raw[_CLAIMS.size:SIGNED_LEN])
    return PersonalCode(credential, at, raw)


def verify(token: str, authority_public: bytes) -> PersonalCode:
    """Both signatures, or BadToken: the authority's over the credential, the phone's (with the
    key the credential vouches for) over the credential and the time. Times are the caller's."""
    code = peek(token)
    raw = code.raw
    signed_by_phone = CREDENTIAL_BYTES + _TIME.size
    try:
        Ed25519PublicKey.from_public_bytes(authority_public).verify(raw[SIGNED_LEN:CREDENTIAL_BYTES],
                                                                    raw[:SIGNED_LEN])
        Ed25519PublicKey.from_public_bytes(code.credential.phone_public_key).verify(
            raw[signed_by_phone:], raw[:signed_by_phone])
    except (InvalidSignature, ValueError) as exc:
        raise BadToken("signature") from exc
    return code
