"""The daily jobs (留在闵行 follow-ups at 09:00 Shanghai, retention at 03:00): each puts itself on RQ's
schedule for its next hour, under a fixed job id, so restarts never make two."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from app import jobs


@pytest.fixture
def enqueued(app, monkeypatch):
    calls = []
    monkeypatch.setattr(jobs, "enqueue", lambda queue, func, *args, at=None, job_id=None, **kw:
                        calls.append((func, at, job_id)))
    return calls


def test_the_next_run_is_today_before_the_hour_and_tomorrow_after_it(app, enqueued):
    with app.app_context():
        jobs.schedule_daily(print, job_id="x", hour_utc=1, now=datetime(2026, 12, 6, 0, 30, tzinfo=timezone.utc))
        jobs.schedule_daily(print, job_id="x", hour_utc=1, now=datetime(2026, 12, 6, 1, 0, tzinfo=timezone.utc))
    assert [at for _f, at, _id in enqueued] == [datetime(2026, 12, 6, 1, tzinfo=timezone.utc),
                                               datetime(2026, 12, 7, 1, tzinfo=timezone.utc)]


def test_the_follow_up_job_sends_then_reschedules_itself(app, db_session, enqueued, monkeypatch):
    from app.followups import sending

    ran = []
    monkeypatch.setattr(sending, "send_due", lambda today=None: ran.append(today) or {})
    sending.scheduled()
    assert ran == [None]
    [(func, at, job_id)] = enqueued
    assert func is sending.scheduled and job_id == sending.JOB_ID and at.hour == 1  # 09:00 in Shanghai


def test_the_retention_job_reschedules_itself_at_three_in_the_morning(app, enqueued):
    from app.person.rights import retention

    with app.app_context():
        retention.schedule_next()
    [(func, at, job_id)] = enqueued
    assert func is retention.scheduled and job_id == retention.JOB_ID and at.hour == 19
