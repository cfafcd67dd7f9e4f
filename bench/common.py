"""Pieces shared by the HTTP benchmarks (bench/registration.py, bench/checkin.py).

Scratch PostgreSQL databases, a gunicorn server started and stopped around a run, CPU
accounting from /proc (gunicorn, our PostgreSQL backends, PostgreSQL's background processes,
everything else on a shared machine), a pg_stat_activity sampler, percentiles and the cProfile
report of bench/instrumented_wsgi.py. Standard library plus the project's venv only.
"""
from __future__ import annotations

import contextlib
import http.client
import io
import json
import math
import os
import resource
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
HOST = "127.0.0.1"
CLK_TCK = os.sysconf("SC_CLK_TCK")
NCPU = os.cpu_count() or 1


def server_arguments(p, *, bare_script: str, timeout: float, out_dir_help: str,
                     more_targets: dict[str, str] | None = None) -> None:
    """The options every HTTP benchmark shares: which server, how many workers and threads,
    the database pool, profiling and the machine.

    2 sync workers by default, chosen by measurement on the 2-core bench machine: for the app
    and the bare endpoints alike they match or beat 3, 4 and 6 sync workers and gthread (2x1,
    2x2, 2x4, 3x1); the work is CPU-bound and requests of one event queue for the same row lock,
    so extra workers add contention, not parallelism (README, Benchmarks)."""
    more = more_targets or {}
    p.add_argument("--target", choices=("app", "bare", *more), default="app",
                   help=f"the app (wsgi:app) or the bare comparison endpoint ({bare_script})"
                        + "".join(f", or {name} ({script})" for name, script in more.items()))
    p.add_argument("--workers", "-w", type=int, default=2, help="gunicorn workers [%(default)s]")
    p.add_argument("--worker-class", "-k", choices=("sync", "gthread"), default="sync",
                   help="gunicorn worker class [%(default)s]")
    p.add_argument("--threads", type=int, default=None,
                   help="threads per worker (gthread; default 1 for sync, 4 for gthread)")
    p.add_argument("--pool-size", type=int, default=None, help="DB_POOL_SIZE per worker [threads]")
    p.add_argument("--max-overflow", type=int, default=None, help="DB_MAX_OVERFLOW per worker [2]")
    p.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432",
                   help="PostgreSQL server (trust auth, no database part) [%(default)s]")
    p.add_argument("--timeout", type=float, default=timeout,
                   help="give up on the measured run after this many seconds [%(default)s]")
    p.add_argument("--profile", action="store_true",
                   help="cProfile the measured requests inside the workers and print the top functions")
    p.add_argument("--pg-activity", action="store_true",
                   help="sample pg_stat_activity every 50 ms during the run (what the backends wait on)")
    p.add_argument("--out-dir", default=None, help=out_dir_help)
    p.add_argument("--top", type=int, default=30, help="functions shown per profile table [%(default)s]")
    p.add_argument("--wait-quiet", type=float, default=60.0, metavar="SECONDS",
                   help="before measuring, wait up to SECONDS for other load on the machine to drop "
                        "below 10%% (the machine may be shared) [%(default)s]")
    p.add_argument("--keep-db", action="store_true", help="do not drop the database at the end")


def settle_server_arguments(p, args) -> None:
    """Defaults that depend on other options, and the combinations that make no sense."""
    if args.threads is None:
        args.threads = 4 if args.worker_class == "gthread" else 1
    if args.threads > 1 and args.worker_class == "sync":
        p.error("--threads > 1 needs --worker-class gthread")
    if args.pool_size is None:
        args.pool_size = max(1, args.threads)
    if args.max_overflow is None:
        args.max_overflow = 2


def log(msg: str = "") -> None:
    print(msg, flush=True)



# ---------------------------------------------------------------------------------------------
# database and data
# ---------------------------------------------------------------------------------------------
def sa_url(url: str) -> str:
    return "postgresql+psycopg://" + url.split("://", 1)[1]


def create_database(pg_url: str, name: str) -> None:
    import sqlalchemy as sa

    admin = sa.create_engine(sa_url(pg_url) + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def drop_database(pg_url: str, name: str) -> None:
    import sqlalchemy as sa

    admin = sa.create_engine(sa_url(pg_url) + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()



# ---------------------------------------------------------------------------------------------
# gunicorn
# ---------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def gunicorn_command() -> list[str]:
    candidate = Path(sys.executable).with_name("gunicorn")
    if candidate.exists():
        return [str(candidate)]
    venv = ROOT / ".venv" / "bin" / "gunicorn"
    if venv.exists():
        return [str(venv)]
    return [sys.executable, "-m", "gunicorn"]


class Gunicorn:
    """gunicorn serving `target` ("wsgi:app", or a module of bench/ such as "bare_registration:app")
    with production settings. `args` carries workers, worker_class, threads, pool_size, max_overflow
    and, with `out_dir`, profile/phases: the requests to `measure_path` are then instrumented by
    bench/instrumented_wsgi.py. `extra_env` is added to the server's environment."""

    def __init__(self, args, db_url: str, port: int, log_path: Path, target: str, measure_path: str = "",
                 out_dir: Path | None = None, extra_env: dict | None = None):
        self.args, self.port, self.log_path = args, port, log_path
        env = dict(os.environ)
        env.update(APP_ENV="production", SECRET_KEY="bench-secret-" + secrets.token_hex(8),
                   DATABASE_URL=db_url, RATELIMIT_ENABLED="0", LOG_LEVEL="WARNING",
                   DB_POOL_SIZE=str(args.pool_size), DB_MAX_OVERFLOW=str(args.max_overflow),
                   PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), str(BENCH), env.get("PYTHONPATH")])))
        env.update(extra_env or {})
        env.pop("MAIL_SERVER", None)
        cmd = gunicorn_command() + [
            "--workers", str(args.workers), "--worker-class", args.worker_class, "--threads", str(args.threads),
            "--bind", f"{HOST}:{port}", "--backlog", "2048", "--keep-alive", "5", "--timeout", "60",
            "--graceful-timeout", "20", "--log-level", "warning", "--error-logfile", str(log_path),
            "--chdir", str(ROOT)]
        if out_dir is not None:
            env.update(BENCH_WRAP_TARGET=target, BENCH_MEASURE_PATH=measure_path, BENCH_OUT_DIR=str(out_dir),
                       BENCH_PROFILE="1" if args.profile else "0",
                       BENCH_PHASES="1" if getattr(args, "phases", False) else "0")
            cmd += ["--config", str(BENCH / "gunicorn_instrumented.py"), "instrumented_wsgi:app"]
        else:
            cmd += [target]
        self.cmd = cmd
        # The app logs (unhandled errors included) to stdout: keep them with gunicorn's own log.
        self._log_file = open(log_path, "ab")
        self.proc = subprocess.Popen(cmd, cwd=str(ROOT), env=env, stdin=subprocess.DEVNULL,
                                     stdout=self._log_file, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def wait_healthy(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", "/healthz")
                resp = conn.getresponse()
                resp.read()
                conn.close()
                if resp.status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn not healthy after {timeout:.0f} s:\n{self.log_tail()}")

    def worker_pids(self) -> list[int]:
        return [pid for pid, ppid, _ in _processes() if ppid == self.pid]

    def stop(self) -> None:
        if self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)  # graceful: workers finish and run worker_exit
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)  # the session gunicorn was started in
            self.proc.wait(timeout=10)
        self._log_file.close()


# ---------------------------------------------------------------------------------------------
# CPU accounting from /proc
# ---------------------------------------------------------------------------------------------
def _processes():
    """(pid, ppid, comm) of every process, with utime+stime ticks available via _ticks()."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                raw = fh.read().decode(errors="replace")
        except OSError:
            continue
        comm = raw[raw.index("(") + 1:raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2:].split()
        out.append((int(entry), int(fields[1]), comm))
    return out


def _ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            raw = fh.read().decode(errors="replace")
    except OSError:
        return 0
    fields = raw[raw.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])  # utime, stime


def _machine_ticks() -> tuple[int, int]:
    with open("/proc/stat") as fh:
        parts = [int(x) for x in fh.readline().split()[1:]]
    total = sum(parts[:8])  # user nice system idle iowait irq softirq steal
    idle = parts[3] + parts[4]
    return total, idle


def background_load(seconds: float = 1.0) -> float:
    """Share of the machine's CPU busy with other work (nothing of ours is running yet)."""
    total0, idle0 = _machine_ticks()
    time.sleep(seconds)
    total1, idle1 = _machine_ticks()
    return 1.0 - (idle1 - idle0) / max(total1 - total0, 1)


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def cpu_snapshot(gunicorn_pid: int, dbname: str) -> dict:
    """Per-process CPU ticks: gunicorn, our PostgreSQL backends, PostgreSQL's own background
    processes, and everything else (other people's tests and their PostgreSQL backends)."""
    groups: dict[str, dict] = {"gunicorn": {}, "postgres": {}, "pg background": {}, "other": {}}
    names = {}
    me = os.getpid()
    for pid, ppid, comm in _processes():
        if pid == gunicorn_pid or ppid == gunicorn_pid:
            group = "gunicorn"
        elif comm.startswith("postgres") or comm.startswith("postmaster"):
            cmd = _cmdline(pid)
            if f" {dbname} " in cmd:
                group = "postgres"
            elif " 127.0.0.1(" in cmd or "[local]" in cmd or " ::1(" in cmd:
                group, comm = "other", "postgres backend: " + cmd.split(":", 2)[-1].strip()[:40]
            else:
                group = "pg background"
        elif pid == me or ppid == me:
            continue  # this script and its client processes: measured with getrusage
        else:
            group = "other"
        groups[group][pid] = _ticks(pid)
        names[pid] = comm
    with open("/proc/stat") as fh:
        fields = [int(x) for x in fh.readline().split()[1:9]]
    return {"groups": groups, "names": names, "stat": fields, "self": resource.getrusage(resource.RUSAGE_SELF)}


def cpu_delta(before: dict, after: dict) -> dict:
    result = {}
    for group in ("gunicorn", "postgres", "pg background", "other"):
        ticks = 0
        for pid, end in after["groups"][group].items():
            ticks += end - before["groups"][group].get(pid, 0)  # processes born during the run start at 0
        result[group] = ticks / CLK_TCK
    per_process = Counter()
    for pid, end in after["groups"]["other"].items():
        per_process[f"{after['names'][pid]} ({pid})"] = (end - before["groups"]["other"].get(pid, 0)) / CLK_TCK
    result["other top"] = [(k, v) for k, v in per_process.most_common(4) if v > 0]
    ru0, ru1 = before["self"], after["self"]
    result["bench main"] = (ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)
    d = [b - a for a, b in zip(before["stat"], after["stat"])]  # user nice system idle iowait irq softirq steal
    result["machine total"] = sum(d) / CLK_TCK
    result["machine busy"] = (sum(d) - d[3] - d[4]) / CLK_TCK
    result["kernel irq+softirq"] = (d[5] + d[6]) / CLK_TCK
    result["steal"] = d[7] / CLK_TCK
    return result


# ---------------------------------------------------------------------------------------------
# pg_stat_activity sampler
# ---------------------------------------------------------------------------------------------
class PgActivity(threading.Thread):
    def __init__(self, db_url: str, dbname: str, interval: float = 0.05):
        super().__init__(daemon=True)
        self.db_url, self.dbname, self.interval = db_url, dbname, interval
        self.counts: Counter = Counter()
        self.samples = 0
        self.stop_event = threading.Event()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.db_url, autocommit=True) as conn:
            while not self.stop_event.wait(self.interval):
                rows = conn.execute(
                    "SELECT coalesce(state, '?'), coalesce(wait_event_type || ':' || wait_event, 'on CPU'),"
                    " count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
                    " AND backend_type = 'client backend' GROUP BY 1, 2", (self.dbname,)).fetchall()
                self.samples += 1
                for state, wait, n in rows:
                    self.counts[(state, wait)] += n

    def stop(self) -> None:
        self.stop_event.set()
        self.join(timeout=5)


# ---------------------------------------------------------------------------------------------
# reporting
# ---------------------------------------------------------------------------------------------
def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def report_profile(out_dir: Path, top: int) -> None:
    import pstats

    files = sorted(out_dir.glob("worker-*.prof"))
    requests = sum(json.loads(p.read_text())["requests"] for p in out_dir.glob("worker-*.json"))
    if not files or not requests:
        log("  (no profile data: did the workers exit cleanly?)")
        return
    stats = pstats.Stats(str(files[0]))
    for f in files[1:]:
        stats.add(str(f))
    combined = out_dir / "combined.prof"
    stats.dump_stats(str(combined))
    site = next((p for p in sys.path if p.endswith("site-packages")), None)
    for key, title in (("cumulative", "cumulative time"), ("tottime", "own time")):
        buf = io.StringIO()
        pstats.Stats(str(combined), stream=buf).sort_stats(key).print_stats(top)
        text = buf.getvalue()
        text = text.replace(str(ROOT) + "/", "")
        if site:
            text = text.replace(site + "/", "")
        text = text.replace(os.path.dirname(os.__file__) + "/", "")
        lines = text.splitlines()
        start = next((i for i, line in enumerate(lines) if line.strip().startswith("ncalls")), 0)
        log(f"\n== profile: top {top} by {title} over {requests} measured requests "
            f"(per request: divide by {requests}; cProfile roughly doubles Python time)")
        for line in lines[start:]:
            if line.strip():
                log("  " + line[:200])
    log(f"\n  combined profile: {combined}  (python -m pstats {combined})")

def wait_for_quiet(seconds: float) -> float:
    """Wait up to `seconds` for other load on the (shared) machine to drop below 10 %; returns it."""
    other = background_load(1.0)
    until = time.monotonic() + seconds
    while other > 0.10 and time.monotonic() < until:
        log(f"  waiting for a quiet machine: other load {100 * other:.0f}%")
        other = background_load(2.0)
    log(f"  other load on the machine before starting: {100 * other:.0f}% of {NCPU} CPUs"
        + ("  <-- WARNING: something else is using the CPU; figures will be low" if other > 0.10 else ""))
    return other


def report_cpu(cpu: dict, client_cpu: float, elapsed: float, n: int, unit: str) -> None:
    """The CPU table: who used the machine during the measured run, per run and per request."""
    busy, total = cpu["machine busy"], cpu["machine total"]
    log(f"\n  CPU during the run (core-seconds; the machine had {total:.1f} = {NCPU} cores × {elapsed:.1f} s, "
        f"{100 * busy / max(total, 1e-9):.0f}% busy)")
    rows = [("gunicorn (master + workers)", cpu["gunicorn"]), ("postgres (our backends)", cpu["postgres"]),
            ("postgres (wal writer, checkpointer...)", cpu["pg background"]),
            ("load generator (client processes)", client_cpu), ("bench main process", cpu["bench main"]),
            ("other processes (not ours)", cpu["other"]), ("kernel irq/softirq", cpu["kernel irq+softirq"]),
            ("steal (hypervisor)", cpu["steal"])]
    for name, value in rows:
        log(f"    {name:<36} {value:6.2f}  {100 * value / max(total, 1e-9):5.1f}% of machine  "
            f"{1000 * value / max(n, 1):6.2f} ms/{unit}")
    if cpu["other"] > 0.1 * total:
        log("    WARNING: other processes used "
            f"{100 * cpu['other'] / total:.0f}% of the machine during the run; figures are depressed. Top: "
            + ", ".join(f"{name} {value:.1f}" for name, value in cpu["other top"]))


def report_gunicorn_errors(gunicorn: Gunicorn) -> None:
    tail = [line for line in gunicorn.log_tail(200).splitlines()
            if " [ERROR] " in line or " ERROR " in line or "Traceback" in line or " [CRITICAL] " in line]
    if tail:
        log(f"\n  gunicorn logged {len(tail)} error lines, e.g.:")
        for line in tail[:5]:
            log("    " + line[:200])


def _raise_exit(signum, _frame):
    raise SystemExit(128 + signum)

