"""PostgreSQL: pg_dump of one snapshot, pg_restore in one transaction. The client programs are
those of the server's major version (/usr/lib/postgresql/<major>/bin, Debian's layout): an older
pg_dump refuses a newer server, and a dump is restored by the pg_restore that can read it."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import SQLAlchemyError

from app.backup import tables
from app.backup.errors import refused
from app.backup.locations import Database

DEBIAN_BIN = Path("/usr/lib/postgresql")


def _unreachable():
    return refused("database_unreachable", _l("The PostgreSQL database cannot be reached; check the URL, "
                                              "that the database exists and that the server is running."))


def tool(name: str, major: int) -> str:
    """The server's own version of a client program, else the newest installed that is not older
    (pg_dump and pg_restore read older servers and dumps, never newer ones)."""
    candidates = sorted((int(p.name), p) for p in DEBIAN_BIN.glob("*") if p.name.isdigit()) if DEBIAN_BIN.is_dir() else []
    for version, folder in candidates:
        if version >= major and (folder / "bin" / name).is_file():
            return str(folder / "bin" / name)
    on_path = shutil.which(name)
    if on_path:
        return on_path
    raise refused("missing_tool", _l("%(tool)s for PostgreSQL %(major)s is not installed "
                                     "(Debian: apt-get install postgresql-client-%(major)s).", tool=name, major=major))


def server_major(conn: sa.Connection) -> int:
    return int(conn.scalar(sa.text("SHOW server_version_num"))) // 10000


def _run(argv: list[str], env: dict[str, str], what: str) -> None:
    """Run a client program. Of its stderr only the program's own lines are shown, without
    connection strings: the server's DETAIL and CONTEXT lines can quote a row (a duplicate key,
    the COPY line that failed), which is personal data."""
    result = subprocess.run(argv, env={**os.environ, **env}, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        own = [line for line in result.stderr.splitlines() if line.startswith(f"{what}: ")]
        lines = [re.sub(r"postgres(ql)?://\S+", "<database>", line.split("DETAIL:")[0]) for line in own[-3:]]
        raise refused("tool_failed", _l("%(what)s failed (exit %(rc)s): %(detail)s", what=what,
                                        rc=result.returncode, detail=" / ".join(lines)))


def dump(db: Database, target: Path) -> dict:
    """Dump the database to `target` and return what the manifest says of it. The row counts
    and the dump come from one snapshot: this transaction exports it and pg_dump joins it."""
    uri, env = db.libpq()
    engine = db.engine()
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                snapshot = conn.scalar(sa.text("SELECT pg_export_snapshot()"))
                version = conn.scalar(sa.text("SHOW server_version"))
                major = server_major(conn)
                counts = tables.row_counts(conn)
                revision = tables.alembic_revision(conn)
                _run([tool("pg_dump", major), "--format=custom", f"--snapshot={snapshot}", f"--file={target}",
                      f"--dbname={uri}"], env, "pg_dump")
    except SQLAlchemyError:
        raise _unreachable() from None
    finally:
        engine.dispose()
    return {"server_version": version.split()[0], "tables": counts, "alembic_revision": revision}


def table_count(db: Database) -> int:
    engine = db.engine()
    try:
        with engine.connect() as conn:
            return len(tables.table_names(conn))
    except SQLAlchemyError:
        raise _unreachable() from None
    finally:
        engine.dispose()


def restore(db: Database, source: Path, *, clean: bool) -> None:
    """All or nothing (one transaction, stop at the first error). Owners and grants of the
    source's roles are left out: the target's own user owns what it restores. `clean` drops the
    dump's objects first (over a database that is not empty)."""
    uri, env = db.libpq()
    engine = db.engine()
    try:
        with engine.connect() as conn:
            major = server_major(conn)
    except SQLAlchemyError:
        raise _unreachable() from None
    finally:
        engine.dispose()
    argv = [tool("pg_restore", major), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    if clean:
        argv += ["--clean", "--if-exists"]
    _run([*argv, f"--dbname={uri}", str(source)], env, "pg_restore")


def row_counts(db: Database) -> dict[str, int]:
    engine = db.engine()
    try:
        with engine.connect() as conn:
            return tables.row_counts(conn)
    except SQLAlchemyError:
        raise _unreachable() from None
    finally:
        engine.dispose()
