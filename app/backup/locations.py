"""Where the data lives: the database a URL names (its kind, and how to hand it to libpq or
sqlite3 without a password in any process's argv), and the file directories the configuration
names. Every configured directory that exists is saved: UPLOAD_DIR, the private one beside it,
CERTIFICATE_PRINT_DIR and, where files are kept on a shared path, FILE_STORE_PATH."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import NullPool

from app.backup.errors import refused

POSTGRESQL = "postgresql"
SQLITE = "sqlite"


@dataclass(frozen=True)
class Database:
    kind: str
    url: URL  # as SQLAlchemy takes it (psycopg 3 for PostgreSQL)

    @property
    def sqlite_path(self) -> Path:
        return Path(self.url.database)

    def libpq(self) -> tuple[str, dict[str, str]]:
        """The libpq connection URI without its password, and the environment that carries it
        (PGPASSWORD), so neither `ps` nor an error message ever shows it."""
        url = self.url  # URL.set() cannot unset a password: build the URL without one
        bare = URL.create("postgresql", username=url.username, host=url.host, port=url.port,
                          database=url.database, query=url.query)
        env = {"PGPASSWORD": self.url.password} if self.url.password else {}
        return bare.render_as_string(hide_password=False), env

    def engine(self) -> sa.Engine:
        return sa.create_engine(self.url, poolclass=NullPool)


def database(url: str) -> Database:
    """The database a URL names; anything else than PostgreSQL or an SQLite file is refused."""
    try:
        parsed = make_url(url.strip())
    except (ArgumentError, ValueError, AttributeError):
        raise refused("bad_database_url", _l("The database URL cannot be read: write it as "
                                             "postgresql://user@host:5432/name or sqlite:////path/to/file.sqlite3."))
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        if not parsed.database:
            raise refused("bad_database_url", _l("The database URL names no database."))
        return Database(POSTGRESQL, parsed.set(drivername="postgresql+psycopg"))
    if backend == SQLITE:
        if not parsed.database or parsed.database == ":memory:":
            raise refused("bad_database_url", _l("An SQLite database URL must name a file."))
        return Database(SQLITE, parsed.set(drivername="sqlite"))
    raise refused("bad_database_url", _l("Only PostgreSQL and SQLite databases can be backed up or restored."))


@dataclass(frozen=True)
class FileDirectory:
    name: str  # its folder in the archive: files/<name>/
    config_key: str
    path: Path | None  # None: not configured in this app


def file_directories(config) -> list[FileDirectory]:
    """Every file directory the configuration names, whether it exists or not (a restore writes
    into them). Read with .get(): FILE_STORE_PATH exists only where files are kept on a path."""
    upload = config.get("UPLOAD_DIR")
    private = config.get("PRIVATE_UPLOAD_DIR") or (f"{Path(str(upload))}-private" if upload else None)
    named = [("uploads", "UPLOAD_DIR", upload), ("private", "PRIVATE_UPLOAD_DIR", private),
             ("prints", "CERTIFICATE_PRINT_DIR", config.get("CERTIFICATE_PRINT_DIR")),
             ("file_store", "FILE_STORE_PATH", config.get("FILE_STORE_PATH"))]
    return [FileDirectory(name, key, Path(str(value)) if value else None) for name, key, value in named]


def existing_directories(config) -> list[FileDirectory]:
    """The configured directories that exist, each once (two keys may name the same folder)."""
    seen: set[Path] = set()
    found = []
    for directory in file_directories(config):
        if directory.path is None or not directory.path.is_dir():
            continue
        resolved = directory.path.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        found.append(directory)
    return found
