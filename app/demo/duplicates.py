"""Two accounts of one person, for staff to find on /console/people/duplicates and merge: 周立群
signed up once with her mobile and, years later, again with her email. Same name, employer and ID
number; each account holds registrations and a certificate, and both registered for one event
(the email account then cancelled), so the merge has a place to resolve."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.accounts import services as accounts
from app.accounts.models import User
from app.certificates.models import CertificateKind
from app.certificates.services import Recipient, event_subject, issue
from app.demo import post_dating
from app.demo.context import DemoRun
from app.demo.people import ADMIN, DEMO_PASSWORD
from app.errors import ServiceError
from app.events.models import Event, EventStatus, Places, QuestionKind
from app.extensions import db
from app.registrations.decisions import cancel
from app.registrations.registering import register

NAME, EMPLOYER, ID_NUMBER = "周立群", "上海航天设备制造总厂有限公司", "310112198804120228"
BY_MOBILE = {"mobile": "13916670001", "email": None, "employer": EMPLOYER}
BY_EMAIL = {"mobile": None, "email": "zhou.liqun@example.com", "employer": EMPLOYER}
ACCOUNTS = 2


def load_duplicate_person(run: DemoRun) -> None:
    if accounts.find_by_mobile(BY_MOBILE["mobile"]) is not None:
        return
    first, second = (accounts.sign_up(name=NAME, password=DEMO_PASSWORD, id_number=ID_NUMBER, **details)
                     for details in (BY_MOBILE, BY_EMAIL))
    post_dating.date_account(first, created_at=run.now - timedelta(days=900))
    post_dating.date_account(second, created_at=run.now - timedelta(days=60))
    run.created["users"] += ACCOUNTS

    upcoming = list(db.session.scalars(
        sa.select(Event).where(Event.status == EventStatus.PUBLISHED.value, Event.places == Places.OPEN.value,
                               Event.invited_only.is_(False), Event.requires_approval.is_(False),
                               Event.starts_at > run.now)
        .order_by(Event.starts_at, Event.id)))
    taken = _register([first, second], upcoming) + _register([first], upcoming) + _register([second], upcoming)
    if taken:  # the first event both registered for: the email account then cancelled its place
        cancel(second, next(r for r in taken[0] if r.user_id == second.id), reason="用另一个账号报过名了")
    run.created["registrations"] += sum(len(group) for group in taken)

    admin = db.session.get(User, run.staff_ids[ADMIN])
    past = list(db.session.scalars(sa.select(Event).where(Event.status == EventStatus.PUBLISHED.value,
                                                          Event.ends_at < run.now).order_by(Event.ends_at.desc())
                                   .limit(2)))
    for user, event in zip((first, second), past):
        issue(admin, event_subject(event), CertificateKind.ATTENDANCE, [Recipient(user)],
              issued_on=event.ends_at.date())
    db.session.commit()
    run.echo(f"demo: two accounts of {NAME} to merge")


def _plain_answers(event: Event) -> dict:
    """The plainest answers to an event's required questions: which events the demo's person can take
    must not depend on which of them ask something on the day the demo is loaded."""
    answers = {}
    for question in event.questions:
        if not question.required:
            continue
        kind = question.kind_enum
        if kind == QuestionKind.SINGLE:
            value = question.choice_labels[0]
        elif kind == QuestionKind.MULTIPLE:
            value = question.choice_labels[:1]
        elif kind == QuestionKind.NUMBER:
            value = int(question.min_value) if question.min_value is not None else 1
        elif kind == QuestionKind.DATE:
            value = event.starts_at.date().isoformat()
        else:
            value = "无"
        answers[str(question.id)] = value
    return answers


def _register(users: list[User], events: list[Event]) -> list[list]:
    """Register every one of `users` at the first of `events` that takes them all (removed from
    `events`); [] when none does."""
    while events:
        event = events.pop(0)
        if not event.registration_open():
            continue
        savepoint = db.session.begin_nested()
        try:
            group = [register(user, event, _plain_answers(event)) for user in users]
        except ServiceError:  # full, or questions to answer: the next event
            savepoint.rollback()
            continue
        savepoint.commit()
        return [group]
    return []
