"""The bare registration endpoint writing the rows the app writes: the ceiling for the same work.

bench/bare_registration.py inserts one row. The app's registration (app/registrations/
plain_registration.py) writes what the bureau needs of it as well: the history row, the notice in
the inbox, the mail outbox and as an SMS (the number's messages of the day counted against the
daily cap), the event's confirmed counter and, for a seat, the day-before and two-hours-before
reminders. This endpoint writes those same rows, in the app's round trips and nothing else:

    Bearer token -> user id and mobile (api_tokens joined to users)
    BEGIN
      SELECT status, capacity, confirmed_count, held?, SMS today FROM events ... FOR NO KEY UPDATE
      WITH placed AS (INSERT INTO registrations ...), history, inbox, mail, sms,
           seat AS (UPDATE events SET confirmed_count + 1)    -- one statement, as the app's
      INSERT INTO reminders ... (two rows, for a seat)
    COMMIT

No ORM, no templates (the texts are fixed strings of the app's lengths), no hooks, no pre-ping.
Comparing the app with it separates what the framework costs from what the rows cost:

    .venv/bin/python bench/registration.py --target bare-rows
"""
from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from flask import Flask, jsonify

from bare_registration import _Refuse, engine, healthz, token_hash_of_request

_TOKEN = sa.text(
    "SELECT u.id, u.mobile FROM api_tokens t JOIN users u ON u.id = t.user_id "
    "WHERE t.token_hash = :token_hash AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > :now) "
    "AND u.active")
_LOCK = sa.text(
    "SELECT status, capacity, confirmed_count, starts_at, "
    "EXISTS (SELECT 1 FROM registrations WHERE event_id = :event AND user_id = :user) AS held, "
    "(SELECT count(*) FROM sms_messages WHERE mobile = :mobile AND created_at >= :day_start) AS sms_today "
    "FROM events WHERE id = :event FOR NO KEY UPDATE")
_WRITE = """
WITH placed AS (
  INSERT INTO registrations (event_id, user_id, status, created_at, queued_at, status_changed_at, ticket_secret,
                             ticket_generation)
  VALUES (:event, :user, :status, :now, :now, :now, :secret, 1) RETURNING id),
history AS (
  INSERT INTO registration_history (registration_id, at, from_status, to_status, actor_id, note)
  SELECT id, :now, NULL, :status, :user, 'registered' FROM placed),
inbox AS (
  INSERT INTO inbox_messages (user_id, kind, title, body, link, created_at)
  VALUES (:user, :kind, :title, :body, :link, :now)),
mail AS (
  INSERT INTO outbox (created_at, user_id, to_address, kind, subject, template, registration_id, params, locale,
                      base_url, status, attempts)
  SELECT :now, :user, NULL, :kind, :title, :kind, id, CAST(:mail_params AS json), 'zh_CN', :base_url, 'unsent', 0
  FROM placed RETURNING id),
sms AS (
  INSERT INTO sms_messages (created_at, user_id, mobile, kind, template_code, params, urgent, status, attempts,
                            next_attempt_at)
  VALUES (:now, :user, :mobile, :kind, :sms_template, CAST(:sms_params AS json), false, 'queued', 0, :now)
  RETURNING id)
{seat}
SELECT (SELECT id FROM placed), (SELECT id FROM mail), (SELECT id FROM sms), {position}
"""
_SEAT_WRITE = sa.text(_WRITE.format(
    seat=", seat AS (UPDATE events SET confirmed_count = confirmed_count + 1 WHERE id = :event)", position="NULL"))
_WAIT_WRITE = sa.text(_WRITE.format(
    seat="", position="(SELECT count(*) FROM registrations WHERE event_id = :event AND status = 'waitlisted') + 1"))
_REMINDERS = sa.text(
    "INSERT INTO reminders (user_id, registration_id, event_id, occasion, slot, starts_at, due_at, status, created_at) "
    "VALUES (:user, :registration, :event, :occasion, '1d', :starts_at, :day_due, 'scheduled', :now), "
    "(:user, :registration, :event, :occasion, '2h', :starts_at, :hours_due, 'scheduled', :now)")

# As long as the app's texts for a confirmed place (zh_CN).
_TITLE = "报名成功：压测招聘会 registration benchmark"
_BODY = "您已成功报名「压测招聘会 registration benchmark」，活动时间 2027年1月6日 09:00，地点 闵行区人才服务中心。"

app = Flask(__name__)
app.get("/healthz")(healthz)


@app.post("/api/v1/events/<int:event_id>/registrations")
def register(event_id: int):
    now = datetime.now(timezone.utc).replace(tzinfo=None)  # the app stores naive UTC
    day_start = (now + timedelta(hours=8)).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(hours=8)
    try:
        token_hash = token_hash_of_request()
        with engine.begin() as conn:
            user = conn.execute(_TOKEN, {"token_hash": token_hash, "now": now}).first()
            if user is None:
                raise _Refuse(401, "unauthenticated")
            event = conn.execute(_LOCK, {"event": event_id, "user": user.id, "mobile": user.mobile,
                                         "day_start": day_start}).first()
            if event is None or event.status != "published":
                raise _Refuse(404, "not_found")
            if event.held:
                raise _Refuse(409, "already_registered")
            seat = event.capacity is None or event.confirmed_count < event.capacity
            status = "confirmed" if seat else "waitlisted"
            kind = "registration_" + status
            link = f"https://rencai.example.gov.cn/registrations/{event_id}"
            written = conn.execute(_SEAT_WRITE if seat else _WAIT_WRITE, {
                "event": event_id, "user": user.id, "status": status, "now": now,
                "secret": secrets.token_urlsafe(24), "kind": kind, "title": _TITLE, "body": _BODY, "link": link,
                "mail_params": json.dumps({"event": event_id, "title": _TITLE}), "base_url": link[:30],
                "mobile": user.mobile, "sms_template": "SMS_REGISTERED",
                "sms_params": json.dumps({"event": _TITLE[:20], "time": "1月6日09:00"}, ensure_ascii=False)}).one()
            reg_id = written[0]
            if seat:
                conn.execute(_REMINDERS, {"user": user.id, "registration": reg_id, "event": event_id,
                                          "occasion": f"event:{event_id}",
                                          "starts_at": event.starts_at, "day_due": event.starts_at - timedelta(days=1),
                                          "hours_due": event.starts_at - timedelta(hours=2), "now": now})
    except _Refuse as refused:
        return jsonify(code=refused.code), refused.status
    answer = {"id": reg_id, "event_id": event_id, "status": status}
    if not seat:
        answer["position"] = written[3]
    return jsonify(answer), 201
