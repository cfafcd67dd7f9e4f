"""Queue, send and track text messages.

`queue_sms()` only adds a row (inside the caller's transaction). After the request's commit
(`app.transaction.commit`) the rows it queued are handed over (`send_after_commit`): to an RQ job
on the notifications queue when REDIS_URL is set, to a daemon thread in development, or sent
inline when configured so (tests). A job whose message must wait (back-off, quiet hours) is
scheduled again for `next_attempt_at` with RQ's `enqueue_at`. `deliver_due()`, run by
`flask sms send`, is the sweep for anything left (a lost Redis, a worker that died). A temporary
failure or the provider's rate limit reschedules with exponential back-off; a permanent one (bad
number, template, sign, balance, credentials) is recorded and never retried.
"""
from __future__ import annotations

import json
import logging
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app, g

from app import jobs, metrics
from app.extensions import db
from app.notifications.sms import providers
from app.notifications.sms.models import (CAPPED, DEFERRED, DELIVERED, DUE_STATUSES, FAILED, QUEUED,
                                          SENT, UNSENT, SmsMessage)
from app.notifications.sms.templates import SMS_VARIABLES, URGENT_KINDS
from app.timeutil import LOCAL_TZ, local_to_utc, utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACKOFF_BASE_SECONDS = 60
QUIET_START, QUIET_END = time(22, 0), time(8, 0)


def sms_templates(config=None) -> dict[str, str]:
    """SMS_TEMPLATES: a JSON object (or dict) kind -> the provider's template code."""
    raw = (config or current_app.config).get("SMS_TEMPLATES") or {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            log.error("SMS_TEMPLATES is not a JSON object; no SMS templates are used")
            return {}
    return raw if isinstance(raw, dict) else {}


def provider_configured() -> bool:
    return (current_app.config.get("SMS_PROVIDER") or "none").lower() in ("aliyun", "tencent")


def quiet_until(moment: datetime) -> datetime | None:
    """The end of the quiet hours (08:00 Shanghai, as UTC) if `moment` falls inside them."""
    local = moment.astimezone(LOCAL_TZ)
    if QUIET_END <= local.time() < QUIET_START:
        return None
    day = local.date() if local.time() < QUIET_END else local.date() + timedelta(days=1)
    return local_to_utc(datetime.combine(day, QUIET_END))


def local_day_start(moment: datetime) -> datetime:
    """When `moment`'s day began in Shanghai, in UTC: the SMS cap counts a local day."""
    local = moment.astimezone(LOCAL_TZ)
    return local_to_utc(datetime.combine(local.date(), time(0)))


def queue_sms(user, kind: str, params: dict[str, str], urgent: bool = False) -> SmsMessage | None:
    """Record an SMS for `user` (None when they have no mobile number or the kind has no SMS)."""
    values = sms_row(user, kind, params, urgent)
    if values is None:
        return None
    sms = SmsMessage(**values)
    if sms.status in (QUEUED, DEFERRED):
        g.setdefault("sms_pending", []).append(sms)
    db.session.add(sms)
    return sms


def sms_row(user, kind: str, params: dict[str, str], urgent: bool = False, sent_today: int | None = None
            ) -> dict | None:
    """The column values of the SMS `queue_sms` records (None: no SMS), the daily cap counted; the
    Core registration path (app.registrations.plain_registration) inserts them as they are, and may
    give `sent_today` (`sent_today_count`), read in a statement of its own."""
    if user is None or not user.mobile or kind not in SMS_VARIABLES:
        return None
    now = utcnow()
    urgent = urgent or kind in URGENT_KINDS
    template_code = sms_templates().get(kind)
    first = dict(status=QUEUED)  # the row's first status, given to its constructor
    cap = daily_cap()
    if cap:
        if sent_today is None:
            # No flush here: the caller's own rows must reach the database at the caller's flush, where
            # it turns their constraint errors into its typed errors. Unflushed SMS are counted by hand.
            with db.session.no_autoflush:
                sent_today = db.session.scalar(sent_today_count(user.mobile, local_day_start(now)))
        today = sent_today + sum(1 for o in db.session.new
                                 if isinstance(o, SmsMessage) and o.mobile == user.mobile and o.status != CAPPED)
        if today >= cap:
            first = dict(status=CAPPED, error_code="DAILY_CAP",
                         error=f"daily limit of {cap} messages for this number reached")
    if first["status"] != CAPPED:
        if not provider_configured():
            first = dict(status=UNSENT, error_code="NO_PROVIDER")
        elif not template_code:
            first = dict(status=FAILED, error_code="NO_TEMPLATE", error=f"SMS_TEMPLATES has no template for {kind}")
        else:
            later = None if urgent else quiet_until(now)
            first = dict(status=DEFERRED, next_attempt_at=later) if later else dict(status=QUEUED)
    return dict(user_id=user.id, mobile=user.mobile, kind=kind, params=dict(params), urgent=urgent,
                template_code=template_code, created_at=now, **first)


def daily_cap() -> int:
    """SMS a number may get in one Shanghai day (0: no cap)."""
    return int(current_app.config.get("SMS_DAILY_CAP_PER_NUMBER") or 0)


def sent_today_count(mobile, day_start) -> sa.Select:
    """The SMS counted against `mobile`'s daily cap since `day_start` (`local_day_start`; each a value
    or an expression)."""
    return sa.select(sa.func.count(SmsMessage.id)).where(
        SmsMessage.mobile == mobile, SmsMessage.created_at >= day_start, SmsMessage.status != CAPPED)


def note_inserted(sms_id: int, values: dict) -> None:
    """An SMS inserted as a row (`sms_row`), handed over after the commit as `queue_sms`'s are."""
    if values["status"] in (QUEUED, DEFERRED):
        g.setdefault("sms_pending_rows", []).append((sms_id, values.get("next_attempt_at")))


def _client():
    try:
        return providers.client_from_config(current_app.config)
    except providers.ProviderConfigError as exc:
        log.error("SMS provider misconfigured: %s", exc)
        return None


def deliver(sms: SmsMessage, client=None) -> str:
    """One attempt at sending `sms`; returns its new status. The caller commits."""
    client = client or _client()
    if client is None:
        sms.transition(UNSENT)
        sms.error_code = "NO_PROVIDER"
        return sms.status
    now = utcnow()
    if not sms.urgent and (later := quiet_until(now)):
        sms.transition(DEFERRED)
        sms.next_attempt_at = later
        return sms.status
    if not sms.template_code:
        sms.template_code = sms_templates().get(sms.kind)
        if not sms.template_code:
            sms.transition(FAILED)
            sms.error_code = "NO_TEMPLATE"
            metrics.sms_outcome(sent=False)
            return sms.status
    names = SMS_VARIABLES.get(sms.kind, tuple(sms.params or {}))
    values = sms.params or {}
    payload = [values.get(n, "") for n in names] if client.name == "tencent" else \
        {n: values.get(n, "") for n in names}
    sms.attempts += 1
    sms.provider = client.name
    result = client.send(sms.mobile, sms.template_code, payload)
    sms.error_code = None if result.outcome == providers.SENT else result.code
    sms.error = None if result.outcome == providers.SENT else (result.message or None)
    if result.outcome == providers.SENT:
        sms.transition(SENT)
        sms.sent_at, sms.next_attempt_at = now, None
        sms.provider_message_id = result.message_id
    elif result.outcome == providers.PERMANENT or sms.attempts >= MAX_ATTEMPTS:
        sms.transition(FAILED)
        sms.next_attempt_at = None
    else:  # temporary failure or the provider's rate limit: try again later
        sms.transition(QUEUED)
        sms.next_attempt_at = now + timedelta(seconds=BACKOFF_BASE_SECONDS * 2 ** (sms.attempts - 1))
    if sms.status in (SENT, FAILED):
        metrics.sms_outcome(sent=sms.status == SENT)
    log.info("sms %s kind=%s to=%s -> %s %s", sms.id, sms.kind, sms.mobile_masked, sms.status,
             sms.error_code or "")
    return sms.status


def deliver_due(limit: int = 200) -> dict[str, int]:
    """The sweep (`flask sms send`): every message whose time has come. Each is claimed on its own
    just before it is tried, so one a worker's job sent in the meantime is not sent again."""
    counts = {"sent": 0, "failed": 0, "retry": 0, "deferred": 0}
    client = _client()
    if client is None:
        return counts
    due = db.session.scalars(sa.select(SmsMessage.id).where(
        SmsMessage.status.in_(DUE_STATUSES),
        sa.or_(SmsMessage.next_attempt_at.is_(None), SmsMessage.next_attempt_at <= utcnow()),
    ).order_by(SmsMessage.id).limit(limit)).all()
    db.session.rollback()
    for sms_id in due:
        # A row a job holds (FOR UPDATE, PostgreSQL) is passed by: that job is sending it.
        sms = _claim(sms_id, skip_locked=True)
        if sms is None or _not_yet(sms):
            db.session.rollback()
            continue
        status = deliver(sms, client)
        db.session.commit()  # each answer is kept even if a later send crashes
        counts[{SENT: "sent", FAILED: "failed", DEFERRED: "deferred"}.get(status, "retry")] += 1
    return counts


def _claim(sms_id: int, *, skip_locked: bool = False) -> SmsMessage | None:
    """The message, its row locked until the caller commits, if it still waits to be sent.

    Not app.locking: this claims a row of a work queue, and the sweep must pass by (SKIP LOCKED)
    a row a worker's job is sending rather than wait for it, which app.locking's locks never do."""
    sms = db.session.scalar(sa.select(SmsMessage).where(SmsMessage.id == sms_id)
                            .with_for_update(skip_locked=skip_locked)
                            .execution_options(populate_existing=True))
    return sms if sms is not None and sms.status in DUE_STATUSES else None


def _not_yet(sms: SmsMessage) -> bool:
    return sms.next_attempt_at is not None and sms.next_attempt_at > utcnow()


# -- after the commit: a worker's job per message ------------------------------------------------
def queued_in_this_request() -> list[tuple[int, datetime | None]]:
    """(id, next_attempt_at) of the messages this request queued for sending (after a flush,
    before the commit expires them); rows a rewritten notice removed again are left out."""
    rows, inserted = g.pop("sms_pending", []), g.pop("sms_pending_rows", [])
    if not current_app.config.get("SMS_SEND_AFTER_COMMIT", True):
        return []
    return [(s.id, s.next_attempt_at) for s in rows
            if sa.inspect(s).persistent and s.status in (QUEUED, DEFERRED)] + inserted


def send_after_commit(pending: list[tuple[int, datetime | None]]) -> None:
    """Called once the request committed: hand its messages over to be sent."""
    if not pending:
        return
    if jobs.redis_url():
        for sms_id, at in pending:
            _schedule(sms_id, at, attempt=0)
    elif current_app.config.get("SMS_SEND_ASYNC"):
        jobs.in_thread(_send_now, [i for i, _ in pending], name="sms-send")
    else:
        for sms_id, _ in pending:
            send_one(sms_id)


def _schedule(sms_id: int, at: datetime | None, attempt: int) -> None:
    if at is not None and at <= utcnow():
        at = None
    # One job id per attempt: a retry never replaces (or is replaced by) the job that scheduled it.
    jobs.enqueue(jobs.notifications_queue_name(), run_sms_job, sms_id, at=at, job_id=f"sms-{sms_id}-{attempt}")


def run_sms_job(sms_id: int) -> None:
    """The RQ job (in the worker's app context): one attempt, then the next one scheduled at its
    time if it must wait."""
    retry = send_one(sms_id)
    if retry is not None:
        _schedule(sms_id, retry[1], attempt=retry[0])


def _send_now(ids: list[int]) -> None:
    """Development without Redis (in a thread's app context): send now; a message that must wait
    is tried again by a timer."""
    for sms_id in ids:
        retry = send_one(sms_id)
        if retry is not None:
            delay = max(1.0, (retry[1] - utcnow()).total_seconds())
            jobs.in_thread(_send_now, [sms_id], name="sms-send", delay=delay)


def send_one(sms_id: int) -> tuple[int, datetime] | None:
    """Try one message if it is due, and commit; returns (attempts, next_attempt_at) when it must
    be tried again later (a temporary failure's back-off, or quiet hours), else None."""
    sms = _claim(sms_id)
    if sms is None:
        db.session.rollback()
        return None
    if _not_yet(sms):  # woken early: wait for its time
        retry = sms.attempts, sms.next_attempt_at
        db.session.rollback()
        return retry
    status = deliver(sms)
    retry = (sms.attempts, sms.next_attempt_at) if status in (QUEUED, DEFERRED) and sms.next_attempt_at else None
    db.session.commit()
    return retry


# -- delivery receipts ------------------------------------------------------------------------
def _parse_local(value) -> datetime | None:
    try:
        return local_to_utc(datetime.strptime(str(value), "%Y-%m-%d %H:%M:%S"))
    except ValueError:
        return None


def record_receipt(provider: str, payload) -> int:
    """Record delivery receipts; returns how many matched a message we sent.

    Tencent's status callback posts a JSON list of {sid, report_status SUCCESS|FAIL, errmsg,
    user_receive_time}; Aliyun's SmsReport message is a list of {biz_id, success, err_code,
    report_time}. Receipts for unknown ids are ignored (they may be another system's)."""
    items = payload if isinstance(payload, list) else [payload]
    matched = 0
    for item in items:
        if not isinstance(item, dict):
            continue
        if provider == "tencent":
            message_id, ok = item.get("sid"), item.get("report_status") == "SUCCESS"
            code, at = item.get("errmsg"), _parse_local(item.get("user_receive_time"))
        elif provider == "aliyun":
            message_id, ok = item.get("biz_id"), item.get("success") in (True, "true")
            code, at = item.get("err_code"), _parse_local(item.get("report_time"))
        else:
            return 0
        if not message_id:
            continue
        sms = db.session.scalar(sa.select(SmsMessage).where(
            SmsMessage.provider == provider, SmsMessage.provider_message_id == str(message_id)))
        if sms is None:
            continue
        sms.receipt_status = str(code or ("DELIVERED" if ok else "FAIL"))[:40]
        sms.receipt_at = at or utcnow()
        sms.transition(DELIVERED if ok else FAILED)
        if not ok:
            sms.error_code = sms.receipt_status
        matched += 1
    return matched
