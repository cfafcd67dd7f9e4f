"""WSGI wrapper for bench/registration.py --profile / --phases (benchmark tooling only).

gunicorn serves `instrumented_wsgi:app` (with `--pythonpath bench -c bench/gunicorn_instrumented.py`),
which wraps the real application named by BENCH_WRAP_TARGET ("wsgi:app" or "bare_registration:app").
Only POST requests whose path is BENCH_MEASURE_PATH (the measured event's registration URL; a
`*` in it stands for any part, as in bench/heartbeat.py's "/online/j/*/heartbeat") are
instrumented, so health checks and the warm-up event stay out of the figures.

BENCH_PROFILE=1  cProfile each measured request (one profiler per worker thread).
BENCH_PHASES=1   time each measured request's phases: before the event lock, waiting for the
                 lock, holding it (lock acquired -> commit returned) and after the commit.
                 For the app this wraps app.registrations.services.lock_event and the API's
                 commit(); the bare endpoint calls its own phase_hook.

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


if PHASES:
    _install_phase_marks()


def _measured(path: str) -> bool:
    # "/online/j/*/heartbeat": every viewer's heartbeat URL (bench/heartbeat.py)
    head, star, tail = MEASURE_PATH.partition("*")
    if not star:
        return path == MEASURE_PATH
    return path.startswith(head) and path.endswith(tail) and len(path) > len(head) + len(tail)


def app(environ, start_response):
    if not _measured(environ.get("PATH_INFO", "")) or environ.get("REQUEST_METHOD") != "POST":
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
