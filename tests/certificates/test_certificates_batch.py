"""Batch printing at speed: chunks rendered in parallel processes and joined in order, and the
background job through RQ with a real Redis (127.0.0.1:6379, started by `make test` / .ci/run)."""
from __future__ import annotations

import io
import subprocess
import threading
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
import zxingcpp
from PIL import Image

from app.certificates import batches, printing, rendering, services, stamping
from app.certificates.models import JobStatus, PrintJob
from app.worker import AppSimpleWorker
from tests.conftest import login
from tests.fixtures.accounts import RARE_NAMES
from tests.fixtures.certificates import pdf_file, pdf_fonts, pdf_pages, pdf_text


@pytest.fixture
def certs(issue_completion):
    return issue_completion(RARE_NAMES + ("欧阳娜娜", "陈立群"))


@pytest.fixture
def in_chunks(app, monkeypatch):
    """Small batches go parallel and stamped too (in production only from 12 pages per process
    and 8 certificates sharing a background up)."""
    monkeypatch.setattr(batches, "MIN_PAGES_PER_PROCESS", 1)
    monkeypatch.setattr(stamping, "MIN_GROUP", 2)
    monkeypatch.setitem(app.config, "CERTIFICATE_PRINT_PROCESSES", 3)


def _check_document(path: Path, certs) -> None:
    assert pdf_pages(path) == len(certs)
    for n, cert in enumerate(certs, 1):
        page = pdf_text(path, n)
        assert cert.serial in page and cert.recipient_name in page
    for font in pdf_fonts(path):
        assert font["emb"] == "yes" and font["uni"] == "yes" and "Noto-Serif-CJK-SC" in font["name"], font


def test_chunks_render_in_parallel_processes_and_join_in_order(app, certs, in_chunks, tmp_path):
    seen, timings = [], {}
    body = batches.certificates_pdf(certs, on_page=seen.append, timings=timings)
    assert timings["processes"] == 3 and timings["stamped"] == len(certs)
    path = pdf_file(tmp_path, body)
    _check_document(path, certs)
    assert seen == sorted(seen) and seen[-1] == len(certs)  # progress counts pages of all chunks
    # the QR code of a page from the last chunk still decodes from a 150-dpi scan
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", str(len(certs)), "-l", str(len(certs)), str(path),
                    str(tmp_path / "last")], check=True)
    image = Image.open(next(tmp_path.glob("last*.png")))
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert [b.text for b in found] == [rendering.verify_url(certs[-1].code)]


@pytest.mark.parametrize("processes", [3, 1])
def test_a_batch_prints_in_chunks_appended_in_order(app, certs, in_chunks, tmp_path, monkeypatch, processes):
    """Chunks of CHUNK_PAGES, more than there are processes (or all in this one), each appended to
    the file as it comes: no process holds the batch."""
    monkeypatch.setattr(batches, "CHUNK_PAGES", 3)
    monkeypatch.setitem(app.config, "CERTIFICATE_PRINT_PROCESSES", processes)
    seen, timings = [], {}
    path = tmp_path / "batch.pdf"
    with path.open("wb") as out:
        batches.write_pdf(out, certs, on_page=seen.append, timings=timings)
    assert timings["chunks"] == -(-len(certs) // 3) and timings["stamped"] == len(certs)
    _check_document(path, certs)
    assert seen == sorted(seen) and seen[-1] == len(certs)


def test_a_zip_of_each_renders_in_the_processes_in_order(app, certs, in_chunks, tmp_path, monkeypatch):
    monkeypatch.setattr(batches, "CHUNK_PAGES", 2)
    seen = []
    archive = zipfile.ZipFile(io.BytesIO(printing.render(certs, "zip", seen.append)))
    assert archive.namelist() == [f"{c.serial}.pdf" for c in certs]
    for cert in (certs[0], certs[-1]):
        path = pdf_file(tmp_path, archive.read(f"{cert.serial}.pdf"), f"{cert.serial}.pdf")
        assert pdf_pages(path) == 1 and cert.recipient_name in pdf_text(path)
    assert seen == sorted(seen) and seen[-1] == len(certs)


def test_a_threaded_process_forks_through_a_forkserver(app, certs, in_chunks, tmp_path):
    """A web process running a batch in a thread must not fork itself (another thread may hold a
    lock the child would inherit): chunks come from a clean forkserver instead."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        assert batches._context().get_start_method() == "forkserver"
        body = batches.certificates_pdf(certs[:4])
    finally:
        stop.set()
    _check_document(pdf_file(tmp_path, body), certs[:4])


def test_a_failing_chunk_fails_the_batch(app, db_session, certs, in_chunks, monkeypatch):
    template = services.template_for(certs[0])
    monkeypatch.setattr(template, "html", template.html + "{{ 1 / 0 }}")
    with pytest.raises(batches.RenderError, match="ZeroDivisionError"):
        batches.certificates_pdf(certs)
    db_session.rollback()


# -- RQ with a real Redis -------------------------------------------------------------
@pytest.fixture
def rq_queue(monkeypatch, create_rq_queue):
    """The certificates queue, one of this test's own in the test Redis."""
    queue = create_rq_queue("certificates-test")
    monkeypatch.setattr(printing, "QUEUE", queue.name)
    return queue


def test_print_job_runs_in_an_rq_worker(app, db_session, certs, admin, rq_queue, in_chunks, tmp_path):
    client = app.test_client()
    login(client, admin)
    response = client.post("/console/certificates/print",
                           data={"ids": [str(c.id) for c in reversed(certs)], "output": "pdf", "scope": "selected"})
    assert response.status_code == 302
    job_id = response.headers["Location"].rsplit("/", 1)[1]
    # Enqueued, not run in a thread of the web process.
    assert rq_queue.job_ids == [f"certificates-{job_id}"]
    assert client.get(f"/console/certificates/jobs/{job_id}.json").get_json()["status"] == JobStatus.QUEUED.value
    db_session.rollback()  # the test's own session holds nothing while the worker writes

    test_session = db_session()
    worker = AppSimpleWorker([rq_queue], connection=rq_queue.connection)
    assert worker.work(burst=True) is True
    rq_queue.connection.delete(worker.key)  # the stopped worker's record (it would expire in seconds)
    assert rq_queue.count == 0 and rq_queue.failed_job_registry.count == 0
    assert db_session() is test_session  # the job ran in an app context and session of its own

    job = db_session.scalar(sa.select(PrintJob).where(PrintJob.id == job_id))
    assert job.status == JobStatus.DONE.value, job.error
    assert job.done == job.total == len(certs)
    assert job.file_path == f"{job_id}.pdf" and not any(Path(app.config["CERTIFICATE_PRINT_DIR"]).iterdir())
    status = client.get(f"/console/certificates/jobs/{job_id}.json").get_json()
    assert status["status"] == "done" and status["percent"] == 100
    path = pdf_file(tmp_path, client.get(status["download_url"]).data)  # streamed from the file store
    _check_document(path, certs)  # in serial order, whatever order the boxes were ticked in


def test_a_big_batch_starts_its_forkserver_before_building_the_contexts(app, certs, in_chunks, tmp_path,
                                                                         monkeypatch):
    """More chunks than processes fork from a forkserver, whose import of WeasyPrint (~2 s) then
    runs on the other core while this process builds the contexts and plans, not after them."""
    monkeypatch.setattr(batches, "CHUNK_PAGES", 3)
    monkeypatch.setitem(app.config, "CERTIFICATE_PRINT_PROCESSES", 2)
    order = []
    ensure_running, items = batches.forkserver.ensure_running, batches._items
    monkeypatch.setattr(batches.forkserver, "ensure_running", lambda: (order.append("forkserver"), ensure_running()))
    monkeypatch.setattr(batches, "_items", lambda *args: (order.append("contexts"), items(*args))[1])
    path = tmp_path / "batch.pdf"
    with path.open("wb") as out:
        batches.write_pdf(out, certs)
    assert order[:2] == ["forkserver", "contexts"]
    _check_document(path, certs)
