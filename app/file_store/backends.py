"""Where the bytes live: `database` (the default: rows of bounded chunks, so every app machine
and worker sees every file without a shared disk) or `path` (a shared mount, FILE_STORE_PATH).
Both take and give chunks, never a whole file."""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import sqlalchemy as sa

from app.extensions import db
from app.file_store.models import StoredChunk, StoredFile
from app.timeutil import utcnow

CHUNK_BYTES = 256 * 1024


@dataclass(frozen=True)
class Info:
    kind: str
    size: int
    sha256: str
    content_type: str


def rechunk(pieces: Iterable[bytes], size: int = CHUNK_BYTES) -> Iterator[bytes]:
    """The same bytes in pieces of exactly `size` (the last one shorter)."""
    buffer = bytearray()
    for piece in pieces:
        buffer += piece
        while len(buffer) >= size:
            yield bytes(buffer[:size])
            del buffer[:size]
    if buffer:
        yield bytes(buffer)


class DatabaseStore:
    """One stored_files row and its stored_file_chunks rows. Writes join the caller's transaction
    (an upload is rolled back with the form that brought it) unless `own_transaction`."""

    name = "database"

    def write(self, name: str, kind: str, content_type: str, pieces: Iterable[bytes], *,
              own_transaction: bool = False) -> Info:
        if own_transaction:
            with db.engine.begin() as conn:
                return self._write(conn, name, kind, content_type, pieces)
        return self._write(db.session.connection(), name, kind, content_type, pieces)

    @staticmethod
    def _write(conn, name, kind, content_type, pieces) -> Info:
        conn.execute(sa.delete(StoredChunk).where(StoredChunk.name == name))
        conn.execute(sa.delete(StoredFile).where(StoredFile.name == name))
        conn.execute(sa.insert(StoredFile).values(name=name, kind=kind, size=0, sha256="",
                                                  content_type=content_type, created_at=utcnow()))
        digest, size = hashlib.sha256(), 0
        for seq, chunk in enumerate(rechunk(pieces)):
            digest.update(chunk)
            size += len(chunk)
            conn.execute(sa.insert(StoredChunk).values(name=name, seq=seq, data=chunk))
        conn.execute(sa.update(StoredFile).where(StoredFile.name == name)
                     .values(size=size, sha256=digest.hexdigest()))
        return Info(kind, size, digest.hexdigest(), content_type)

    def info(self, name: str) -> Info | None:
        row = db.session.execute(sa.select(StoredFile.kind, StoredFile.size, StoredFile.sha256,
                                           StoredFile.content_type).where(StoredFile.name == name)).first()
        return Info(*row) if row else None

    def chunks(self, name: str, *, in_session: bool = False) -> Iterator[bytes]:
        """A query per chunk, never holding more than one: on a connection of its own, usable
        after the request's context is gone (a streamed response), or `in_session`, seeing
        what the session wrote and has not committed yet."""
        # Bound now: a response's body is read after the request's app context is gone.
        query = sa.select(StoredChunk.data).where(StoredChunk.name == name)
        if in_session:
            session = db.session

            def read(seq: int) -> bytes | None:
                return session.execute(query.where(StoredChunk.seq == seq)).scalar()
        else:
            engine = db.engine

            def read(seq: int) -> bytes | None:
                with engine.connect() as conn:
                    return conn.execute(query.where(StoredChunk.seq == seq)).scalar()
        return self._chunks(read)

    @staticmethod
    def _chunks(read) -> Iterator[bytes]:
        seq = 0
        while (data := read(seq)) is not None:
            yield bytes(data)
            seq += 1

    def delete(self, name: str, *, own_transaction: bool = False) -> None:
        if own_transaction:
            with db.engine.begin() as conn:
                self._delete(conn, name)
        else:
            self._delete(db.session.connection(), name)

    @staticmethod
    def _delete(conn, name: str) -> None:
        conn.execute(sa.delete(StoredChunk).where(StoredChunk.name == name))
        conn.execute(sa.delete(StoredFile).where(StoredFile.name == name))


class PathStore:
    """Files under FILE_STORE_PATH/<kind>/<name>, written to a temporary file beside the target
    and renamed into place, so a reader on another machine never sees half a file."""

    name = "path"

    def __init__(self, root: str, content_type_of):
        self.root = Path(root)
        self.content_type_of = content_type_of

    def _path(self, name: str, kind: str) -> Path:
        return self.root / kind / name

    def write(self, name: str, kind: str, content_type: str, pieces: Iterable[bytes], *,
              own_transaction: bool = False) -> Info:
        folder = self.root / kind
        folder.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in rechunk(pieces):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o640)
            os.replace(temporary, folder / name)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return Info(kind, size, digest.hexdigest(), content_type)

    def find(self, name: str) -> tuple[str, Path] | None:
        for kind_dir in (self.root.iterdir() if self.root.is_dir() else ()):
            path = kind_dir / name
            if path.is_file():
                return kind_dir.name, path
        return None

    def info(self, name: str) -> Info | None:
        found = self.find(name)
        if found is None:
            return None
        kind, path = found
        stat = path.stat()
        # no stored digest: an ETag from size and time, which change whenever the file does
        return Info(kind, stat.st_size, f"{stat.st_size:x}-{stat.st_mtime_ns:x}", self.content_type_of(name))

    def chunks(self, name: str, *, in_session: bool = False) -> Iterator[bytes]:
        found = self.find(name)
        if found is None:
            return
        with found[1].open("rb") as source:
            while chunk := source.read(CHUNK_BYTES):
                yield chunk

    def delete(self, name: str, *, own_transaction: bool = False) -> None:
        found = self.find(name)
        if found is not None:
            found[1].unlink(missing_ok=True)
