"""Batch printing: one print-ready PDF of a whole selection in order, or a ZIP of one PDF each.

A batch runs in the background (app/jobs.py): in an RQ worker when REDIS_URL is set (`flask rq
worker`), otherwise in a thread of the web process. Either way its state (status, done/total, file,
error) lives in the certificate_print_jobs table, so any web process can show its progress
and the organiser can leave and come back for the file.
"""
from __future__ import annotations

import io
import logging
import tempfile
import time
import uuid
import zipfile
from typing import BinaryIO, Callable

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app import background, file_store, jobs
from app.audit import services as audit
from app.certificates import batches, rendering
from app.certificates.models import Certificate, JobStatus, PrintJob
from app.errors import InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.timeutil import utcnow
from app.urls import public_base_url

log = logging.getLogger(__name__)
QUEUE = "certificates"
MAX_BATCH = 20_000


def ordered(ids: list[int]) -> list[Certificate]:
    rows = {c.id: c for c in db.session.scalars(sa.select(Certificate).where(Certificate.id.in_(ids)))}
    return [rows[i] for i in ids if i in rows]


def render(certs: list[Certificate], output: str = "pdf",
           progress: Callable[[int], None] | None = None) -> bytes:
    """`render_to` in memory: for a few certificates."""
    out = io.BytesIO()
    render_to(out, certs, output, progress)
    return out.getvalue()


def render_to(out: BinaryIO, certs: list[Certificate], output: str = "pdf",
              progress: Callable[[int], None] | None = None) -> None:
    """The file, into `out` (a batch's temporary file, streamed into the store afterwards): one
    print-ready PDF of all, in order, appended chunk by chunk (batches.write_pdf), or a ZIP with one
    PDF per certificate named by serial, growing one certificate at a time. Either way the batch is
    never whole in memory. One PDF is what a clerk printing a thousand the night before sends to
    the printer: one file, in serial order, its page count checkable at a glance."""
    if output == "pdf":
        batches.write_pdf(out, certs, on_page=progress)
        return
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:  # PDFs are compressed already
        batches.write_zip(archive, certs, progress)


# -- jobs -----------------------------------------------------------------------
def create_job(actor, certs: list[Certificate], output: str = "pdf", label: str = "") -> PrintJob:
    """Record a batch (the caller commits, then calls `dispatch`); bulk downloads are audited."""
    if output not in ("pdf", "zip"):
        raise InvalidInput(fields={"output": _l("Choose PDF or ZIP.")})
    if not certs:
        raise InvalidInput(_l("Select at least one certificate."), code="empty_selection")
    if len(certs) > MAX_BATCH:
        raise InvalidInput(_l("At most %(n)s certificates per batch.", n=MAX_BATCH), code="too_many")
    job = PrintJob(id=uuid.uuid4().hex, output=output, certificate_ids=[c.id for c in certs], total=len(certs),
                   label=label[:200], created_by_id=getattr(actor, "id", None),
                   base_url=public_base_url()[:200])
    job.transition(JobStatus.QUEUED, actor=actor)
    db.session.add(job)
    audit.record(actor, "certificates.bulk_print", None, job=job.id, output=output, count=len(certs),
                 first=certs[0].serial, last=certs[-1].serial)
    db.session.flush()
    return job


def dispatch(job_id: str) -> None:
    """After the commit: hand the job to RQ if Redis is configured, else to a thread here."""
    if jobs.redis_url():
        jobs.enqueue(QUEUE, run_job, job_id, job_id=f"certificates-{job_id}", kind=jobs.PRINT,
                     on_failure=background.job_failed, meta=background.job_meta(PrintJob, job_id))
    else:
        jobs.in_thread(run_job, job_id, name=f"print-{job_id[:8]}")


def _set(job_id: str, **values) -> None:
    # On its own connection: progress is visible at once without committing the job's session.
    background.beat(PrintJob, job_id, **values)


def _start(job_id: str) -> PrintJob | None:
    """The job's row, now running, if this attempt is to print it (background.take_over)."""
    job = background.take_over(PrintJob, job_id)
    if job is not None:
        job.done = 0
        db.session.commit()
    return job


def _finish(job_id: str, name: str, total: int) -> bool:
    """Done, once: only a row still running becomes done (a retry racing a late attempt, or a row
    the sweeper failed meanwhile, stays as it is)."""
    job = background.locked(PrintJob, job_id, (JobStatus.RUNNING.value,))
    if job is None:
        return False
    job.transition(JobStatus.DONE)
    job.done, job.file_path, job.finished_at, job.heartbeat_at = total, name, utcnow(), utcnow()
    db.session.commit()
    return True


def run_job(job_id: str) -> None:
    """The job: render the batch and record its progress, file or failure. Runs in an app context
    of its own (the RQ worker's, or the thread's), so with its own database session. A retry after
    a crash renders the batch again from its ids: the file is replaced whole, the row is done once."""
    job = _start(job_id)
    if job is None:
        return
    ids, output = list(job.certificate_ids), job.output
    db.session.rollback()
    last = [0.0]

    def progress(done: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.3:  # a row update every 0.3 s is plenty for a progress bar
            last[0] = now
            _set(job_id, done=min(done, len(ids)))

    try:
        with rendering.url_context(), tempfile.TemporaryFile() as body:
            render_to(body, ordered(ids), output, progress)
            body.seek(0)
            name = file_store.put(f"{job_id}.{output}", body, file_store.PRINT, own_transaction=True)
        _finish(job_id, name, len(ids))
    except Exception as exc:  # noqa: BLE001 - the job records any failure for the organiser
        log.exception("print job %s failed", job_id)
        db.session.rollback()
        background.job_error(PrintJob, job_id, exc)
    finally:
        db.session.rollback()


def retry_job(actor, job_id: str) -> PrintJob:
    """Print a failed batch again (the caller commits, then calls `dispatch`)."""
    job = get_job(actor, job_id)
    background.retry(actor, job)
    audit.record(actor, "certificates.print_retried", None, job=job.id)
    return job


def get_job(actor, job_id: str) -> PrintJob:
    job = db.session.get(PrintJob, job_id) if job_id and len(job_id) <= 32 else None
    if job is None:
        raise NotFound(_l("No such print job."))
    if not actor.is_admin and job.created_by_id != actor.id:
        raise PermissionDenied()
    return job


def stored_file(job: PrintJob) -> str | None:
    """The finished batch's name in the file store, or None. Jobs printed before the store
    recorded a path in CERTIFICATE_PRINT_DIR: `flask files migrate` stores those by file name."""
    if job.status != JobStatus.DONE.value or not job.file_path:
        return None
    name = job.file_path.replace("\\", "/").rsplit("/", 1)[-1]
    return name if file_store.exists(name, file_store.PRINT) else None


def job_status(job: PrintJob) -> dict:
    percent = 100 if job.status == JobStatus.DONE.value else int(100 * job.done / job.total) if job.total else 0
    failed = job.status == JobStatus.FAILED.value
    return {"id": job.id, "status": job.status, "done": job.done, "total": job.total, "percent": percent,
            "output": job.output, "failure": job.failure if failed else None, "error": job.failure_text}


def recent_jobs(actor, limit: int = 10) -> list[PrintJob]:
    query = sa.select(PrintJob).order_by(PrintJob.created_at.desc()).limit(limit)
    if not actor.is_admin:
        query = query.where(PrintJob.created_by_id == actor.id)
    return list(db.session.scalars(query))
