"""The victims' traineeship for the route × role matrix (tests/matrix_world.py): a running batch
of the victim organiser's department on its invitation-only event, a host company with a victim
contact, a victim trainee's confirmed placement seated on the event, a confirmed month, a
mid-term evaluation and a training day. Built with the models, as tests/fixtures/
traineeship_placements.py does; returns the route arguments it fills."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from app.timeutil import LOCAL_TZ, utcnow
from tests.fixtures.organisations import uscc_for


def victim_traineeship(s, organiser, trainee, contact) -> dict:
    from app.occasions import services as occasions
    from app.organisations import services as organisations
    from app.organisations.models import OrganisationContact
    from app.traineeships import training_days
    from app.traineeships.defaults import default_rubric
    from app.traineeships.models import (
        ApplicationChoice,
        Evaluation,
        MonthlyAttendance,
        Placement,
        TraineeApplication,
        TraineeshipBatch,
        TraineeshipPlace,
    )

    department = organiser.departments[0]
    first, last = date(2026, 3, 2), date(2026, 5, 29)
    event = occasions.open_occasion(organiser, title="矩阵见习批次", kind="training", department_id=department.id,
                                    venue=department.name, starts_at=datetime.combine(first, time(9), tzinfo=LOCAL_TZ),
                                    ends_at=datetime.combine(last, time(18), tzinfo=LOCAL_TZ))
    batch = TraineeshipBatch(event=event, department=department, kind="job_traineeship", year=2026, season="spring",
                             title="矩阵见习批次", status="running", applications_open_at=utcnow(),
                             applications_close_at=utcnow(), starts_on=first, ends_on=last, eligibility={},
                             rubric=default_rubric("job_traineeship"))
    host = organisations.create_organisation(organiser, kind="host_company", name="矩阵见习基地有限公司",
                                             district="闵行区", in_minhang=True, uscc=uscc_for(7301))
    place = TraineeshipPlace(batch=batch, host=host, position="矩阵岗位", openings=2, months=3)
    application = TraineeApplication(batch=batch, user=trainee, status="placed", school_name="上海交通大学",
                                     graduation_year=2026, birth_date=date(2003, 5, 1))
    choice = ApplicationChoice(application=application, place=place, rank=1, status="accepted")
    host_contact = OrganisationContact(organisation=host, user=contact)
    s.add_all([batch, place, application, choice, host_contact])
    s.flush()
    placement = Placement(batch=batch, user=trainee, application=application, choice=choice, place=place, host=host,
                          status="confirmed", starts_on=first, ends_on=last,
                          registration=occasions.seat(organiser, event, trainee, note="trainee"))
    s.add(placement)
    s.flush()
    s.add_all([MonthlyAttendance(placement_id=placement.id, month=date(2026, 3, 1), present_days=20,
                                 confirmed_by_id=contact.id, confirmed_at=utcnow()),
               Evaluation(placement_id=placement.id, stage="mid", scores={"discipline": 20}, by_id=contact.id)])
    start = datetime.combine(first, time(9), tzinfo=LOCAL_TZ)
    day = training_days.save_training_day(organiser, batch, title="矩阵培训日", starts_at=start,
                                          ends_at=start + timedelta(hours=3))
    s.flush()
    return {"batch_id": batch.id, "placement_id": placement.id, "day_id": day.id, "place_id": place.id,
            "choice_id": choice.id, "trainee_application_id": application.id, "contact_id": host_contact.id}
