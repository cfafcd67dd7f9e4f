"""One commit per request; side effects (mail, SMS) only after it."""
from app.extensions import db
from app.notifications.services import deliver_after_commit, queued_in_this_request
from app.notifications.sms import services as sms


def commit() -> None:
    db.session.flush()
    outbox_ids = queued_in_this_request()  # read before the commit expires the rows
    sms_pending = sms.queued_in_this_request()
    db.session.commit()
    deliver_after_commit(outbox_ids)
    sms.send_after_commit(sms_pending)
