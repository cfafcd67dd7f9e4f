"""Pitch-deck storage: PDFs kept in the file store as private files, never served statically (the
generic storage is app/private_files.py; these names stay for their callers)."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.cohorts.models import Application
from app import private_files
from app.private_files import read_pdf, store_pdf

__all__ = ["read_pitch_deck", "store_pitch_deck", "pitch_deck_name"]


def read_pitch_deck(storage, errors: dict) -> bytes | None:
    """The uploaded PDF's bytes, or None when no file was chosen; problems go into `errors`."""
    return read_pdf(storage, errors, field="pitch_deck", limit=current_app.config["MAX_PITCH_DECK_BYTES"],
                    too_large=lambda mb: _l("The pitch deck is larger than %(mb)s MB.", mb=mb),
                    not_pdf=_l("The pitch deck must be a PDF file."))


def store_pitch_deck(data: bytes) -> str:
    return store_pdf(data)


def pitch_deck_name(application: Application) -> str | None:
    """The stored deck's name, or None (none uploaded, or its file is gone)."""
    return application.pitch_deck if private_files.exists(application.pitch_deck) else None
