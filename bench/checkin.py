#!/usr/bin/env python3
"""Check-in throughput through HTTP: gunicorn + PostgreSQL, 16 scanners at the doors.

    .venv/bin/python bench/checkin.py                   # the app, default settings
    .venv/bin/python bench/checkin.py --target bare     # bench/bare_checkin.py: the ceiling
    .venv/bin/python bench/checkin.py --workers 3 --worker-class gthread --threads 2
    .venv/bin/python bench/checkin.py --workers 1 --profile   # cProfile inside the worker

What it does:
  1. creates a scratch PostgreSQL database (minhang_bench_<random>, postgres@127.0.0.1:5432,
     trust auth) and builds the schema with the app's migrations;
  2. creates an organiser, one published event under way (its check-in window is open) with
     --tickets confirmed registrations and a small warm-up event, both in bulk SQL; signs every
     ticket with the event's key (app.tickets.services.ticket_token) and issues one API token
     per scanner (app.accounts.services.issue_api_token);
  3. plans the scans: every ticket once, plus --rescans re-scans of tickets admitted a little
     earlier at another door, --races pairs of doors scanning one ticket at the same moment,
     --forged tampered tickets and --retries re-sent requests (same nonce, as a phone does
     when an answer got lost); each scan carries a unique nonce and its door's device name;
  4. starts gunicorn (APP_ENV=production, RATELIMIT_ENABLED=0, LOG_LEVEL=WARNING), warms every
     worker up on the warm-up event, then lets --scanners threads (spread over --client-procs
     processes, each with its own keep-alive connection and Bearer token) POST /api/v1/checkins
     through their share of the plan. The client sends prebuilt request bytes over a raw socket
     and reads Content-Length: a few tens of microseconds of CPU per scan;
  5. prints scans/s, latency p50/p95/p99, results, the CPU used by gunicorn, PostgreSQL and the
     load generator, then checks from the answers and from the database that every ticket has
     exactly one `ok` entry scan, that every forged ticket was refused, that a retried nonce got
     the first answer back, and that the scans stored are the requests sent minus the retries;
     exits 1 if any check fails;
  6. stops gunicorn and drops the database, also on Ctrl-C or error (--keep-db keeps it).

Only 127.0.0.1 is contacted. The standard library plus the project's venv is all it needs.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import multiprocessing as mp
import os
import queue
import random
import resource
import secrets
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
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
PATH = "/api/v1/checkins"


# ---------------------------------------------------------------------------------------------
# arguments
# ---------------------------------------------------------------------------------------------
def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    server_arguments(p, bare_script="bench/bare_checkin.py", timeout=600.0,
                     out_dir_help="where --profile results go (default: a temporary directory)")
    p.add_argument("--tickets", type=int, default=5000, help="confirmed registrations, each admitted once "
                   "[%(default)s]")
    p.add_argument("--rescans", type=float, default=0.10,
                   help="re-scans of already admitted tickets at another door, share of tickets [%(default)s]")
    p.add_argument("--races", type=float, default=0.02,
                   help="tickets scanned at two doors at the same moment, share of tickets [%(default)s]")
    p.add_argument("--forged", type=float, default=0.01, help="tampered tickets, share of tickets [%(default)s]")
    p.add_argument("--retries", type=float, default=0.01,
                   help="requests re-sent with the same nonce, share of tickets [%(default)s]")
    p.add_argument("--scanners", type=int, default=16, help="concurrent scanners (HTTP clients) [%(default)s]")
    p.add_argument("--client-procs", type=int, default=2,
                   help="load-generator processes the scanners are spread over [%(default)s]")
    p.add_argument("--warmup", type=int, default=400,
                   help="scans on a separate warm-up event before measuring [%(default)s]")
    p.add_argument("--no-pre-ping", action="store_true",
                   help="DB_POOL_PRE_PING=0: no liveness round trip when a connection leaves the pool")
    p.add_argument("--seed", type=int, default=None, help="seed of the scan plan [random]")
    args = p.parse_args(argv)
    settle_server_arguments(p, args)
    for name in ("workers", "tickets", "scanners", "client_procs"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    for name in ("rescans", "races", "forged", "retries"):
        if not 0 <= getattr(args, name) <= 1:
            p.error(f"--{name} is a share between 0 and 1")
    args.client_procs = min(args.client_procs, args.scanners)
    if args.seed is None:
        args.seed = secrets.randbelow(1_000_000)
    args.phases = False  # bench/instrumented_wsgi.py's lock phases are registration's
    return args


# ---------------------------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------------------------
def build_data(db_url: str, *, tickets: int, warm_tickets: int, scanners: int) -> dict:
    """Migrations, organiser, events with confirmed registrations and checkpoints, signed
    tickets and scanner API tokens; returns ids, tickets and tokens."""
    import sqlalchemy as sa
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    from app import create_app
    from app.accounts import services as accounts
    from app.accounts.models import User
    from app.checkin.services import event_checkpoint
    from app.lifecycle import services as ev  # publishes (events.services.create_event makes drafts)
    from app.events.models import Event
    from app.extensions import db
    from app.registrations.models import Registration
    from app.tickets.services import ticket_token
    from app.timeutil import utcnow

    flask_app = create_app("production", SQLALCHEMY_DATABASE_URI=sa_url(db_url),
                           SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 2, "max_overflow": 0})
    with flask_app.app_context():
        t0 = time.perf_counter()
        with contextlib.redirect_stderr(io.StringIO()):  # alembic's INFO lines
            upgrade()
        log(f"  schema: migrations applied in {time.perf_counter() - t0:.1f} s")

        depts = {d.code: d for d in accounts.ensure_departments()}
        organiser = accounts.create_user(login="bench-organiser@bench.invalid", password=PASSWORD,
                                         role="organiser", name="压测组织者", departments=["talent_center"])
        # Under way: the default check-in window (two hours before the start to the end) is open.
        starts = utcnow().replace(microsecond=0) + timedelta(minutes=30)
        common = dict(kind="job_fair", department_id=depts["talent_center"].id, venue="闵行区人才服务中心",
                      address="上海市闵行区", starts_at=starts, ends_at=starts + timedelta(hours=8),
                      status="published")
        event = ev.create_event(organiser, title="压测签到 check-in benchmark", capacity=tickets, **common)
        warm = ev.create_event(organiser, title="压测预热 warm-up", capacity=max(1, warm_tickets), **common)
        db.session.flush()
        checkpoint_id, warm_checkpoint_id = event_checkpoint(event).id, event_checkpoint(warm).id

        t0 = time.perf_counter()
        password_hash = generate_password_hash(PASSWORD)  # one scrypt for everybody
        users_t, regs_t = User.__table__, Registration.__table__
        now = utcnow()
        n = 0
        for ev_obj, count in ((event, tickets), (warm, warm_tickets)):
            for start in range(0, count, 1000):
                rows = [{"name": f"压测观众{n + i:06d}", "mobile": f"138{n + i:08d}", "password_hash": password_hash,
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

        signed: dict[int, list[tuple[int, str]]] = {}
        for ev_obj in (event, warm):
            regs = db.session.scalars(sa.select(Registration).where(Registration.event_id == ev_obj.id)
                                      .order_by(Registration.id)).all()
            signed[ev_obj.id] = [(r.id, ticket_token(r)) for r in regs]
        api_tokens = [accounts.issue_api_token(organiser) for _ in range(scanners)]
        event_id, warm_id = event.id, warm.id
        db.session.commit()
        log(f"  data: {tickets} + {warm_tickets} confirmed registrations, signed tickets and {scanners} "
            f"scanner tokens in {time.perf_counter() - t0:.1f} s")
        db.session.remove()
        db.engine.dispose()
    return {"event_id": event_id, "warm_id": warm_id, "checkpoint": checkpoint_id,
            "warm_checkpoint": warm_checkpoint_id, "tickets": signed[event_id], "warm_tickets": signed[warm_id],
            "api_tokens": api_tokens}


def forge(token: str, rng: random.Random) -> str:
    """A genuine ticket with one character of its signature changed: refused as `invalid`."""
    i = rng.randrange(len(token) - 80, len(token) - 2)
    return token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1:]


# ---------------------------------------------------------------------------------------------
# the scan plan
# ---------------------------------------------------------------------------------------------
def plan_scans(tickets: list[tuple[int, str]], checkpoint: int, api_tokens: list[str], args, *,
               label: str, extras: bool = True) -> dict:
    """Per scanner, the requests it sends in order: prebuilt HTTP request bytes plus what the
    checks need to know about each (kind, registration id, nonce)."""
    rng = random.Random(f"{args.seed}-{label}")
    n = len(tickets)
    order = list(range(n))
    rng.shuffle(order)
    # (sort key, kind, ticket index): the global order in which the doors see the scans; the
    # plan is dealt round-robin to the scanners, which run through it at about the same pace.
    items = [(float(pos), "first", t) for pos, t in enumerate(order)]
    if extras:
        position = {t: pos for pos, t in enumerate(order)}
        for t in rng.sample(order, round(args.rescans * n)):  # a while after the first scan, another door
            items.append((position[t] + rng.uniform(20 * args.scanners, 0.2 * n + 20 * args.scanners),
                          "rescan", t))
        for t in rng.sample(order, round(args.races * n)):  # right next to it: another door, same moment
            items.append((position[t] + 0.5, "race", t))
        for _ in range(round(args.forged * n)):
            items.append((rng.uniform(0, n), "forged", rng.randrange(n)))
    items.sort(key=lambda item: item[0])
    scanners = args.scanners
    per_scanner: list[list[dict]] = [[] for _ in range(scanners)]
    for i, (_key, kind, t) in enumerate(items):
        reg_id, token = tickets[t]
        nonce = f"{label}-{args.seed}-{i}"
        body = {"token": forge(token, rng) if kind == "forged" else token, "checkpoint": checkpoint,
                "direction": "in", "nonce": nonce, "device": f"door-{i % scanners:02d}"}
        per_scanner[i % scanners].append({"kind": kind, "reg": None if kind == "forged" else reg_id,
                                          "nonce": nonce, "body": json.dumps(body, separators=(",", ":")).encode()})
    if extras:  # a phone re-sends a request whose answer it did not get: same nonce, a little later
        for _ in range(round(args.retries * n)):
            queue_ = per_scanner[rng.randrange(scanners)]
            j = rng.randrange(len(queue_))
            original = queue_[j]
            if original["kind"] == "retry":
                continue
            queue_.insert(min(len(queue_), j + rng.randint(1, 5)), dict(original, kind="retry"))
    requests = []
    for s, queue_ in enumerate(per_scanner):
        head = (f"POST {PATH} HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {api_tokens[s % len(api_tokens)]}"
                "\r\nContent-Type: application/json\r\nAccept: application/json\r\n").encode()
        reqs = []
        for item in queue_:
            item["raw"] = head + b"Content-Length: %d\r\n\r\n" % len(item["body"]) + item["body"]
            reqs.append(item)
        requests.append(reqs)
    kinds = Counter(item["kind"] for q in requests for item in q)
    return {"per_scanner": requests, "kinds": kinds, "total": sum(kinds.values())}


# ---------------------------------------------------------------------------------------------
# load generator: raw keep-alive sockets, prebuilt requests
# ---------------------------------------------------------------------------------------------
class Closed(Exception):
    pass


def _connect(port: int) -> socket.socket:
    sock = socket.create_connection((HOST, port), timeout=60)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def _exchange(sock: socket.socket, raw: bytes) -> tuple[int, bytes, bool]:
    """Send one request, read one response (Content-Length framing). Returns status, body and
    whether the server closes the connection (gunicorn's sync workers always do)."""
    sock.sendall(raw)
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            raise Closed("connection closed before the response")
        data += chunk
        end = data.find(b"\r\n\r\n")
        if end >= 0:
            break
    head = data[:end].lower()
    status = int(head[9:12])
    at = head.find(b"\r\ncontent-length:")
    if at < 0:
        raise Closed("response without Content-Length")
    eol = head.find(b"\r\n", at + 2)
    length = int(head[at + 17:eol if eol >= 0 else len(head)])
    body = data[end + 4:]
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise Closed("connection closed in the body")
        body += chunk
    return status, body, b"\r\nconnection: close" in head


def _field(body: bytes, name: bytes) -> str | None:
    """A top-level string or number field of the compact JSON the API answers."""
    at = body.find(b'"' + name + b'":')
    if at < 0:
        return None
    start = at + len(name) + 3
    if body[start:start + 1] == b'"':
        return body[start + 1:body.index(b'"', start + 1)].decode()
    end = start
    while end < len(body) and body[end:end + 1] not in b",}":
        end += 1
    return body[start:end].decode()


def _scanner_thread(port: int, reqs: list[dict], slot: int, progress, go, out: list) -> None:
    sock = None
    reconnects = 0
    go.wait()
    for n, item in enumerate(reqs):
        t0 = time.perf_counter()
        status = result = scan_id = error = None
        for attempt in (0, 1):
            reused = sock is not None
            try:
                if sock is None:
                    sock = _connect(port)
                    reconnects += 1
                status, body, close = _exchange(sock, item["raw"])
                if status == 200:
                    result, scan_id = _field(body, b"result"), _field(body, b"scan_id")
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
                # A keep-alive connection the server had just closed: send again (the nonce
                # makes the scan idempotent).
                if attempt == 0 and reused:
                    continue
                error = f"{type(exc).__name__}: {exc}"
                break
        out.append((slot, n, time.perf_counter() - t0, status, result, scan_id, error))
        progress[slot] = n + 1
    if sock is not None:
        sock.close()
    out.append(("end", slot, time.monotonic(), reconnects))


def _client_process(port: int, assignments: dict[int, list[dict]], progress, go, results) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    outs, threads = [], []
    for slot, reqs in assignments.items():
        out: list = []
        outs.append(out)
        threads.append(threading.Thread(target=_scanner_thread, args=(port, reqs, slot, progress, go, out),
                                        daemon=True))
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


def run_load(port: int, plan: dict, procs: int, *, label: str, timeout: float, on_start=None) -> dict:
    """Every scanner sends its share of the plan; returns the answers and timings."""
    ctx = mp.get_context("fork")
    per_scanner = plan["per_scanner"]
    scanners = len(per_scanner)
    procs = min(procs, scanners)
    progress = ctx.Array("q", scanners, lock=False)
    go, results = ctx.Event(), ctx.Queue()
    workers = []
    for p in range(procs):
        assignments = {slot: per_scanner[slot] for slot in range(p, scanners, procs)}
        workers.append(ctx.Process(target=_client_process, args=(port, assignments, progress, go, results),
                                   daemon=True))
    for w in workers:
        w.start()
    time.sleep(0.3)  # let the threads reach go.wait()
    merged = {"rows": [], "cpu": 0.0, "last": None, "reconnects": 0, "timed_out": False}
    total = plan["total"]
    try:
        if on_start:
            on_start()
        t_go = time.monotonic()
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
                log(f"  [{label}] {done:>6}/{total}  {100 * done / total:5.1f}%  {rate:6.0f}/s now  "
                    f"{done / max(now - t_go, 1e-9):6.0f}/s avg  {now - t_go:5.1f} s")
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
# checks
# ---------------------------------------------------------------------------------------------
def answer_checks(plan: dict, res: dict, tickets: int) -> tuple[list[tuple[str, bool]], Counter]:
    """What the answers say: one ok per ticket, forged refused, a retry answered like the first."""
    per_scanner = plan["per_scanner"]
    answers = {}
    for slot, n, _lat, status, result, scan_id, error in res["rows"]:
        answers[(slot, n)] = (status, result, scan_id, error)
    results: Counter = Counter()
    ok_per_reg: Counter = Counter()
    first_answer: dict[str, tuple] = {}
    forged_ok = 0
    mismatches = []
    for slot, reqs in enumerate(per_scanner):
        for n, item in enumerate(reqs):
            status, result, scan_id, _error = answers.get((slot, n), (None, None, None, None))
            results[(result or f"HTTP {status}") + (" (nonce retry)" if item["kind"] == "retry" else "")] += 1
            if item["kind"] == "retry":
                continue
            first_answer[item["nonce"]] = (result, scan_id)
            if result == "ok" and item["reg"] is not None:
                ok_per_reg[item["reg"]] += 1
            if item["kind"] == "forged" and result != "invalid":
                forged_ok += 1
    for slot, reqs in enumerate(per_scanner):
        for n, item in enumerate(reqs):
            if item["kind"] == "retry":
                status, result, scan_id, _error = answers.get((slot, n), (None, None, None, None))
                if (result, scan_id) != first_answer.get(item["nonce"]):
                    mismatches.append(f"{item['nonce']}: first {first_answer.get(item['nonce'])}, "
                                      f"retry {(result, scan_id)}")
    kinds = plan["kinds"]
    checks = [
        (f"answers: {tickets} ok, one for every ticket",
         sum(ok_per_reg.values()) == tickets and len(ok_per_reg) == tickets and set(ok_per_reg.values()) == {1}),
        (f"answers: all {kinds['forged']} forged tickets refused as invalid", forged_ok == 0),
        (f"answers: all {kinds['retry']} retried nonces got the first answer and scan id back", not mismatches),
        ("every request answered 200", sum(1 for r in res["rows"] if r[3] == 200) == plan["total"]
         and not res["timed_out"]),
    ]
    for line in mismatches[:5]:
        log(f"  retry mismatch     {line}")
    return checks, results


def database_checks(db_url: str, plan: dict, checkpoint: int, event_id: int, tickets: int) -> list[tuple[str, bool]]:
    import sqlalchemy as sa

    kinds = plan["kinds"]
    sent = plan["total"]
    distinct = sent - kinds["retry"]
    engine = sa.create_engine(sa_url(db_url))
    with engine.connect() as conn:
        not_once = conn.scalar(sa.text(
            "SELECT count(*) FROM registrations r WHERE r.event_id = :e AND (SELECT count(*) FROM scans s"
            " WHERE s.checkpoint_id = :c AND s.registration_id = r.id AND s.result = 'ok' AND s.direction = 'in')"
            " <> 1"), {"e": event_id, "c": checkpoint})
        stored, nonces = conn.execute(sa.text(
            "SELECT count(*), count(DISTINCT nonce) FROM scans WHERE checkpoint_id = :c"), {"c": checkpoint}).one()
        by_result = dict(conn.execute(sa.text(
            "SELECT result, count(*) FROM scans WHERE checkpoint_id = :c GROUP BY result"), {"c": checkpoint}).all())
    engine.dispose()
    log("  database           scans stored: " + ", ".join(f"{k} {v}" for k, v in sorted(by_result.items())))
    return [
        (f"database: each of the {tickets} tickets has exactly one ok entry scan", not_once == 0),
        (f"database: scans stored == requests sent - nonce retries == {sent} - {kinds['retry']} == {distinct}",
         stored == nonces == distinct),
        (f"database: ok {tickets}, invalid {kinds['forged']}, already_checked_in "
         f"{kinds['rescan'] + kinds['race']}",
         by_result.get("ok") == tickets and by_result.get("invalid", 0) == kinds["forged"]
         and by_result.get("already_checked_in", 0) == kinds["rescan"] + kinds["race"]
         and sum(by_result.values()) == stored),
    ]


# ---------------------------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------------------------
def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _raise_exit)
    sys.path.insert(0, str(ROOT))
    # Production refuses to start without the site's address and answers 400 to any other Host
    # (app/urls.py): the benchmark's requests come to 127.0.0.1.
    os.environ.setdefault("PUBLIC_BASE_URL", "https://rencai.minhang.gov.cn")
    os.environ.setdefault("TRUSTED_HOSTS", f"{HOST},rencai.minhang.gov.cn")
    os.environ.update(APP_ENV="production", SECRET_KEY=os.environ.get("SECRET_KEY") or "bench-only",
                      RATELIMIT_ENABLED="0", LOG_LEVEL="WARNING")

    dbname = f"minhang_bench_{secrets.token_hex(4)}"
    db_url = f"{args.pg_url.rstrip('/')}/{dbname}"
    os.environ["DATABASE_URL"] = db_url
    tmp = Path(tempfile.mkdtemp(prefix="minhang-bench-"))
    out_dir = Path(args.out_dir) if args.out_dir else tmp / "worker-results"
    if args.profile:
        out_dir.mkdir(parents=True, exist_ok=True)
        for stale in list(out_dir.glob("worker-*")) + [out_dir / "combined.prof"]:
            stale.unlink(missing_ok=True)
    connections = args.workers * (args.pool_size + args.max_overflow)
    desc = (f"{args.target}: gunicorn {args.workers} × {args.worker_class}"
            + (f" × {args.threads} threads" if args.worker_class == "gthread" else "")
            + f", pool {args.pool_size}+{args.max_overflow}/worker" + (", no pre-ping" if args.no_pre_ping else "")
            + f"; {args.tickets} tickets, {args.scanners} scanners in {args.client_procs} processes"
            + (" [profiled]" if args.profile else ""))
    log(f"== check-in benchmark — {desc}")
    log(f"  machine: {NCPU} CPUs; database {dbname}; up to {connections} server connections; seed {args.seed}")

    failed: list[str] = []
    gunicorn: Gunicorn | None = None
    db_created = False
    try:
        create_database(args.pg_url, dbname)
        db_created = True
        data = build_data(db_url, tickets=args.tickets, warm_tickets=max(args.warmup, 1), scanners=args.scanners)
        plan = plan_scans(data["tickets"], data["checkpoint"], data["api_tokens"], args, label="m")
        warm_plan = plan_scans(data["warm_tickets"], data["warm_checkpoint"], data["api_tokens"], args,
                               label="w", extras=False)
        kinds = plan["kinds"]
        log(f"  plan: {plan['total']} scans = {kinds['first']} first scans + {kinds['rescan']} re-scans + "
            f"{kinds['race']} simultaneous doubles + {kinds['forged']} forged + {kinds['retry']} nonce retries")

        wait_for_quiet(args.wait_quiet)
        port = free_port()
        target = "wsgi:app" if args.target == "app" else "bare_checkin:app"
        extra_env = {"DB_POOL_PRE_PING": "0"} if args.no_pre_ping else {}
        gunicorn = Gunicorn(args, db_url, port, tmp / "gunicorn.log", target, PATH,
                            out_dir if args.profile else None, extra_env=extra_env)
        t0 = time.perf_counter()
        gunicorn.wait_healthy()
        log(f"  gunicorn pid {gunicorn.pid} on {HOST}:{port}, healthy in {time.perf_counter() - t0:.1f} s")

        if args.warmup > 0:
            if args.profile:
                log("  (warm-up scans are profiled too: they use the same URL)")
            warm = run_load(port, warm_plan, args.client_procs, label="warm-up", timeout=60)
            bad = [r for r in warm["rows"] if r[3] != 200 or r[4] != "ok"]
            if bad or warm["timed_out"]:
                raise RuntimeError(f"warm-up failed: {bad[:3]}\n{gunicorn.log_tail()}")

        sampler = PgActivity(db_url, dbname) if args.pg_activity else None
        snapshots = {}

        def on_start():
            snapshots["before"] = cpu_snapshot(gunicorn.pid, dbname)
            if sampler:
                sampler.start()

        res = run_load(port, plan, args.client_procs, label="measure", timeout=args.timeout, on_start=on_start)
        snapshots["after"] = cpu_snapshot(gunicorn.pid, dbname)
        if sampler:
            sampler.stop()
        cpu = cpu_delta(snapshots["before"], snapshots["after"])
        workers_alive = len(gunicorn.worker_pids())
        gunicorn.stop()  # before reading worker results: they are written on worker exit

        # -- figures -------------------------------------------------------------------------
        lat = sorted(r[2] for r in res["rows"])
        n = len(lat)
        elapsed = res["elapsed"]
        log(f"\n== results — {desc}")
        log(f"  scans              {n} of {plan['total']} in {elapsed:.2f} s "
            f"({res['reconnects']} TCP connections opened)")
        log(f"  throughput         {n / elapsed:.1f} scans/s")
        log(f"  latency (ms)       p50 {1000 * percentile(lat, .5):.1f}   p95 {1000 * percentile(lat, .95):.1f}   "
            f"p99 {1000 * percentile(lat, .99):.1f}   max {1000 * (lat[-1] if lat else float('nan')):.1f}   "
            f"mean {1000 * sum(lat) / max(n, 1):.1f}")
        checks, results = answer_checks(plan, res, args.tickets)
        log("  answers            " + ", ".join(f"{k}: {v}" for k, v in sorted(results.items())))
        checks += database_checks(db_url, plan, data["checkpoint"], data["event_id"], args.tickets)
        for text, ok in checks:
            log(f"  check              {'OK  ' if ok else 'FAIL'} {text}")
            if not ok:
                failed.append(text)
        for err in [r[6] for r in res["rows"] if r[6]][:5]:
            log(f"  error sample       {err}")
        if workers_alive != args.workers:
            log(f"  warning            {workers_alive} gunicorn workers alive at the end (expected {args.workers})")
        report_cpu(cpu, res["cpu"], elapsed, n, "scan")
        if sampler and sampler.samples:
            log(f"\n  pg_stat_activity, mean backends of this database per state ({sampler.samples} samples):")
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
