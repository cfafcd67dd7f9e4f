"""Private files (pitch decks, CVs): PDFs kept in the private upload directory, never served
statically; checked by their content (the %PDF- signature) and size, never by name or browser."""
from __future__ import annotations

import re
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

_NAME = re.compile(r"^[0-9a-f]{32}\.pdf$")


def private_dir() -> Path:
    configured = current_app.config.get("PRIVATE_UPLOAD_DIR")
    path = Path(configured) if configured else Path(str(Path(current_app.config["UPLOAD_DIR"])) + "-private")
    path.mkdir(parents=True, exist_ok=True)
    return path


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
    name = f"{secrets.token_hex(16)}.pdf"
    (private_dir() / name).write_bytes(data)
    return name


def private_path(name: str | None) -> Path | None:
    """The stored file's path, or None (no file, a name that is not one of ours, or gone)."""
    if not name or not _NAME.match(name):
        return None
    path = private_dir() / name
    return path if path.is_file() else None
