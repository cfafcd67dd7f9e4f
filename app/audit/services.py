from __future__ import annotations

from flask import has_request_context, request

from app.audit.models import AuditEntry
from app.extensions import db


def record(actor, action: str, subject=None, **detail) -> AuditEntry:
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        subject_type=type(subject).__name__ if subject is not None else None,
        subject_id=getattr(subject, "id", None),
        detail=detail,
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry
