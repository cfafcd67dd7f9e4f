#!/usr/bin/env python3
"""Online join page heartbeats through HTTP: gunicorn + PostgreSQL, a 直播带岗 with thousands of viewers.

    .venv/bin/python bench/heartbeat.py                       # the app, default settings
    .venv/bin/python bench/heartbeat.py --target bare         # bench/bare_heartbeat.py: the ceiling
    .venv/bin/python bench/heartbeat.py --viewers 1000 --seconds 20 --clients 8
    .venv/bin/python bench/heartbeat.py --workers 1 --profile # cProfile inside the worker

What it does:
  1. creates a scratch PostgreSQL database (minhang_bench_<random>, postgres@127.0.0.1:5432,
     trust auth) and builds the schema with the app's migrations;
  2. creates an organiser and one published hybrid event under way (started five minutes ago) with
     its online part (app.online.parts.save_part: stream link, online checkpoint) and --viewers
     confirmed registrations in bulk SQL, plus a small warm-up event; signs every viewer's personal
     join link (app.online.links.join_token) with the server's SECRET_KEY;
  3. starts gunicorn (APP_ENV=production, RATELIMIT_ENABLED=0, LOG_LEVEL=WARNING), warms every
     worker up on the warm-up event (a join and a heartbeat per warm-up viewer);
  4. phase 1, joins: every viewer opens their join page (GET /online/j/<token>, as the SMS link
     does), which records the entry at the online checkpoint and starts their presence;
  5. phase 2, heartbeats: --clients threads (spread over --client-procs processes, each with its
     own keep-alive connection) go round their share of the viewers sending the join page's
     heartbeat (POST /online/j/<token>/heartbeat, body `{}`, as static/js/online-join.js does)
     until --seconds have passed; a viewer's heartbeats are one round apart, as a page's are one
     interval (ONLINE_HEARTBEAT_SECONDS, 60 s) apart;
  6. prints joins/s and heartbeats/s, latency p50/p95/p99, the CPU used by gunicorn, PostgreSQL and
     the load generator per phase, how many viewers one 60 s interval could carry at that rate,
     then checks from the database: every viewer has exactly one presence row, its seconds never
     exceed the wall time the viewer was present (from sending the join request to the last
     heartbeat's answer, and last_seen_at − joined_at: the cap rule), the last answer's seconds
     are the stored ones, and the scans table has exactly one `ok` entry per viewer at the online
     checkpoint and nothing else; exits 1 if any check fails;
  7. stops gunicorn and drops the database, also on Ctrl-C or error (--keep-db keeps it).

Only 127.0.0.1 is contacted. The standard library plus the project's venv is all it needs.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import multiprocessing as mp
import os
import queue
import resource
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from checkin import Closed, _connect, _exchange, _field  # noqa: E402 - the raw keep-alive client
from common import (  # noqa: E402 - bench/ is not a package: the scripts run as files
    HOST,
    NCPU,
    ROOT,
    Gunicorn,
    PgActivity,
    _raise_exit,
    cpu_delta,
    cpu_snapshot,
    create_database,
    drop_database,
    free_port,
    log,
    percentile,
    report_cpu,
    report_gunicorn_errors,
    report_profile,
    sa_url,
    server_arguments,
    settle_server_arguments,
    wait_for_quiet,
)

PASSWORD = "bench-password-not-secret"
INTERVAL = 60  # ONLINE_HEARTBEAT_SECONDS of production: what one viewer's page sends


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    server_arguments(p, bare_script="bench/bare_heartbeat.py", timeout=600.0,
                     out_dir_help="where --profile results go (default: a temporary directory)")
    p.add_argument("--viewers", type=int, default=3000, help="confirmed registrations, each joining once "
                   "[%(default)s]")
    p.add_argument("--seconds", type=float, default=30.0,
                   help="length of the heartbeat phase: as many rounds as fit [%(default)s]")
    p.add_argument("--clients", type=int, default=16, help="concurrent keep-alive connections [%(default)s]")
    p.add_argument("--client-procs", type=int, default=2,
                   help="load-generator processes the clients are spread over [%(default)s]")
    p.add_argument("--warmup", type=int, default=200,
                   help="viewers of a separate warm-up event, one join and one heartbeat each [%(default)s]")
    args = p.parse_args(argv)
    settle_server_arguments(p, args)
    for name in ("workers", "viewers", "clients", "client_procs"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.seconds <= 0:
        p.error("--seconds must be positive")
    args.client_procs = min(args.client_procs, args.clients)
    args.phases = False  # bench/instrumented_wsgi.py's lock phases are registration's
    return args


# ---------------------------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------------------------
def build_data(db_url: str, secret_key: str, *, viewers: int, warm_viewers: int) -> dict:
    """Migrations, organiser, hybrid events under way with their online parts and confirmed
    registrations; returns ids and every viewer's (registration id, join token)."""
    import sqlalchemy as sa
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    from app import create_app
    from app.accounts import services as accounts
    from app.accounts.models import User
    from app.checkin.services import online_checkpoint
    from app.lifecycle import services as ev  # publishes: ticket key and checkpoints
    from app.events.models import Event
    from app.extensions import db
    from app.online.links import join_token
    from app.online.parts import save_part
    from app.registrations.models import Registration
    from app.timeutil import utcnow

    flask_app = create_app("production", SQLALCHEMY_DATABASE_URI=sa_url(db_url), SECRET_KEY=secret_key,
                           SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 2, "max_overflow": 0})
    # A request context: the online checkpoint is named in the request's language (flask_babel).
    with flask_app.test_request_context():
        t0 = time.perf_counter()
        with contextlib.redirect_stderr(io.StringIO()):  # alembic's INFO lines
            upgrade()
        log(f"  schema: migrations applied in {time.perf_counter() - t0:.1f} s")

        depts = {d.code: d for d in accounts.ensure_departments()}
        organiser = accounts.create_user(login="bench-organiser@bench.invalid", password=PASSWORD,
                                         role="organiser", name="压测组织者", departments=["talent_center"])
        later = utcnow().replace(microsecond=0) + timedelta(hours=1)
        common = dict(kind="job_fair", department_id=depts["talent_center"].id, venue="闵行区人才服务中心",
                      address="上海市闵行区", format="hybrid", starts_at=later, ends_at=later + timedelta(hours=8),
                      status="published")
        event = ev.create_event(organiser, title="压测直播带岗 heartbeat benchmark", capacity=viewers, **common)
        warm = ev.create_event(organiser, title="压测预热 warm-up", capacity=max(1, warm_viewers), **common)
        db.session.flush()
        for ev_obj in (event, warm):
            save_part(organiser, ev_obj, stream_url="https://live.bench.invalid/stream", access_code="8888",
                      reveal_minutes=30, attended_minutes=1)
        # Under way: started five minutes ago (the form would not take a start in the past).
        started = utcnow().replace(microsecond=0) - timedelta(minutes=5)
        db.session.execute(sa.update(Event).where(Event.id.in_([event.id, warm.id]))
                           .values(starts_at=started, ends_at=started + timedelta(hours=8)))
        db.session.expire_all()
        checkpoint_id = online_checkpoint(event).id

        t0 = time.perf_counter()
        password_hash = generate_password_hash(PASSWORD)  # one scrypt for everybody
        users_t, regs_t = User.__table__, Registration.__table__
        now = utcnow()
        n = 0
        for ev_obj, count in ((event, viewers), (warm, warm_viewers)):
            for start in range(0, count, 1000):
                rows = [{"name": f"压测观众{n + i:06d}", "mobile": f"139{n + i:08d}", "password_hash": password_hash,
                         "employer": "bench", "active": True} for i in range(min(1000, count - start))]
                n += len(rows)
                ids = db.session.execute(users_t.insert().returning(users_t.c.id, sort_by_parameter_order=True),
                                         rows).scalars().all()
                db.session.execute(regs_t.insert(), [
                    {"event_id": ev_obj.id, "user_id": uid, "status": "confirmed", "created_at": now,
                     "queued_at": now, "status_changed_at": now, "ticket_secret": secrets.token_urlsafe(24),
                     "ticket_generation": 1} for uid in ids])
            db.session.execute(sa.update(Event).where(Event.id == ev_obj.id).values(confirmed_count=count))
        db.session.flush()
        links: dict[int, list[tuple[int, str]]] = {}
        for ev_obj in (event, warm):
            regs = db.session.scalars(sa.select(Registration).where(Registration.event_id == ev_obj.id)
                                      .order_by(Registration.id)).all()
            links[ev_obj.id] = [(r.id, join_token(r)) for r in regs]
        event_id, warm_id = event.id, warm.id
        db.session.commit()
        log(f"  data: {viewers} + {warm_viewers} confirmed registrations of two hybrid events under way, "
            f"join links signed, in {time.perf_counter() - t0:.1f} s")
        db.session.remove()
        db.engine.dispose()
    return {"event_id": event_id, "warm_id": warm_id, "checkpoint": checkpoint_id,
            "viewers": links[event_id], "warm_viewers": links[warm_id]}


def join_request(token: str) -> bytes:
    return (f"GET /online/j/{token} HTTP/1.1\r\nHost: {HOST}\r\nAccept: text/html\r\n"
            "User-Agent: Mozilla/5.0 (Linux; Android 14) MicroMessenger/8.0 bench\r\n\r\n").encode()


def beat_request(token: str) -> bytes:
    """The join page's fetch(): POST, JSON body `{}`, no cookie."""
    return (f"POST /online/j/{token}/heartbeat HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
            "Accept: application/json\r\nContent-Length: 2\r\n\r\n{}").encode()


def deal(viewers: list[tuple[int, str]], clients: int, make) -> list[list[tuple[int, bytes]]]:
    """Round-robin: client c gets viewers c, c + clients, ... with their prebuilt request."""
    shares: list[list[tuple[int, bytes]]] = [[] for _ in range(clients)]
    for i, (reg_id, token) in enumerate(viewers):
        shares[i % clients].append((reg_id, make(token)))
    return [s for s in shares if s]


# ---------------------------------------------------------------------------------------------
# load generator: raw keep-alive sockets, prebuilt requests
# ---------------------------------------------------------------------------------------------
def _client_thread(port: int, reqs: list[tuple[int, bytes]], slot: int, until: float | None, progress, go,
                   out: list) -> None:
    """Send the requests in order: once, or (with `until`, a time.monotonic()) round after round
    until then. Rows: (registration id, wall time sent, wall time answered, latency, status,
    `seconds` of the answer, error)."""
    sock = None
    reconnects = done = 0
    go.wait()
    i = rounds = 0
    while True:
        if i == len(reqs):
            i, rounds = 0, rounds + 1
        # Once, or at least one whole round and then until the time is up.
        if rounds and (until is None or time.monotonic() >= until):
            break
        reg_id, raw = reqs[i]
        i += 1
        sent, t0 = time.time(), time.perf_counter()
        status = seconds = error = None
        for attempt in (0, 1):
            reused = sock is not None
            try:
                if sock is None:
                    sock = _connect(port)
                    reconnects += 1
                status, body, close = _exchange(sock, raw)
                if status == 200:
                    seconds = _field(body, b"seconds")
                else:
                    error = f"HTTP {status}: {body[:200]!r}"
                if close:
                    sock.close()
                    sock = None
                break
            except (Closed, OSError, ValueError) as exc:
                if sock is not None:
                    sock.close()
                    sock = None
                if attempt == 0 and reused:  # a keep-alive connection the server had just closed
                    continue
                error = f"{type(exc).__name__}: {exc}"
                break
        out.append((reg_id, sent, time.time(), time.perf_counter() - t0, status, seconds, error))
        done += 1
        progress[slot] = done
    if sock is not None:
        sock.close()
    out.append(("end", slot, time.monotonic(), reconnects))


def _client_process(port: int, assignments: dict, seconds: float | None, progress, go, start, results) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    outs, threads = [], []

    def runner(slot, reqs, out):
        go.wait()  # the parent sets `start` before `go`
        _client_thread(port, reqs, slot, None if seconds is None else start.value + seconds, progress, go, out)

    for slot, reqs in assignments.items():
        out: list = []
        outs.append(out)
        threads.append(threading.Thread(target=runner, args=(slot, reqs, out), daemon=True))
    for t in threads:
        t.start()
    go.wait()
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    for t in threads:
        t.join()
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    rows, ends = [], []
    for out in outs:
        for row in out:
            (ends if row[0] == "end" else rows).append(row)
    results.put({"rows": rows, "last": max((e[2] for e in ends), default=None),
                 "reconnects": sum(e[3] for e in ends),
                 "cpu": (ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)})


def run_load(port: int, shares: list[list[tuple[int, bytes]]], procs: int, *, label: str, timeout: float,
             seconds: float | None = None, on_start=None) -> dict:
    """Every client sends its share once, or round after round for `seconds`."""
    ctx = mp.get_context("fork")
    clients = len(shares)
    procs = min(procs, clients)
    progress = ctx.Array("q", clients, lock=False)
    go, results = ctx.Event(), ctx.Queue()
    start = ctx.Value("d", 0.0, lock=False)
    workers = [ctx.Process(target=_client_process,
                           args=(port, {s: shares[s] for s in range(p, clients, procs)}, seconds, progress, go,
                                 start, results), daemon=True)
               for p in range(procs)]
    for w in workers:
        w.start()
    time.sleep(0.3)  # let the threads reach go.wait()
    merged = {"rows": [], "cpu": 0.0, "last": None, "reconnects": 0, "timed_out": False}
    total = sum(len(s) for s in shares)
    try:
        if on_start:
            on_start()
        t_go = time.monotonic()
        start.value = t_go
        go.set()
        received, last_print, last_done = 0, t_go, 0
        deadline = t_go + timeout
        while received < procs:
            try:
                part = results.get(timeout=0.2)
            except queue.Empty:
                part = None
            if part is not None:
                received += 1
                merged["rows"].extend(part["rows"])
                merged["cpu"] += part["cpu"]
                merged["reconnects"] += part["reconnects"]
                if part["last"] is not None:
                    merged["last"] = max(merged["last"] or 0.0, part["last"])
            now = time.monotonic()
            if now - last_print >= 1.0 or received == procs:
                done = sum(progress)
                rate = (done - last_done) / max(now - last_print, 1e-9)
                of = f"/{total}" if seconds is None else f" ({done / total:.2f} rounds)"
                log(f"  [{label}] {done:>7}{of}  {rate:6.0f}/s now  {done / max(now - t_go, 1e-9):6.0f}/s avg  "
                    f"{now - t_go:5.1f} s")
                last_print, last_done = now, done
            if now > deadline:
                merged["timed_out"] = True
                log(f"  [{label}] timed out after {timeout:.0f} s")
                break
        merged["elapsed"] = (merged["last"] or time.monotonic()) - t_go
    finally:
        for w in workers:
            if w.is_alive():
                w.terminate()
        for w in workers:
            w.join(timeout=5)
    return merged


# ---------------------------------------------------------------------------------------------
# figures and checks
# ---------------------------------------------------------------------------------------------
def report_phase(name: str, unit: str, res: dict, cpu: dict) -> None:
    lat = sorted(r[3] for r in res["rows"])
    n, elapsed = len(lat), res["elapsed"]
    statuses = Counter(r[4] if r[4] is not None else "no answer" for r in res["rows"])
    log(f"\n  -- {name}")
    log(f"  {unit + 's':<18} {n} in {elapsed:.2f} s ({res['reconnects']} TCP connections opened); "
        "answers " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items(), key=str)))
    log(f"  throughput         {n / elapsed:.1f} {unit}s/s")
    log(f"  latency (ms)       p50 {1000 * percentile(lat, .5):.1f}   p95 {1000 * percentile(lat, .95):.1f}   "
        f"p99 {1000 * percentile(lat, .99):.1f}   max {1000 * (lat[-1] if lat else float('nan')):.1f}   "
        f"mean {1000 * sum(lat) / max(n, 1):.1f}")
    for err in [r[6] for r in res["rows"] if r[6]][:3]:
        log(f"  error sample       {err}")
    report_cpu(cpu, res["cpu"], elapsed, n, unit)


def database_checks(db_url: str, data: dict, joins: dict, beats: dict) -> list[tuple[str, bool]]:
    """One presence row per viewer, its seconds within the wall time present (the cap rule) and
    equal to the last answer, one `ok` scan per viewer at the online checkpoint and nothing else."""
    import sqlalchemy as sa

    viewers = len(data["viewers"])
    joined_at = {r[0]: r[1] for r in joins["rows"]}  # the join request left the client
    last_answer: dict[int, tuple[float, int | None]] = {}
    for reg_id, _sent, answered, _lat, status, seconds, _err in beats["rows"]:
        if status == 200 and answered >= last_answer.get(reg_id, (0.0, None))[0]:
            last_answer[reg_id] = (answered, int(seconds))
    engine = sa.create_engine(sa_url(db_url))
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT r.id, count(p.id), min(p.seconds), min(extract(epoch FROM p.last_seen_at - p.joined_at))"
            " FROM registrations r LEFT JOIN online_presence p ON p.registration_id = r.id"
            " WHERE r.event_id = :e GROUP BY r.id"), {"e": data["event_id"]}).all()
        not_once = conn.scalar(sa.text(
            "SELECT count(*) FROM registrations r WHERE r.event_id = :e AND (SELECT count(*) FROM scans s"
            " WHERE s.checkpoint_id = :c AND s.registration_id = r.id AND s.result = 'ok' AND s.direction = 'in')"
            " <> 1"), {"e": data["event_id"], "c": data["checkpoint"]})
        by_result = dict(conn.execute(sa.text(
            "SELECT result || ' ' || direction, count(*) FROM scans WHERE checkpoint_id = :c GROUP BY 1"),
            {"c": data["checkpoint"]}).all())
        presence_rows = conn.scalar(sa.text("SELECT count(*) FROM online_presence WHERE event_id = :e"),
                                    {"e": data["event_id"]})
    engine.dispose()
    one_row = sum(1 for r in rows if r[1] == 1)
    over_wall, over_span, not_last, total_seconds, earning = [], [], [], 0, 0
    for reg_id, count, seconds, span in rows:
        if count != 1:
            continue
        total_seconds += seconds
        earning += seconds > 0
        answered, answered_seconds = last_answer.get(reg_id, (joined_at.get(reg_id, 0.0), 0))
        if seconds > answered - joined_at.get(reg_id, answered):
            over_wall.append((reg_id, seconds, round(answered - joined_at.get(reg_id, answered), 3)))
        if seconds > float(span):
            over_span.append((reg_id, seconds, float(span)))
        if reg_id in last_answer and answered_seconds != seconds:
            not_last.append((reg_id, answered_seconds, seconds))
    log(f"  database           presence rows {presence_rows}; {earning} viewers earned time, "
        f"{total_seconds / max(one_row, 1):.1f} s each on average; scans at the online checkpoint: "
        + ", ".join(f"{k} {v}" for k, v in sorted(by_result.items())))
    for sample in (over_wall[:3] + over_span[:3] + not_last[:3]):
        log(f"  sample             {sample}")
    return [
        (f"every join answered 200 ({viewers})", sum(1 for r in joins["rows"] if r[4] == 200) == viewers
         and not joins["timed_out"]),
        ("every heartbeat answered 200", all(r[4] == 200 for r in beats["rows"]) and not beats["timed_out"]),
        (f"every viewer sent at least one heartbeat ({len(last_answer)} of {viewers})", len(last_answer) == viewers),
        (f"database: each of the {viewers} viewers has exactly one presence row",
         one_row == viewers == presence_rows),
        ("database: no viewer's seconds exceed the wall time present (join sent -> last heartbeat answered)",
         not over_wall),
        ("database: no viewer's seconds exceed last_seen_at - joined_at", not over_span),
        ("database: each viewer's seconds are those of the last heartbeat's answer", not not_last),
        (f"database: exactly one ok entry per viewer at the online checkpoint, nothing else "
         f"({viewers} scans)", not_once == 0 and by_result == {"ok in": viewers}),
    ]


# ---------------------------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------------------------
def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _raise_exit)
    sys.path.insert(0, str(ROOT))
    secret_key = "bench-secret-" + secrets.token_hex(8)  # the join links are signed with the server's key
    # Production refuses to start without the site's address and answers 400 to any other Host
    # (app/urls.py): the benchmark's requests come to 127.0.0.1.
    os.environ.setdefault("PUBLIC_BASE_URL", "https://rencai.minhang.gov.cn")
    os.environ.setdefault("TRUSTED_HOSTS", f"{HOST},rencai.minhang.gov.cn")
    os.environ.update(APP_ENV="production", SECRET_KEY=secret_key, RATELIMIT_ENABLED="0", LOG_LEVEL="WARNING")

    dbname = f"minhang_bench_{secrets.token_hex(4)}"
    db_url = f"{args.pg_url.rstrip('/')}/{dbname}"
    os.environ["DATABASE_URL"] = db_url
    tmp = Path(tempfile.mkdtemp(prefix="minhang-bench-"))
    out_dir = Path(args.out_dir) if args.out_dir else tmp / "worker-results"
    if args.profile:
        out_dir.mkdir(parents=True, exist_ok=True)
        for stale in list(out_dir.glob("worker-*")) + [out_dir / "combined.prof"]:
            stale.unlink(missing_ok=True)
    desc = (f"{args.target}: gunicorn {args.workers} × {args.worker_class}"
            + (f" × {args.threads} threads" if args.worker_class == "gthread" else "")
            + f", pool {args.pool_size}+{args.max_overflow}/worker; {args.viewers} viewers, "
            f"{args.clients} clients in {args.client_procs} processes, {args.seconds:g} s of heartbeats"
            + (" [profiled]" if args.profile else ""))
    log(f"== online heartbeat benchmark — {desc}")
    log(f"  machine: {NCPU} CPUs; database {dbname}")

    failed: list[str] = []
    gunicorn: Gunicorn | None = None
    db_created = False
    try:
        create_database(args.pg_url, dbname)
        db_created = True
        data = build_data(db_url, secret_key, viewers=args.viewers, warm_viewers=max(args.warmup, 1))
        clients = min(args.clients, args.viewers)
        join_shares = deal(data["viewers"], clients, join_request)
        beat_shares = deal(data["viewers"], clients, beat_request)

        wait_for_quiet(args.wait_quiet)
        port = free_port()
        target = "wsgi:app" if args.target == "app" else "bare_heartbeat:app"
        gunicorn = Gunicorn(args, db_url, port, tmp / "gunicorn.log", target, "/online/j/*/heartbeat",
                            out_dir if args.profile else None, extra_env={"SECRET_KEY": secret_key})
        t0 = time.perf_counter()
        gunicorn.wait_healthy()
        log(f"  gunicorn pid {gunicorn.pid} on {HOST}:{port}, healthy in {time.perf_counter() - t0:.1f} s")

        if args.warmup > 0:
            if args.profile:
                log("  (warm-up requests are profiled too: they use the same URLs)")
            for make, label in ((join_request, "warm-up joins"), (beat_request, "warm-up beats")):
                warm = run_load(port, deal(data["warm_viewers"], clients, make), args.client_procs, label=label,
                                timeout=120)
                bad = [r for r in warm["rows"] if r[4] != 200]
                if bad or warm["timed_out"]:
                    raise RuntimeError(f"{label} failed: {bad[:3]}\n{gunicorn.log_tail()}")

        sampler = PgActivity(db_url, dbname) if args.pg_activity else None
        phases = {}
        for phase, shares, seconds in (("joins", join_shares, None), ("heartbeats", beat_shares, args.seconds)):
            snap: dict = {}

            def on_start(snap=snap):
                snap["before"] = cpu_snapshot(gunicorn.pid, dbname)
                if sampler and phase == "heartbeats":
                    sampler.start()

            res = run_load(port, shares, args.client_procs, label=phase, timeout=args.timeout, seconds=seconds,
                           on_start=on_start)
            snap["after"] = cpu_snapshot(gunicorn.pid, dbname)
            phases[phase] = (res, cpu_delta(snap["before"], snap["after"]))
        if sampler:
            sampler.stop()
        workers_alive = len(gunicorn.worker_pids())
        gunicorn.stop()  # before reading worker results: they are written on worker exit

        log(f"\n== results — {desc}")
        report_phase("phase 1: every viewer opens the join page", "join", *phases["joins"])
        report_phase("phase 2: heartbeats, round after round", "heartbeat", *phases["heartbeats"])
        beats = phases["heartbeats"][0]
        rate = len(beats["rows"]) / beats["elapsed"]
        log(f"\n  rounds             {len(beats['rows']) / args.viewers:.2f} heartbeats per viewer; at "
            f"{rate:.0f}/s one {INTERVAL} s interval carries ~{rate * INTERVAL:,.0f} viewers' pages")
        checks = database_checks(db_url, data, phases["joins"][0], beats)
        for text, ok in checks:
            log(f"  check              {'OK  ' if ok else 'FAIL'} {text}")
            if not ok:
                failed.append(text)
        if workers_alive != args.workers:
            log(f"  warning            {workers_alive} gunicorn workers alive at the end (expected {args.workers})")
        if sampler and sampler.samples:
            log(f"\n  pg_stat_activity during the heartbeats, mean backends per state ({sampler.samples} samples):")
            for (state, wait), k in sorted(sampler.counts.items(), key=lambda kv: -kv[1]):
                log(f"    {state:<22} {wait:<34} {k / sampler.samples:5.2f}")
        report_gunicorn_errors(gunicorn)
        if args.profile:
            report_profile(out_dir, args.top)
            log(f"\n  worker results in {out_dir}")
        log(f"\n  {'FAILED: ' + '; '.join(failed) if failed else 'all checks passed'}")
        return 1 if failed else 0
    except KeyboardInterrupt:
        log("\n  interrupted; cleaning up")
        return 130
    except SystemExit:
        log("\n  terminated; cleaning up")
        raise
    finally:
        if gunicorn is not None:
            try:
                gunicorn.stop()
            except Exception as exc:  # noqa: BLE001 - cleanup must go on
                log(f"  could not stop gunicorn cleanly: {exc}")
        if db_created:
            if args.keep_db:
                log(f"  kept database {dbname} ({db_url})")
            else:
                try:
                    drop_database(args.pg_url, dbname)
                except Exception as exc:  # noqa: BLE001
                    log(f"  could not drop database {dbname}: {exc}")
        if not (args.profile and args.out_dir is None):
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
