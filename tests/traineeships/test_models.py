"""The traineeship tables as the database keeps them: one live placement per person per batch."""
from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.traineeships.defaults import criterion_label, default_eligibility, default_rubric
from app.traineeships.models import (
    ApplicationChoice,
    Placement,
    TraineeApplication,
    TraineeshipBatch,
    TraineeshipPlace,
)


def _rows(create_event, create_organisation, create_user, departments):
    batch = TraineeshipBatch(event=create_event(), kind="job_traineeship", year=2026, season="summer",
                             title="2026年暑期职业见习", department=departments["talent_center"],
                             applications_open_at=datetime(2026, 5, 1, tzinfo=timezone.utc),
                             applications_close_at=datetime(2026, 6, 1, tzinfo=timezone.utc),
                             starts_on=date(2026, 7, 1), ends_on=date(2026, 9, 30),
                             eligibility=default_eligibility("job_traineeship", 2026),
                             rubric=default_rubric("job_traineeship"))
    hosts = [create_organisation(kind="host_company", name=f"上海见习基地{n}有限公司") for n in (1, 2)]
    places = [TraineeshipPlace(batch=batch, host=host, position="行政助理", openings=2, months=3) for host in hosts]
    person = create_user(name="林晓")
    application = TraineeApplication(batch=batch, user=person, graduation_year=2025, birth_date=date(2003, 4, 2))
    choices = [ApplicationChoice(application=application, place=place, rank=n) for n, place in enumerate(places, 1)]
    db.session.add_all([batch, *places, application, *choices])
    db.session.flush()
    return batch, places, person, application, choices


def _placement(batch, place, person, application, choice, **kw):
    return Placement(batch=batch, place=place, host_id=place.host_id, user=person, application=application,
                     choice=choice, starts_on=batch.starts_on, ends_on=batch.ends_on, **kw)


def test_a_person_holds_one_live_placement_per_batch(db_session, create_event, create_organisation, create_user,
                                                      departments):
    batch, places, person, application, choices = _rows(create_event, create_organisation, create_user,
                                                        departments)
    first = _placement(batch, places[0], person, application, choices[0])
    db.session.add(first)
    db.session.flush()
    with pytest.raises(sa.exc.IntegrityError):
        with db.session.begin_nested():
            db.session.add(_placement(batch, places[1], person, application, choices[1]))
    first.status = "rejected"  # a rejected placement frees the person for another host
    db.session.add(_placement(batch, places[1], person, application, choices[1]))
    db.session.flush()
    assert db.session.scalar(sa.select(sa.func.count(Placement.id))) == 2


def test_each_kind_starts_with_its_own_rules_and_rubric():
    practice = default_eligibility("social_practice", 2026)
    assert practice["graduation_years"] == [2026, 2027, 2028, 2029] and not practice["left_school_unemployed_only"]
    assert default_eligibility("job_traineeship", 2026)["left_school_unemployed_only"]
    rubric = default_rubric("job_traineeship")
    assert sum(c["max"] for c in rubric) == 100 and criterion_label(rubric[0]) == "Attendance and discipline"
    assert criterion_label({"key": "x", "label": "创新能力", "max": 10}) == "创新能力"
