"""The file store (app/file_store): both backends keep bytes in bounded chunks and stream them
back; names that are missing, forged or of another kind are a 404; uploads, seals and print
batches go through it with nothing on the app machine's disk."""
from __future__ import annotations

import hashlib
import io
import os
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from app import file_store
from app.certificates import batches, printing, rendering, services
from app.certificates.models import CertificateKind, JobStatus, PrintJob
from app.events.models import Event
from app.extensions import db
from app.file_store.models import StoredChunk, StoredFile
from tests.conftest import login
from tests.events.test_events import _form as event_form
from tests.fixtures.certificates import pdf_file, pdf_pages

MB = 1024 * 1024


@pytest.fixture(params=["database", "path"])
def store(request, app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "FILE_STORE", request.param)
    monkeypatch.setitem(app.config, "FILE_STORE_PATH", str(tmp_path / "shared"))
    return request.param


@pytest.fixture
def empty_dirs(app, monkeypatch, tmp_path):
    """The old folders, empty: whatever is served must come from the store."""
    root = tmp_path / "machine"
    for key in ("UPLOAD_DIR", "CERTIFICATE_PRINT_DIR"):
        folder = root / key.lower()
        folder.mkdir(parents=True)
        monkeypatch.setitem(app.config, key, str(folder))
    return root


def _png(color=(200, 20, 30, 255)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (120, 120), color).save(out, "PNG")
    return out.getvalue()


def _files_on_disk(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_multi_chunk_file_round_trips_in_bounded_chunks(app, ctx, db_session, store, tmp_path):
    body = os.urandom(MB + 12_345)
    name = file_store.put("a" * 32 + ".pdf", io.BytesIO(body), file_store.PRIVATE)
    db_session.commit()
    assert file_store.exists(name, file_store.PRIVATE) and file_store.size(name, file_store.PRIVATE) == len(body)
    pieces = list(file_store.chunks(name, file_store.PRIVATE))
    assert b"".join(pieces) == body and len(pieces) == 5
    assert max(map(len, pieces)) == file_store.CHUNK_BYTES
    assert file_store.sha256(name, file_store.PRIVATE) == hashlib.sha256(body).hexdigest()
    if store == "database":
        rows = db_session.execute(sa.select(sa.func.count(), sa.func.max(sa.func.length(StoredChunk.data)))
                                  .where(StoredChunk.name == name)).one()
        assert rows == (5, file_store.CHUNK_BYTES)
        assert not (tmp_path / "shared").exists()
    else:
        assert _files_on_disk(tmp_path / "shared") == [f"private/{name}"]  # no temporary file left
        assert db_session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0
    # a file is found only under its own kind
    assert not file_store.exists(name, file_store.IMAGE)
    file_store.delete(name, file_store.PRIVATE)
    db_session.commit()
    assert not file_store.exists(name, file_store.PRIVATE)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(StoredChunk)) == 0


def test_the_database_reads_one_chunk_per_query(app, ctx, db_session):
    assert app.config["FILE_STORE"] == "database"  # the default
    name = file_store.put("b" * 32 + ".zip", os.urandom(3 * file_store.CHUNK_BYTES + 1), file_store.PRINT)
    db_session.commit()
    fetched = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if "stored_file_chunks" in statement and statement.lstrip().upper().startswith("SELECT"):
            fetched.append(1)
    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        stream = file_store.chunks(name, file_store.PRINT)
        assert fetched == []  # nothing read before the first chunk is asked for
        next(stream)
        assert len(fetched) == 1
        assert len(list(stream)) == 3 and len(fetched) == 5  # four chunks, then one query finding none
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def test_public_images_are_served_with_length_and_cache_headers(app, ctx, db_session, client, store):
    image = _png()
    name = file_store.put("c" * 24 + ".png", image, file_store.IMAGE)
    deck = file_store.put("d" * 32 + ".pdf", b"%PDF-1.4 secret", file_store.PRIVATE)
    db_session.commit()
    response = client.get(f"/uploads/{name}")
    assert response.status_code == 200 and response.data == image
    assert response.headers["Content-Type"] == "image/png" and response.content_length == len(image)
    assert "max-age=31536000" in response.headers["Cache-Control"] and response.headers["ETag"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    again = client.get(f"/uploads/{name}", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert client.get(f"/uploads/{deck}").status_code == 404  # a private file is no image


def test_a_download_streams_after_the_request_context_is_gone(app, store):
    body = os.urandom(3 * file_store.CHUNK_BYTES)
    with app.app_context():  # and none around the request below: its body is read after it ends
        name = file_store.put("7" * 24 + ".webp", body, file_store.IMAGE)
        db.session.commit()
    response = app.test_client().get(f"/uploads/{name}")
    assert response.status_code == 200 and response.data == body


@pytest.mark.parametrize("path", [
    "/uploads/" + "e" * 24 + ".png",  # well-formed, not stored
    "/uploads/../../etc/passwd", "/uploads/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/uploads/..%2Fapp.py",
    "/uploads/" + "f" * 5000 + ".png", "/uploads/.env", "/uploads/x/../y.png",
])
def test_missing_or_forged_names_are_a_404(app, client, store, path):
    assert client.get(path).status_code == 404


def test_a_nul_byte_in_a_name_is_refused_before_the_store(app, client, store):
    assert client.get("/uploads/a%00.png").status_code == 422  # app/inputs.py: NUL in any input


def test_a_cover_uploaded_with_the_form_is_served_from_the_database(app, client, db_session, create_user,
                                                                    departments, empty_dirs):
    assert app.config["FILE_STORE"] == "database"
    login(client, create_user("admin"))
    cover = io.BytesIO()
    Image.new("RGB", (320, 180), "red").save(cover, "PNG")
    form = event_form(departments["talent_center"].id)
    form["cover"] = (io.BytesIO(cover.getvalue()), "cover.png")
    assert client.post("/console/events/new", data=form, content_type="multipart/form-data").status_code == 302
    event = db_session.scalar(sa.select(Event))
    served = client.get(f"/uploads/{event.cover_image}")
    assert served.status_code == 200 and served.data == cover.getvalue()
    assert _files_on_disk(empty_dirs) == []  # nothing on this machine's disk
    assert db_session.get(StoredFile, event.cover_image).kind == file_store.IMAGE


def _image_count(path: Path) -> int:
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split()[2] for line in listing.splitlines()[2:]].count("image")


def test_a_seal_renders_from_the_store_and_a_batch_downloads_from_it(app, db_session, admin, issue_completion,
                                                                     empty_dirs, tmp_path):
    certs = issue_completion(["张玥", "李雷"])
    template = services.template_for_kind(CertificateKind.COMPLETION)
    db_session.commit()
    without_seal = _image_count(pdf_file(tmp_path, batches.certificates_pdf(certs[:1]), "plain.pdf"))
    client = app.test_client()
    login(client, admin)
    form = {"name": template.name, "title": template.title, "page_size": template.page_size, "signatory": "",
            "html": template.html, "css": template.css, "seal": (io.BytesIO(_png()), "seal.png")}
    assert client.post(f"/console/certificates/templates/{template.id}", data=form,
                       content_type="multipart/form-data").status_code == 302
    db_session.refresh(template)
    assert file_store.exists(template.seal_image, file_store.IMAGE)
    # certificates issued before keep the template version they were issued with; new ones carry the seal
    assert _image_count(pdf_file(tmp_path, batches.certificates_pdf(certs[:1]), "old.pdf")) == without_seal
    certs = issue_completion(["王芳", "赵强"])
    db_session.commit()
    assert _image_count(pdf_file(tmp_path, batches.certificates_pdf(certs[:1]), "sealed.pdf")) == without_seal + 1

    job = printing.create_job(admin, certs, "pdf")
    db_session.commit()
    printing.run_job(job.id)
    job = db_session.get(PrintJob, job.id)
    assert job.status == JobStatus.DONE.value, job.error
    assert job.file_path == f"{job.id}.pdf"
    download = client.get(f"/console/certificates/jobs/{job.id}/file")
    assert download.status_code == 200 and download.headers["Cache-Control"] == "private, no-store"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.content_length == len(download.data) == file_store.size(job.file_path, file_store.PRINT)
    batch = pdf_file(tmp_path, download.data, "batch.pdf")
    assert pdf_pages(batch) == 2 and _image_count(batch) >= without_seal + 1  # the seal printed from the store
    assert _files_on_disk(empty_dirs) == []
    assert client.get(f"/console/certificates/jobs/{'0' * 32}/file").status_code == 404


def test_the_fetcher_loads_only_stored_images(app, ctx, db_session):
    seal = file_store.put("1" * 24 + ".png", _png(), file_store.IMAGE)
    deck = file_store.put("2" * 32 + ".pdf", b"%PDF-1.4", file_store.PRIVATE)
    db_session.commit()
    fetch = rendering._fetcher()
    assert fetch(rendering.upload_url(seal)).read() == _png()
    for url in ("file:///etc/hostname", "stored:" + deck, "stored:../../etc/passwd", "stored:" + "3" * 24 + ".png",
                "http://127.0.0.1:9/x.png"):
        with pytest.raises(ValueError):
            fetch(url)
    assert rendering.upload_url("../x.png") == ""
    batch_fetch = rendering._fetcher({seal: b"given"})  # a render process: only the images handed to it
    assert batch_fetch("stored:" + seal).read() == b"given"
    with pytest.raises(ValueError):
        batch_fetch("stored:" + deck)


def _old_installation(root: Path) -> dict[str, Path]:
    folders = {kind: root / kind for kind in ("uploads", "uploads-private", "prints")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    (folders["uploads"] / ("a1" * 12 + ".png")).write_bytes(_png())
    (folders["uploads"] / "matrix.txt.part").write_bytes(b"half")  # not a name of ours: left alone
    (folders["uploads-private"] / ("b2" * 16 + ".pdf")).write_bytes(b"%PDF-1.4 " + os.urandom(600_000))
    (folders["uploads-private"] / ("plan-" + "c3" * 16 + ".xlsx")).write_bytes(b"PK\x03\x04 sheet")
    (folders["prints"] / ("d4" * 16 + ".zip")).write_bytes(os.urandom(1000))
    return folders


def test_files_migrate_moves_the_old_folders_once(app, ctx, db_session, store, monkeypatch, tmp_path):
    folders = _old_installation(tmp_path / "old")
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(folders["uploads"]))
    monkeypatch.setitem(app.config, "PRIVATE_UPLOAD_DIR", None)  # "<UPLOAD_DIR>-private"
    monkeypatch.setitem(app.config, "CERTIFICATE_PRINT_DIR", str(folders["prints"]))
    before = _files_on_disk(tmp_path / "old")
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["files", "migrate", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would move 1, already stored 0, skipped 1" in dry.output and "would move 2" in dry.output
    db_session.rollback()
    assert not file_store.exists("a1" * 12 + ".png", file_store.IMAGE)

    first = runner.invoke(args=["files", "migrate"])
    assert first.exit_code == 0, first.output
    assert "(image): moved 1, already stored 0, skipped 1, failed 0" in first.output
    assert "(private): moved 2, already stored 0" in first.output and "(print): moved 1," in first.output
    db_session.rollback()
    for folder, kind in ((folders["uploads"], file_store.IMAGE), (folders["uploads-private"], file_store.PRIVATE),
                         (folders["prints"], file_store.PRINT)):
        for path in folder.glob("*"):
            if file_store.valid_name(path.name):
                assert b"".join(file_store.chunks(path.name, kind)) == path.read_bytes()
    assert _files_on_disk(tmp_path / "old") == before  # kept without --delete

    second = runner.invoke(args=["files", "migrate", "--delete"])
    assert second.exit_code == 0, second.output
    assert "moved 0, already stored 1" in second.output and "moved 0, already stored 2" in second.output
    assert _files_on_disk(tmp_path / "old") == ["uploads/matrix.txt.part"]  # verified copies: old files gone


def test_an_old_print_job_downloads_after_the_migration(app, db_session, admin, store, tmp_path):
    prints = tmp_path / "prints"
    prints.mkdir()
    job = PrintJob(id="e5" * 16, output="pdf", certificate_ids=[], total=0, status=JobStatus.DONE.value,
                   created_by_id=admin.id, file_path=str(prints / ("e5" * 16 + ".pdf")))
    db_session.add(job)
    db_session.commit()
    (prints / f"{job.id}.pdf").write_bytes(b"%PDF-1.4 old batch")
    client = app.test_client()
    login(client, admin)
    assert client.get(f"/console/certificates/jobs/{job.id}/file").status_code == 404
    runner = app.test_cli_runner()
    assert runner.invoke(args=["files", "check"]).exit_code == 1
    moved = runner.invoke(args=["files", "migrate", "--from", f"{prints}:print"])
    assert "moved 1" in moved.output, moved.output
    assert client.get(f"/console/certificates/jobs/{job.id}/file").data == b"%PDF-1.4 old batch"
    check = runner.invoke(args=["files", "check"])
    assert check.exit_code == 0 and "0 missing" in check.output, check.output
    assert runner.invoke(args=["files", "migrate", "--from", "nowhere:secret"]).exit_code == 2
