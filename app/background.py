"""Records of background work: a row (a print batch, a report run) that tells any web process how
far its job got, and that never stays "queued" or "running" once the job is gone.

A model mixes in `BackgroundWork`: its status moves queued → running → done | failed (and
failed → queued when someone retries it) through app/transitions.py, and it names its RQ job.
The row ends "failed" with a reason (`Failure`, a translated label) when
- the job raised after its last retry: the job records it (`job_error`), and RQ's on_failure
  callback (`job_failed`) covers what the job did not catch and RQ's own abandoned-job cleanup;
- the work horse was killed or the whole worker died: RQ retries the job (the next attempt takes
  the "running" row over) or moves it to its failed registry, where `sweep` finds it;
- the job ran past its timeout and GRACE, or its RQ job is missing: `sweep`.
`sweep` runs in every worker's maintenance (app/worker.py) and, without Redis, in a thread of the
web process (app/__init__.py), where a running row whose heartbeat stopped has lost its thread.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import ClassVar

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from redis import Redis
from rq import get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus as RQStatus
from sqlalchemy.orm import Mapped, mapped_column

from app import jobs, metrics
from app.errors import Conflict
from app.extensions import db
from app.labels import LabelledEnum
from app.locking import lock_objects
from app.timeutil import UTCDateTime, as_utc, utcnow
from app.transitions import Stateful

log = logging.getLogger(__name__)
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
ACTIVE = (QUEUED, RUNNING)
# How long a row may look dead before the sweeper calls it so: RQ's scheduler and worker
# heartbeats are well inside it.
GRACE = 120
# With Redis: a started job of which neither RQ's worker (it beats every 30 s while it watches a
# work horse) nor the job itself gave a sign of life this long has lost its worker (killed whole;
# RQ's own cleanup of abandoned jobs may come later). A SimpleWorker does not beat: its jobs do.
WORKER_SILENT = 10 * 60
# Without Redis: a running row whose heartbeat is older than this has lost its thread (a job
# beats at least with each step of progress).
THREAD_STALE = 15 * 60


class Failure(LabelledEnum):
    ERROR = "error", _l("The job stopped with an error")
    TIMED_OUT = "timed_out", _l("The job timed out")
    WORKER_DIED = "worker_died", _l("The worker running the job died")
    LOST = "lost", _l("The job was lost")


class JobStillRunning(Conflict):
    code = "job_running"
    default_message = _l("This job is still waiting or running: wait for it to finish.")


class JobAlreadyDone(Conflict):
    code = "job_done"
    default_message = _l("This job has finished: there is nothing to retry.")


class BackgroundWork(Stateful):
    """Mixed into the model of a record of background work (before db.Model)."""

    TRANSITIONS = {
        None: frozenset({QUEUED}),
        QUEUED: frozenset({RUNNING, FAILED}),
        RUNNING: frozenset({DONE, FAILED}),
        FAILED: frozenset({QUEUED}),  # retried
    }
    JOB_KIND: ClassVar[str]  # its retry policy in app/jobs.py
    METRIC_KIND: ClassVar[str]  # its label on /metrics' count of failed background work
    DETAIL: ClassVar[str]  # the column holding what went wrong, in the job's words

    failure: Mapped[str | None] = mapped_column(sa.String(20))  # a Failure code once failed
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the job's last sign of life

    @property
    def rq_job_id(self) -> str:
        raise NotImplementedError

    @property
    def since(self) -> datetime:
        """When it was asked for (a model names its own column)."""
        raise NotImplementedError

    @property
    def failure_label(self) -> str:
        return Failure.label_of(self.failure) if self.failure else ""

    @property
    def failure_text(self) -> str | None:
        """Why it failed, for its page and its JSON: the reason's label and the job's own words."""
        if self.status != FAILED:
            return None
        return " ".join(filter(None, [self.failure_label, getattr(self, self.DETAIL) or ""]))

    def fail(self, failure: Failure, detail: str = "") -> None:
        self.transition(FAILED, note=f"{failure.value}: {detail}"[:300])
        self.failure = failure.value
        setattr(self, self.DETAIL, detail[:500] or None)
        self.finished_at = utcnow()

    def reopen(self, actor) -> None:
        """Queued again for a retry (the caller holds the row's lock)."""
        if self.status in ACTIVE:
            raise JobStillRunning()
        if self.status != FAILED:
            raise JobAlreadyDone()
        self.transition(QUEUED, actor=actor, note="retry")
        self.failure, self.finished_at, self.heartbeat_at = None, None, utcnow()
        setattr(self, self.DETAIL, None)
        self.restart()

    def restart(self) -> None:
        """Progress back to nothing for a retry (a model names its own counters)."""


def kinds() -> dict[str, type[BackgroundWork]]:
    return {model.__tablename__: model for model in BackgroundWork.__subclasses__()}


def job_meta(model: type[BackgroundWork], row_id) -> dict:
    """What the RQ job carries to find its row again (its failure callback)."""
    return {"record": model.__tablename__, "record_id": row_id}


def locked(model: type[BackgroundWork], row_id, states: tuple[str, ...]) -> BackgroundWork | None:
    """The row, locked, if its status is one of `states` (checked again under the lock: another
    attempt, the sweeper or a retry may have moved it); else None, the session rolled back."""
    row = db.session.get(model, row_id)
    if row is not None and row.status in states:
        lock_objects(row, refresh=["status"])
        if row.status in states:
            return row
    db.session.rollback()
    return None


def take_over(model: type[BackgroundWork], row_id) -> BackgroundWork | None:
    """The row, now running and locked, if this attempt is to do its work: a queued row, or a
    running one whose previous attempt died (RQ runs the job again); a done or failed row is left
    alone. The caller resets its own progress and commits."""
    row = locked(model, row_id, ACTIVE)
    if row is not None:
        if row.status == QUEUED:
            row.transition(RUNNING)
        row.heartbeat_at = utcnow()
    return row


def retry(actor, row: BackgroundWork) -> BackgroundWork:
    """Offer a failed job again: refused while it still waits or runs (the caller checks who may,
    commits, then dispatches)."""
    lock_objects(row, refresh=["status"])
    row.reopen(actor)
    db.session.flush()
    return row


def beat(model: type[BackgroundWork], row_id, **values) -> None:
    """A sign of life (and any progress), on a connection of its own: visible at once, whatever
    the job's session holds."""
    with db.engine.begin() as conn:
        conn.execute(sa.update(model).where(model.id == row_id).values(heartbeat_at=utcnow(), **values))


def mark_failed(model: type[BackgroundWork], row_id, failure: Failure, detail: str = "") -> bool:
    """The row failed with its reason, if it is still queued or running; commits."""
    db.session.rollback()
    row = locked(model, row_id, ACTIVE)
    if row is None:
        return False
    row.fail(failure, detail)
    db.session.commit()
    metrics.job_failed(model.METRIC_KIND)  # once a row fails for good, whoever found it (job, callback, sweeper)
    log.warning("%s %s failed: %s", model.__tablename__, row_id, failure.value)
    return True


def failure_of(error: BaseException | str) -> Failure:
    text = error if isinstance(error, str) else type(error).__name__
    if "JobTimeoutException" in text:
        return Failure.TIMED_OUT
    if "Work-horse terminated" in text or "AbandonedJobError" in text:
        return Failure.WORKER_DIED
    return Failure.ERROR


def will_retry() -> bool:
    """Whether RQ runs the current job again after this attempt fails (never in a thread)."""
    job = get_current_job()
    return bool(job is not None and job.retries_left)


def job_error(model: type[BackgroundWork], row_id, exc: BaseException) -> None:
    """Called by a job that caught `exc`: raised again when RQ will retry (the row stays running
    and the next attempt takes it over), else the row fails with the reason."""
    if will_retry():
        db.session.rollback()
        raise exc
    mark_failed(model, row_id, failure_of(exc), f"{type(exc).__name__}: {exc}")


def job_failed(job, connection, exc_type, exc_value, traceback) -> None:
    """RQ's on_failure callback (in the work horse, or in the worker's registry cleanup for an
    abandoned job; both in an app context, see app/worker.py)."""
    if job.retries_left:
        return  # RQ runs it again
    model = kinds().get((job.meta or {}).get("record"))
    if model is not None:
        name = getattr(exc_type, "__name__", "")
        mark_failed(model, job.meta["record_id"], failure_of(name), f"{name}: {exc_value}"[:500])


# -- the sweeper ----------------------------------------------------------------------------------
def sweep(now: datetime | None = None) -> int:
    """Fail the rows whose job is gone (see the module's docstring); how many it failed."""
    now = now or utcnow()
    url = jobs.redis_url()
    connection = Redis.from_url(url) if url else None
    failed = 0
    for model in kinds().values():
        ids = list(db.session.scalars(sa.select(model.id).where(model.status.in_(ACTIVE))))
        db.session.rollback()
        for row_id in ids:
            row = db.session.get(model, row_id)
            if row is None:
                continue
            verdict = _verdict(row, connection, now) if connection else _thread_verdict(row, now)
            db.session.rollback()
            if verdict is not None:
                failed += mark_failed(model, row_id, *verdict)
    return failed


def _last_sign(row: BackgroundWork) -> datetime:
    return as_utc(row.heartbeat_at or row.since)


def _thread_verdict(row: BackgroundWork, now: datetime) -> tuple[Failure, str] | None:
    silent = (now - _last_sign(row)).total_seconds()
    if row.status == RUNNING and silent > THREAD_STALE:
        return Failure.WORKER_DIED, ""
    if row.status == QUEUED and silent > THREAD_STALE:
        return Failure.LOST, ""
    return None


def _verdict(row: BackgroundWork, connection: Redis, now: datetime) -> tuple[Failure, str] | None:
    silent = (now - _last_sign(row)).total_seconds()
    try:
        job = Job.fetch(row.rq_job_id, connection=connection)
    except NoSuchJobError:
        return (Failure.LOST, "") if silent > GRACE else None
    status = job.get_status(refresh=False)
    if status == RQStatus.FAILED:
        result = job.latest_result()
        text = (result.exc_string or "") if result is not None else ""
        return failure_of(text), text.strip().splitlines()[-1][:500] if text.strip() else ""
    if status in (RQStatus.FINISHED, RQStatus.STOPPED, RQStatus.CANCELED):
        return (Failure.LOST, "") if silent > GRACE else None
    if status == RQStatus.STARTED and job.started_at is not None:
        running = (now - as_utc(job.started_at)).total_seconds()
        if running > jobs.timeout_of(row.JOB_KIND) + GRACE:
            return Failure.TIMED_OUT, ""
        signs = [as_utc(t) for t in (job.last_heartbeat, row.heartbeat_at, job.started_at) if t is not None]
        if (now - max(signs)).total_seconds() > WORKER_SILENT:
            return Failure.WORKER_DIED, ""  # neither the worker (watching its horse) nor the job beats
    return None
