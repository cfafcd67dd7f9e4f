"""Moving the files of an installation from before the store (UPLOAD_DIR, the private folder,
CERTIFICATE_PRINT_DIR) into it, and checking that every name a column holds is stored."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from app import file_store
from app.extensions import db


@dataclass
class Counts:
    moved: int = 0
    already: int = 0  # stored before, with the same bytes: a second run moves nothing
    skipped: list[str] = field(default_factory=list)  # not a name of ours (a .part, a stray file)
    failed: list[str] = field(default_factory=list)  # stored bytes differ from the file's


# Every column that names a stored file, by table (strings: the platform imports no domain).
COLUMNS = (
    ("events", "cover_image", file_store.IMAGE),
    ("certificate_templates", "seal_image", file_store.IMAGE),
    ("certificate_templates", "signature_image", file_store.IMAGE),
    ("applications", "pitch_deck", file_store.PRIVATE),
    ("pitch_entries", "deck", file_store.PRIVATE),
    ("fair_interests", "cv_file", file_store.PRIVATE),
    ("plan_figures", "evidence_file", file_store.PRIVATE),
    ("certificate_print_jobs", "file_path", file_store.PRINT),  # a path before the store: its last part
)


def old_folders() -> list[tuple[Path, str]]:
    """Where files lived before the store, from the settings, with the kind each folder held."""
    uploads = current_app.config["UPLOAD_DIR"]
    private = current_app.config.get("PRIVATE_UPLOAD_DIR") or str(Path(uploads)) + "-private"
    return [(Path(uploads), file_store.IMAGE), (Path(private), file_store.PRIVATE),
            (Path(current_app.config["CERTIFICATE_PRINT_DIR"]), file_store.PRINT)]


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(file_store.CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def move_folder(folder: Path, kind: str, *, dry_run: bool = False, delete: bool = False) -> Counts:
    """Store each file of `folder` under its own name, read it back to compare digests, and only
    then (with `delete`) remove the old file. A file stored already with the same bytes is left."""
    counts = Counts()
    if not folder.is_dir():
        return counts
    for path in sorted(folder.iterdir()):
        if not path.is_file() or not file_store.valid_name(path.name):
            counts.skipped.append(path.name)
            continue
        expected = _digest(path)
        if file_store.sha256(path.name, kind) == expected:
            counts.already += 1
        elif dry_run:
            counts.moved += 1
            continue
        else:
            with path.open("rb") as source:
                file_store.put(path.name, source, kind, own_transaction=True)
            if file_store.sha256(path.name, kind) != expected:
                counts.failed.append(path.name)
                continue
            counts.moved += 1
        if delete and not dry_run:
            path.unlink()
    return counts


def missing() -> list[tuple[str, str, str]]:
    """(table, column, name) of every name a row holds whose file is not in the store."""
    gone = []
    for table_name, column_name, kind in COLUMNS:
        table = db.metadata.tables.get(table_name)
        if table is None:
            continue
        column = table.c[column_name]
        for value in db.session.scalars(sa.select(column).where(column.isnot(None), column != "").distinct()):
            name = value.replace("\\", "/").rsplit("/", 1)[-1]
            if not file_store.exists(name, kind):
                gone.append((table_name, column_name, name))
    return gone
