"""The health check's question to the database."""
from __future__ import annotations

import logging

import sqlalchemy as sa

from app.extensions import db

log = logging.getLogger(__name__)


def database_reachable() -> bool:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy"
        log.error("health check failed: %s", exc)
        return False
    return True
