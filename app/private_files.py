"""Private files (pitch decks, CVs, plan evidence): kept in the file store (app/file_store) as the
"private" kind, never served at /uploads/; checked by their content (the %PDF- signature) and
size, never by name or browser."""
from __future__ import annotations

import secrets

from flask import Response
from flask_babel import lazy_gettext as _l

from app import file_store


def read_pdf(storage, errors: dict, *, field: str, limit: int, too_large, not_pdf) -> bytes | None:
    """The uploaded PDF's bytes, or None when no file was chosen; a problem goes into
    `errors[field]` (`too_large` is given the limit in MB as `mb`)."""
    if storage is None or not getattr(storage, "filename", None):
        return None
    data = storage.read(limit + 1)
    if not data:
        errors[field] = _l("The file is empty.")
    elif len(data) > limit:
        errors[field] = too_large(mb=limit // (1024 * 1024))
    elif not data.startswith(b"%PDF-"):  # the content decides, not the name or the browser
        errors[field] = not_pdf
    else:
        return data
    return None


def store_pdf(data: bytes) -> str:
    return store(f"{secrets.token_hex(16)}.pdf", data)


def store(name: str, data: bytes) -> str:
    return file_store.put(name, data, file_store.PRIVATE)


def exists(name: str | None) -> bool:
    """Whether the name is one of ours and its file is there (no file, a forged name, or gone: no)."""
    return file_store.exists(name, file_store.PRIVATE)


def response(name: str | None, download_name: str, *, attachment: bool = True,
             content_type: str | None = None) -> Response:
    """The file streamed from the store, never cached; NotFound (404) when there is none."""
    return file_store.response(name, file_store.PRIVATE, download_name=download_name, attachment=attachment,
                               content_type=content_type)


def delete(name: str | None, *, own_transaction: bool = False) -> None:
    file_store.delete(name, file_store.PRIVATE, own_transaction=own_transaction)
