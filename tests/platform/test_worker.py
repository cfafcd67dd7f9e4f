"""The RQ worker outside Flask's CLI: a bare `rq worker --worker-class worker.Worker` process builds
the app from its environment (like wsgi.py) and runs each job inside it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from app import file_store
from app.certificates import printing
from app.certificates.models import JobStatus, PrintJob
from tests.fixtures.accounts import RARE_NAMES
from tests.fixtures.platform import REDIS_URL

ROOT = Path(__file__).resolve().parents[2]


def test_a_bare_rq_worker_process_runs_a_print_job(app, database_url, db_session, issue_completion, admin,
                                                  create_rq_queue, monkeypatch, tmp_path):
    certs = issue_completion(RARE_NAMES[:3])
    queue = create_rq_queue("worker-test")
    monkeypatch.setattr(printing, "QUEUE", queue.name)
    job = printing.create_job(admin, certs, "pdf")
    db_session.commit()
    printing.dispatch(job.id)
    assert queue.job_ids == [f"certificates-{job.id}"]
    job_id = job.id
    db_session.rollback()  # the test's session holds nothing while the worker writes

    prints = tmp_path / "prints"
    env = dict(os.environ, APP_ENV="testing", DATABASE_URL=database_url, REDIS_URL=REDIS_URL,
               CERTIFICATE_PRINT_DIR=str(prints), INSTANCE_PATH=str(tmp_path / "instance"))
    name = f"{queue.name}-worker"
    try:
        done = subprocess.run(
            [sys.executable, "-m", "rq.cli", "worker", "--worker-class", "worker.Worker", "--burst",
             "--url", REDIS_URL, "--name", name, queue.name],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    finally:
        queue.connection.delete(f"rq:worker:{name}")
    log = done.stdout + done.stderr
    assert done.returncode == 0, log
    assert queue.count == 0 and queue.failed_job_registry.count == 0, log
    assert queue.finished_job_registry.get_job_ids() == [f"certificates-{job_id}"], log

    row = db_session.scalar(sa.select(PrintJob).where(PrintJob.id == job_id))
    assert row.status == JobStatus.DONE.value, (row.error, log)
    assert row.done == row.total == len(certs)
    assert row.file_path == f"{job_id}.pdf" and not prints.exists()  # in the store, not the worker's disk
    with app.test_request_context():
        assert b"".join(file_store.chunks(row.file_path, file_store.PRINT)).startswith(b"%PDF")
