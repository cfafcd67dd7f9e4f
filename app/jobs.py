"""Background jobs: RQ when REDIS_URL is set (`flask rq worker`, with its scheduler for jobs
that run at a given time), otherwise the caller's fallback (a thread, or inline).

A job function is a plain module-level function taking ids; it runs in an app context and a
database session of its own (`in_app`), so it never shares the enqueuing request's session.
"""
from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app, has_app_context

log = logging.getLogger(__name__)

_worker_app = None


def redis_url() -> str | None:
    return current_app.config.get("REDIS_URL") or None


def queue(name: str):
    from redis import Redis
    from rq import Queue

    return Queue(name, connection=Redis.from_url(redis_url()))


def notifications_queue_name() -> str:
    return current_app.config.get("NOTIFICATIONS_QUEUE") or "notifications"


def enqueue(queue_name: str, func, *args, at: datetime | None = None, job_id: str | None = None):
    """Run `func(*args)` in a worker now, or at `at` (RQ's scheduler: the worker must run
    with_scheduler, which `flask rq worker` does). An existing job with the same id is replaced."""
    q = queue(queue_name)
    if at is None:
        return q.enqueue(func, *args, job_id=job_id, job_timeout=600)
    return q.enqueue_at(at, func, *args, job_id=job_id, job_timeout=600)


def the_app():
    """The app of the current context (`flask rq worker`, a test), or one built from the
    environment once per process (a bare `rq worker`)."""
    global _worker_app
    if has_app_context():
        return current_app._get_current_object()
    if _worker_app is None:
        from app import create_app

        _worker_app = create_app()
    return _worker_app


def in_app(app, func, *args):
    """`func(*args)` in an app context (and so a database session) of its own, closed after."""
    from app.extensions import db

    with app.app_context():
        try:
            return func(*args)
        finally:
            db.session.remove()
