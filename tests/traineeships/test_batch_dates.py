"""Changing a batch's dates moves its event (the trainees' seats and the training days' check-in)
with them; a training day set outside the new dates keeps the event over it, as every occasion
spans its agenda."""
from __future__ import annotations

from datetime import date, datetime, time

from app.timeutil import LOCAL_TZ, to_local
from app.traineeships import batches, training_days


def _dates(batch, starts_on, ends_on):
    return dict(title=batch.title, year=batch.year, season=batch.season,
                applications_open_at=batch.applications_open_at, applications_close_at=batch.applications_close_at,
                starts_on=starts_on, ends_on=ends_on, max_choices=batch.max_choices)


def test_the_event_moves_with_the_batch_dates(db_session, traineeship):
    world = traineeship(starts_on=date(2027, 7, 1), ends_on=date(2027, 9, 30))
    batch = world.batch
    batches.update_batch(world.organiser, batch, **_dates(batch, date(2027, 7, 15), date(2027, 12, 31)))
    db_session.commit()
    event = batch.event
    assert to_local(event.starts_at) == datetime(2027, 7, 15, 9, 0, tzinfo=LOCAL_TZ)
    assert to_local(event.ends_at) == datetime(2027, 12, 31, 18, 0, tzinfo=LOCAL_TZ)

    closing = datetime.combine(date(2028, 1, 8), time(14), tzinfo=LOCAL_TZ)
    training_days.save_training_day(world.organiser, batch, title="结业仪式", kind="closing", starts_at=closing,
                                    ends_at=closing.replace(hour=16))
    batches.update_batch(world.organiser, batch, **_dates(batch, date(2027, 8, 1), date(2027, 11, 30)))
    db_session.commit()
    assert to_local(event.starts_at) == datetime(2027, 8, 1, 9, 0, tzinfo=LOCAL_TZ)
    assert to_local(event.ends_at) == closing.replace(hour=16)  # the closing ceremony after the last day
