"""One commit per request; side effects (mail) only after it."""
from app.extensions import db


def commit() -> None:
    from app.notifications.services import deliver_after_commit

    db.session.commit()
    deliver_after_commit()
