"""Looking a certificate up for its public verification page, which must never say "valid"
when it could not read the register."""
from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from app.certificates.models import Certificate
from app.certificates import services
from app.extensions import db

log = logging.getLogger(__name__)


def lookup(text: str) -> tuple[Certificate | None, bool]:
    """(certificate or None, ok). ok is False when the database could not be read: then the
    page says so, and never "valid"."""
    try:
        return services.find_for_verification(text), True
    except SQLAlchemyError:
        log.exception("certificate verification could not read the database")
        db.session.rollback()
        return None, False
