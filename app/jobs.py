"""Background jobs, the one place that hands work over: to RQ when REDIS_URL is set (a worker
from app/worker.py runs them, with its scheduler for jobs due at a given time), otherwise to a
thread of this process (development, small installations).

A job function is a plain module-level function taking ids. It assumes an app context and
never builds an app: the worker (`flask rq worker`, or `rq worker --worker-class worker.Worker`)
and the thread fallbacks here run it in an app context, and so a database session, of its own,
never the enqueuing request's.
"""
from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Callable

from flask import Flask, current_app
from redis import Redis
from rq import Callback, Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from app import request_id
from app.extensions import db
from app.timeutil import LOCAL_TZ

log = logging.getLogger(__name__)


def redis_url() -> str | None:
    return current_app.config.get("REDIS_URL") or None


def queue(name: str) -> Queue:
    return Queue(name, connection=Redis.from_url(redis_url()))


def notifications_queue_name() -> str:
    return current_app.config.get("NOTIFICATIONS_QUEUE") or "notifications"


# The retry policy of every job, by kind: (attempts after the first, seconds before each, timeout).
# A retry waits in RQ's scheduler, which `flask rq worker` runs. A job must be idempotent under a
# retry: notices claim their row and commit its outcome (never sent twice), a print batch or a
# report starts again from its inputs and replaces its output.
NOTICE, PRINT, REPORT = "notice", "print", "report"
POLICY: dict[str, tuple[int, list[int], int]] = {
    NOTICE: (3, [10, 60, 300], 600),    # an SMS, a mail, a reminder, a daily sending: a few quick retries
    # A batch or a report whose worker died is worth trying again soon (the clerk is waiting for it);
    # one that raised will most likely raise again, so the second retry waits longer.
    PRINT: (2, [10, 300], 3600),        # a batch of certificates
    REPORT: (2, [10, 300], 1800),       # a plan report
}


def retry_of(kind: str) -> Retry | None:
    attempts, intervals, _timeout = POLICY[kind]
    return Retry(max=attempts, interval=intervals) if attempts else None


def timeout_of(kind: str) -> int:
    return POLICY[kind][2]


def enqueue(queue_name: str, func, *args, at: datetime | None = None, job_id: str | None = None,
            kind: str = NOTICE, on_failure: Callable | None = None, meta: dict | None = None):
    """Run `func(*args)` in a worker now, or at `at` (RQ's scheduler: the worker must run
    with_scheduler, which `flask rq worker` does), retried as POLICY says for its `kind`; RQ calls
    `on_failure` after each failed attempt. An existing job with the same id is replaced."""
    q = queue(queue_name)
    if job_id:
        _forget_ended(q, job_id)
    # The job's log lines carry the id of the request that asked for it (app/worker.py).
    if rid := request_id.current():
        meta = {**(meta or {}), "request_id": rid}
    options = dict(job_id=job_id, job_timeout=timeout_of(kind), retry=retry_of(kind), meta=meta,
                   on_failure=Callback(on_failure) if on_failure else None)
    if at is None:
        return q.enqueue(func, *args, **options)
    return q.enqueue_at(at, func, *args, **options)


def _forget_ended(q: Queue, job_id: str) -> None:
    """A job offered again under its id starts afresh: the ended one leaves RQ's registries (a
    failed one would stay listed as failed, for the sweeper and for operators)."""
    try:
        old = Job.fetch(job_id, connection=q.connection)
    except NoSuchJobError:
        return
    if old.get_status() in (JobStatus.FAILED, JobStatus.FINISHED, JobStatus.STOPPED, JobStatus.CANCELED):
        old.delete()


def schedule_daily(func, *, job_id: str, hour_utc: int, now: datetime | None = None):
    """With Redis: `func` at the next `hour_utc`:00 UTC, one job whatever restarts happen (the fixed
    job id replaces the scheduled one). A daily job calls this again when it has run."""
    now = now or datetime.now(timezone.utc)
    at = now.astimezone(timezone.utc).replace(hour=hour_utc, minute=0, second=0, microsecond=0)
    if at <= now:
        at += timedelta(days=1)
    return enqueue(notifications_queue_name(), func, at=at, job_id=job_id)


def next_first_of_month(now: datetime, hour_local: int) -> datetime:
    """The next 1st of a month at `hour_local`:00 in Shanghai strictly after `now`, in UTC."""
    local = now.astimezone(LOCAL_TZ)
    at = local.replace(day=1, hour=hour_local, minute=0, second=0, microsecond=0)
    if at <= local:
        at = at.replace(year=at.year + (at.month == 12), month=at.month % 12 + 1)
    return at.astimezone(timezone.utc)


def schedule_monthly(func, *, job_id: str, hour_local: int, now: datetime | None = None):
    """With Redis: `func` on the next 1st of a month at `hour_local`:00 Shanghai time (the monthly
    report), one job whatever restarts happen. A monthly job calls this again when it has run."""
    at = next_first_of_month(now or datetime.now(timezone.utc), hour_local)
    return enqueue(notifications_queue_name(), func, at=at, job_id=job_id)


def in_app(app: Flask, func: Callable, *args):
    """`func(*args)` in an app context (and so a database session) of its own, closed after."""
    with app.app_context():
        try:
            return func(*args)
        finally:
            db.session.remove()


def in_thread(func: Callable, *args, name: str | None = None, delay: float = 0,
              finish_before_exit: bool = False) -> threading.Thread:
    """Without Redis: `func(*args)` in a daemon thread of this process (after `delay` seconds), in
    an app context of its own of the current app. With `finish_before_exit` the thread is not a
    daemon: the interpreter joins it before the process exits, so work that would otherwise be
    lost (a command that issues certificates and returns) is finished first."""
    app = current_app._get_current_object()
    if delay > 0:
        thread = threading.Timer(delay, in_app, args=(app, func, *args))
    else:
        thread = threading.Thread(target=in_app, args=(app, func, *args))
    if name:
        thread.name = name
    thread.daemon = not finish_before_exit
    thread.start()
    return thread


def every(app: Flask, seconds: int, func: Callable, name: str) -> None:
    """Without Redis: `func()` every `seconds` in a daemon thread, each time in an app context of
    its own; a failure is logged and the next round runs all the same."""

    def loop():
        while True:
            time.sleep(seconds)
            try:
                in_app(app, func)
            except Exception:  # noqa: BLE001 - keep going; the log says what went wrong
                log.exception("%s failed", name)

    threading.Thread(target=loop, name=name, daemon=True).start()


_sweepers: set[str] = set()
_sweepers_lock = threading.Lock()


def dev_sweeper(app: Flask, setting: str, func: Callable, name: str) -> None:
    """Development without Redis: `func()` every `app.config[setting]` seconds in a daemon thread,
    started once per process by the first request (not by CLI commands; never in tests)."""
    seconds = int(app.config.get(setting) or 0)
    if not seconds or app.config.get("REDIS_URL") or app.config.get("TESTING"):
        return
    with _sweepers_lock:
        if name in _sweepers:
            return
        _sweepers.add(name)
    every(app, seconds, func, name)
