"""Stored files: uploads (covers, seals, signatures, pitch decks, CVs, evidence) and finished print
batches, in the database (FILE_STORE=database, the default) or on a shared path (FILE_STORE=path,
FILE_STORE_PATH), so any app machine or worker serves and prints them without a shared disk.

One API whatever the backend: `put` a name with bytes, a file or chunks; `chunks`, `read`,
`exists`, `size`, `delete`; `response` streams one to the browser. Every call names the file's
kind, and a file is found only under its own kind: /uploads/ serves images, never a CV.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import BinaryIO, Iterable, Iterator
from urllib.parse import quote

from flask import Response, current_app, request

from app.errors import NotFound
from app.file_store.backends import CHUNK_BYTES, DatabaseStore, Info, PathStore

IMAGE, PRIVATE, PRINT = "image", "private", "print"
KINDS = (IMAGE, PRIVATE, PRINT)
# Every name we make: a random token (plan- evidence, a print job's uuid) and a short suffix.
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,90}\.[a-z0-9]{2,5}$")
CONTENT_TYPES = {
    "jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "pdf": "application/pdf",
    "zip": "application/zip", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
PUBLIC_MAX_AGE = 365 * 24 * 3600  # a name is never reused for other bytes

__all__ = ["CHUNK_BYTES", "IMAGE", "KINDS", "NAME", "PRINT", "PRIVATE", "Info", "backend", "chunks",
           "content_type_of", "delete", "exists", "info", "put", "read", "response", "valid_name"]


def valid_name(name: str | None) -> bool:
    return bool(name) and len(name) <= 100 and NAME.match(name) is not None


def content_type_of(name: str) -> str:
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")


def backend() -> DatabaseStore | PathStore:
    chosen = current_app.config.get("FILE_STORE") or "database"
    if chosen == "database":
        return DatabaseStore()
    if chosen == "path":
        root = current_app.config.get("FILE_STORE_PATH")
        if not root:
            raise RuntimeError("FILE_STORE=path needs FILE_STORE_PATH (a folder every app machine mounts)")
        return PathStore(root, content_type_of)
    raise RuntimeError(f"FILE_STORE must be 'database' or 'path', not {chosen!r}")


def _pieces(source: bytes | BinaryIO | Iterable[bytes]) -> Iterable[bytes]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return (bytes(source[i:i + CHUNK_BYTES]) for i in range(0, len(source), CHUNK_BYTES))
    if hasattr(source, "read"):
        return iter(lambda: source.read(CHUNK_BYTES), b"")
    return source


def put(name: str, source: bytes | BinaryIO | Iterable[bytes], kind: str, content_type: str | None = None, *,
        own_transaction: bool = False) -> str:
    """Store `source` under `name` (replacing any file of that name) and return the name. In the
    database the rows join the session's transaction unless `own_transaction` (a worker's job)."""
    if not valid_name(name) or kind not in KINDS:
        raise ValueError(f"not a storable name or kind: {name[:40]!r} {kind!r}")
    backend().write(name, kind, content_type or content_type_of(name), _pieces(source),
                    own_transaction=own_transaction)
    return name


def info(name: str | None, kind: str) -> Info | None:
    """The file's size, digest and type, or None: no such name, a forged one, or another kind's."""
    if not valid_name(name):
        return None
    found = backend().info(name)
    return found if found is not None and found.kind == kind else None


def exists(name: str | None, kind: str) -> bool:
    return info(name, kind) is not None


def size(name: str | None, kind: str) -> int | None:
    found = info(name, kind)
    return found.size if found else None


def chunks(name: str, kind: str) -> Iterator[bytes]:
    """The file's bytes a chunk at a time, as the session sees them (its own uncommitted puts too)."""
    if info(name, kind) is None:
        raise NotFound()
    return backend().chunks(name, in_session=True)


def read(name: str | None, kind: str, limit: int | None = None) -> bytes:
    """A small file whole (a seal for the PDF renderer); `limit` guards against a big one."""
    found = info(name, kind)
    if found is None or (limit is not None and found.size > limit):
        raise NotFound()
    return b"".join(backend().chunks(name, in_session=True))


def sha256(name: str, kind: str) -> str | None:
    """The digest of the bytes as stored now (read back, not the recorded one)."""
    if info(name, kind) is None:
        return None
    digest = hashlib.sha256()
    for chunk in backend().chunks(name, in_session=True):
        digest.update(chunk)
    return digest.hexdigest()


def delete(name: str | None, kind: str, *, own_transaction: bool = False) -> None:
    """In the database the rows go with the session's transaction unless `own_transaction`;
    on a path the file goes at once."""
    if info(name, kind) is not None:
        backend().delete(name, own_transaction=own_transaction)


def _filename(name: str) -> dict:
    """RFC 6266: an ASCII fallback and the UTF-8 name (证据.xlsx) for browsers that read it."""
    try:
        name.encode("ascii")
        return {"filename": name}
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii") or "file"
        return {"filename": simple, "filename*": "UTF-8''" + quote(name, safe="!#$&+^`|~")}


def response(name: str | None, kind: str, *, download_name: str | None = None, attachment: bool = True,
             public: bool = False, content_type: str | None = None) -> Response:
    """The file streamed chunk by chunk with its length and type; NotFound (a 404) when there is
    none. `public` (covers, seals): cached for a year with an ETag; otherwise never cached."""
    found = info(name, kind)
    if found is None:
        raise NotFound()
    etag = found.sha256[:32]
    if public and request.if_none_match.contains(etag):
        not_modified = Response(status=304)
        not_modified.set_etag(etag)
        not_modified.cache_control.public, not_modified.cache_control.max_age = True, PUBLIC_MAX_AGE
        return not_modified
    out = Response(backend().chunks(name), mimetype=content_type or found.content_type, direct_passthrough=True)
    out.content_length = found.size
    out.headers["X-Content-Type-Options"] = "nosniff"
    if download_name or attachment:
        out.headers.set("Content-Disposition", "attachment" if attachment else "inline",
                        **_filename(download_name or name))
    if public:
        out.set_etag(etag)
        out.cache_control.public, out.cache_control.max_age = True, PUBLIC_MAX_AGE
    else:
        out.headers["Cache-Control"] = "private, no-store"
    return out
