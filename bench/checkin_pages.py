#!/usr/bin/env python3
"""Check-in pages at the scale of a Talent Week event: what every scanner and projector polls.

    .venv/bin/python bench/checkin_pages.py                       # 10,000 registrants, 20,000 scans
    .venv/bin/python bench/checkin_pages.py --registrants 2000 --runs 9

What it does:
  1. creates a scratch PostgreSQL database (minhang_bench_ckp_<random>, postgres@127.0.0.1:5432,
     trust auth) and builds the schema with the app's migrations;
  2. builds in bulk SQL one event under way with --registrants confirmed registrations (and a
     tenth as many waitlisted), an agenda session with its own checkpoint (half the registrants
     booked a seat in it), and --scans scans at the door: nine in ten registrants admitted once,
     then exits, re-entries, repeated scans refused as already_checked_in (a few of them offline
     conflicts) and forged tickets; a few hundred accepted entries at the session's checkpoint;
  3. GETs each page through the Flask test client (production settings) --runs times after one
     warm-up: the wall JSON and page, the venue screen's JSON, the scanners' roster and stats
     (Bearer token), the attendance page and attendance.xlsx; prints per page the statements
     issued, median and p95 ms and the body's size; drops the database (--keep-db keeps it).

The Python process and PostgreSQL share the machine with whatever else runs on it: figures are
noisy when other work runs, hence medians."""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import secrets
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import background_load, create_database, drop_database, log, percentile, sa_url  # noqa: E402

PASSWORD = "Bench#2026-checkin-pages"

DATA_SQL = [
    ("people", """
     INSERT INTO users (name, mobile, password_hash, active, created_at, employer)
     SELECT '压测来宾' || n, '137' || lpad(n::text, 8, '0'), :hash, true, now(), '压测单位' || (n % 300)
     FROM generate_series(1, :people) AS n"""),
    ("registrations", """
     INSERT INTO registrations (event_id, user_id, status, created_at, queued_at, status_changed_at,
                                ticket_secret, ticket_generation)
     SELECT :event, u.id, CASE WHEN u.rn <= :registrants THEN 'confirmed' ELSE 'waitlisted' END,
            now(), now(), now(), md5(u.id::text), 1
     FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM users WHERE name LIKE '压测来宾%') AS u"""),
    ("session bookings", """
     INSERT INTO session_bookings (registration_id, session_id, status, queued_at)
     SELECT id, :session, 'confirmed', now() FROM registrations
     WHERE event_id = :event AND status = 'confirmed' AND id % 2 = 0"""),
]


# nine in ten confirmed registrants come in once, spread over the window so far (ids rise with time)
ENTRIES_SQL = """
 INSERT INTO scans (checkpoint_id, registration_id, direction, result, scanned_at, received_at, device, nonce, detail)
 SELECT :point, s.id, 'in', 'ok', s.t, s.t, 'door-' || (s.id % 8), md5(random()::text || s.id), '{"method": "qr"}'
 FROM (SELECT r.id, :opens + (random() * :span) * interval '1 second' AS t FROM registrations r
       WHERE r.event_id = :event AND r.status = 'confirmed' AND r.id % 10 <> 0) AS s ORDER BY s.t"""


LATER_SQL = """
 INSERT INTO scans (checkpoint_id, registration_id, direction, result, scanned_at, received_at, device, nonce, detail)
 SELECT :point, s.registration_id, x.direction, x.result, s.scanned_at + x.after, s.scanned_at + x.after,
        'door-' || (s.id % 8), md5(random()::text || s.id || x.direction || x.result),
        CASE WHEN x.result = 'already_checked_in' AND s.id % 25 = 0
             THEN json_build_object('conflict_with', s.id, 'first_device', s.device)
             ELSE '{"method": "qr"}'::json END
 FROM (SELECT * FROM scans WHERE checkpoint_id = :point AND result = 'ok' AND direction = 'in'
       ORDER BY id LIMIT :n) AS s,
      (VALUES (:direction, :result, interval '30 minutes')) AS x(direction, result, after)"""


def build(registrants: int, scans: int) -> dict:
    # the app is imported once the environment is set (main): its settings are read at import
    import sqlalchemy as sa
    from werkzeug.security import generate_password_hash

    from app.accounts import consents, services as accounts
    from app.checkin import services as checkin
    from app.events.models import Event, EventSession
    from app.extensions import db
    from app.lifecycle import services as ev
    from app.timeutil import utcnow

    depts = {d.code: d for d in accounts.ensure_departments()}
    organiser = accounts.create_user(login="ckp-organiser@bench.invalid", password=PASSWORD, role="organiser",
                                     name="压测组织者", departments=["talent_center"])
    consents.record(organiser)
    now = utcnow().replace(microsecond=0)
    starts = now - timedelta(hours=1)
    event = ev.create_event(organiser, title="人才闵行周 压测主论坛", kind="forum",
                            department_id=depts["talent_center"].id, venue="闵行区人才服务中心",
                            address="上海市闵行区", starts_at=starts, ends_at=starts + timedelta(hours=8),
                            capacity=registrants, status="published")
    db.session.flush()
    session = EventSession(event=event, title="分论坛", starts_at=starts, ends_at=starts + timedelta(hours=3))
    db.session.add(session)
    db.session.flush()
    point, session_point = checkin.event_checkpoint(event), checkin.session_checkpoint(session)
    opens = checkin.window(point)[0]
    db.session.commit()

    params = {"hash": generate_password_hash(PASSWORD), "people": registrants + registrants // 10,
              "registrants": registrants, "event": event.id, "session": session.id, "point": point.id,
              "opens": opens.replace(tzinfo=None), "span": (now - opens).total_seconds()}
    counts = {}
    for label, sql in DATA_SQL:
        counts[label] = db.session.execute(sa.text(sql), params).rowcount
    db.session.execute(sa.update(Event).where(Event.id == event.id).values(confirmed_count=registrants))
    counts["door entries"] = db.session.execute(sa.text(ENTRIES_SQL), params).rowcount
    # the rest of the scans: exits, re-entries, repeats refused, forged tickets
    rest = max(0, scans - counts["door entries"])
    plan = [("out", "ok", rest * 3 // 10), ("in", "ok", rest * 2 // 10),
            ("in", "already_checked_in", rest * 4 // 10)]
    for direction, result, n in plan:
        counts[f"{direction} {result}"] = db.session.execute(sa.text(LATER_SQL), dict(
            params, direction=direction, result=result, n=n)).rowcount
    counts["forged"] = db.session.execute(sa.text("""
        INSERT INTO scans (checkpoint_id, direction, result, scanned_at, received_at, device, nonce, detail)
        SELECT :point, 'in', 'invalid', :opens + n * interval '1 second', :opens + n * interval '1 second',
               'door-1', md5(random()::text || n), '{"reason": "bad_signature"}'
        FROM generate_series(1, :n) AS n"""), dict(params, n=rest - sum(n for *_x, n in plan))).rowcount
    counts["session entries"] = db.session.execute(sa.text("""
        INSERT INTO scans (checkpoint_id, registration_id, direction, result, scanned_at, received_at, device, nonce,
                           detail)
        SELECT :session_point, registration_id, 'in', 'ok', :opens, :opens, 'room',
               md5(random()::text || registration_id), '{}'
        FROM session_bookings WHERE session_id = :session LIMIT 300"""),
        dict(params, session_point=session_point.id)).rowcount
    token = accounts.issue_api_token(organiser)
    db.session.commit()
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()
    return {"event": event.id, "point": point.id, "token": token, "counts": counts}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--registrants", type=int, default=10_000)
    p.add_argument("--scans", type=int, default=20_000)
    p.add_argument("--runs", type=int, default=15, help="measured runs per page after one warm-up [%(default)s]")
    p.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432")
    p.add_argument("--keep-db", action="store_true")
    args = p.parse_args()
    os.environ.setdefault("PUBLIC_BASE_URL", "https://rencai.minhang.gov.cn")
    os.environ.setdefault("TRUSTED_HOSTS", "localhost,rencai.minhang.gov.cn")
    os.environ.update(APP_ENV="production", SECRET_KEY=os.environ.get("SECRET_KEY") or "bench-only",
                      RATELIMIT_ENABLED="0", LOG_LEVEL="WARNING")
    name = f"minhang_bench_ckp_{secrets.token_hex(4)}"
    log(f"database {name}")
    create_database(args.pg_url, name)
    try:
        return run(args, f"{args.pg_url}/{name}")
    finally:
        if args.keep_db:
            log(f"kept {name}")
        else:
            drop_database(args.pg_url, name)


def run(args, db_url: str) -> int:
    from flask_migrate import upgrade
    from sqlalchemy import event as sa_event

    from app import create_app
    from app.extensions import db

    app = create_app("production", SQLALCHEMY_DATABASE_URI=sa_url(db_url), WTF_CSRF_ENABLED=False,
                     SESSION_COOKIE_SECURE=False)
    with app.app_context():
        with contextlib.redirect_stderr(io.StringIO()):
            upgrade()
        t0 = time.perf_counter()
        data = build(args.registrants, args.scans)
        log(f"  data built in {time.perf_counter() - t0:.1f} s: "
            + ", ".join(f"{k} {v:,}" for k, v in data["counts"].items()))
        db.session.remove()

        client = app.test_client()
        answer = client.post("/login", data={"login": "ckp-organiser@bench.invalid", "password": PASSWORD})
        if answer.status_code != 302:
            log(f"could not sign in: {answer.status_code}")
            return 1
        bearer = {"Authorization": f"Bearer {data['token']}"}
        e, c = data["event"], data["point"]
        pages = [("wall JSON", f"/console/events/{e}/wall.json", {}),
                 ("wall page", f"/console/events/{e}/wall", {}),
                 ("venue screen JSON", f"/console/checkpoints/{c}/screen.json", {}),
                 ("roster (API)", f"/api/v1/checkpoints/{c}/roster", bearer),
                 ("stats (API)", f"/api/v1/checkpoints/{c}/stats", bearer),
                 ("attendance page", f"/console/events/{e}/attendance", {}),
                 ("attendance.xlsx", f"/console/events/{e}/attendance.xlsx", {})]
        statements = []
        sa_event.listen(db.engine, "before_cursor_execute", lambda *_a: statements.append(1))
        load = background_load(1.0)
        log(f"  other load on the machine before measuring: {load:.0%} of a core")
        log(f"{'page':<22}{'status':>7}{'queries':>9}{'median ms':>11}{'p95 ms':>9}{'KB':>9}")
        for label, url, headers in pages:
            client.get(url, headers=headers).get_data()
            times = []
            for _ in range(args.runs):
                statements.clear()
                t0 = time.perf_counter()
                answer = client.get(url, headers=headers)
                body = answer.get_data()
                times.append((time.perf_counter() - t0) * 1000)
            times.sort()
            log(f"{label:<22}{answer.status_code:>7}{len(statements):>9}{statistics.median(times):>11.1f}"
                f"{percentile(times, 0.95):>9.1f}{len(body) / 1024:>9.0f}")
        log(f"  other load on the machine after: {background_load(1.0):.0%} of a core")
        db.session.remove()
        db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
