"""Making a backup and restoring one. Progress goes to `echo`: counts, sizes and folder names,
never a URL's password, a person's data or a file's name."""
from __future__ import annotations

import os
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from flask_babel import lazy_gettext as _l

from app.backup import archive, postgres, sqlite
from app.backup.errors import refused
from app.backup.locations import POSTGRESQL, Database, database, existing_directories, file_directories

ENGINES = {POSTGRESQL: postgres, "sqlite": sqlite}
DUMP_NAMES = {POSTGRESQL: "database/postgresql.dump", "sqlite": "database/minhang.sqlite3"}


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def default_output(now: datetime) -> Path:
    return Path(f"minhang-backup-{now:%Y%m%dT%H%M%SZ}.tar")


def create(config, output: Path | None = None, echo=print) -> Path:
    """Write the backup archive of the app configured by `config` and return its path. The
    database is saved first and the files after it: a file a saved row names was stored before
    that row was committed, so it is in the archive too."""
    now = datetime.now(timezone.utc).replace(microsecond=0)
    output = Path(output) if output else default_output(now)
    if output.exists():
        raise refused("output_exists", _l("The output file exists already; choose another name."))
    if not output.parent.is_dir():
        raise refused("bad_output", _l("The folder of the output file does not exist."))
    db = database(str(config["SQLALCHEMY_DATABASE_URI"]))
    partial = output.with_name(output.name + ".partial")
    try:
        with tempfile.TemporaryDirectory(prefix="minhang-backup-") as work:
            dump_path = Path(work) / "dump"
            echo(f"database: {db.kind}, saving one consistent snapshot ...")
            described = ENGINES[db.kind].dump(db, dump_path)
            echo(f"database: {len(described['tables'])} tables, {sum(described['tables'].values())} rows, "
                 f"{_mb(dump_path.stat().st_size)}, revision {described['alembic_revision']}")
            writer = archive.Writer(partial)
            writer.add_file(dump_path, DUMP_NAMES[db.kind])
            dump_path.unlink()
            folders = {d.name: _add_directory(writer, d, echo) for d in existing_directories(config)}
            writer.close({
                "format": archive.FORMAT, "version": archive.VERSION, "created_at": now.isoformat(),
                "alembic_revision": described["alembic_revision"],
                "database": {"kind": db.kind, "server_version": described["server_version"],
                             "member": DUMP_NAMES[db.kind]},
                "tables": described["tables"], "files": folders, "file_store": config.get("FILE_STORE"),
            })
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    echo(f"wrote {output} ({_mb(output.stat().st_size)})")
    return output


def _add_directory(writer: archive.Writer, directory, echo) -> dict:
    count = size = skipped = 0
    for root, dirs, names in os.walk(directory.path):
        dirs.sort()
        for name in sorted(names):
            path = Path(root, name)
            if not path.is_file() or path.is_symlink():
                skipped += 1
                continue
            relative = path.relative_to(directory.path).as_posix()
            size += writer.add_file(path, f"files/{directory.name}/{relative}")
            count += 1
    echo(f"files: {directory.name} ({directory.config_key}) {count} files, {_mb(size)}"
         + (f", {skipped} links or special files left out" if skipped else ""))
    return {"config_key": directory.config_key, "files": count, "bytes": size}


def restore(config, archive_path: Path, database_url: str, *, files_to: Path | None = None, force: bool = False,
            echo=print) -> dict:
    """Restore an archive into the database `database_url` and the file directories (this app's
    configured ones, or folders under `files_to`). Every checksum is verified, and every target
    checked, before anything is written; afterwards the restored row counts must equal the
    manifest's. Returns the manifest."""
    target = database(database_url)
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise refused("archive_missing", _l("The backup archive does not exist."))
    with tempfile.TemporaryDirectory(prefix="minhang-restore-") as work:
        echo(f"verifying {archive_path.name} ...")
        manifest = archive.extract_verified(archive_path, Path(work))
        echo(f"verified: {len(manifest['members'])} members, every sha256 matches; "
             f"made {manifest['created_at']}, revision {manifest['alembic_revision']}")
        kind = manifest["database"]["kind"]
        if kind != target.kind:
            raise refused("wrong_database_kind", _l("This archive holds a %(kind)s database; restore it into one "
                                                    "of the same kind.", kind=kind))
        engine = ENGINES[kind]
        folders = _file_targets(config, manifest, files_to)
        _check_empty(target, engine, folders, force)
        echo(f"database: restoring {len(manifest['tables'])} tables into the {kind} target ...")
        engine.restore(target, Path(work, manifest["database"]["member"]), clean=force)
        for name, folder in folders.items():
            copied = _copy_tree(Path(work, "files", name), folder)
            echo(f"files: {name} {copied} files restored")
        counts = engine.row_counts(target)
        differing = sorted(t for t in set(counts) | set(manifest["tables"])
                           if counts.get(t) != manifest["tables"].get(t))
        if differing:
            raise refused("counts_differ", _l("The restored database differs from the backup in %(count)s "
                                              "table(s): %(tables)s", count=len(differing),
                                              tables=", ".join(differing[:10])))
        echo(f"checked: {len(counts)} tables, {sum(counts.values())} rows, as in the manifest")
    return manifest


def _file_targets(config, manifest: dict, files_to: Path | None) -> dict[str, Path]:
    configured = {d.name: d.path for d in file_directories(config)}
    targets = {}
    for name, saved in manifest.get("files", {}).items():
        if files_to is not None:
            targets[name] = Path(files_to) / name
        elif configured.get(name) is not None:
            targets[name] = configured[name]
        else:
            raise refused("no_file_target", _l("The archive holds files of %(key)s, which this installation does "
                                               "not configure: set it, or restore with --files-to.",
                                               key=saved.get("config_key", name)))
    return targets


def _check_empty(target: Database, engine, folders: dict[str, Path], force: bool) -> None:
    if force:
        return
    if engine.table_count(target):
        raise refused("target_not_empty", _l("The target database is not empty; restore into a new database, "
                                             "or give --force to replace what the archive holds."))
    for folder in folders.values():
        if folder.is_dir() and any(folder.iterdir()):
            raise refused("target_not_empty", _l("A target file folder is not empty; give --files-to with a new "
                                                 "folder, or --force to add the archive's files to it."))


def _copy_tree(source: Path, target: Path) -> int:
    target.mkdir(parents=True, exist_ok=True)
    if not source.is_dir():
        return 0
    shutil.copytree(source, target, dirs_exist_ok=True)
    return sum(1 for p in source.rglob("*") if p.is_file())
