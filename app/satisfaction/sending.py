"""Sending the surveys: after an occasion ends, each person who attended gets one (an inbox notice
with the link; SMS and mail through app.notifications, as the person chose), answerable for
SATISFACTION_ANSWER_DAYS (14).

The sweep (`send_due`) looks at the occasions that ended in the last SATISFACTION_CATCH_UP_DAYS:
RQ runs it every day (`scheduled`), a development server without Redis from a thread
(SATISFACTION_SWEEP_SECONDS), and `flask satisfaction send` by hand. An organiser may send an
ended occasion's surveys at once from the console (`send_now`). Whoever runs first, a person gets
one survey per occasion: the row is unique per person and event, inserted under a savepoint, and
its notice goes in the same transaction."""
from __future__ import annotations

import logging
from contextlib import nullcontext
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app import jobs, signed_links
from app.accounts.models import User, organises
from app.audit import services as audit
from app.errors import Conflict, PermissionDenied
from app.extensions import db
from app.notifications.services import notify
from app.satisfaction import questionnaires
from app.satisfaction.models import SatisfactionSurvey
from app.satisfaction.occasions import Occasion, attendees, ended_between
from app.timeutil import to_local, utcnow
from app.transaction import commit
from app.urls import public_base_url, public_url

log = logging.getLogger(__name__)
SALT = "satisfaction-survey"


def answer_days() -> int:
    return int(current_app.config.get("SATISFACTION_ANSWER_DAYS") or 14)


def catch_up_days() -> int:
    return int(current_app.config.get("SATISFACTION_CATCH_UP_DAYS") or 14)


def survey_token(survey: SatisfactionSurvey) -> str:
    return signed_links.sign(SALT, survey.id, survey.user_id)


def read_token(token) -> tuple[int, int] | None:
    """(survey id, person id), or None for anything we did not sign."""
    return signed_links.read(SALT, token)


def survey_url(survey: SatisfactionSurvey) -> str:
    return public_url("satisfaction.answer", token=survey_token(survey))


def require_organiser(actor: User | None, occasion: Occasion) -> None:
    if not organises(actor, occasion.department_id):
        raise PermissionDenied(_l("Only organisers of the occasion's department can do this."))


def send_due(now: datetime | None = None) -> dict[str, int]:
    """Send the surveys of every occasion that ended in the last SATISFACTION_CATCH_UP_DAYS."""
    now = now or utcnow()
    counts = {"occasions": 0, "sent": 0}
    with in_request():
        for occasion in ended_between(now - timedelta(days=catch_up_days()), now):
            counts["occasions"] += 1
            counts["sent"] += send_for(occasion, now)
    return counts


def in_request():
    """Links and mail need a request: outside one (the job, the CLI, the demo), one on the site's address."""
    return nullcontext() if has_request_context() else current_app.test_request_context(base_url=public_base_url())


def send_now(actor: User, occasion: Occasion, now: datetime | None = None) -> int:
    """The console's "send now": the ended occasion's surveys to those not asked yet; audited."""
    require_organiser(actor, occasion)
    now = now or utcnow()
    if not occasion.has_ended(now):
        raise Conflict(_l("The occasion has not ended yet: its surveys go out after it ends."), code="not_ended")
    sent = send_for(occasion, now, commit_each=False)
    audit.record(actor, "satisfaction.send_now", None, event_id=occasion.event_id, sent=sent)
    return sent


def send_for(occasion: Occasion, now: datetime, *, commit_each: bool = True) -> int:
    """A survey to each attendee of the occasion not asked yet; the number sent."""
    asked = set(db.session.scalars(sa.select(SatisfactionSurvey.user_id)
                                   .where(SatisfactionSurvey.event_id == occasion.event_id)))
    waiting = [uid for uid in attendees(occasion) if uid not in asked]
    if not waiting:
        return 0
    template = questionnaires.current(occasion.kind)
    sent = 0
    for user_id in waiting:
        if _make_and_send(occasion, template, user_id, now):
            sent += 1
            if commit_each:
                commit()
    return sent


def _make_and_send(occasion: Occasion, template, user_id: int, now: datetime) -> bool:
    user = db.session.get(User, user_id)
    if user is None or not user.active:  # a closed or merged-away account is not asked
        return False
    survey = SatisfactionSurvey(user_id=user.id, event_id=occasion.event_id, kind=occasion.kind,
                                label=occasion.label[:200], ended_at=occasion.ended_at, template=template,
                                sent_at=now, closes_at=now + timedelta(days=answer_days()))
    try:
        with db.session.begin_nested():
            db.session.add(survey)  # flushed at the savepoint's end: the unique key decides
    except IntegrityError:
        return False  # another run asked them first
    link = survey_url(survey)
    with force_locale(user.locale or current_app.config.get("BABEL_DEFAULT_LOCALE", "zh_CN")):
        notify(user, "satisfaction_survey", _l("How was it? %(occasion)s", occasion=occasion.label),
               "satisfaction_survey", registration=None, sms_link=link, occasion=occasion.label, programme=occasion.label,
               survey_link=link, answer_by=to_local(survey.closes_at).date().isoformat())
    return True


JOB_ID = "satisfaction-daily"


def scheduled() -> None:
    """The daily job in RQ: send what is due, then put itself on the schedule for tomorrow."""
    send_due()
    schedule_next()


def schedule_next() -> None:
    jobs.schedule_daily(scheduled, job_id=JOB_ID, hour_utc=2)  # 10:00 in Shanghai: not an SMS at night
