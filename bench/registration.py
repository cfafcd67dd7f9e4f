#!/usr/bin/env python3
"""Registration throughput through HTTP: gunicorn + PostgreSQL, many concurrent clients.

    .venv/bin/python bench/registration.py                  # the app, default settings
    .venv/bin/python bench/registration.py --target bare    # bench/bare_registration.py: the ceiling
    .venv/bin/python bench/registration.py --target bare-rows   # the same, writing the app's rows
    .venv/bin/python bench/registration.py --workers 4 --worker-class gthread --threads 4
    .venv/bin/python bench/registration.py --workers 1 --profile   # cProfile inside the worker
    .venv/bin/python bench/registration.py --phases --pg-activity  # lock wait/hold times, backends

What it does:
  1. creates a scratch PostgreSQL database (minhang_bench_<random>, postgres@127.0.0.1:5432,
     trust auth) and builds the schema with the app's migrations;
  2. creates the departments, an organiser, one published event with --capacity seats (and a
     small warm-up event), --users participants sharing one precomputed password hash, and one
     API token per participant (stored as the app stores them: sha256 hex);
  3. starts gunicorn (APP_ENV=production, RATELIMIT_ENABLED=0, LOG_LEVEL=WARNING) and waits
     for /healthz;
  4. warms every worker up on the warm-up event, then lets --clients concurrent clients
     (spread over --client-procs processes, one keep-alive http.client connection each; sync
     workers close it after each response and the client reconnects) POST {"answers": {}} with
     their own users' Bearer tokens until every user has registered once;
  5. prints registrations/s, latency p50/p95/p99, HTTP statuses, confirmed/waitlisted counts
     from the database, the CPU used by gunicorn, PostgreSQL and the load generator; exits 1
     on overbooking, a wrong confirmed count or any failed request;
  6. stops gunicorn and drops the database, also on Ctrl-C or error (--keep-db keeps it).

Only 127.0.0.1 is contacted. The standard library plus the project's venv is all it needs.
The machine may be shared: the script waits (--wait-quiet) for other load to settle before it
measures, and reports the CPU that processes other than ours took during the run.
"""
from __future__ import annotations

import argparse
import contextlib
import http.client
import io
import json
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



# ---------------------------------------------------------------------------------------------
# arguments
# ---------------------------------------------------------------------------------------------
def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    server_arguments(p, bare_script="bench/bare_registration.py", timeout=120.0,
                     more_targets={"bare-rows": "bench/bare_registration_rows.py: the app's rows, bare"},
                     out_dir_help="where --profile/--phases results go (default: a temporary directory)")
    p.add_argument("--users", type=int, default=4000, help="participants, each registers once [%(default)s]")
    p.add_argument("--capacity", type=int, default=1000, help="seats of the event [%(default)s]")
    p.add_argument("--clients", type=int, default=64, help="concurrent HTTP clients [%(default)s]")
    p.add_argument("--client-procs", type=int, default=4,
                   help="load-generator processes the clients are spread over [%(default)s]")
    p.add_argument("--warmup", type=int, default=256,
                   help="registrations on a separate warm-up event before measuring [%(default)s]")
    p.add_argument("--phases", action="store_true",
                   help="time each request's lock wait and lock hold inside the workers")
    args = p.parse_args(argv)
    settle_server_arguments(p, args)
    for name in ("workers", "users", "clients", "client_procs", "capacity"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    args.client_procs = min(args.client_procs, args.clients)
    return args


# ---------------------------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------------------------
def build_data(db_url: str, *, users: int, warm_users: int, capacity: int, warm_capacity: int) -> dict:
    """Migrations, then departments, organiser, events, users and tokens; returns ids and tokens."""
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    from app import create_app
    from app.accounts import services as accounts
    from app.accounts.models import ApiToken, User
    from app.lifecycle import services as ev  # publishes (events.services.create_event makes drafts)
    from app.extensions import db
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
        starts = utcnow().replace(microsecond=0) + timedelta(days=30)
        common = dict(kind="job_fair", department_id=depts["talent_center"].id, venue="闵行区人才服务中心",
                      address="上海市闵行区", starts_at=starts, ends_at=starts + timedelta(hours=6),
                      status="published")
        event = ev.create_event(organiser, title="压测招聘会 registration benchmark", capacity=capacity, **common)
        warm = ev.create_event(organiser, title="压测预热 warm-up", capacity=warm_capacity, **common)
        db.session.commit()
        event_id, warm_id = event.id, warm.id

        password_hash = generate_password_hash(PASSWORD)  # one scrypt for everybody
        users_t, tokens_t = User.__table__, ApiToken.__table__
        total = users + warm_users
        tokens: list[str] = []
        expires = utcnow() + accounts.API_TOKEN_LIFETIME
        t0 = time.perf_counter()
        chunk = 1000
        for start in range(0, total, chunk):
            n = min(chunk, total - start)
            rows = [{"name": f"压测用户{start + i:06d}", "mobile": f"139{start + i:08d}",
                     "password_hash": password_hash, "employer": "bench", "active": True}
                    for i in range(n)]
            ids = db.session.execute(users_t.insert().returning(users_t.c.id, sort_by_parameter_order=True),
                                     rows).scalars().all()
            batch = [secrets.token_urlsafe(32) for _ in ids]
            db.session.execute(tokens_t.insert(), [
                {"user_id": uid, "token_hash": accounts._hash_token(tok), "expires_at": expires}
                for uid, tok in zip(ids, batch)])
            tokens.extend(batch)
            if sys.stdout.isatty():
                print(f"\r  users and tokens: {start + n}/{total}", end="", flush=True)
        db.session.commit()
        log(f"\r  users and tokens: {total}/{total} in {time.perf_counter() - t0:.1f} s")
        db.session.remove()
        db.engine.dispose()
    return {"event_id": event_id, "warm_id": warm_id, "tokens": tokens[:users], "warm_tokens": tokens[users:]}


def database_counts(db_url: str, event_id: int) -> dict:
    import sqlalchemy as sa

    engine = sa.create_engine(sa_url(db_url))
    with engine.connect() as conn:
        by_status = dict(conn.execute(sa.text(
            "SELECT status, count(*) FROM registrations WHERE event_id = :e GROUP BY status"), {"e": event_id}).all())
        rows, distinct_users = conn.execute(sa.text(
            "SELECT count(*), count(DISTINCT user_id) FROM registrations WHERE event_id = :e"),
            {"e": event_id}).one()
        capacity = conn.scalar(sa.text("SELECT capacity FROM events WHERE id = :e"), {"e": event_id})
        written = {table: conn.scalar(sa.text(
            f"SELECT count(*) FROM {table} WHERE {key} IN (SELECT {of} FROM registrations WHERE event_id = :e)"),
            {"e": event_id}) for table, key, of in _WRITTEN_WITH}
    engine.dispose()
    return {"by_status": by_status, "rows": rows, "distinct_users": distinct_users, "capacity": capacity,
            "written": written}


# What a registration writes besides its own row (table, its column, the registration's column it holds):
# the app and bare-rows must show the same counts; the bare endpoint writes none of them.
_WRITTEN_WITH = [("registration_history", "registration_id", "id"), ("inbox_messages", "user_id", "user_id"),
                 ("outbox", "registration_id", "id"), ("sms_messages", "user_id", "user_id"),
                 ("reminders", "registration_id", "id")]


# ---------------------------------------------------------------------------------------------
# load generator
# ---------------------------------------------------------------------------------------------
def _client_thread(port: int, path: str, tokens: list[str], slot: int, progress, go, out: dict) -> None:
    body = b'{"answers": {}}'
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    latencies, statuses, reg_statuses, errors = out["lat"], out["status"], out["reg"], out["errors"]
    go.wait()
    first = time.monotonic()
    done = 0
    for token in tokens:
        headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
        t0 = time.perf_counter()
        data, status = None, None
        for attempt in (0, 1):
            reused = conn.sock is not None
            try:
                conn.request("POST", path, body, headers)
                resp = conn.getresponse()
                data, status = resp.read(), resp.status
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
                conn.close()
                if attempt == 0 and reused:  # a keep-alive connection the server had just closed
                    continue
                errors.append(f"{type(exc).__name__}: {exc}")
                break
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                errors.append(f"{type(exc).__name__}: {exc}")
                break
        latencies.append(time.perf_counter() - t0)
        if status is not None:
            statuses[status] += 1
            if status == 201:
                try:
                    reg_statuses[json.loads(data).get("status")] += 1
                except ValueError:
                    reg_statuses["(bad json)"] += 1
            elif len(out["samples"]) < 5:
                out["samples"].append(f"{status}: {data[:300]!r}")
        else:
            statuses["error"] += 1
        done += 1
        progress[slot] = done
    out["first"] = min(out.get("first", first), first)
    out["last"] = max(out.get("last", 0.0), time.monotonic())
    conn.close()


def _client_process(proc_index: int, port: int, path: str, assignments: dict[int, list[str]],
                    progress, go, results) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    outs, threads = [], []
    for slot, tokens in assignments.items():
        out = {"lat": [], "status": Counter(), "reg": Counter(), "errors": [], "samples": []}
        outs.append(out)
        threads.append(threading.Thread(target=_client_thread, args=(port, path, tokens, slot, progress, go, out),
                                        daemon=True))
    for t in threads:
        t.start()
    go.wait()
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    for t in threads:
        t.join()
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    merged = {"proc": proc_index, "lat": [], "status": Counter(), "reg": Counter(), "errors": [], "samples": [],
              "first": min((o["first"] for o in outs if "first" in o), default=None),
              "last": max((o["last"] for o in outs if "last" in o), default=None),
              "cpu": (ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)}
    for o in outs:
        merged["lat"].extend(o["lat"])
        merged["status"].update(o["status"])
        merged["reg"].update(o["reg"])
        merged["errors"].extend(o["errors"])
        merged["samples"].extend(o["samples"][:2])
    results.put(merged)


def run_load(port: int, path: str, tokens: list[str], clients: int, procs: int, *, label: str,
             timeout: float, on_start=None) -> dict:
    """Every token POSTs once; `clients` connections over `procs` processes. Returns the merged results."""
    ctx = mp.get_context("fork")
    clients = min(clients, len(tokens))
    procs = min(procs, clients)
    per_client = [tokens[i::clients] for i in range(clients)]
    progress = ctx.Array("q", clients, lock=False)
    go, results = ctx.Event(), ctx.Queue()
    workers = []
    for p in range(procs):
        assignments = {slot: per_client[slot] for slot in range(p, clients, procs)}
        workers.append(ctx.Process(target=_client_process, args=(p, port, path, assignments, progress, go, results),
                                   daemon=True))
    for w in workers:
        w.start()
    time.sleep(0.3)  # let the threads reach go.wait()
    merged = {"lat": [], "status": Counter(), "reg": Counter(), "errors": [], "samples": [], "cpu": 0.0,
              "last": None, "timed_out": False}
    total = len(tokens)
    try:
        extra = on_start() if on_start else None
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
                merged["lat"].extend(part["lat"])
                merged["status"].update(part["status"])
                merged["reg"].update(part["reg"])
                merged["errors"].extend(part["errors"])
                merged["samples"].extend(part["samples"])
                merged["cpu"] += part["cpu"]
                if part["last"] is not None:
                    merged["last"] = max(merged["last"] or 0.0, part["last"])
            now = time.monotonic()
            if now - last_print >= 1.0 or received == procs:
                done = sum(progress)
                rate = (done - last_done) / max(now - last_print, 1e-9)
                avg = done / max(now - t_go, 1e-9)
                log(f"  [{label}] {done:>6}/{total}  {100 * done / total:5.1f}%  {rate:6.0f}/s now  "
                    f"{avg:6.0f}/s avg  {now - t_go:5.1f} s")
                last_print, last_done = now, done
            if now > deadline:
                merged["timed_out"] = True
                log(f"  [{label}] timed out after {timeout:.0f} s")
                break
        merged["elapsed"] = ((merged["last"] or time.monotonic()) - t_go)
        merged["extra"] = extra
    finally:
        for w in workers:
            if w.is_alive():
                w.terminate()
        for w in workers:
            w.join(timeout=5)
    merged["done"] = sum(progress)
    return merged



def report_phases(out_dir: Path) -> None:
    records = []
    for p in out_dir.glob("worker-*.json"):
        records.extend(json.loads(p.read_text())["records"])
    if not records:
        log("  (no phase data)")
        return
    series: dict[str, list[float]] = {"in the worker (total)": [], "before the lock": [],
                                      "waiting for the lock": [], "holding the lock (to COMMIT)": [],
                                      "after the COMMIT": []}
    for r in records:
        series["in the worker (total)"].append(r["end"] - r["start"])
        if {"lock_start", "lock_acquired", "commit_end"} <= r.keys():
            committed = r.get("committed", r["commit_end"])  # COMMIT returned: the lock is released
            series["before the lock"].append(r["lock_start"] - r["start"])
            series["waiting for the lock"].append(r["lock_acquired"] - r["lock_start"])
            series["holding the lock (to COMMIT)"].append(committed - r["lock_acquired"])
            series["after the COMMIT"].append(r["end"] - committed)
    log(f"\n== phases inside the workers ({len(records)} measured requests), ms")
    log(f"  {'phase':<34} {'mean':>7} {'p50':>7} {'p95':>7} {'p99':>7}")
    for name, values in series.items():
        if not values:
            continue
        s = sorted(values)
        log(f"  {name:<34} {1000 * sum(s) / len(s):7.2f} {1000 * percentile(s, .5):7.2f} "
            f"{1000 * percentile(s, .95):7.2f} {1000 * percentile(s, .99):7.2f}")
    hold = series["holding the lock (to COMMIT)"]
    if hold:
        mean = sum(hold) / len(hold)
        log(f"  -> the event lock serialises registrations: at {1000 * mean:.2f} ms mean hold time the "
            f"ceiling is about {1 / mean:.0f} registrations/s for one event")


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
    instrumented = args.profile or args.phases
    tmp = Path(tempfile.mkdtemp(prefix="minhang-bench-"))
    out_dir = Path(args.out_dir) if args.out_dir else tmp / "worker-results"
    if instrumented:
        out_dir.mkdir(parents=True, exist_ok=True)
        for stale in list(out_dir.glob("worker-*")) + [out_dir / "combined.prof"]:
            stale.unlink(missing_ok=True)
    connections = args.workers * (args.pool_size + args.max_overflow)
    desc = (f"{args.target}: gunicorn {args.workers} × {args.worker_class}"
            + (f" × {args.threads} threads" if args.worker_class == "gthread" else "")
            + f", pool {args.pool_size}+{args.max_overflow}/worker; {args.users} users, capacity {args.capacity}, "
              f"{args.clients} clients in {args.client_procs} processes"
            + (" [profiled]" if args.profile else "") + (" [phase timers]" if args.phases else "")
            )
    log(f"== registration benchmark — {desc}")
    log(f"  machine: {NCPU} CPUs; database {dbname}; up to {connections} server connections")

    failed: list[str] = []
    gunicorn: Gunicorn | None = None
    db_created = False
    try:
        create_database(args.pg_url, dbname)
        db_created = True
        warm_users = max(args.warmup, 0)
        data = build_data(db_url, users=args.users, warm_users=warm_users, capacity=args.capacity,
                          warm_capacity=max(1, warm_users // 4))
        path = f"/api/v1/events/{data['event_id']}/registrations"
        warm_path = f"/api/v1/events/{data['warm_id']}/registrations"

        wait_for_quiet(args.wait_quiet)

        port = free_port()
        target = {"app": "wsgi:app", "bare": "bare_registration:app", "bare-rows": "bare_registration_rows:app"}[
            args.target]
        gunicorn = Gunicorn(args, db_url, port, tmp / "gunicorn.log", target, path,
                            out_dir if instrumented else None)
        t0 = time.perf_counter()
        gunicorn.wait_healthy()
        log(f"  gunicorn pid {gunicorn.pid} on {HOST}:{port}, healthy in {time.perf_counter() - t0:.1f} s")

        if data["warm_tokens"]:
            warm = run_load(port, warm_path, data["warm_tokens"], args.clients, args.client_procs,
                            label="warm-up", timeout=60)
            bad = {k: v for k, v in warm["status"].items() if k != 201}
            if bad or warm["errors"]:
                raise RuntimeError(f"warm-up failed: statuses {dict(warm['status'])}, "
                                   f"errors {warm['errors'][:3]}, samples {warm['samples'][:3]}\n"
                                   f"{gunicorn.log_tail()}")

        sampler = PgActivity(db_url, dbname) if args.pg_activity else None
        snapshots = {}

        def on_start():
            snapshots["before"] = cpu_snapshot(gunicorn.pid, dbname)
            if sampler:
                sampler.start()

        res = run_load(port, path, data["tokens"], args.clients, args.client_procs, label="measure",
                       timeout=args.timeout, on_start=on_start)
        snapshots["after"] = cpu_snapshot(gunicorn.pid, dbname)
        if sampler:
            sampler.stop()
        cpu = cpu_delta(snapshots["before"], snapshots["after"])
        workers_alive = len(gunicorn.worker_pids())
        counts = database_counts(db_url, data["event_id"])
        gunicorn.stop()  # before reading worker results: they are written on worker exit

        # -- figures -------------------------------------------------------------------------
        lat = sorted(res["lat"])
        n_ok = res["status"].get(201, 0)
        elapsed = res["elapsed"]
        confirmed = counts["by_status"].get("confirmed", 0)
        waitlisted = counts["by_status"].get("waitlisted", 0)
        expected_confirmed = min(args.capacity, args.users)
        log(f"\n== results — {desc}")
        log(f"  registrations      {n_ok} of {args.users} in {elapsed:.2f} s")
        log(f"  throughput         {n_ok / elapsed:.1f} registrations/s")
        log(f"  latency (ms)       p50 {1000 * percentile(lat, .5):.1f}   p95 {1000 * percentile(lat, .95):.1f}   "
            f"p99 {1000 * percentile(lat, .99):.1f}   max {1000 * (lat[-1] if lat else float('nan')):.1f}   "
            f"mean {1000 * sum(lat) / max(len(lat), 1):.1f}")
        log("  HTTP statuses      " + ", ".join(f"{k}: {v}" for k, v in sorted(res["status"].items(), key=str)))
        log("  responses say      " + ", ".join(f"{k}: {v}" for k, v in sorted(res["reg"].items(), key=str)))
        log(f"  database           confirmed {confirmed}, waitlisted {waitlisted}, other "
            f"{counts['rows'] - confirmed - waitlisted}; {counts['rows']} rows for {counts['distinct_users']} users; "
            f"capacity {counts['capacity']}")
        log("  rows written with  " + ", ".join(f"{table} {n}" for table, n in counts["written"].items()))
        checks = [
            (f"confirmed == min(capacity, users) == {expected_confirmed}", confirmed == expected_confirmed),
            ("confirmed <= capacity (zero overbooking)", confirmed <= args.capacity),
            (f"waitlisted == users - confirmed == {args.users - expected_confirmed}",
             waitlisted == args.users - expected_confirmed),
            ("one registration per user", counts["rows"] == counts["distinct_users"] == args.users),
            ("every request answered 201", n_ok == args.users and not res["errors"] and not res["timed_out"]),
        ]
        for text, ok in checks:
            log(f"  check              {'OK  ' if ok else 'FAIL'} {text}")
            if not ok:
                failed.append(text)
        for sample in res["samples"][:5]:
            log(f"  non-201 sample     {sample}")
        for err in res["errors"][:5]:
            log(f"  client error       {err}")
        if workers_alive != args.workers:
            log(f"  warning            {workers_alive} gunicorn workers alive at the end (expected {args.workers})")

        report_cpu(cpu, res["cpu"], elapsed, n_ok, "registration")
        if sampler and sampler.samples:
            log(f"\n  pg_stat_activity, mean backends of this database per state ({sampler.samples} samples):")
            for (state, wait), n in sorted(sampler.counts.items(), key=lambda kv: -kv[1]):
                log(f"    {state:<22} {wait:<34} {n / sampler.samples:5.2f}")
        report_gunicorn_errors(gunicorn)
        if instrumented:
            if args.phases:
                report_phases(out_dir)
            if args.profile:
                report_profile(out_dir, args.top)
            if args.profile or args.phases:
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
        if not ((args.profile or args.phases) and args.out_dir is None):
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
