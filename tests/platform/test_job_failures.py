"""Background work that survives dead workers: with a real RQ worker on Redis, a print batch whose
job raises, times out, or whose work horse is killed -9 ends retried or "failed" with its reason,
never "running" forever; the page offers a retry that works once; a batch killed mid-way and
retried prints its PDF once with every certificate once."""
from __future__ import annotations

import multiprocessing
import os
import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from redis import Redis
from rq.job import JobStatus as RQStatus

from app import background, file_store, jobs
from app.certificates import printing
from app.certificates.models import JobStatus, PrintJob
from app.extensions import db
from app.file_store.models import StoredFile
from app.timeutil import utcnow
from app.worker import AppSimpleWorker, AppWorker
from tests.conftest import login
from tests.fixtures.accounts import RARE_NAMES
from tests.fixtures.certificates import pdf_pages, pdf_text
from tests.fixtures.platform import REDIS_URL


@pytest.fixture
def certs(issue_completion):
    return issue_completion(RARE_NAMES[:4])


@pytest.fixture
def rq_queue(monkeypatch, create_rq_queue):
    queue = create_rq_queue("job-failures")
    monkeypatch.setattr(printing, "QUEUE", queue.name)
    return queue


def _stored_pdf(tmp_path: Path, row: PrintJob) -> Path:
    """The finished batch, from the file store, as a file pdftotext can read."""
    path = tmp_path / f"{row.id}.pdf"
    path.write_bytes(file_store.read(row.file_path, file_store.PRINT))
    return path


def _policy(monkeypatch, retries: int, timeout: int = 600) -> None:
    monkeypatch.setitem(jobs.POLICY, jobs.PRINT, (retries, [0] * retries, timeout))


def _dispatched(db_session, admin, certs) -> str:
    job = printing.create_job(admin, certs, "pdf")
    db_session.commit()
    printing.dispatch(job.id)
    job_id = job.id
    db_session.rollback()  # the test's session holds nothing while the worker writes
    return job_id


def _row(db_session, job_id: str) -> PrintJob:
    db_session.rollback()
    return db_session.scalar(sa.select(PrintJob).where(PrintJob.id == job_id))


def _work(queue) -> None:
    worker = AppSimpleWorker([queue], connection=queue.connection)
    worker.work(burst=True)
    queue.connection.delete(worker.key)


def _forked_worker(app, queue) -> multiprocessing.Process:
    """A real forking worker (each job in a work horse) in a process of its own, burst."""
    def main():
        for engine in db.engines.values():
            engine.dispose(close=False)  # the test process's connections stay the test's
        worker = AppWorker([queue.name], connection=Redis.from_url(REDIS_URL), app=app)
        try:
            worker.work(burst=True)
        finally:
            worker.connection.delete(worker.key)
        os._exit(0)

    process = multiprocessing.get_context("fork").Process(target=main, daemon=True)
    process.start()
    return process


def _horse_pid(marker: Path, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if marker.exists() and marker.read_text().strip():
            return int(marker.read_text())
        time.sleep(0.05)
    raise AssertionError("the job never started")


def _hanging_first_attempt(monkeypatch, tmp_path):
    """printing.render_to that, on its first call, says where it runs and hangs there (to be killed);
    later calls render for real. The marker is a file: the call happens in another process."""
    real, marker, attempts = printing.render_to, tmp_path / "horse.pid", tmp_path / "attempts"

    def render_to(out, certs, output="pdf", progress=None):
        with attempts.open("a") as f:
            f.write("x")
        if len(attempts.read_text()) == 1:
            if progress:
                progress(1)
            marker.write_text(str(os.getpid()))
            time.sleep(120)
        return real(out, certs, output, progress)

    monkeypatch.setattr(printing, "render_to", render_to)
    return marker, attempts


def test_a_job_that_raises_is_retried_then_failed_with_its_reason(app, db_session, admin, certs, rq_queue,
                                                                 monkeypatch, redis_client):
    _policy(monkeypatch, retries=2)
    metrics_key = f"minhang-test:metrics:{os.getpid()}:{time.monotonic_ns()}"
    monkeypatch.setitem(app.config, "METRICS_REDIS_KEY", metrics_key)
    calls = []

    def broken(out, certs, output="pdf", progress=None):
        calls.append(1)
        raise RuntimeError("the printer's font is missing")

    monkeypatch.setattr(printing, "render_to", broken)
    job_id = _dispatched(db_session, admin, certs)
    _work(rq_queue)
    assert len(calls) == 3  # the first attempt and two retries
    row = _row(db_session, job_id)
    assert row.status == JobStatus.FAILED.value and row.failure == background.Failure.ERROR.value
    assert row.error == "RuntimeError: the printer's font is missing"
    # /metrics counts the batch that failed, once: not each of its three attempts
    assert redis_client.hgetall(metrics_key) == {b"jobs_failed:certificate_print": b"1"}
    redis_client.delete(metrics_key)
    client = app.test_client()
    login(client, admin)
    status = client.get(f"/console/certificates/jobs/{job_id}.json").get_json()
    assert status["status"] == "failed" and status["failure"] == "error"
    assert "出错" in status["error"] and "font is missing" in status["error"]  # the reason, translated


def test_a_job_past_its_timeout_is_failed_as_timed_out(app, db_session, admin, certs, rq_queue, monkeypatch):
    _policy(monkeypatch, retries=0, timeout=1)
    monkeypatch.setattr(printing, "render_to", lambda *a, **k: time.sleep(10))
    job_id = _dispatched(db_session, admin, certs)
    started = time.monotonic()
    _work(rq_queue)
    assert time.monotonic() - started < 8
    row = _row(db_session, job_id)
    assert row.status == JobStatus.FAILED.value and row.failure == background.Failure.TIMED_OUT.value


def test_a_killed_work_horse_fails_the_job_and_the_page_retries_it_once(app, db_session, admin, certs, rq_queue,
                                                                      monkeypatch, tmp_path):
    _policy(monkeypatch, retries=0)
    marker, attempts = _hanging_first_attempt(monkeypatch, tmp_path)
    job_id = _dispatched(db_session, admin, certs)
    worker = _forked_worker(app, rq_queue)
    horse = _horse_pid(marker)
    assert _row(db_session, job_id).status == JobStatus.RUNNING.value
    os.kill(horse, signal.SIGKILL)
    worker.join(60)
    assert worker.exitcode == 0
    assert _row(db_session, job_id).status == JobStatus.RUNNING.value  # RQ knows; the row not yet
    assert rq_queue.failed_job_registry.get_job_ids() == [f"certificates-{job_id}"]

    background.sweep()
    row = _row(db_session, job_id)
    assert row.status == JobStatus.FAILED.value and row.failure == background.Failure.WORKER_DIED.value
    assert "Work-horse terminated" in row.error

    client = app.test_client()
    login(client, admin)
    page = client.get(f"/console/certificates/jobs/{job_id}").get_data(as_text=True)
    assert "job-retry" in page and "执行任务的进程意外终止" in page
    first = client.post(f"/console/certificates/jobs/{job_id}/retry")
    assert first.status_code == 302 and first.headers["Location"].endswith(f"/jobs/{job_id}")
    assert _row(db_session, job_id).status == JobStatus.QUEUED.value
    again = client.post(f"/console/certificates/jobs/{job_id}/retry")  # a second click while it waits
    assert again.status_code == 302
    row = _row(db_session, job_id)
    assert row.status == JobStatus.QUEUED.value and rq_queue.job_ids == [f"certificates-{job_id}"]
    _work(rq_queue)
    row = _row(db_session, job_id)
    assert row.status == JobStatus.DONE.value and row.failure is None and row.error is None
    assert pdf_pages(_stored_pdf(tmp_path, row)) == len(certs)
    assert attempts.read_text() == "xx"
    assert client.post(f"/console/certificates/jobs/{job_id}/retry").status_code == 302  # refused: done
    assert _row(db_session, job_id).status == JobStatus.DONE.value and rq_queue.count == 0


def test_a_batch_killed_mid_way_and_retried_prints_each_certificate_once(app, db_session, admin, certs,
                                                                         rq_queue, monkeypatch, tmp_path):
    _policy(monkeypatch, retries=1)
    marker, attempts = _hanging_first_attempt(monkeypatch, tmp_path)
    job_id = _dispatched(db_session, admin, certs)
    worker = _forked_worker(app, rq_queue)
    os.kill(_horse_pid(marker), signal.SIGKILL)
    worker.join(120)  # RQ retries at once (interval 0): the same burst worker runs it again
    assert worker.exitcode == 0
    assert attempts.read_text() == "xx"
    row = _row(db_session, job_id)
    assert row.status == JobStatus.DONE.value and row.done == row.total == len(certs)
    assert rq_queue.finished_job_registry.get_job_ids() == [f"certificates-{job_id}"]
    assert rq_queue.failed_job_registry.count == 0
    assert sorted(db_session.scalars(sa.select(StoredFile.name).where(StoredFile.kind == file_store.PRINT,
                                                                       StoredFile.name.startswith(job_id)))) \
        == [row.file_path]  # one file of this batch in the store
    path = _stored_pdf(tmp_path, row)
    assert pdf_pages(path) == len(certs)
    text = pdf_text(path)
    for cert in certs:
        assert text.count(cert.serial) == 1
    background.sweep()
    assert _row(db_session, job_id).status == JobStatus.DONE.value


def test_the_sweeper_fails_lost_and_overdue_jobs_and_leaves_live_ones(app, db_session, admin, certs, rq_queue,
                                                                      monkeypatch):
    lost = printing.create_job(admin, certs, "pdf")  # its job never reached Redis
    waiting = printing.create_job(admin, certs, "pdf")
    db_session.commit()
    printing.dispatch(waiting.id)
    lost_id, waiting_id = lost.id, waiting.id
    db_session.rollback()
    background.sweep()  # both are young: a job may be on its way
    assert {_row(db_session, i).status for i in (lost_id, waiting_id)} == {JobStatus.QUEUED.value}
    background.sweep(now=utcnow() + timedelta(seconds=background.GRACE + 1))
    assert _row(db_session, lost_id).failure == background.Failure.LOST.value
    assert _row(db_session, waiting_id).status == JobStatus.QUEUED.value  # RQ still holds it

    # Started by a worker that then froze past the timeout: failed as timed out.
    rq_job = rq_queue.fetch_job(f"certificates-{waiting_id}")
    rq_job.set_status(RQStatus.STARTED)
    rq_job.started_at = utcnow()
    rq_job.save()
    overdue = utcnow() + timedelta(seconds=jobs.timeout_of(jobs.PRINT) + background.GRACE + 1)
    background.sweep(now=overdue)
    row = _row(db_session, waiting_id)
    assert row.status == JobStatus.FAILED.value and row.failure == background.Failure.TIMED_OUT.value


def test_a_started_job_whose_whole_worker_was_killed_is_failed_as_worker_died(app, db_session, admin, certs,
                                                                             rq_queue):
    job = printing.create_job(admin, certs, "pdf")
    job.transition(JobStatus.RUNNING)
    job.heartbeat_at = utcnow()
    db_session.commit()
    printing.dispatch(job.id)
    job_id = job.id
    rq_job = rq_queue.fetch_job(f"certificates-{job_id}")
    rq_job.set_status(RQStatus.STARTED)
    rq_job.started_at = utcnow()
    rq_job.heartbeat(utcnow(), 90)  # what the worker writes while it watches its work horse
    rq_job.save()
    background.sweep(now=utcnow() + timedelta(seconds=60))  # a worker beats every 30 s: alive
    assert _row(db_session, job_id).status == JobStatus.RUNNING.value
    background.sweep(now=utcnow() + timedelta(seconds=background.WORKER_SILENT + 1))
    row = _row(db_session, job_id)
    assert row.status == JobStatus.FAILED.value and row.failure == background.Failure.WORKER_DIED.value


def test_without_redis_a_running_row_whose_thread_stopped_is_failed(app, db_session, admin, certs, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    job = printing.create_job(admin, certs, "pdf")
    job.transition(JobStatus.RUNNING)
    job.heartbeat_at = utcnow()
    db_session.commit()
    job_id = job.id
    background.sweep()
    assert _row(db_session, job_id).status == JobStatus.RUNNING.value
    background.sweep(now=utcnow() + timedelta(seconds=background.THREAD_STALE + 1))
    assert _row(db_session, job_id).failure == background.Failure.WORKER_DIED.value
