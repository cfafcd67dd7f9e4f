#!/usr/bin/env python3
"""The app's own CPU per API registration, without HTTP, gunicorn or concurrency: one process
calls the WSGI app directly, one registration after the other, on PostgreSQL.

    .venv/bin/python bench/registration_cpu.py                 # the app, then the bare endpoints
    .venv/bin/python bench/registration_cpu.py --rounds 5 --profile /tmp/reg.prof

`bench/registration.py` measures throughput through gunicorn with 64 clients: the figure that
counts, but it moves by ±20 % from run to run on a shared two-core machine. This one measures what
the app's code costs a registration (process CPU time, `time.process_time`), steadily enough to
see a change of 0.1 ms: it builds the data as bench/registration.py does (its `build_data`), then
for each round registers --users people on a fresh event of --capacity seats through the app's
WSGI callable (`wsgi:app`, production settings) and through the bare endpoints'
(bench/bare_registration.py, bench/bare_registration_rows.py), alternated, and prints the CPU
milliseconds of this process per registration: median and range over the rounds. PostgreSQL's
own CPU is not in it (another process). Every answer must be 201 and every round must seat
exactly min(capacity, users).
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import HOST, ROOT, create_database, drop_database, log, sa_url  # noqa: E402
from registration import build_data  # noqa: E402

sys.path.insert(0, str(ROOT))


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432")
    p.add_argument("--users", type=int, default=2000, help="registrations per round and target [2000]")
    p.add_argument("--capacity", type=int, default=500, help="seats of each round's event [500]")
    p.add_argument("--rounds", type=int, default=3, help="rounds; each runs every target once [3]")
    p.add_argument("--targets", default="app,bare,bare-rows")
    p.add_argument("--profile", help="write a cProfile of the app's rounds here")
    return p.parse_args(argv)


def _apps() -> dict:
    import bare_registration
    import bare_registration_rows
    from wsgi import app
    return {"app": app, "bare": bare_registration.app, "bare-rows": bare_registration_rows.app}


def _new_event(db_url: str, capacity: int) -> int:
    """A copy of the measured event with its own seats (no registrations yet)."""
    import sqlalchemy as sa
    engine = sa.create_engine(sa_url(db_url))
    with engine.begin() as connection:
        columns = [c for c in connection.execute(sa.text(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'events'")).scalars()
            if c not in ("id", "confirmed_count", "capacity")]
        names = ", ".join(columns)
        new_id = connection.execute(sa.text(
            f"INSERT INTO events ({names}, confirmed_count, capacity) SELECT {names}, 0, :capacity FROM events "
            "WHERE id = (SELECT min(id) FROM events) RETURNING id"), {"capacity": capacity}).scalar_one()
    engine.dispose()
    return new_id


def _register_all(app, event_id: int, tokens: list[str]) -> tuple[float, dict]:
    from werkzeug.test import EnvironBuilder
    environs = [EnvironBuilder(path=f"/api/v1/events/{event_id}/registrations", method="POST",
                               base_url=f"http://{HOST}", data=b'{"answers": {}}',
                               headers={"Authorization": f"Bearer {t}", "Content-Type": "application/json"}
                               ).get_environ() for t in tokens]
    statuses: dict = {}

    def start_response(status, headers, exc_info=None):
        statuses[status] = statuses.get(status, 0) + 1

    t0 = time.process_time()
    for environ in environs:
        body = app(environ, start_response)
        b"".join(body)
        getattr(body, "close", lambda: None)()
    return time.process_time() - t0, statuses


def _seated(db_url: str, event_id: int) -> int:
    import sqlalchemy as sa
    engine = sa.create_engine(sa_url(db_url))
    with engine.connect() as connection:
        n = connection.execute(sa.text("SELECT count(*) FROM registrations WHERE event_id = :e "
                                       "AND status = 'confirmed'"), {"e": event_id}).scalar_one()
    engine.dispose()
    return n


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("PUBLIC_BASE_URL", "https://rencai.minhang.gov.cn")
    os.environ.setdefault("TRUSTED_HOSTS", f"{HOST},rencai.minhang.gov.cn")
    os.environ.update(APP_ENV="production", SECRET_KEY="bench-only-" + secrets.token_hex(8),
                      RATELIMIT_ENABLED="0", LOG_LEVEL="WARNING", DB_POOL_SIZE="1", DB_MAX_OVERFLOW="0")
    targets = args.targets.split(",")
    dbname = f"minhang_bench_{secrets.token_hex(4)}"
    db_url = f"{args.pg_url.rstrip('/')}/{dbname}"
    os.environ["DATABASE_URL"] = db_url
    create_database(args.pg_url, dbname)
    failed, apps = [], {}
    try:
        per_round = args.users * len(targets)
        data = build_data(db_url, users=per_round * args.rounds + 200, warm_users=0,
                          capacity=args.capacity, warm_capacity=1)
        tokens, warm = data["tokens"][:-200], data["tokens"][-200:]
        apps.update(_apps())
        profiler = cProfile.Profile() if args.profile else None
        for n, name in enumerate(targets):  # warm every target up: imports, statement caches, prepared statements
            _register_all(apps[name], _new_event(db_url, args.capacity), warm[60 * n:60 * (n + 1)])
        figures: dict[str, list[float]] = {name: [] for name in targets}
        used = 0
        for r in range(args.rounds):
            for name in targets:
                event_id = _new_event(db_url, args.capacity)
                batch = tokens[used:used + args.users]
                used += args.users
                if profiler and name == "app":
                    profiler.enable()
                cpu, statuses = _register_all(apps[name], event_id, batch)
                if profiler and name == "app":
                    profiler.disable()
                seated = _seated(db_url, event_id)
                ok = statuses == {"201 CREATED": args.users} and seated == min(args.capacity, args.users)
                if not ok:
                    failed.append(f"{name} round {r + 1}: {statuses}, {seated} seated")
                figures[name].append(cpu * 1000 / args.users)
                log(f"  round {r + 1} {name:<9} {cpu * 1000 / args.users:6.3f} ms CPU a registration"
                    f"{'' if ok else '  FAILED'}")
        log(f"\n== CPU of this process per registration, {args.users} a round, {args.rounds} rounds")
        for name, values in figures.items():
            log(f"  {name:<9} median {statistics.median(values):6.3f} ms  (range {min(values):.3f}–{max(values):.3f})")
        if "app" in figures and "bare" in figures:
            app, bare = statistics.median(figures["app"]), statistics.median(figures["bare"])
            log(f"  app − bare: {app - bare:.3f} ms; app / bare: {app / bare:.2f}")
        if profiler:
            profiler.dump_stats(args.profile)
            out = io.StringIO()
            import pstats
            pstats.Stats(args.profile, stream=out).sort_stats("cumulative").print_stats(40)
            log(out.getvalue())
    finally:
        if "app" in apps:  # its engine holds connections to the database
            from app.extensions import db
            with apps["app"].app_context():
                db.engine.dispose()
        drop_database(args.pg_url, dbname)
    for line in failed:
        log(f"  FAILED {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
