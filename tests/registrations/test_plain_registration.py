"""The API's Core path for a plain registration (app.registrations.plain_registration) answers,
stores and hands over after the commit exactly what registering.register() does: the same
registrations are sent twice, once with it and once without it."""
import json
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app.events.models import Event
from app.notifications import services as notices
from app.notifications.models import InboxMessage, OutboxMessage
from app.notifications.sms import services as sms
from app.notifications.sms.models import SmsMessage
from app.registrations import plain_registration
from app.registrations import services as reg
from app.registrations.models import Registration, RegistrationHistory
from app.reminders import services as reminders
from app.reminders.models import Reminder
from app.timeutil import utcnow
from tests.fixtures.accounts import api_headers

# 10:00 in Shanghai three days on: both reminders (the day before, two hours before) are made.
START = datetime.combine((utcnow() + timedelta(days=3)).date(), datetime.min.time(), timezone.utc) \
    + timedelta(hours=2)
TABLES = (Registration, RegistrationHistory, OutboxMessage, InboxMessage, SmsMessage, Reminder)
HIDDEN = ("id", "event_id", "registration_id", "created_at", "ticket_url", "message")  # differ between the runs
COMPARED_TIMES = ("starts_at", "due_at")  # the same in both runs; the other times only are or are not there


@pytest.fixture
def handed_over(app, monkeypatch):
    """What the commits hand to the mail, the SMS sender and the reminders' scheduler."""
    seen = {"mail": [], "sms": [], "reminders": []}
    monkeypatch.setitem(app.config, "MAIL_SERVER", "mail.invalid")
    monkeypatch.setitem(app.config, "SMS_SEND_AFTER_COMMIT", True)
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://redis.invalid/0")
    monkeypatch.setitem(app.config, "SMS_PROVIDER", "aliyun")
    monkeypatch.setitem(app.config, "SMS_TEMPLATES", json.dumps({"confirmed": "SMS_1", "ticket": "SMS_3"}))
    monkeypatch.setitem(app.config, "SMS_DAILY_CAP_PER_NUMBER", 1)
    monkeypatch.setattr(notices, "deliver_after_commit", lambda ids: seen["mail"].append(len(ids)))
    monkeypatch.setattr(sms, "send_after_commit", lambda rows: seen["sms"].append([at is None for _, at in rows]))
    monkeypatch.setattr(reminders, "schedule", lambda reminder_id, due: seen["reminders"].append(due))
    return seen


def _stored(db_session, label: str, people: dict[int, int], event_id: int) -> dict[str, list[str]]:
    registrations = dict(db_session.execute(sa.select(Registration.id, Registration.user_id)).all())
    stored = {}
    for model in TABLES:
        table = model.__table__
        rows = []
        for row in db_session.execute(sa.select(table).order_by(table.c.id)).mappings():
            if "user_id" in row and row["user_id"] not in people:
                continue  # the other run's
            if model is RegistrationHistory and registrations[row["registration_id"]] not in people:
                continue
            item = {}
            for name, value in row.items():
                if name in ("id", "event_id", "mobile", "ticket_secret"):
                    continue
                if name in ("user_id", "actor_id"):
                    value = people.get(value)
                elif name == "occasion":
                    value = value.replace(f"event:{event_id}", "event")
                elif name == "registration_id":
                    value = people.get(registrations.get(value))
                elif (name.endswith("_at") or name in ("at", "to_address")) and name not in COMPARED_TIMES:
                    value = value is not None
                item[name] = value
            rows.append(json.dumps(item, sort_keys=True, default=str, ensure_ascii=False).replace(label, ""))
        stored[model.__tablename__] = rows
    return stored


def _run(client, db_session, create_event, create_user, label: str, handed_over) -> tuple:
    for seen in handed_over.values():
        seen.clear()
    event = create_event(title=f"宣讲会{label}", starts_at=START, ends_at=START + timedelta(hours=3), capacity=2)
    people = [create_user(name=f"赵赟{label}{n}", email=f"p{n}{ord(label)}@example.com" if n != 1 else None)
              for n in range(5)]
    people[2].notify_sms, people[2].notify_mail = False, False
    sms.queue_sms(people[3], "ticket", {"name": "x", "title": "y", "link": "z"})  # the day's cap reached
    db_session.commit()
    headers = [api_headers(client, person) for person in people]
    url = f"/api/v1/events/{event.id}/registrations"
    answers = [client.post(url, json={"answers": {}}, headers=h) for h in headers]
    reg.cancel(people[4], db_session.get(Registration, answers[4].json["id"]))
    db_session.commit()
    answers.append(client.post(url, json={}, headers=headers[4]))  # a comeback: the service's
    answers.append(client.post(url, json={"answers": {}}, headers=headers[0]))  # already registered
    shown = []
    for answer in answers:
        body = {k: v for k, v in answer.json.items() if k not in HIDDEN}
        shown.append((answer.status_code, body, "/t/" in answer.json.get("ticket_url", "/t/")))
    db_session.expire_all()
    ids = {person.id: n for n, person in enumerate(people)}
    return (shown, _stored(db_session, label, ids, event.id), db_session.get(Event, event.id).confirmed_count,
            {k: list(v) for k, v in handed_over.items()})


def _noted(decided: list, answer):
    decided.append(answer is not None)
    return answer


def test_core_path_answers_stores_and_hands_over_as_the_service_does(client, db_session, create_event,
                                                                      create_user, monkeypatch, handed_over):
    decided, core_path = [], plain_registration.register_plain  # whether the Core path decided each request
    monkeypatch.setattr(plain_registration, "register_plain", lambda *args, **kwargs: _noted(
        decided, core_path(*args, **kwargs)))
    fast = _run(client, db_session, create_event, create_user, "甲", handed_over)
    assert decided == [True] * 5 + [False, False]
    monkeypatch.setattr(plain_registration, "register_plain", lambda *args, **kwargs: None)
    full = _run(client, db_session, create_event, create_user, "乙", handed_over)
    for part, (one, other) in enumerate(zip(fast, full)):
        assert one == other, part
    shown, stored, confirmed, seen = fast
    assert [(status, body.get("status")) for status, body, _ in shown] == [
        (201, "confirmed"), (201, "confirmed"), (201, "waitlisted"), (201, "waitlisted"), (201, "waitlisted"),
        (201, "waitlisted"), (409, None)]
    assert [body.get("waitlist_position") for _, body, _ in shown[2:6]] == [1, 2, 3, 3]
    assert confirmed == 2
    assert len(stored["reminders"]) == 4 and len(seen["reminders"]) == 4  # two each for the two seats
    # the one who had the day's SMS already, and the comeback's second notice of the day
    assert sum('"status": "capped"' in row for row in stored["sms_messages"]) == 2
    assert len(stored["outbox"]) == len(stored["inbox_messages"]) == 6  # the comeback's notice too


@pytest.mark.parametrize("change", ["question", "approval", "closed"])
def test_core_path_leaves_the_unusual_to_the_service(client, db_session, create_event, create_user, change):
    from app.events.models import Question

    event = create_event(capacity=5, requires_approval=change == "approval")
    if change == "question":
        db_session.add(Question(event=event, label="学历", kind="text", required=True))
    if change == "closed":
        event.registration_closes_at = utcnow() - timedelta(minutes=1)
    person = create_user()
    db_session.commit()
    assert plain_registration.register_plain(person, event) is None
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0


def test_a_plain_registration_writes_in_one_statement_on_postgresql(client, db_session, create_event, create_user):
    """PostgreSQL: the token, the event read with its lock (and the person's place and the SMS of the day), one
    WITH … INSERT for the registration, its history, mail, inbox, SMS, seat count and waiting position,
    and, for a seat, its reminders: the bare endpoint's round trips under the event lock (issue 19)."""
    from tests.fixtures.queries import counting

    if db_session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite has no INSERT in a WITH clause: it takes the statement-per-row path")
    event = create_event(starts_at=START, ends_at=START + timedelta(hours=3), capacity=2)
    people = [create_user(name=f"钱{n}") for n in range(4)]
    db_session.commit()
    headers = [api_headers(client, person) for person in people]
    url = f"/api/v1/events/{event.id}/registrations"
    shapes = []
    for h in headers:
        db_session.expire_all()
        with counting() as seen:
            answer = client.post(url, json={"answers": {}}, headers=h)
        assert answer.status_code == 201, answer.json
        sent = [s.split()[0].upper() for s in seen if not s.lstrip().upper().startswith(("SELECT 1", "BEGIN"))]
        shapes.append((answer.json["status"], answer.json["waitlist_position"], sent))
    seat, wait = ["SELECT", "SELECT", "WITH", "INSERT"], ["SELECT", "SELECT", "WITH"]
    assert shapes[1:] == [("confirmed", None, seat), ("waitlisted", 1, wait), ("waitlisted", 2, wait)], shapes


def test_a_draft_is_registered_for_through_the_api_by_its_organisers_only(client, db_session, create_event,
                                                                          create_user):
    """The Core path leaves a draft to the service, whose visibility rule reads the token's roles."""
    draft = create_event(status="draft")
    url = f"/api/v1/events/{draft.id}/registrations"
    outsider = client.post(url, json={}, headers=api_headers(client, create_user()))
    organiser = client.post(url, json={}, headers=api_headers(client, create_user("organiser")))
    assert outsider.status_code == 404
    assert organiser.status_code != 404 and organiser.json["code"] != "not_found", organiser.json
