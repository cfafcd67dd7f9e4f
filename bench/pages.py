#!/usr/bin/env python3
"""Pages and exports at the scale of 人才闵行周: statements, time, size and memory per page.

    .venv/bin/python bench/pages.py                          # 100,000 people, 10,000 + 3,000 registrations
    .venv/bin/python bench/pages.py --users 5000 --registrants 500 --runs 3 --print-count 50
    .venv/bin/python bench/pages.py --json /tmp/pages.json --only wall,roster

What it does:
  1. creates a scratch PostgreSQL database (minhang_bench_pages_<random>, postgres@127.0.0.1:5432,
     trust auth) and builds the schema with the app's migrations;
  2. builds the data in bulk SQL (bench/pages_data.py): --users people (Chinese names, mobiles,
     employers, ~3 % with ID numbers, a few dozen staff), an organiser and an admin, one published
     event under way with --registrants confirmed + --waitlisted registrations (answers to two
     questions, their notices in the outbox), its door checkpoint with ~2 scans per registrant
     (first entries for most, exits and re-entries, re-scans refused as already_checked_in, some
     of them offline conflicts, waitlisted people turned away, unreadable codes);
  3. measures each page or action through the app in this process: the Flask test client on the
     production settings (APP_ENV=production, HTTPS cookies, CSRF, the trusted host), signed in
     through the login form like a browser (the scanner API with a Bearer token). In-process
     because that is what lets one listener count every statement a request issues
     (before_cursor_execute) and tracemalloc see its peak memory; what gunicorn adds per request
     is the same for every page and bench/checkin.py measures it. Per page: one warm-up request
     (which also shows how far the process's RSS rises, VmHWM reset through clear_refs), --runs
     timed requests (statements counted, body read: a streamed answer runs its queries
     while it is read), then one request under tracemalloc for the peak (tracemalloc slows Python
     down, so it is never timed). Issuing certificates is measured the same way on the same
     state: before each run the previous run's certificates, notices and serial counter are
     deleted in SQL; the last run's certificates stay for the pages after it;
  4. prints `flask certificates print --event` of --print-count certificates (default: all the
     attendees') in a subprocess, once: its wall time, statements (counted in the command's
     process; its forked rendering processes get their data from it) and max RSS of it and its
     rendering processes (getrusage(RUSAGE_CHILDREN));
  5. prints the table (page / action, statements, median and p95 ms, KB, peak MB, RSS +MB) and with
     --json PATH writes the figures; drops the database, also on error or Ctrl-C (--keep-db keeps it).

Figures on a shared machine are noisy: the script shows the machine's other load before it
measures; compare medians, and runs made under the same load (make bench-pages takes the
benchmark lock).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402 - bench/ is not a package: the scripts run as files
    ROOT,
    _raise_exit,
    create_database,
    drop_database,
    log,
    percentile,
    sa_url,
    wait_for_quiet,
)
from pages_data import ADMIN_LOGIN, ORGANISER_LOGIN, PASSWORD, build  # noqa: E402

SITE = "rencai.minhang.gov.cn"
BASE_URL = f"https://{SITE}"

# (key, what the table calls it, who asks) in the order measured: issuing comes before the
# pages that list certificates, and the print comes last.
ITEMS = [
    ("attendance_xlsx", "attendance.xlsx", "organiser"),
    ("issue", "issue certificates to the event's attendees", "organiser"),
    ("certificates_page", "certificates event page", "organiser"),
    ("attendance", "attendance page", "organiser"),
    ("wall_json", "check-in wall JSON", "organiser"),
    ("wall", "check-in wall page", "organiser"),
    ("roster", "checkpoint roster (API)", "scanner"),
    ("stats", "checkpoint stats (API)", "scanner"),
    ("registrations_xlsx", "registrations.xlsx", "organiser"),
    ("registrations_csv", "registrations.csv", "organiser"),
    ("search_name", "registrations search by name", "organiser"),
    ("search_last4", "registrations search by last 4 digits", "organiser"),
    ("registrations", "registrations list", "organiser"),
    ("admin_users", "/admin/users", "admin"),
    ("admin_users_q", "/admin/users?q=", "admin"),
    ("outbox", "/admin/outbox", "admin"),
    ("people_q", "/console/people?q=", "organiser"),
    ("print", "flask certificates print --event", "cli"),
]


# ---------------------------------------------------------------------------------------------
# arguments
# ---------------------------------------------------------------------------------------------
def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--users", type=int, default=100_000, help="people in the database [%(default)s]")
    p.add_argument("--registrants", type=int, default=10_000, help="confirmed registrations [%(default)s]")
    p.add_argument("--waitlisted", type=int, default=None,
                   help="waitlisted registrations [30 %% of --registrants]")
    p.add_argument("--runs", type=int, default=5, help="timed requests per page, after one warm-up [%(default)s]")
    p.add_argument("--print-count", type=int, default=None,
                   help="certificates printed by `flask certificates print` [every attendee's]; 0 skips it")
    p.add_argument("--only", default=None,
                   help="comma-separated keys of the pages to measure (issue and print are kept if a "
                        "certificates page needs them): " + ", ".join(k for k, _l, _w in ITEMS))
    p.add_argument("--json", metavar="PATH", help="also write the figures to PATH")
    p.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432",
                   help="PostgreSQL server (trust auth, no database part) [%(default)s]")
    p.add_argument("--wait-quiet", type=float, default=30.0, metavar="SECONDS",
                   help="before measuring, wait up to SECONDS for other load on the machine to drop "
                        "below 10%% [%(default)s]")
    p.add_argument("--keep-db", action="store_true", help="do not drop the database at the end")
    args = p.parse_args(argv)
    if args.waitlisted is None:
        args.waitlisted = round(0.3 * args.registrants)
    for name in ("users", "registrants", "runs"):
        if getattr(args, name) < 1:
            p.error(f"--{name} must be at least 1")
    if args.users < args.registrants + args.waitlisted:
        p.error("--users must be at least --registrants + --waitlisted")
    keys = [k for k, _label, _who in ITEMS]
    if args.only:
        wanted = [k.strip() for k in args.only.split(",") if k.strip()]
        unknown = [k for k in wanted if k not in keys]
        if unknown:
            p.error(f"unknown --only keys: {', '.join(unknown)} (known: {', '.join(keys)})")
        if {"certificates_page", "print"} & set(wanted) and "issue" not in wanted:
            wanted.append("issue")  # nothing to list or print otherwise
        args.only = set(wanted)
    return args


# ---------------------------------------------------------------------------------------------
# the app and its clients
# ---------------------------------------------------------------------------------------------
def production_app(db_url: str):
    from app import create_app

    return create_app("production", SQLALCHEMY_DATABASE_URI=sa_url(db_url),
                      SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 2, "max_overflow": 2, "pool_pre_ping": True})


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, url: str) -> str:
    page = client.get(url, base_url=BASE_URL)
    found = CSRF.search(page.get_data(as_text=True))
    if page.status_code != 200 or not found:
        raise RuntimeError(f"no CSRF token on {url} ({page.status_code} {page.headers.get('Location') or ''})")
    return found.group(1)


def signed_in(flask_app, login: str):
    """A test client signed in through the login form, as a browser would be."""
    client = flask_app.test_client()
    client.environ_base.update(REMOTE_ADDR="127.0.0.1")
    # Over HTTPS, Flask-WTF also wants a Referer of the same site, as a browser sends.
    answer = client.post("/login", base_url=BASE_URL, headers={"Referer": BASE_URL + "/login"}, data={
        "login": login, "password": PASSWORD, "csrf_token": csrf_token(client, "/login")})
    if answer.status_code != 302:
        raise RuntimeError(f"signing in as {login} failed: {answer.status_code} {answer.get_data(as_text=True)[:300]}")
    return client


class Counter:
    """Statements issued on the app's engine while `active` (one listener for the whole run)."""

    def __init__(self, engine):
        import sqlalchemy as sa

        self.count, self.active = 0, False
        sa.event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args):
        if self.active:
            self.count += 1


# ---------------------------------------------------------------------------------------------
# the requests
# ---------------------------------------------------------------------------------------------
def requests_for(data: dict) -> dict:
    """key -> (method, path, form or None). Paths as the app's blueprints route them."""
    e, cp = data["event"], data["checkpoint"]
    return {
        "attendance_xlsx": ("GET", f"/console/events/{e}/attendance.xlsx", None),
        "issue": ("POST", f"/console/certificates/events/{e}", {"kind": "attendance", "confirm": "1"}),
        "certificates_page": ("GET", f"/console/certificates/events/{e}", None),
        "attendance": ("GET", f"/console/events/{e}/attendance", None),
        "wall_json": ("GET", f"/console/events/{e}/wall.json", None),
        "wall": ("GET", f"/console/events/{e}/wall", None),
        "roster": ("GET", f"/api/v1/checkpoints/{cp}/roster", None),
        "stats": ("GET", f"/api/v1/checkpoints/{cp}/stats", None),
        "registrations_xlsx": ("GET", f"/console/events/{e}/registrations.xlsx", None),
        "registrations_csv": ("GET", f"/console/events/{e}/registrations.csv", None),
        "search_name": ("GET", f"/console/events/{e}/registrations?q={data['search_name']}", None),
        "search_last4": ("GET", f"/console/events/{e}/registrations?q={data['search_last4']}", None),
        "registrations": ("GET", f"/console/events/{e}/registrations", None),
        "admin_users": ("GET", "/admin/users", None),
        "admin_users_q": ("GET", f"/admin/users?q={data['search_name']}", None),
        "outbox": ("GET", "/admin/outbox", None),
        "people_q": ("GET", f"/console/people?q={data['search_name']}", None),
    }


def one_request(client, method: str, path: str, form: dict | None, headers: dict, csrf: str | None):
    if method == "POST":
        answer = client.post(path, base_url=BASE_URL, data={**(form or {}), "csrf_token": csrf},
                             headers={"Referer": BASE_URL + path, **headers})
        expected = (302, 303)
    else:
        answer = client.get(path, base_url=BASE_URL, headers=headers)
        expected = (200,)
    body = answer.get_data()  # a streamed body runs its queries while it is read
    if answer.status_code not in expected:
        raise RuntimeError(f"{method} {path}: {answer.status_code} {body[:300]!r}")
    return body


class IssueReset:
    """Issuing is measured on one state: before each run, what the previous run made goes (the
    certificates, their notices in the outbox, inbox and SMS tables, the audit row, the serial
    counter), in SQL."""

    TABLES = ("sms_messages", "outbox", "inbox_messages", "audit_entries")

    def __init__(self, engine, event_id: int):
        import sqlalchemy as sa

        self.sa, self.engine, self.event_id = sa, engine, event_id
        with engine.connect() as conn:
            self.marks = {t: conn.scalar(sa.text(f"SELECT coalesce(max(id), 0) FROM {t}")) for t in self.TABLES}

    def __call__(self) -> None:
        sa = self.sa
        _wait_for_notice_threads()  # the last run's notices: told (and so deletable), not competing
        with self.engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM certificates WHERE subject_type = 'event' AND subject_id = :e"),
                         {"e": self.event_id})
            for table in self.TABLES:
                conn.execute(sa.text(f"DELETE FROM {table} WHERE id > :mark"), {"mark": self.marks[table]})
            conn.execute(sa.text("DELETE FROM certificate_serial_counters"))


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def reset_peak_rss() -> bool:
    """Start the process's peak RSS (VmHWM) afresh at its current RSS (Linux: clear_refs 5)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def measure(counter: Counter, client, method: str, path: str, form, headers: dict, runs: int,
            before=None, csrf: str | None = None) -> dict:
    """One warm-up (which also measures how far the process's RSS rises above where it was: the
    page's first request, before its memory is there to be reused), `runs` timed requests
    (statements counted), one under tracemalloc."""
    times, statements, size, rss_growth = [], [], 0, None
    for run in range(runs + 2):
        if before is not None:
            before()
        traced = run == runs + 1
        rss_run = run == 0 and reset_peak_rss()
        rss0 = _status_kb("VmRSS") if rss_run else 0
        if traced:
            tracemalloc.start()
            tracemalloc.reset_peak()
        counter.count, counter.active = 0, True
        t0 = time.perf_counter()
        body = one_request(client, method, path, form, headers, csrf)
        elapsed = time.perf_counter() - t0
        counter.active = False
        if rss_run:
            rss_growth = max(0, _status_kb("VmHWM") - rss0) / 1024
        if traced:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        elif run > 0:
            times.append(elapsed)
            statements.append(counter.count)
            size = len(body)
        del body
    times.sort()
    return {"statements": sorted(statements)[len(statements) // 2],
            "statements_range": [min(statements), max(statements)],
            "median_ms": 1000 * statistics.median(times), "p95_ms": 1000 * percentile(times, 0.95),
            "runs_ms": [round(1000 * t, 1) for t in times], "kb": size / 1024, "peak_mb": peak / 2 ** 20,
            "rss_growth_mb": rss_growth, "url": path}


# ---------------------------------------------------------------------------------------------
# flask certificates print, in a child process
# ---------------------------------------------------------------------------------------------
def print_child(argv: list[str]) -> int:
    """Run in the child: `flask certificates print …` through the app's CLI, counting statements."""
    import sqlalchemy as sa
    from sqlalchemy.engine import Engine

    count_file, *cli_args = argv
    seen = [0]
    sa.event.listen(Engine, "before_cursor_execute", lambda *_a: seen.__setitem__(0, seen[0] + 1))
    from app import create_app

    flask_app = create_app("production")
    t0 = time.perf_counter()
    result = flask_app.test_cli_runner().invoke(args=cli_args, catch_exceptions=True)
    seconds = time.perf_counter() - t0
    Path(count_file).write_text(json.dumps({"statements": seen[0], "seconds": seconds,
                                            "exit_code": result.exit_code, "output": result.output[-2000:]}))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        traceback.print_exception(result.exception)
    return result.exit_code


def _wait_for_notice_threads() -> None:
    """Without Redis, each issue's big batch is told by a thread of this process (app/certificates/
    notices.py): left running, it would share the CPU with the pages measured after it."""
    for thread in threading.enumerate():
        if thread.name == "certificate-notices":
            thread.join()


def measure_print(db_url: str, event_id: int, count: int, tmp: Path) -> dict:
    import sqlalchemy as sa

    engine = sa.create_engine(sa_url(db_url))
    with engine.connect() as conn:
        ids = conn.scalars(sa.text(
            "SELECT id FROM certificates WHERE subject_type = 'event' AND subject_id = :e AND revoked_at IS NULL"
            " AND superseded_at IS NULL ORDER BY issued_on, serial"), {"e": event_id}).all()
    engine.dispose()
    if not ids:
        raise RuntimeError("no certificates to print")
    count = min(count, len(ids))
    output, count_file = tmp / "certificates.pdf", tmp / "print-child.json"
    cli = ["certificates", "print", "--event", str(event_id), "--output", str(output)]
    if count < len(ids):
        cli += ["--ids", ",".join(str(i) for i in ids[:count])]
    env = dict(os.environ, DATABASE_URL=db_url,
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--print-child", str(count_file), *cli],
                          cwd=str(ROOT), env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    max_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KB on Linux
    child = json.loads(count_file.read_text()) if count_file.exists() else {}
    if proc.returncode != 0 or child.get("exit_code"):
        raise RuntimeError(f"flask certificates print failed ({proc.returncode}):\n{proc.stderr[-2000:]}\n"
                           f"{child.get('output', '')}")
    log(f"  print: {child['output'].strip().splitlines()[-1] if child.get('output') else ''}")
    if before and before >= max_rss:
        log("  print: (an earlier child process had a larger max RSS: the figure is an upper bound)")
    return {"statements": child["statements"], "statements_range": [child["statements"]] * 2,
            "median_ms": 1000 * wall, "p95_ms": 1000 * wall, "runs_ms": [round(1000 * wall, 1)],
            "command_ms": round(1000 * child["seconds"], 1), "kb": output.stat().st_size / 1024,
            "peak_mb": max_rss / 1024, "rss_growth_mb": None, "certificates": count,
            "url": "flask " + " ".join(cli[:4])}


# ---------------------------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------------------------
def _mb(value) -> str:
    return "" if value is None else f"{value:,.1f}"


def table(results: dict) -> str:
    lines = ["| page / action | statements | median ms | p95 ms | KB | peak MB | RSS +MB |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for key, label, _who in ITEMS:
        r = results.get(key)
        if r is None:
            continue
        if key == "print":
            label = (f"{label} ({r['certificates']:,} certificates; one run: the subprocess's wall time, "
                     f"{r['command_ms'] / 1000:,.1f} s of it in the command; max RSS)")
        low, high = r["statements_range"]
        stmts = f"{r['statements']:,}" if low == high else f"{r['statements']:,} ({low:,}–{high:,})"
        rss = _mb(r["rss_growth_mb"])
        lines.append(f"| {label} | {stmts} | {r['median_ms']:,.0f} | {r['p95_ms']:,.0f} | {r['kb']:,.0f} "
                     f"| {r['peak_mb']:,.1f} | {rss} |")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------------------------
def run(args, db_url: str, tmp: Path) -> dict:
    import sqlalchemy as sa

    flask_app = production_app(db_url)
    t0 = time.perf_counter()
    data = build(flask_app, users=args.users, confirmed=args.registrants, waitlisted=args.waitlisted)
    log(f"  built in {time.perf_counter() - t0:.1f} s; searches: name {data['search_name']!r}, "
        f"last 4 digits {data['search_last4']!r}")
    wanted = args.only or {k for k, _l, _w in ITEMS}
    results: dict = {}
    from app.extensions import db

    # No application context is held around the requests: each request pushes its own, as under
    # gunicorn, so its session, `g` and signed-in user start afresh and are torn down after it.
    with flask_app.app_context():
        engine = db.engine
    counter = Counter(engine)
    clients = {"organiser": signed_in(flask_app, ORGANISER_LOGIN), "admin": signed_in(flask_app, ADMIN_LOGIN)}
    clients["scanner"] = flask_app.test_client()
    clients["scanner"].environ_base.update(REMOTE_ADDR="127.0.0.1")
    headers = {"scanner": {"Authorization": f"Bearer {data['api_token']}", "Accept": "application/json"}}
    csrf = csrf_token(clients["organiser"], "/me/registrations")
    wait_for_quiet(args.wait_quiet)
    log(f"\n  {'page / action':<52} {'statements':>10} {'median ms':>10} {'p95 ms':>8} {'KB':>8} {'peak MB':>8} "
        f"{'RSS +MB':>8}")
    requests = requests_for(data)
    for key, label, who in ITEMS:
        if key not in wanted or key == "print":
            continue
        method, path, form = requests[key]
        before = IssueReset(engine, data["event"]) if key == "issue" else None
        r = measure(counter, clients[who], method, path, form, headers.get(who, {}), args.runs,
                    before=before, csrf=csrf)
        if key == "issue":
            with engine.connect() as conn:
                r["issued"] = conn.scalar(sa.text(
                    "SELECT count(*) FROM certificates WHERE subject_type = 'event' AND subject_id = :e"),
                    {"e": data["event"]})
            _wait_for_notice_threads()
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE certificates, outbox, inbox_messages, sms_messages, "
                                     "audit_entries"))
            label = f"{label} ({r['issued']:,})"
        results[key] = r
        log(f"  {label[:52]:<52} {r['statements']:>10,} {r['median_ms']:>10,.0f} {r['p95_ms']:>8,.0f} "
            f"{r['kb']:>8,.0f} {r['peak_mb']:>8,.1f} {_mb(r['rss_growth_mb']):>8}")
    engine.dispose()
    if "print" in wanted and args.print_count != 0:
        count = args.print_count or results.get("issue", {}).get("issued") or 0
        if count:
            r = measure_print(db_url, data["event"], count, tmp)
            results["print"] = r
            log(f"  {'flask certificates print':<52} {r['statements']:>10,} {r['median_ms']:>10,.0f} "
                f"{r['p95_ms']:>8,.0f} {r['kb']:>8,.0f} {r['peak_mb']:>8,.1f}   ({r['certificates']} certificates, "
                f"command {r['command_ms'] / 1000:.1f} s of it)")
    return {"data": {k: v for k, v in data.items() if k != "api_token"}, "results": results}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--print-child"]:
        sys.path.insert(0, str(ROOT))
        return print_child(argv[1:])
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _raise_exit)
    sys.path.insert(0, str(ROOT))
    # Production refuses to start without the site's address and answers 400 to any other Host.
    os.environ.update(APP_ENV="production", SECRET_KEY=os.environ.get("SECRET_KEY") or "bench-" + secrets.token_hex(8),
                      PUBLIC_BASE_URL=BASE_URL, TRUSTED_HOSTS=SITE, RATELIMIT_ENABLED="0", LOG_LEVEL="WARNING")
    for name in ("MAIL_SERVER", "REDIS_URL", "SMS_PROVIDER"):
        os.environ.pop(name, None)  # no mail, queue or SMS gateway is contacted

    dbname = f"minhang_bench_pages_{secrets.token_hex(4)}"
    db_url = f"{args.pg_url.rstrip('/')}/{dbname}"
    os.environ["DATABASE_URL"] = db_url
    tmp = Path(tempfile.mkdtemp(prefix="minhang-bench-pages-"))
    log(f"== pages benchmark — {args.users:,} people, {args.registrants:,} confirmed + {args.waitlisted:,} "
        f"waitlisted; {args.runs} runs per page after a warm-up; database {dbname}")
    db_created = False
    try:
        create_database(args.pg_url, dbname)
        db_created = True
        out = run(args, db_url, tmp)
        log("\n" + table(out["results"]))
        log("\n  statements: per request (median of the runs; a range when they differ). ms: wall time of the "
            "request in the test client, body read. KB: the answer's body. peak MB: tracemalloc's peak (Python "
            "allocations) during one more request; the print: max RSS of the child processes. RSS +MB: how far "
            "this process's peak RSS rose above its RSS before the page's first (warm-up) request; memory "
            "freed by the pages before is reused first, so it can read low.")
        if args.json:
            out["args"] = {k: (sorted(v) if isinstance(v, set) else v) for k, v in vars(args).items()}
            out["load_average"] = os.getloadavg()
            Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=1))
            log(f"  figures written to {args.json}")
        return 0
    except KeyboardInterrupt:
        log("\n  interrupted; cleaning up")
        return 130
    except SystemExit:
        log("\n  terminated; cleaning up")
        raise
    finally:
        if db_created:
            if args.keep_db:
                log(f"  kept database {dbname} ({db_url})")
            else:
                try:
                    drop_database(args.pg_url, dbname)
                except Exception as exc:  # noqa: BLE001 - cleanup must go on
                    log(f"  could not drop database {dbname}: {exc}")
        for leftover in tmp.glob("*"):
            leftover.unlink(missing_ok=True)
        tmp.rmdir()


if __name__ == "__main__":
    sys.exit(main())
