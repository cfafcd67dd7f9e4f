"""Phones and their credentials for the personal code (format and design: app.tickets.personal_codes).

The phone sends the public half of the key pair it made; the platform's code authority signs a
credential for the person and that key, valid CREDENTIAL_LIFETIME. `check` decides whether a
scanned code is genuine, current and not revoked, and whose it is; where the person holds a
place is the check-in's question (app.checkin.personal).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app import base64url
from app.accounts.models import Role, User, UserSession
from app.audit import services as audit
from app.errors import Conflict, InvalidInput, NotFound
from app.extensions import db
from app.tickets import personal_codes, tokens
from app.tickets.models import CodeAuthorityKey, PhoneKey
from app.timeutil import utcnow

CREDENTIAL_LIFETIME = timedelta(hours=24)  # "online that day"
RENEW_AFTER = timedelta(hours=1)  # the phone asks for a new credential when online and it is older
CODE_MAX_AGE = timedelta(seconds=60)  # a screenshot stops working within a minute
CODE_FUTURE_SKEW = timedelta(seconds=30)  # a phone clock a little ahead of the scanner's
REFRESH_SECONDS = 30  # the phone shows a new code this often
MAX_PHONES = 5  # a sixth phone retires the one least recently used
MAX_REASON = 200


# -- the authority ------------------------------------------------------------
def authority_key() -> CodeAuthorityKey:
    """The key signing new credentials: the newest not retired, made on first use. Two requests
    making one at once leave two keys, both listed in rosters: harmless."""
    key = db.session.scalar(sa.select(CodeAuthorityKey).where(CodeAuthorityKey.retired_at.is_(None))
                            .order_by(CodeAuthorityKey.id.desc()).limit(1))
    if key is None:
        private, public = tokens.new_key_pair()
        key = CodeAuthorityKey(private_key=private, public_key=public)
        db.session.add(key)
        db.session.flush()
    return key


def keys_in_force(now: datetime | None = None) -> list[CodeAuthorityKey]:
    """Every authority key a live credential may name: not retired, or retired so recently that
    credentials it signed have not all expired (what a scanner's roster carries)."""
    since = (now or utcnow()) - CREDENTIAL_LIFETIME
    return list(db.session.scalars(sa.select(CodeAuthorityKey).where(
        sa.or_(CodeAuthorityKey.retired_at.is_(None), CodeAuthorityKey.retired_at > since))
        .order_by(CodeAuthorityKey.id)))


def revoked_since_lifetime(now: datetime | None = None) -> list[int]:
    """Phone keys revoked within a credential's lifetime: those revoked earlier have no live
    credential left (no credential is issued to a revoked key), so a roster need not list them."""
    since = (now or utcnow()) - CREDENTIAL_LIFETIME
    return list(db.session.scalars(sa.select(PhoneKey.id).where(PhoneKey.revoked_at > since).order_by(PhoneKey.id)))


# -- a phone's credential -----------------------------------------------------
@dataclass(frozen=True)
class Issued:
    phone_key: PhoneKey
    credential: str  # base64url
    expires_at: datetime


def _public_key(text) -> bytes:
    try:
        raw = base64url.decode(text if isinstance(text, str) else "")
        if len(raw) != personal_codes.KEY_LEN:
            raise ValueError("length")
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise InvalidInput(fields={"public_key": _l("This is not a phone key.")}, code="malformed") from None
    return raw


def issue(user: User, public_key_text: str, label: str = "", *, now: datetime | None = None) -> Issued:
    """A credential for `user`'s phone holding the private half of `public_key_text` (registered
    on first use). A revoked key gets none: the phone makes a new key pair and asks again."""
    now = now or utcnow()
    public = _public_key(public_key_text)
    phone = _phone_for(user, public, (label or "")[:80], now)
    if phone.user_id != user.id:
        raise Conflict(_l("This phone key belongs to another account."), code="key_taken")
    if phone.revoked_at is not None:
        raise Conflict(_l("This phone's code was revoked. Open My code again to set up this phone anew."),
                       code="revoked")
    phone.last_issued_at = now
    phone.session_key = getattr(user, "session_key", None)
    authority = authority_key()
    expires = now + CREDENTIAL_LIFETIME
    credential = personal_codes.sign_credential(authority.private_key, personal_codes.Credential(
        authority.id, user.id, phone.id, int(expires.timestamp()), public))
    return Issued(phone, base64url.encode(credential), expires)


def _phone_for(user: User, public: bytes, label: str, now: datetime) -> PhoneKey:
    phone = db.session.scalar(sa.select(PhoneKey).where(PhoneKey.public_key == public))
    if phone is not None:
        return phone
    phone = PhoneKey(user_id=user.id, public_key=public, label=label, created_at=now)
    try:
        with db.session.begin_nested():  # the phone's two tabs register one key at once: one row kept
            db.session.add(phone)
    except IntegrityError:
        return db.session.scalar(sa.select(PhoneKey).where(PhoneKey.public_key == public))
    _retire_extra_phones(user, keep=phone, now=now)
    audit.record(user, "phone_key.add", user, phone_key=phone.id, label=label)
    return phone


def _retire_extra_phones(user: User, keep: PhoneKey, now: datetime) -> None:
    active = [p for p in phones(user) if p.revoked_at is None and p.id != keep.id]
    # least recently used first
    active.sort(key=lambda p: (p.last_issued_at or p.created_at, p.id))
    for old in active[:max(0, len(active) - (MAX_PHONES - 1))]:
        old.revoked_at, old.revoked_by_id, old.revoke_reason = now, user.id, "replaced"
        audit.record(user, "phone_key.revoke", user, phone_key=old.id, reason="replaced")


# -- the person's phones, revocation ------------------------------------------
def phones(user: User) -> list[PhoneKey]:
    return list(db.session.scalars(sa.select(PhoneKey).where(PhoneKey.user_id == user.id)
                                   .order_by(PhoneKey.revoked_at.is_not(None), PhoneKey.id.desc())))


def get_phone_key(actor: User, phone_key_id: int, owner: User | None = None) -> PhoneKey:
    """The actor's own phone, or any person's for an administrator (of `owner`, when the URL names
    the person too); NotFound otherwise (nobody learns that someone else's phone exists)."""
    phone = db.session.get(PhoneKey, phone_key_id)
    if phone is None or not (phone.user_id == actor.id or actor.has_role(Role.ADMIN)) or (
            owner is not None and phone.user_id != owner.id):
        raise NotFound(_l("No such phone."))
    return phone


def revoke(actor: User, phone: PhoneKey, reason: str = "", *, now: datetime | None = None) -> PhoneKey:
    """A lost phone: its codes are refused online at once, offline after the scanner's next roster.
    The person revokes their own; an administrator anyone's, with a reason."""
    phone = get_phone_key(actor, phone.id)  # the scope, whoever called
    reason = (reason or "").strip()
    if phone.user_id != actor.id and not reason:
        raise InvalidInput(fields={"reason": _l("Say why this person's phone is revoked.")})
    if len(reason) > MAX_REASON:
        raise InvalidInput(fields={"reason": _l("At most %(n)s characters.", n=MAX_REASON)})
    if phone.revoked_at is not None:
        raise Conflict(_l("This phone was already revoked."), code="already_revoked")
    phone.revoked_at, phone.revoked_by_id, phone.revoke_reason = now or utcnow(), actor.id, reason or "lost"
    if phone.session_key and phone.session_key != getattr(actor, "session_key", None):
        # the lost phone's sign-in ends too (not the one revoking, if the person does it from this phone)
        db.session.execute(sa.update(UserSession).where(
            UserSession.id == phone.session_key, UserSession.user_id == phone.user_id,
            UserSession.revoked_at.is_(None)).values(revoked_at=phone.revoked_at))
    audit.record(actor, "phone_key.revoke", db.session.get(User, phone.user_id), phone_key=phone.id,
                 reason=phone.revoke_reason)
    return phone


# -- deciding a scanned code --------------------------------------------------
@dataclass(frozen=True)
class CodeCheck:
    """`result` is "ok", "invalid", "expired" or "revoked"; `reason` the detail for the scan log.
    `user_id` and `phone_key_id` are known once the signatures are genuine."""
    result: str
    reason: str = ""
    user_id: int | None = None
    phone_key_id: int | None = None


def check(token: str, at: datetime) -> CodeCheck:
    """Is this personal code genuine, current at `at` (the moment of the scan) and of a phone
    not revoked? The same steps as the offline scanner (static/js/scanner.js, decidePersonalCode)."""
    try:
        claims = personal_codes.peek(token)
    except tokens.BadToken as exc:
        return CodeCheck("invalid", str(exc))
    credential = claims.credential
    authority = db.session.get(CodeAuthorityKey, credential.authority_key_id)
    if authority is None or authority not in keys_in_force(at):
        return CodeCheck("invalid", "unknown_authority")
    try:
        personal_codes.verify(token, authority.public_key)
    except tokens.BadToken as exc:
        return CodeCheck("invalid", str(exc))
    phone = db.session.get(PhoneKey, credential.phone_key_id)
    if phone is None or phone.user_id != credential.user_id or phone.public_key != credential.phone_public_key:
        return CodeCheck("invalid", "unknown_phone")
    known = dict(user_id=phone.user_id, phone_key_id=phone.id)
    if phone.revoked_at is not None:
        return CodeCheck("revoked", "phone_revoked", **known)
    now = int(at.timestamp())
    if credential.expires < now:
        return CodeCheck("expired", "credential_expired", **known)
    if claims.time < now - CODE_MAX_AGE.total_seconds():
        return CodeCheck("expired", "code_too_old", **known)
    if claims.time > now + CODE_FUTURE_SKEW.total_seconds():
        return CodeCheck("expired", "code_from_the_future", **known)
    return CodeCheck("ok", **known)
