"""A bare Flask + psycopg join page and heartbeat: this machine's ceiling for online viewers.

It does the database work of the app's `GET /online/j/<token>` and `POST
/online/j/<token>/heartbeat` at their minimum, on the app's own schema (the database
bench/heartbeat.py builds with the migrations). The join token is checked as the app checks
it (itsdangerous URLSafeSerializer, SECRET_KEY, salt "online-join", [registration id, ticket
generation]).

    heartbeat, one transaction:
      SELECT registration, event, online part, presence ... FOR NO KEY UPDATE OF presence
      UPDATE online_presence SET seconds, last_seen_at       -- the same cap rule as the app
    join, one transaction:
      SELECT registration, event ... FOR NO KEY UPDATE OF registrations
      SELECT id FROM scans WHERE checkpoint, registration, 'ok', 'in'
      INSERT INTO scans ...                                  -- ok / already_checked_in
      INSERT INTO online_presence ... ON CONFLICT DO NOTHING

No ORM, no templates (the join page is a few bytes), no check-in window or session rules, one
psycopg connection per thread. Run it through the same load generator:

    .venv/bin/python bench/heartbeat.py --target bare
"""
from __future__ import annotations

import os
import threading
from datetime import datetime, timedelta, timezone

import psycopg
from flask import Flask, jsonify
from itsdangerous import BadSignature, URLSafeSerializer

CAP = timedelta(seconds=int(os.environ.get("ONLINE_HEARTBEAT_SECONDS", "60"))
                + int(os.environ.get("ONLINE_HEARTBEAT_GRACE_SECONDS", "20")))
_serializer = URLSafeSerializer(os.environ["SECRET_KEY"], salt="online-join")
_local = threading.local()
_checkpoints: dict[int, int] = {}

app = Flask(__name__)


def _conn() -> psycopg.Connection:
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed:
        url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
        conn = _local.conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
    return conn


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)  # the app stores naive UTC


def _claims(token: str) -> tuple[int, int] | None:
    if len(token) > 120:
        return None
    try:
        value = _serializer.loads(token)
    except BadSignature:
        return None
    if not isinstance(value, list) or len(value) != 2 or not all(type(v) is int for v in value):
        return None
    return value[0], value[1]


@app.get("/healthz")
def healthz():
    with _conn().transaction():
        _conn().execute("SELECT 1")
    return jsonify(status="ok")


@app.get("/online/j/<token>")
def join(token: str):
    claims = _claims(token)
    if claims is None:
        return "not valid", 404
    conn, now = _conn(), _now()
    with conn.transaction():
        row = conn.execute(
            "SELECT r.ticket_generation, r.status, e.status, e.id FROM registrations r JOIN events e"
            " ON e.id = r.event_id WHERE r.id = %s FOR NO KEY UPDATE OF r", (claims[0],)).fetchone()
        if row is None or row[0] != claims[1]:
            return "not valid", 404
        if row[1] != "confirmed" or row[2] != "published":
            return "not confirmed", 200
        event_id = row[3]
        if event_id not in _checkpoints:
            _checkpoints[event_id] = conn.execute(
                "SELECT id FROM checkpoints WHERE event_id = %s AND kind = 'online' AND session_id IS NULL",
                (event_id,)).fetchone()[0]
        point = _checkpoints[event_id]
        admitted = conn.execute(
            "SELECT 1 FROM scans WHERE checkpoint_id = %s AND registration_id = %s AND result = 'ok'"
            " AND direction = 'in' LIMIT 1", (point, claims[0])).fetchone()
        result = "already_checked_in" if admitted else "ok"
        conn.execute(
            "INSERT INTO scans (checkpoint_id, registration_id, direction, result, scanned_at, received_at,"
            " device, detail) VALUES (%s, %s, 'in', %s, %s, %s, 'online', '{}')", (point, claims[0], result, now, now))
        conn.execute(
            "INSERT INTO online_presence (registration_id, event_id, joined_at, last_seen_at, seconds)"
            " VALUES (%s, %s, %s, %s, 0) ON CONFLICT (registration_id) DO NOTHING", (claims[0], event_id, now, now))
    return f"<!doctype html><title>joined</title><p>{result}</p>", 200


@app.post("/online/j/<token>/heartbeat")
def heartbeat(token: str):
    claims = _claims(token)
    if claims is None:
        return jsonify(code="join_link_invalid"), 404
    conn, now = _conn(), _now()
    with conn.transaction():
        row = conn.execute(
            "SELECT r.ticket_generation, r.status, e.status, e.ends_at, o.attended_minutes,"
            " p.id, p.last_seen_at, p.seconds FROM registrations r JOIN events e ON e.id = r.event_id"
            " JOIN online_parts o ON o.event_id = e.id JOIN online_presence p ON p.registration_id = r.id"
            " WHERE r.id = %s FOR NO KEY UPDATE OF p", (claims[0],)).fetchone()
        if row is None or row[0] != claims[1]:
            return jsonify(code="not_joined"), 409
        if row[1] != "confirmed" or row[2] != "published":
            return jsonify(code="not_confirmed"), 409
        _gen, _status, _event_status, ends_at, minutes, presence_id, last_seen, seconds = row
        until = min(now, ends_at)
        gap = until - last_seen
        if gap > CAP:
            last_seen = until  # away too long: the gap earns nothing
        elif gap.total_seconds() >= 1:
            whole = int(gap.total_seconds())
            seconds += whole
            last_seen += timedelta(seconds=whole)
        conn.execute("UPDATE online_presence SET seconds = %s, last_seen_at = %s WHERE id = %s",
                     (seconds, last_seen, presence_id))
    response = jsonify(seconds=seconds, attended=seconds >= minutes * 60, threshold_seconds=minutes * 60)
    response.headers["Cache-Control"] = "no-store"
    return response
