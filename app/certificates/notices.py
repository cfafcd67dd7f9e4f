"""Telling holders that their certificate is issued (mail row, inbox copy, SMS if they want it).

A notice costs ~2 ms of CPU and three rows (app/notifications): nothing for a cohort's sixty
founders, 20 s for a Talent Week event of 10,000. So a small batch (up to INLINE) is told in the
issuing transaction, as before: a rolled-back issue tells nobody. A bigger one is told after the
commit — whoever commits: a request, a command, a job — by a background job (RQ's notifications
queue, or a thread without Redis), CHUNK certificates a transaction; each certificate records
when its holder was told (`notified_at`), in the same transaction as the notice, so a retried job
continues where the last attempt stopped and never tells anybody twice. Without Redis the
thread is one the process waits for at exit: a command that issues a big batch and returns
would otherwise end with its holders untold (nothing sweeps up `notified_at` left null).
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l

from app import jobs
from app.accounts.models import User
from app.certificates.models import Certificate
from app.extensions import db
from app.notifications.services import notify
from app.timeutil import utcnow
from app.transaction import commit
from app.urls import public_base_url

INLINE = 100
CHUNK = 500
PENDING = "certificate_notices"


def told_now(count: int) -> bool:
    """Whether a batch of `count` is told in the issuing transaction."""
    return count <= INLINE


def tell(issued: list[tuple[Certificate, User]]) -> None:
    """Each holder is told: now if the batch is small (told_now), else after the commit."""
    if told_now(len(issued)):
        for cert, user in issued:
            _notify(cert, user)
    elif issued:
        pending = db.session.info.setdefault(PENDING, {"ids": [], "locale": str(get_locale() or "zh_CN")})
        pending["ids"].extend(cert.id for cert, _user in issued)


def _notify(cert: Certificate, user: User) -> None:
    notify(user, "certificate_issued", _l("Certificate issued: %(certificate)s", certificate=cert.title),
           "certificate_issued", registration=None, certificate=cert.title, programme=cert.programme)


@sa.event.listens_for(db.session, "after_commit")
def _tell_after_commit(session) -> None:
    """A big batch's notices, handed to the background once its certificates are stored: on the
    session, not the request, so that a command or a job that commits hands them over too."""
    pending = session.info.pop(PENDING, None)
    if pending:
        dispatch(pending["ids"], pending["locale"])


@sa.event.listens_for(db.session, "after_rollback")
def _forget_after_rollback(session) -> None:
    session.info.pop(PENDING, None)


def dispatch(cert_ids: list[int], locale: str) -> None:
    if jobs.redis_url():
        jobs.enqueue(jobs.notifications_queue_name(), run_notices, cert_ids, locale, kind=jobs.NOTICE)
    else:
        jobs.in_thread(run_notices, cert_ids, locale, name="certificate-notices", finish_before_exit=True)


def run_notices(cert_ids: list[int], locale: str = "zh_CN") -> int:
    """The job: tell the holders of `cert_ids` not told yet, CHUNK a transaction (mail and SMS
    handed over after each commit). Rows are locked while told (PostgreSQL), so two attempts at
    once tell each holder once. Returns how many were told."""
    told = 0
    for start in range(0, len(cert_ids), CHUNK):
        query = (sa.select(Certificate, User).join(User, User.id == Certificate.recipient_id)
                 .where(Certificate.id.in_(cert_ids[start:start + CHUNK]), Certificate.notified_at.is_(None))
                 .order_by(Certificate.id))
        if db.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(of=Certificate, skip_locked=True)
        with current_app.test_request_context(base_url=public_base_url()), force_locale(locale):
            rows = db.session.execute(query).all()
            for cert, user in rows:
                _notify(cert, user)
            if rows:
                db.session.execute(sa.update(Certificate).where(Certificate.id.in_([c.id for c, _u in rows]))
                                   .values(notified_at=utcnow()).execution_options(synchronize_session=False))
            commit()
        told += len(rows)
    return told
