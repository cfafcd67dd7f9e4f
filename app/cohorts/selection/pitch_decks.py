"""Pitch-deck storage: PDFs kept in the private upload directory, never served statically (the
generic storage is app/private_files.py; these names stay for their callers)."""
from __future__ import annotations

from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.cohorts.models import Application
from app.private_files import private_dir, private_path, read_pdf, store_pdf

__all__ = ["private_dir", "read_pitch_deck", "store_pitch_deck", "pitch_deck_path"]


def read_pitch_deck(storage, errors: dict) -> bytes | None:
    """The uploaded PDF's bytes, or None when no file was chosen; problems go into `errors`."""
    return read_pdf(storage, errors, field="pitch_deck", limit=current_app.config["MAX_PITCH_DECK_BYTES"],
                    too_large=lambda mb: _l("The pitch deck is larger than %(mb)s MB.", mb=mb),
                    not_pdf=_l("The pitch deck must be a PDF file."))


def store_pitch_deck(data: bytes) -> str:
    return store_pdf(data)


def pitch_deck_path(application: Application) -> Path | None:
    return private_path(application.pitch_deck)
