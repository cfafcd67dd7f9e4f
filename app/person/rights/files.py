"""Uploaded files of a person's rows (pitch decks, CVs): on erasure the column is emptied in the
transaction and the file is deleted after its commit (a rolled-back erasure keeps them)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.extensions import db
from app import private_files
from app.transaction import after_commit

# Every column that names a private upload (app.private_files.store_pdf): its users are the
# camp application form (pitch decks), the pitch entry form (decks) and the job fair (CVs).
FILE_COLUMNS = {
    "applications": ("pitch_deck",),
    "pitch_entries": ("deck",),
    "fair_interests": ("cv_file",),
}
_PENDING = "rights_files_to_delete"


def forget(rows: dict[str, list[dict]]) -> list[str]:
    """Empty the file columns of these rows and queue their files for deletion after the commit."""
    names = []
    for table_name, columns in FILE_COLUMNS.items():
        table = db.metadata.tables[table_name]
        for row in rows.get(table_name, ()):
            held = [c for c in columns if row.get(c)]
            if held:
                names += [row[c] for c in held]
                db.session.execute(sa.update(table).where(table.c.id == row["id"]).values({c: None for c in held}))
    db.session.info.setdefault(_PENDING, []).extend(names)
    return names


@after_commit
def _delete_files():
    names = db.session.info.pop(_PENDING, None)
    if not names:
        return None
    def delete():
        for name in names:  # the erasure is committed: each file goes in a transaction of its own
            private_files.delete(name, own_transaction=True)
    return delete


@sa.event.listens_for(Session, "after_rollback")
def _keep_files(session):
    session.info.pop(_PENDING, None)  # the rows still name them: nothing to delete
