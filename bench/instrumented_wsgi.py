"""WSGI wrapper for bench/registration.py --profile / --phases (benchmark tooling only).

gunicorn serves `instrumented_wsgi:app` (with `--pythonpath bench -c bench/gunicorn_instrumented.py`),
which wraps the real application named by BENCH_WRAP_TARGET ("wsgi:app" or "bare_registration:app").
Only requests whose path is BENCH_MEASURE_PATH (the measured event's registration URL) are
instrumented, so health checks and the warm-up event stay out of the figures.

BENCH_PROFILE=1  cProfile each measured request (one profiler per worker thread).
BENCH_PHASES=1   time each measured request's phases: before the event lock, waiting for the
                 lock, holding it (lock acquired -> commit returned) and after the commit.
                 For the app this wraps app.registrations.services.lock_event and the API's
                 commit(); the bare endpoint calls its own phase_hook.

BENCH_WHATIF=a,b  what-if experiments for the app (monkeypatches in the benchmark's workers only,
                 the app's code is untouched), to size suggested changes:
                   no_pre_ping           engine pool without pool_pre_ping (no SELECT 1 per checkout)
                   no_expire_on_commit   the session keeps loaded state after commit
                   skip_empty_sessions   _allocate_sessions() returns at once when there are no bookings
                   no_key_update_lock    lock_event() takes FOR NO KEY UPDATE instead of FOR UPDATE: it
                                         still serialises registrations, but no longer conflicts with
                                         the FOR KEY SHARE locks that inserting registrations (foreign
                                         key to events) take on the event row
                 "all" means all of them. (Earlier experiments -- one waiting-list count, a lock that
                 refreshes only the deciding columns, token+user in one query, no post-commit outbox
                 reload -- were dropped once the app adopted them in commit f477121.)

Results go to BENCH_OUT_DIR/worker-<pid>.{prof,json} when the worker exits
(gunicorn's worker_exit hook, see bench/gunicorn_instrumented.py).
"""
from __future__ import annotations

import cProfile
import importlib
import json
import os
import pstats
import threading
import time

TARGET = os.environ.get("BENCH_WRAP_TARGET", "wsgi:app")
MEASURE_PATH = os.environ.get("BENCH_MEASURE_PATH", "")
OUT_DIR = os.environ.get("BENCH_OUT_DIR", "")
PROFILE = os.environ.get("BENCH_PROFILE") == "1"
PHASES = os.environ.get("BENCH_PHASES") == "1"
WHATIF = {w.strip() for w in os.environ.get("BENCH_WHATIF", "").split(",") if w.strip()}
WHATIF_ALL = {"no_pre_ping", "no_expire_on_commit", "skip_empty_sessions", "no_key_update_lock"}
if "all" in WHATIF:
    WHATIF = (WHATIF - {"all"}) | WHATIF_ALL
if WHATIF - WHATIF_ALL:
    raise SystemExit(f"unknown BENCH_WHATIF experiments: {sorted(WHATIF - WHATIF_ALL)}")

_module_name, _attr = TARGET.split(":")
_target_module = importlib.import_module(_module_name)
inner = getattr(_target_module, _attr)

_local = threading.local()
_lock = threading.Lock()
_profiles: list[cProfile.Profile] = []
_records: list[dict] = []
_dumped = False


def _mark(name: str) -> None:
    marks = getattr(_local, "marks", None)
    if marks is not None:
        marks[name] = time.perf_counter()


def _install_phase_marks() -> None:
    if _module_name == "wsgi":
        from app.api import views as api_views
        from app.registrations import services as reg

        lock_event, commit = reg.lock_event, api_views.commit

        def timed_lock_event(*args, **kwargs):
            _mark("lock_start")
            result = lock_event(*args, **kwargs)
            _mark("lock_acquired")
            return result

        def timed_commit(*args, **kwargs):
            _mark("commit_start")
            result = commit(*args, **kwargs)
            _mark("commit_end")
            return result

        reg.lock_event = timed_lock_event
        api_views.commit = timed_commit

        # transaction.commit() imports deliver_after_commit at call time, right after
        # db.session.commit() returned: its start is the moment the lock was released.
        from app.notifications import services as notifications

        deliver_after_commit = notifications.deliver_after_commit

        def timed_deliver_after_commit(*args, **kwargs):
            _mark("committed")
            return deliver_after_commit(*args, **kwargs)

        notifications.deliver_after_commit = timed_deliver_after_commit
    elif hasattr(_target_module, "phase_hook"):
        _target_module.phase_hook = _mark


def _install_whatif() -> None:
    from app.extensions import db
    from app.registrations import services as reg

    if "no_pre_ping" in WHATIF:
        with inner.app_context():
            db.engine.pool._pre_ping = False
    if "no_expire_on_commit" in WHATIF:
        db.session.session_factory.configure(expire_on_commit=False)
    if "skip_empty_sessions" in WHATIF:
        allocate_sessions = reg._allocate_sessions

        def lean_allocate_sessions(registration):
            if registration.bookings:
                allocate_sessions(registration)

        reg._allocate_sessions = lean_allocate_sessions
    if "no_key_update_lock" in WHATIF:
        columns = getattr(reg, "_DECIDING_COLUMNS", None)

        def no_key_update_lock_event(event):
            db.session.refresh(event, columns, with_for_update={"key_share": True})
            return event

        reg.lock_event = no_key_update_lock_event


if WHATIF and _module_name == "wsgi":
    _install_whatif()
if PHASES:  # after the experiments, so the timers wrap whatever they installed
    _install_phase_marks()


def app(environ, start_response):
    if environ.get("PATH_INFO") != MEASURE_PATH or environ.get("REQUEST_METHOD") != "POST":
        return inner(environ, start_response)
    profiler = None
    if PROFILE:
        profiler = getattr(_local, "profiler", None)
        if profiler is None:
            profiler = _local.profiler = cProfile.Profile()
            with _lock:
                _profiles.append(profiler)
    marks = _local.marks = {"start": time.perf_counter()}
    if profiler is not None:
        profiler.enable()
    try:
        body = inner(environ, start_response)
        try:
            chunks = list(body)
        finally:
            if hasattr(body, "close"):
                body.close()
    finally:
        if profiler is not None:
            profiler.disable()
        marks["end"] = time.perf_counter()
        _local.marks = None
        with _lock:
            _records.append(marks)
    return chunks


def dump() -> None:
    """Write this worker's results (called once, from gunicorn's worker_exit hook)."""
    global _dumped
    if _dumped or not OUT_DIR:
        return
    _dumped = True
    pid = os.getpid()
    with _lock:
        profiles, records = list(_profiles), list(_records)
    if profiles:
        stats = pstats.Stats(profiles[0])
        for other in profiles[1:]:
            stats.add(other)
        stats.dump_stats(os.path.join(OUT_DIR, f"worker-{pid}.prof"))
    with open(os.path.join(OUT_DIR, f"worker-{pid}.json"), "w", encoding="utf-8") as fh:
        json.dump({"pid": pid, "requests": len(records), "records": records}, fh)
