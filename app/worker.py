"""The RQ worker: every job runs inside the app, in an app context (and so a database session) of
its own, removed after the job.

The worker gets its app from whoever starts it and builds none itself (nothing in `app/` imports
the package root): `flask rq worker` passes the CLI's app; a bare
`rq worker --worker-class worker.Worker …` uses `worker.Worker` beside wsgi.py, which builds the
app from the environment once per worker process. Each job runs in a forked work horse (RQ's
`Worker`), which inherits the app built by its parent.
"""
from __future__ import annotations

import logging
import os

from flask import Flask, current_app, has_app_context
from rq import SimpleWorker, Worker

from app import background, request_id
from app.extensions import db

log = logging.getLogger(__name__)


class AppContextJobs:
    """Mixed into an RQ worker class: its jobs run in an app context of their own. Give it `app=`,
    start it inside an app context, or subclass it with `make_app()`."""

    def __init__(self, *args, app: Flask | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if app is None and has_app_context():
            app = current_app._get_current_object()
        self._app = app
        self._app_pid = os.getpid()

    def make_app(self) -> Flask:
        raise RuntimeError("AppWorker needs an app: pass app=…, run `flask rq worker`, or use "
                           "`rq worker --worker-class worker.Worker`")

    @property
    def app(self) -> Flask:
        if self._app is None:
            self._app = self.make_app()
            self._app_pid = os.getpid()
        return self._app

    def work(self, *args, **kwargs):
        _ = self.app  # built now, in the worker process, so that every work horse inherits it
        return super().work(*args, **kwargs)

    def perform_job(self, job, *args, **kwargs):
        token = request_id.set_outside_request((job.meta or {}).get("request_id"))
        try:
            return self._perform_in_app(job, *args, **kwargs)
        finally:
            request_id.reset_outside_request(token)

    def _perform_in_app(self, *args, **kwargs):
        with self.app.app_context():
            if os.getpid() != self._app_pid:
                # A forked work horse: the pool's connections (if the parent opened any) belong to
                # the parent; leave them to it and open this process's own.
                for engine in db.engines.values():
                    engine.dispose(close=False)
            try:
                return super().perform_job(*args, **kwargs)
            finally:
                db.session.remove()


    def run_maintenance_tasks(self, *args, **kwargs):
        """RQ's maintenance (its registry cleanup retries or fails abandoned jobs, calling their
        failure callbacks) in an app context, then the sweep of the app's records of background
        work (app/background.py): every maintenance interval (10 minutes) of every worker."""
        with self.app.app_context():
            try:
                super().run_maintenance_tasks(*args, **kwargs)
                try:
                    background.sweep()
                except Exception:  # noqa: BLE001 - a sweep that fails is logged; the worker works on
                    log.exception("sweeping the records of background work failed")
            finally:
                db.session.remove()


class AppWorker(AppContextJobs, Worker):
    """The production worker: each job in a forked work horse, in an app context of its own."""


class AppSimpleWorker(AppContextJobs, SimpleWorker):
    """The same without forking (tests, or a platform without fork): each job still gets an app
    context and a database session of its own, never the caller's."""
