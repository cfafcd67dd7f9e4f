"""A bare Flask + SQLAlchemy check-in endpoint: this machine's ceiling for scans.

It does the database work of the app's `POST /api/v1/checkins` at its minimum, on the app's
own schema (the database bench/checkin.py builds with the migrations):

    Bearer token -> user id (api_tokens joined to users, sha256 of the token)
    Ed25519 signature of the ticket checked with the event's public key (cached per process)
    BEGIN
      SELECT id, result FROM scans WHERE nonce = :nonce            -- a retried request?
      SELECT ... FROM registrations JOIN users ... FOR NO KEY UPDATE OF registrations
      SELECT id FROM scans WHERE checkpoint, registration, 'ok'    -- already admitted?
      INSERT INTO scans ... RETURNING id                           -- ok / already / invalid
    COMMIT

No ORM, no checkpoint or permission lookup, no window or session rules, no pool pre-ping.
Run it through the same load generator:

    .venv/bin/python bench/checkin.py --target bare
"""
from __future__ import annotations

import base64
import hashlib
import os
import struct
from datetime import datetime, timezone

import sqlalchemy as sa
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from flask import Flask, jsonify, request


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


engine = sa.create_engine(_database_url(), pool_size=int(os.environ.get("DB_POOL_SIZE", "5")),
                          max_overflow=int(os.environ.get("DB_MAX_OVERFLOW", "10")))

_md = sa.MetaData()
users = sa.Table("users", _md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("active", sa.Boolean),
                 sa.Column("name", sa.String), sa.Column("mobile", sa.String))
api_tokens = sa.Table("api_tokens", _md, sa.Column("user_id", sa.Integer), sa.Column("token_hash", sa.String),
                      sa.Column("expires_at", sa.DateTime), sa.Column("revoked_at", sa.DateTime))
event_keys = sa.Table("event_keys", _md, sa.Column("event_id", sa.Integer, primary_key=True),
                      sa.Column("public_key", sa.LargeBinary))
registrations = sa.Table("registrations", _md, sa.Column("id", sa.Integer, primary_key=True),
                         sa.Column("event_id", sa.Integer), sa.Column("user_id", sa.Integer),
                         sa.Column("status", sa.String), sa.Column("ticket_generation", sa.Integer))
scans = sa.Table("scans", _md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("checkpoint_id", sa.Integer),
                 sa.Column("registration_id", sa.Integer), sa.Column("direction", sa.String),
                 sa.Column("result", sa.String), sa.Column("scanned_at", sa.DateTime),
                 sa.Column("received_at", sa.DateTime), sa.Column("device", sa.String),
                 sa.Column("scanner_id", sa.Integer), sa.Column("nonce", sa.String), sa.Column("detail", sa.JSON))

_HEADER = struct.Struct(">BIIH")
_keys: dict[int, Ed25519PublicKey | None] = {}

app = Flask(__name__)


@app.get("/healthz")
def healthz():
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))
    return jsonify(status="ok")


def _claims(conn, token: str):
    """(event id, registration id, generation) of a genuine ticket, else None."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except ValueError:
        return None
    if len(raw) != _HEADER.size + 64:
        return None
    version, event_id, registration_id, generation = _HEADER.unpack(raw[:_HEADER.size])
    if event_id not in _keys:
        public = conn.scalar(sa.select(event_keys.c.public_key).where(event_keys.c.event_id == event_id))
        _keys[event_id] = Ed25519PublicKey.from_public_bytes(public) if public else None
    key = _keys[event_id]
    if version != 1 or key is None:
        return None
    try:
        key.verify(raw[_HEADER.size:], raw[:_HEADER.size])
    except InvalidSignature:
        return None
    return event_id, registration_id, generation


@app.post("/api/v1/checkins")
def checkin():
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return jsonify(code="unauthenticated"), 401
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("token"), str) \
            or not isinstance(body.get("checkpoint"), int):
        return jsonify(code="malformed"), 422
    token_hash = hashlib.sha256(header[7:].strip().encode()).hexdigest()
    now = datetime.now(timezone.utc).replace(tzinfo=None)  # the app stores naive UTC
    nonce, checkpoint = body.get("nonce"), body["checkpoint"]
    with engine.begin() as conn:
        user_id = conn.scalar(
            sa.select(api_tokens.c.user_id).join(users, users.c.id == api_tokens.c.user_id)
            .where(api_tokens.c.token_hash == token_hash, api_tokens.c.revoked_at.is_(None),
                   sa.or_(api_tokens.c.expires_at.is_(None), api_tokens.c.expires_at > now),
                   users.c.active.is_(True)))
        if user_id is None:
            return jsonify(code="unauthenticated"), 401
        if nonce:
            earlier = conn.execute(sa.select(scans.c.id, scans.c.result).where(scans.c.nonce == nonce)).first()
            if earlier is not None:
                return jsonify(result=earlier.result, scan_id=earlier.id)
        claims = _claims(conn, body["token"])
        attendee, registration_id = None, None
        if claims is None:
            result = "invalid"
        else:
            registration_id = claims[1]
            row = conn.execute(
                sa.select(registrations.c.status, registrations.c.ticket_generation, users.c.name, users.c.mobile)
                .join(users, users.c.id == registrations.c.user_id)
                .where(registrations.c.id == registration_id, registrations.c.event_id == claims[0])
                .with_for_update(key_share=True, of=registrations)).first()
            if row is None or (row.ticket_generation & 0xFFFF) != claims[2]:
                result, registration_id = "invalid", None
            elif row.status != "confirmed":
                result = "not_confirmed"
            else:
                attendee = {"name": row.name, "mobile_masked": (row.mobile or "")[:3] + "****"
                            + (row.mobile or "")[-4:]}
                admitted = conn.scalar(sa.select(scans.c.id).where(
                    scans.c.checkpoint_id == checkpoint, scans.c.registration_id == registration_id,
                    scans.c.result == "ok", scans.c.direction == "in").limit(1))
                result = "already_checked_in" if admitted else "ok"
        scan_id = conn.scalar(scans.insert().returning(scans.c.id).values(
            checkpoint_id=checkpoint, registration_id=registration_id, direction="in", result=result,
            scanned_at=now, received_at=now, device=str(body.get("device", ""))[:80], scanner_id=user_id,
            nonce=nonce or None, detail={}))
    answer = {"result": result, "scan_id": scan_id}
    if attendee:
        answer["attendee"] = attendee
    return jsonify(answer)
