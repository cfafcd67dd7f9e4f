"""Printed records (参与证明汇总): each print stores what it said under an unguessable code, and
the QR on the paper opens a public page showing that snapshot (the name masked, nothing else
personal), so a reader can tell a genuine print from an edited one."""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.audit import services as audit
from app.errors import NotFound
from app.extensions import db
from app.person.record import timeline
from app.person.record.models import RecordStatement
from app.privacy import mask_name
from app.timeutil import local_today

SNAPSHOT_VERSION = 1
CODE_LENGTH = 32  # what secrets.token_urlsafe(24) gives; anything else is not a code of ours


def snapshot(user, record: timeline.Record) -> dict:
    """The printed text: labels in the language it was printed in, no links, no contact details."""
    return {"version": SNAPSHOT_VERSION, "name": user.name, "issued_on": local_today().isoformat(),
            "summary": record.summary.as_dict(),
            "items": [{"when": i.when.isoformat(), "kind": i.kind, "kind_label": i.kind_label, "title": i.title,
                       "programme": i.programme, "status": i.status, "status_label": i.status_label,
                       "figures": [{"code": f.code, "label": f.label, "text": f.text} for f in i.figures]}
                      for i in record.items]}


def issue(user) -> RecordStatement:
    """A new statement of the person's whole record, as it stands now."""
    record = timeline.build(user)
    statement = RecordStatement(user_id=user.id, code=secrets.token_urlsafe(24), snapshot=snapshot(user, record))
    db.session.add(statement)
    db.session.flush()
    audit.record(user, "person.record_statement", statement, items=len(record.items))
    return statement


def own_statement(user, statement_id: int) -> RecordStatement:
    """One of the person's own statements; anybody else's is as absent as a missing one."""
    statement = db.session.get(RecordStatement, statement_id)
    if statement is None or statement.user_id != getattr(user, "id", None):
        raise NotFound(_l("No such printed record."))
    return statement


def find(code: str) -> RecordStatement | None:
    if not isinstance(code, str) or len(code) != CODE_LENGTH:
        return None
    return db.session.scalar(sa.select(RecordStatement).where(RecordStatement.code == code))


def public_view(statement: RecordStatement | None) -> dict:
    """What the verification page shows: the state, and for a statement on file the snapshot
    with the name masked."""
    if statement is None:
        return {"state": "not_found", "message": str(_l("No printed record has this code."))}
    data = dict(statement.snapshot)
    data["name"] = mask_name(data.get("name"))
    state = "revoked" if statement.revoked_at else "valid"
    message = _l("This printed record was withdrawn.") if statement.revoked_at else \
        _l("This printed record is genuine: it was issued by the system with the contents below.")
    return {"state": state, "message": str(message), "statement": data}
