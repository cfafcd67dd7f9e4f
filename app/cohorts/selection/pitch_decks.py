"""Pitch-deck storage: PDFs kept in the private upload directory, never served statically."""
from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.cohorts.models import Application


def private_dir() -> Path:
    configured = current_app.config.get("PRIVATE_UPLOAD_DIR")
    path = Path(configured) if configured else Path(str(Path(current_app.config["UPLOAD_DIR"])) + "-private")
    path.mkdir(parents=True, exist_ok=True)
    return path


def read_pitch_deck(storage, errors: dict) -> bytes | None:
    """The uploaded PDF's bytes, or None when no file was chosen; problems go into `errors`."""
    if storage is None or not getattr(storage, "filename", None):
        return None
    limit = current_app.config["MAX_PITCH_DECK_BYTES"]
    data = storage.read(limit + 1)
    if not data:
        errors["pitch_deck"] = _l("The file is empty.")
    elif len(data) > limit:
        errors["pitch_deck"] = _l("The pitch deck is larger than %(mb)s MB.", mb=limit // (1024 * 1024))
    elif not data.startswith(b"%PDF-"):  # the content decides, not the name or the browser
        errors["pitch_deck"] = _l("The pitch deck must be a PDF file.")
    else:
        return data
    return None


def store_pitch_deck(data: bytes) -> str:
    name = f"{secrets.token_hex(16)}.pdf"
    (private_dir() / name).write_bytes(data)
    return name


def pitch_deck_path(application: Application) -> Path | None:
    if not application.pitch_deck:
        return None
    path = private_dir() / application.pitch_deck
    return path if path.is_file() else None
