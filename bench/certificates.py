"""Certificate PDF speed: 60 and 1,000 certificates in ONE PDF, next to one PDF each.

    make bench-certificates        # = .venv/bin/python bench/certificates.py
    .venv/bin/python bench/certificates.py --sizes 60 --profile /tmp/cert.prof

    .venv/bin/python bench/certificates.py --whole --repeat 3   # also with stamping off, interleaved

Builds a scratch SQLite database with the migrations, issues real certificates (rare names,
serials, codes) through the issuing service, then renders them with the app's own renderer
(`batches.certificates_pdf`, what batch jobs and the CLI use): the default 结业证书 template,
Noto Serif CJK SC embedded, a QR code per page, stamped on a shared background (see
app/certificates/stamping.py), in parallel chunks (CERTIFICATE_PRINT_PROCESSES, `--processes`).
Prints seconds and ms per certificate for each size and mode, CPU seconds of this process and
its children, and where the wall time goes in the one-PDF mode (prepare = contexts from the
database; plan = the stamping plan and background; render = QR + HTML + layout + PDF writing in
the chunk processes; join = pikepdf), with how many pages were stamped. The machine's speed
drifts (a shared VM): the "reference loop" line times a fixed pure-Python loop before and after,
so runs on different days can be compared. Targets on the 2-core machine: 60 in < 1 s, 1,000 in
< 10 s.

At Talent Week scale (issue 19):

    .venv/bin/python bench/certificates.py --issue 10000 --pg        # issue to an event's attendees
    .venv/bin/python bench/certificates.py --count 10000 --stream    # print 10,000 as a print job does

--issue N builds an event of N confirmed registrations with a first accepted entry each (plus a
re-scan of every tenth) in bulk SQL, then issues attendance certificates through
`issue_for_attendance` and commits, and reads the event's certificates page: statements, seconds,
KB. --count N prints N certificates (`--sizes N`); --stream renders them as a print job and the
CLI do (printing.render_to, chunk by chunk into a file) instead of one `certificates_pdf` in
memory. Every run ends with the peak RSS of this process and of its largest child.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/common.py

PASSWORD = "bench-certificates-1"
NAMES = ("张玥", "李喆", "王堃", "赵赟", "林〇", "欧阳娜娜", "陈立群", "孙赟", "钱喆", "周晓梅")


def build(app, count: int):
    from app.accounts.models import User
    from app.accounts.services import ensure_departments
    from app.certificates import services
    from app.extensions import db

    departments = {d.code: d for d in ensure_departments()}
    admin = User(name="管理员", password_hash="x", mobile="13000000000")
    admin.set_roles(["admin"])
    db.session.add(admin)
    users = [User(name=NAMES[i % len(NAMES)], password_hash="x", mobile=f"139{i:08d}") for i in range(count)]
    db.session.add_all(users)
    db.session.flush()
    subject = services.Subject("cohort", 1, "2026年闵行区创业孵化营（第一期）", "2026年3月至6月",
                               departments["talent_center"])
    result = services.issue(admin, subject, "completion",
                            [services.Recipient(u, tier="创业孵化营") for u in users])
    db.session.commit()
    ids = [c.id for c in result.issued]
    db.session.expunge_all()
    from app.certificates.printing import ordered

    return ordered(ids)  # as a print job loads them: one query


def reference_loop() -> float:
    """Seconds for a fixed pure-Python loop: how fast this machine is right now."""
    t0 = time.process_time()
    total = 0
    for i in range(3_000_000):
        total += i * i
    return time.process_time() - t0


def _cpu() -> float:
    own, children = os.times()[:2], os.times()[2:4]
    return sum(own) + sum(children)


def one_pdf(certs) -> tuple[float, dict, int]:
    from app.certificates import batches

    timings: dict = {}
    t0, c0 = time.perf_counter(), _cpu()
    body = batches.certificates_pdf(certs, timings=timings)
    seconds, cpu = time.perf_counter() - t0, _cpu() - c0
    import io

    import pikepdf

    assert len(pikepdf.open(io.BytesIO(body)).pages) == len(certs)  # outside the timed part
    return seconds, {"cpu": cpu, **timings}, len(body)


def each_pdf(certs) -> tuple[float, int]:
    from app.certificates import batches

    t0 = time.perf_counter()
    size = sum(len(batches.certificates_pdf([c])) for c in certs)
    return time.perf_counter() - t0, size


def peak_rss() -> str:
    """Peak resident memory of this process and of its largest (waited-for) child, in MB."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return f"peak RSS: this process {own} MB, largest child {child} MB"


def build_event(count: int):
    """An event of `count` confirmed registrations, each with a first accepted entry at the door
    (every tenth scanned twice), made in bulk SQL; returns the event and an admin."""
    import secrets as secrets_
    from datetime import timedelta

    import sqlalchemy as sa

    from app.accounts.models import User
    from app.accounts.services import ensure_departments
    from app.checkin.models import Scan
    from app.checkin.services import event_checkpoint
    from app.events.models import Event
    from app.extensions import db
    from app.lifecycle import services as lifecycle
    from app.registrations.models import Registration
    from app.timeutil import utcnow

    from werkzeug.security import generate_password_hash

    departments = {d.code: d for d in ensure_departments()}
    admin = User(name="管理员", password_hash=generate_password_hash(PASSWORD), mobile="13000000000")
    admin.set_roles(["admin"])
    db.session.add(admin)
    db.session.flush()
    from app.accounts import consents

    consents.record(admin)  # else every page asks for the privacy consent first
    starts = utcnow().replace(microsecond=0) - timedelta(hours=3)
    event = lifecycle.create_event(admin, title="2026人才闵行周·主论坛", kind="forum",
                                   department_id=departments["talent_center"].id, venue="闵行区人才服务中心",
                                   address="上海市闵行区", starts_at=starts, ends_at=starts + timedelta(hours=8),
                                   status="published", capacity=count)
    db.session.flush()
    door = event_checkpoint(event)
    now = utcnow()
    for start in range(0, count, 2000):
        size = min(2000, count - start)
        ids = db.session.execute(User.__table__.insert().returning(User.__table__.c.id, sort_by_parameter_order=True),
                                 [{"name": NAMES[(start + i) % len(NAMES)], "mobile": f"139{start + i:08d}",
                                   "password_hash": "x", "active": True} for i in range(size)]).scalars().all()
        regs = db.session.execute(
            Registration.__table__.insert().returning(Registration.__table__.c.id, sort_by_parameter_order=True),
            [{"event_id": event.id, "user_id": uid, "status": "confirmed", "created_at": now, "queued_at": now,
              "status_changed_at": now, "ticket_secret": secrets_.token_urlsafe(24), "ticket_generation": 1}
             for uid in ids]).scalars().all()
        scans = [{"checkpoint_id": door.id, "registration_id": rid, "direction": "in", "result": "ok",
                  "scanned_at": starts + timedelta(seconds=start + i), "received_at": now, "device": "bench",
                  "detail": {}} for i, rid in enumerate(regs)]
        scans += [dict(scan, result="already_checked_in", scanned_at=scan["scanned_at"] + timedelta(minutes=5))
                  for scan in scans[::10]]
        db.session.execute(Scan.__table__.insert(), scans)
    db.session.execute(sa.update(Event).where(Event.id == event.id).values(confirmed_count=count))
    db.session.commit()
    return event, admin


def issue_bench(app, count: int) -> None:
    """Issue attendance certificates to an event of `count` attendees as the organiser does (the
    confirming POST of its certificates page); wait for the holders' notices (a background job for
    a big batch); then read the event's certificates page."""
    import sqlalchemy as sa
    from sqlalchemy import event as sa_event

    from app.certificates.models import Certificate
    from app.extensions import db

    event, _admin = build_event(count)
    event_id = event.id
    client = app.test_client()
    assert client.post("/login", data={"login": "13000000000", "password": PASSWORD}).status_code == 302
    url = f"/console/certificates/events/{event_id}"
    client.get(url)  # warm-up: templates, catalogues
    statements = []

    def record(*args):
        statements.append(args[2])

    sa_event.listen(db.engine, "before_cursor_execute", record)
    t0 = time.perf_counter()
    answer = client.post(url, data={"kind": "attendance", "confirm": "1"})
    seconds = time.perf_counter() - t0
    sa_event.remove(db.engine, "before_cursor_execute", record)
    assert answer.status_code == 302, answer.status_code

    def scalar(query):  # on a connection of its own: the test client shares this app context's session
        with db.engine.connect() as connection:
            return connection.scalar(query)

    issued = scalar(sa.select(sa.func.count()).select_from(Certificate))
    print(f"issue (POST): {issued} certificates in {seconds:.2f} s, {len(statements)} statements "
          f"(notices to follow in the background)", flush=True)
    if os.environ.get("BENCH_SQL"):
        from collections import Counter

        print(Counter(s.split("(")[0][:60] for s in statements).most_common(6))
    waiting = None if hasattr(Certificate, "notified_at") else 0  # before issue 19 they were told inline
    while waiting != 0:
        time.sleep(0.5)
        waiting = scalar(sa.select(sa.func.count()).select_from(Certificate).where(Certificate.notified_at.is_(None)))
    print(f"notices: all {issued} holders told {time.perf_counter() - t0:.1f} s after the POST", flush=True)
    times = []
    sa_event.listen(db.engine, "before_cursor_execute", record)
    for _ in range(5):
        statements.clear()
        t0 = time.perf_counter()
        answer = client.get(url)
        body = answer.get_data()
        times.append(time.perf_counter() - t0)
        assert answer.status_code == 200, (answer.status_code, answer.headers.get("Location"))
    times.sort()
    print(f"event page: {len(statements)} statements, median {1000 * times[2]:.0f} ms, "
          f"{len(body) // 1024} KB", flush=True)


def stream_bench(certs, url: str | None = None) -> None:
    """Print `certs` as a print job does: into a temporary file, chunk by chunk. With `url` (the
    database), in a fresh process, as an RQ work horse or `flask certificates print` would: this one
    grew while it built the data."""
    import tempfile as tempfile_

    from app.certificates import printing, rendering

    if url is not None:
        import subprocess

        ids = ",".join(str(c.id) for c in certs)
        with tempfile_.NamedTemporaryFile("w", suffix=".ids", delete=False) as file:
            file.write(ids)
        import resource

        # The rendering workers are forked by a forkserver that outlives the printing process:
        # adopted here (a subreaper) and reaped, their CPU counts in RUSAGE_CHILDREN too.
        _subreaper()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        sampler = _RssSampler()
        subprocess.run([sys.executable, __file__, "--print-db", url, "--ids-file", file.name], check=True)
        sampler.stop()
        _reap_all()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        print(f"all processes of the print: cpu {cpu:.1f}s = {1000 * cpu / len(certs):.2f} ms/cert "
              f"({cpu * 1000 / len(certs):.1f} s per 1,000); {sampler.report()}; "
              f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
        return
    t0, c0 = time.perf_counter(), _cpu()
    with rendering.url_context("https://rencai.minhang.gov.cn"), tempfile_.TemporaryFile() as out:
        printing.render_to(out, certs, "pdf")
        size = out.tell()
        out.seek(0)
        import pikepdf

        pages = len(pikepdf.open(out).pages)
    seconds = time.perf_counter() - t0
    assert pages == len(certs), (pages, len(certs))
    print(f"{len(certs):>12} {'streamed PDF':<14} {seconds:>8.2f} {1000 * seconds / len(certs):>8.1f} "
          f"{size // 1024:>7}KB  cpu {_cpu() - c0:.1f}s", flush=True)


class _RssSampler:
    """The largest resident size seen of each process below this one, sampled every 0.1 s
    (ru_maxrss cannot tell: a child started by fork and exec inherits its parent's peak)."""

    def __init__(self):
        import threading

        self.peaks: dict[str, int] = {}
        self.cpu: dict[str, float] = {}  # as last seen (a process's last 0.1 s may be missed)
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        me = os.getpid()
        while not self.done.wait(0.1):
            parents, rss, names, cpu = {}, {}, {}, {}
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    with open(f"/proc/{pid}/status") as file:
                        fields = dict(line.split(":", 1) for line in file if ":" in line)
                    with open(f"/proc/{pid}/cmdline", "rb") as file:
                        cmd = file.read().replace(b"\0", b" ").decode(errors="replace")
                except OSError:
                    continue
                try:
                    with open(f"/proc/{pid}/stat") as file:
                        ticks = file.read().rsplit(")", 1)[1].split()[11:13]
                except OSError:
                    continue
                cpu[int(pid)] = sum(int(t) for t in ticks) / os.sysconf("SC_CLK_TCK")
                parents[int(pid)] = int(fields["PPid"])
                rss[int(pid)] = int(fields.get("VmRSS", "0 kB").split()[0]) // 1024
                names[int(pid)] = _role(cmd)
            for pid, mb in rss.items():
                ancestor = parents.get(pid)
                while ancestor not in (None, 0, 1, me):
                    ancestor = parents.get(ancestor)
                if ancestor == me:
                    key = f"{names[pid]}[{pid}]"
                    self.peaks[key] = max(self.peaks.get(key, 0), mb)
                    self.cpu[key] = cpu[pid]

    def stop(self) -> None:
        self.done.set()
        self.thread.join()

    def report(self) -> str:
        top = sorted(self.peaks.items(), key=lambda kv: -kv[1])[:6]
        return "peak RSS (and CPU s) " + ", ".join(f"{name} {mb} MB ({self.cpu[name]:.1f}s)" for name, mb in top)


def _role(cmd: str) -> str:
    if "--print-db" in cmd:
        return "printing"
    if "forkserver" in cmd:
        return "forkserver"
    if "pdfjoin" in cmd:
        return "joiner"
    return "worker" if "multiprocessing" in cmd else cmd[:30]


def _subreaper() -> None:
    """Orphaned descendants (the forkserver and its workers) become this process's children."""
    import ctypes

    PR_SET_CHILD_SUBREAPER = 36
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _reap_all() -> None:
    """Wait for every child left (the forkserver exits when the printing process has)."""
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def print_only(args) -> int:
    """The fresh printing process of --stream: the certificates of --ids-file, from --print-db."""
    os.environ.setdefault("APP_ENV", "testing")
    from app import create_app
    from app.certificates.printing import ordered

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=args.print_db, PUBLIC_BASE_URL="https://rencai.minhang.gov.cn",
                     CERTIFICATE_PRINT_PROCESSES=args.processes or None)
    with app.app_context():
        ids = [int(i) for i in Path(args.ids_file).read_text().split(",")]
        stream_bench(ordered(ids))
        print(f"printing process: {peak_rss()}", flush=True)
    return 0


def reprint(args, count: int) -> int:
    """--stream of the certificates a run before built (building 10,000 takes two minutes)."""
    os.environ.setdefault("APP_ENV", "testing")
    from app import create_app
    from app.certificates.models import Certificate
    from app.extensions import db

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=args.db, PUBLIC_BASE_URL="https://rencai.minhang.gov.cn")
    with app.app_context():
        ids = list(db.session.scalars(db.select(Certificate.id).order_by(Certificate.id).limit(count)))
        db.session.remove()
        db.engine.dispose()
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} CPUs, "
          f"reference loop {reference_loop():.2f}s")
    stream_bench([_Id(i) for i in ids], args.db)
    print(f"reference loop {reference_loop():.2f}s")
    return 0


class _Id:
    """What stream_bench reads of a certificate it hands to a fresh process: its id."""

    def __init__(self, id_: int):
        self.id = id_


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="60,1000")
    parser.add_argument("--count", type=int, help="print this many (same as --sizes N)")
    parser.add_argument("--stream", action="store_true", help="print as a print job does, streamed to a file")
    parser.add_argument("--issue", type=int, help="issue to an event of this many attendees, then read its page")
    parser.add_argument("--print-db", help=argparse.SUPPRESS)  # the fresh printing process of --stream
    parser.add_argument("--ids-file", help=argparse.SUPPRESS)
    parser.add_argument("--pg", action="store_true", help="a scratch PostgreSQL database instead of SQLite")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--db", help="with --stream: print the first --count certificates of this database (a URL "
                        "a run before left, e.g. sqlite:////tmp/bench-cert-…/bench.sqlite3) instead of building one")
    parser.add_argument("--each-max", type=int, default=1000, help="skip one-PDF-each above this size")
    parser.add_argument("--profile", help="write a cProfile of the largest one-PDF run here (this process only)")
    parser.add_argument("--processes", type=int, default=0,
                        help="rendering processes per batch (default: CERTIFICATE_PRINT_PROCESSES or the CPU cores)")
    parser.add_argument("--repeat", type=int, default=1, help="run each one-PDF size this many times")
    parser.add_argument("--whole", action="store_true", help="also print every certificate whole (no stamping), "
                        "alternating with the stamped runs")
    args = parser.parse_args()
    sizes = [args.count] if args.count else [int(s) for s in args.sizes.split(",")]
    if args.print_db:
        return print_only(args)
    if args.db:
        return reprint(args, sizes[0])

    os.environ.setdefault("APP_ENV", "testing")
    from flask_migrate import upgrade

    from app import create_app

    workdir = Path(tempfile.mkdtemp(prefix="bench-cert-"))
    url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    if args.pg:
        from common import create_database, drop_database, sa_url

        name = f"minhang_bench_certs_{os.getpid()}"
        create_database(args.pg_url, name)
        url = f"{sa_url(args.pg_url)}/{name}"
    try:
        return run(args, sizes, url, workdir, upgrade, create_app)
    finally:
        if args.pg:
            drop_database(args.pg_url, name)


def run(args, sizes, url, workdir, upgrade, create_app) -> int:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url,
                     UPLOAD_DIR=str(workdir / "uploads"), PUBLIC_BASE_URL="https://rencai.minhang.gov.cn",
                     CERTIFICATE_PRINT_PROCESSES=args.processes or None, WTF_CSRF_ENABLED=False)
    with app.app_context():
        import contextlib
        import io

        with contextlib.redirect_stderr(io.StringIO()):  # alembic's INFO lines
            upgrade()
        if args.issue:
            issue_bench(app, args.issue)
            print(peak_rss())
            from app.extensions import db

            db.session.remove()
            db.engine.dispose()
            return 0
        with app.test_request_context():  # notices pick the request's language
            certs = build(app, max(sizes))
        from app.certificates import stamping

        one_pdf(certs[:stamping.MIN_GROUP])  # warm-up: fonts, fontconfig, imports, the stamping plan
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} CPUs, "
              f"reference loop {reference_loop():.2f}s")
        print(f"{'certificates':>12} {'mode':<14} {'seconds':>8} {'ms/cert':>8} {'size':>9}  breakdown")
        modes = [("one PDF", stamping.MIN_GROUP)] + ([("one PDF, whole", 10 ** 9)] if args.whole else [])
        for n in sizes:
            if args.profile and n == max(sizes):
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
            if args.stream:
                stream_bench(certs[:n], url)
                continue
            for _ in range(args.repeat):
                for mode, min_group in modes:
                    stamping.MIN_GROUP = min_group
                    seconds, phases, size = one_pdf(certs[:n])
                    split = (f"{phases.pop('processes')} processes  {phases.pop('chunks', 1)} chunks  "
                             f"{phases.pop('stamped')} stamped  "
                             + "  ".join(f"{k} {v:.2f}s" for k, v in phases.items()))
                    print(f"{n:>12} {mode:<14} {seconds:>8.2f} {1000 * seconds / n:>8.1f} {size // 1024:>7}KB  "
                          f"{split}", flush=True)
                stamping.MIN_GROUP = modes[0][1]
            if args.profile and n == max(sizes):
                profiler.disable()
                profiler.dump_stats(args.profile)
            if n <= args.each_max:
                seconds, size = each_pdf(certs[:n])
                print(f"{n:>12} {'one PDF each':<14} {seconds:>8.2f} {1000 * seconds / n:>8.1f} {size // 1024:>7}KB",
                      flush=True)
        print(f"reference loop {reference_loop():.2f}s")
        print(peak_rss())
    return 0


if __name__ == "__main__":
    sys.exit(main())
