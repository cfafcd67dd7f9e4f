"""`flask backup create|restore` (issue 18): the demo, backed up and restored into a new database,
is the same table by table, row by row in a sample, file by file, and its certificates still
verify; a damaged archive, a non-empty target and bad arguments are refused without a traceback."""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import tarfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from tests.conftest import BACKEND, PG_ADMIN_URL, _pg_admin_engine, truncate_all

SAMPLE = 5  # rows per table compared column by column: the first and the last by primary key


BATCH = "0123456789abcdef0123456789abcdef.pdf"


@pytest.fixture(scope="module")
def demo(app):
    """The demo's data set (60 participants) with its files in the database's file store, plus a
    finished print batch there; and an older installation's folders that `flask files migrate` has
    not emptied yet (a cover, a batch), which the backup must take too."""
    from app import file_store
    from app.demo.loader import load_demo
    from app.extensions import db
    from app.file_store.models import StoredFile

    truncate_all(app)
    with app.test_request_context():
        load_demo(participants=60, seed=2026, echo=lambda *a, **k: None)
        file_store.put(BATCH, b"%PDF-1.7 printed batch\n" + secrets.token_bytes(300_000), file_store.PRINT)
        db.session.commit()
        kinds = set(db.session.scalars(sa.select(StoredFile.kind)))
        assert {file_store.PRIVATE, file_store.PRINT} <= kinds, "the demo's evidence and the batch are in the store"
    legacy = [Path(app.config["UPLOAD_DIR"]) / "old-cover.png", Path(app.config["CERTIFICATE_PRINT_DIR"]) / "old-batch.pdf"]
    for path in legacy:
        path.write_bytes(b"an older installation's file " + secrets.token_bytes(512))
    yield app
    for path in legacy:  # the folders are the session's: other tests expect them empty
        path.unlink(missing_ok=True)
    truncate_all(app)


class Target:
    """A new, empty database of the suite's kind; dropped afterwards."""

    def __init__(self, tmp_path: Path):
        if BACKEND == "sqlite":
            self.url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
            self.name = None
        else:
            self.name = f"minhang_restore_{os.getpid()}_{secrets.token_hex(4)}"
            with _pg_admin_engine().connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{self.name}"'))
            self.url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + self.name

    def drop(self):
        if self.name:
            with _pg_admin_engine().connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))


@pytest.fixture
def target(tmp_path):
    made = Target(tmp_path)
    yield made
    made.drop()


def backup(app, *args):
    return app.test_cli_runner().invoke(args=["backup", *args], catch_exceptions=False)


def snapshot(url: str) -> dict[str, tuple[int, list]]:
    """Every table: its row count, and its first and last SAMPLE rows by primary key, all columns."""
    engine = sa.create_engine(url, poolclass=NullPool)
    found = {}
    with engine.connect() as conn:
        inspector = sa.inspect(conn)
        for name in inspector.get_table_names():
            table = sa.Table(name, sa.MetaData(), autoload_with=conn)
            order = [table.c[c] for c in inspector.get_pk_constraint(name)["constrained_columns"]] or list(table.c)
            count = conn.scalar(sa.select(sa.func.count()).select_from(table))
            first = conn.execute(sa.select(table).order_by(*order).limit(SAMPLE)).all()
            last = conn.execute(sa.select(table).order_by(*[c.desc() for c in order]).limit(SAMPLE)).all()
            found[name] = (count, [tuple(r) for r in first + last])
    engine.dispose()
    return found


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_demo_restores_into_a_new_database_with_every_row_file_and_certificate(demo, target, tmp_path):
    from app import create_app, file_store
    from app.certificates.models import Certificate
    from app.extensions import db
    from app.file_store.models import StoredFile

    app = demo
    archive = tmp_path / "demo.tar"
    made = backup(app, "create", "--output", str(archive))
    assert made.exit_code == 0, made.output
    assert "postgresql://" not in made.output and "@" not in made.output  # no URL, no user, no password
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert {m["path"] for m in manifest["members"]} == set(names) - {"manifest.json", "manifest.sha256"}
    assert manifest["database"]["kind"] == BACKEND and manifest["alembic_revision"]
    assert {"uploads", "prints"} <= set(manifest["files"])
    assert manifest["tables"]["certificates"] > 0 and manifest["tables"]["alembic_version"] == 1

    restored = backup(app, "restore", str(archive), "--database-url", target.url, "--files-to", str(tmp_path / "files"))
    assert restored.exit_code == 0, restored.output
    assert "every sha256 matches" in restored.output and restored.output.rstrip().endswith("restored")

    source, copy = snapshot(app.config["SQLALCHEMY_DATABASE_URI"]), snapshot(target.url)
    assert set(copy) == set(source) and len(source) > 50
    assert [t for t in source if source[t][0] != copy[t][0]] == []
    assert [t for t in source if source[t][1] != copy[t][1]] == []
    assert sum(count for count, _ in copy.values()) > 1000

    for name, folder in (("uploads", Path(app.config["UPLOAD_DIR"])),
                         ("prints", Path(app.config["CERTIFICATE_PRINT_DIR"]))):
        assert tree(tmp_path / "files" / name) == tree(folder) != {}, name

    with app.app_context():
        cert = db.session.scalar(sa.select(Certificate).where(Certificate.revoked_at.is_(None),
                                                              Certificate.superseded_at.is_(None)).limit(1))
        code, serial = cert.code, cert.serial
        batch_digest = hashlib.sha256(file_store.read(BATCH, file_store.PRINT)).hexdigest()
        evidence = db.session.scalar(sa.select(StoredFile.name).where(StoredFile.kind == file_store.PRIVATE).limit(1))
        evidence_bytes = file_store.read(evidence, file_store.PRIVATE)
    other = create_app("testing", SQLALCHEMY_DATABASE_URI=target.url, UPLOAD_DIR=str(tmp_path / "files" / "uploads"),
                       CERTIFICATE_PRINT_DIR=str(tmp_path / "files" / "prints"))
    with other.app_context():  # the stored files came with the database, byte for byte
        assert file_store.sha256(BATCH, file_store.PRINT) == batch_digest
        assert file_store.read(evidence, file_store.PRIVATE) == evidence_bytes
    client = other.test_client()
    answer = client.get(f"/verify/{code}.json")
    assert answer.status_code == 200 and answer.json["state"] == "valid" and answer.json["serial"] == serial
    forged = code[:-1] + ("x" if code[-1] != "x" else "y")
    assert client.get(f"/verify/{forged}.json").json["state"] == "not_found"
    with other.app_context():
        db.session.remove()
        db.engine.dispose()

    # over the restored (so no longer empty) database: refused, unless forced
    again = app.test_cli_runner().invoke(args=["backup", "restore", str(archive), "--database-url", target.url,
                                               "--files-to", str(tmp_path / "other")])
    assert again.exit_code != 0 and "[target_not_empty]" in again.output and again.exception.__class__ is SystemExit
    assert not (tmp_path / "other").exists()
    forced = backup(app, "restore", str(archive), "--database-url", target.url, "--files-to",
                    str(tmp_path / "files"), "--force")
    assert forced.exit_code == 0, forced.output
    assert snapshot(target.url) == copy


def _damage(archive: Path, member: str) -> Path:
    """A copy of the archive with one byte of `member`'s content changed."""
    with tarfile.open(archive) as tar:
        info = tar.getmember(member)
        offset = info.offset_data + info.size // 2
    damaged = archive.with_name("damaged.tar")
    data = bytearray(archive.read_bytes())
    data[offset] ^= 0x01
    damaged.write_bytes(bytes(data))
    return damaged


def test_files_kept_on_a_shared_path_are_in_the_archive_and_come_back(demo, target, tmp_path, monkeypatch):
    from app import file_store

    shared = tmp_path / "shared"
    monkeypatch.setitem(demo.config, "FILE_STORE", "path")
    monkeypatch.setitem(demo.config, "FILE_STORE_PATH", str(shared))
    with demo.app_context():
        file_store.put(BATCH, b"%PDF-1.7 on the shared path\n" + secrets.token_bytes(4096), file_store.PRINT)
    archive = tmp_path / "shared.tar"
    made = backup(demo, "create", "--output", str(archive))
    assert made.exit_code == 0, made.output
    restored = backup(demo, "restore", str(archive), "--database-url", target.url, "--files-to", str(tmp_path / "files"))
    assert restored.exit_code == 0, restored.output
    assert tree(tmp_path / "files" / "file_store") == tree(shared) != {}


@pytest.mark.parametrize("member", ["database", "manifest.json"])
def test_a_damaged_archive_is_refused_before_anything_is_written(demo, target, tmp_path, member):
    app = demo
    archive = tmp_path / "demo.tar"
    assert backup(app, "create", "--output", str(archive)).exit_code == 0
    with tarfile.open(archive) as tar:
        name = next(n for n in tar.getnames() if n.startswith(member))
    damaged = _damage(archive, name)
    result = app.test_cli_runner().invoke(args=["backup", "restore", str(damaged), "--database-url", target.url,
                                                "--files-to", str(tmp_path / "files")])
    assert result.exit_code != 0 and "[archive_corrupt]" in result.output, result.output
    assert result.exception.__class__ is SystemExit  # a message, not a traceback
    assert not (tmp_path / "files").exists()
    engine = sa.create_engine(target.url, poolclass=NullPool)
    with engine.connect() as conn:
        assert sa.inspect(conn).get_table_names() == []
    engine.dispose()
    # the undamaged archive restores into the same target: the refusal was the byte, not the target
    assert backup(app, "restore", str(archive), "--database-url", target.url, "--files-to",
                  str(tmp_path / "files")).exit_code == 0


@pytest.mark.parametrize("args, code", [
    (["--database-url", "no such url"], "bad_database_url"),
    (["--database-url", "mysql://u@h/d"], "bad_database_url"),
    (["--database-url", "postgresql://postgres@127.0.0.1:1/x" if BACKEND == "sqlite" else "sqlite:////tmp/x.sqlite3"],
     "wrong_database_kind"),
])
def test_bad_arguments_get_a_message_not_a_traceback(demo, tmp_path, args, code):
    app = demo
    archive = tmp_path / "demo.tar"
    assert backup(app, "create", "--output", str(archive)).exit_code == 0
    result = app.test_cli_runner().invoke(args=["backup", "restore", str(archive), *args])
    assert result.exit_code != 0 and f"[{code}]" in result.output and result.exception.__class__ is SystemExit
    missing = app.test_cli_runner().invoke(args=["backup", "restore", str(tmp_path / "none.tar"), *args])
    assert missing.exit_code != 0 and "Traceback" not in missing.output
    exists = app.test_cli_runner().invoke(args=["backup", "create", "--output", str(archive)])
    assert exists.exit_code != 0 and "[output_exists]" in exists.output


def test_a_failing_pg_restore_is_reported_without_the_rows_it_quotes(app):
    """The server's DETAIL and CONTEXT lines quote rows (a duplicate key, the COPY line that
    failed): the refusal keeps pg_restore's own line and drops them."""
    from flask_babel import force_locale

    from app.backup import postgres
    from app.backup.errors import BackupRefused

    stderr = ("echo 'pg_restore: error: could not execute query: ERROR:  duplicate key value violates unique "
              "constraint \"users_mobile_key\" DETAIL:  Key (mobile)=(13912345678) already exists.' >&2; "
              "echo 'DETAIL:  Key (mobile)=(13912345678) already exists.' >&2; "
              "echo 'CONTEXT:  COPY users, line 1: \"7 张三 13912345678\"' >&2; "
              "echo 'pg_restore: error: connection to postgresql://minhang:secret@db/minhang failed' >&2; exit 1")
    with app.app_context(), force_locale("en"), pytest.raises(BackupRefused) as refused:
        postgres._run(["sh", "-c", stderr], {}, "pg_restore")
    message = str(refused.value.message)
    assert refused.value.code == "tool_failed" and "exit 1" in message and "duplicate key value" in message
    assert "13912345678" not in message and "张三" not in message and "secret" not in message


def test_the_password_goes_to_pg_dump_by_its_environment_never_its_command_line():
    from app.backup.locations import database

    uri, env = database("postgresql://minhang:s3cret%2Fpw@db.internal:5433/minhang?sslmode=require").libpq()
    assert uri == "postgresql://minhang@db.internal:5433/minhang?sslmode=require" and env == {"PGPASSWORD": "s3cret/pw"}
    assert database("postgresql+psycopg://minhang@db/minhang").libpq() == ("postgresql://minhang@db/minhang", {})
