"""A bare Flask + SQLAlchemy registration endpoint: this machine's ceiling.

It does the same database work as the app's `POST /api/v1/events/<id>/registrations`
at its minimum, on the app's own schema (the database bench/registration.py builds
with the migrations):

    Bearer token -> user id (api_tokens joined to users, sha256 of the token)
    BEGIN
      SELECT ... FROM events WHERE id = :id FOR UPDATE      -- the event row lock
      SELECT id FROM registrations WHERE event_id, user_id  -- already registered?
      SELECT count(*) ... status = 'confirmed'              -- seats taken
      INSERT INTO registrations ... RETURNING id            -- confirmed or waitlisted
    COMMIT

No ORM session, no history row, no outbox message, no template, no pool pre-ping.
Run it through the same load generator:

    .venv/bin/python bench/registration.py --target bare
"""
from __future__ import annotations

import hashlib
import os
import secrets
from datetime import datetime, timezone

import sqlalchemy as sa
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
users = sa.Table("users", _md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("active", sa.Boolean))
api_tokens = sa.Table("api_tokens", _md, sa.Column("user_id", sa.Integer), sa.Column("token_hash", sa.String),
                      sa.Column("expires_at", sa.DateTime), sa.Column("revoked_at", sa.DateTime))
events = sa.Table("events", _md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("status", sa.String),
                  sa.Column("capacity", sa.Integer))
registrations = sa.Table(
    "registrations", _md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("event_id", sa.Integer),
    sa.Column("user_id", sa.Integer), sa.Column("status", sa.String), sa.Column("created_at", sa.DateTime),
    sa.Column("queued_at", sa.DateTime), sa.Column("status_changed_at", sa.DateTime),
    sa.Column("ticket_secret", sa.String), sa.Column("ticket_generation", sa.Integer))

# bench/instrumented_wsgi.py sets this to time the lock wait and the lock hold.
phase_hook = None


def _phase(name: str) -> None:
    if phase_hook is not None:
        phase_hook(name)


class _Refuse(Exception):
    def __init__(self, status: int, code: str):
        super().__init__(code)
        self.status, self.code = status, code


def healthz():
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))
    return jsonify(status="ok")


def token_hash_of_request() -> str:
    """The Bearer token's sha256 (as the app stores it), once the body is a JSON object or empty."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise _Refuse(401, "unauthenticated")
    body = request.get_json(silent=True)
    if body is None and not request.data:
        body = {}
    if not isinstance(body, dict):
        raise _Refuse(400, "malformed")
    return hashlib.sha256(header[7:].strip().encode()).hexdigest()


app = Flask(__name__)
app.get("/healthz")(healthz)


@app.post("/api/v1/events/<int:event_id>/registrations")
def register(event_id: int):
    now = datetime.now(timezone.utc).replace(tzinfo=None)  # the app stores naive UTC
    try:
        token_hash = token_hash_of_request()
        with engine.begin() as conn:
            user_id = conn.scalar(
                sa.select(api_tokens.c.user_id).join(users, users.c.id == api_tokens.c.user_id)
                .where(api_tokens.c.token_hash == token_hash, api_tokens.c.revoked_at.is_(None),
                       sa.or_(api_tokens.c.expires_at.is_(None), api_tokens.c.expires_at > now),
                       users.c.active.is_(True)))
            if user_id is None:
                raise _Refuse(401, "unauthenticated")
            _phase("lock_start")
            event = conn.execute(sa.select(events.c.status, events.c.capacity)
                                 .where(events.c.id == event_id).with_for_update()).first()
            _phase("lock_acquired")
            if event is None or event.status != "published":
                raise _Refuse(404, "not_found")
            if conn.scalar(sa.select(registrations.c.id).where(registrations.c.event_id == event_id,
                                                               registrations.c.user_id == user_id)):
                raise _Refuse(409, "already_registered")
            confirmed = conn.scalar(sa.select(sa.func.count()).select_from(registrations).where(
                registrations.c.event_id == event_id, registrations.c.status == "confirmed"))
            status = "confirmed" if event.capacity is None or confirmed < event.capacity else "waitlisted"
            reg_id = conn.scalar(registrations.insert().returning(registrations.c.id).values(
                event_id=event_id, user_id=user_id, status=status, created_at=now, queued_at=now,
                status_changed_at=now, ticket_secret=secrets.token_urlsafe(24), ticket_generation=1))
            _phase("commit_start")
        _phase("commit_end")
    except _Refuse as refused:
        return jsonify(code=refused.code), refused.status
    return jsonify(id=reg_id, event_id=event_id, status=status), 201
