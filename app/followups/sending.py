"""The daily job: make the surveys that are due and send them (inbox, SMS with the link, mail when
the person has an address), and close those left unanswered too long.

A survey is due `months` after the end of the person's programme (settings.months_of). The job
makes it on its due day, or on a later run within FOLLOWUP_CATCH_UP_DAYS (a job that did not run
for a few days catches up; a programme that ended years before this system knew about it does not
flood its people with old questions). Running it twice sends once: the survey row is unique per
person × programme × months, inserted under a savepoint, and its notice goes in the same
transaction. Without Redis a development server runs it from a thread (FOLLOWUPS_SWEEP_SECONDS);
production runs `flask followups send` once a day (cron)."""
from __future__ import annotations

import logging
from contextlib import nullcontext
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app import jobs
from app.accounts.models import User
from app.extensions import db
from app.followups.links import survey_url
from app.followups.models import FollowupSurvey, SurveyStatus
from app.followups.programmes import Participant, ended_participants
from app.followups.settings import add_months, chosen_months, default_months
from app.notifications.services import notify
from app.timeutil import local_today, to_local, utcnow
from app.transaction import commit
from app.urls import public_base_url

log = logging.getLogger(__name__)


def catch_up_days() -> int:
    return int(current_app.config.get("FOLLOWUP_CATCH_UP_DAYS") or 60)


def answer_days() -> int:
    return int(current_app.config.get("FOLLOWUP_ANSWER_DAYS") or 60)


def due_surveys(today: date) -> list[tuple[Participant, int, date]]:
    """(participant, months after, due day) of every survey due by `today` and not made yet."""
    chosen = chosen_months()
    made = set(db.session.execute(sa.select(FollowupSurvey.user_id, FollowupSurvey.programme_kind,
                                            FollowupSurvey.programme_id, FollowupSurvey.months_after)).all())
    earliest = today - timedelta(days=catch_up_days())
    due = []
    for person in ended_participants(today):
        programme = person.programme
        for months in chosen.get((programme.kind, programme.id)) or default_months(programme.kind):
            on = add_months(person.ended_on, months)
            if earliest <= on <= today and (person.user_id, programme.kind, programme.id, months) not in made:
                due.append((person, months, on))
    return due


def send_due(today: date | None = None) -> dict[str, int]:
    """Make and send the surveys due by `today` (default: today in Shanghai); close the expired ones."""
    today = today or local_today()
    counts = {"sent": 0, "skipped": 0, "expired": expire(today)}
    commit()
    request = nullcontext() if has_request_context() else \
        current_app.test_request_context(base_url=public_base_url())
    with request:
        for person, months, on in due_surveys(today):
            counts["sent" if _make_and_send(person, months, on) else "skipped"] += 1
    return counts


def _make_and_send(person: Participant, months: int, due_on: date) -> bool:
    user = db.session.get(User, person.user_id)
    if user is None or not user.active:  # a closed or merged-away account is not asked
        return False
    programme = person.programme
    survey = FollowupSurvey(user_id=user.id, programme_kind=programme.kind, programme_id=programme.id,
                            event_id=programme.event_id, label=programme.label[:200], founder=programme.founders,
                            ended_on=person.ended_on, months_after=months, due_on=due_on)
    try:
        with db.session.begin_nested():
            survey.transition(SurveyStatus.PENDING)  # adds and flushes the row: the unique key decides
    except IntegrityError:  # the savepoint is rolled back, the rest of the run goes on
        return False  # another run made it first
    survey.transition(SurveyStatus.SENT)
    survey.sent_at = utcnow()
    link = survey_url(survey)
    with force_locale(user.locale or current_app.config.get("BABEL_DEFAULT_LOCALE", "zh_CN")):
        notify(user, "followup_survey", _l("A short follow-up: %(programme)s", programme=programme.label),
               "followup_survey", registration=None, sms_link=link, programme=programme.label, months=months,
               survey_link=link, answer_by=deadline(survey).isoformat())
    commit()
    return True


def expire(today: date) -> int:
    """Sent surveys nobody answered within FOLLOWUP_ANSWER_DAYS of sending are closed."""
    limit = today - timedelta(days=answer_days())
    expired = 0
    for survey in db.session.scalars(sa.select(FollowupSurvey).where(
            FollowupSurvey.status == SurveyStatus.SENT.value).order_by(FollowupSurvey.id)):
        if survey.sent_at is not None and to_local(survey.sent_at).date() < limit:
            survey.transition(SurveyStatus.EXPIRED)
            expired += 1
    return expired


def deadline(survey: FollowupSurvey) -> date | None:
    """The last day the survey can be answered (None: not sent)."""
    if survey.sent_at is None:
        return None
    return to_local(survey.sent_at).date() + timedelta(days=answer_days())


JOB_ID = "followups-daily"


def scheduled() -> None:
    """The daily job in RQ: send what is due, then put itself on the schedule for tomorrow."""
    send_due()
    schedule_next()


def schedule_next() -> None:
    jobs.schedule_daily(scheduled, job_id=JOB_ID, hour_utc=1)  # 09:00 in Shanghai: not an SMS at night
