"""The victims' job fair for the route × role matrix (tests/matrix_world.py): a published job fair
of the victim organiser's department, an employer of the registry at booth M01 with a position
and a victim contact, and a victim seeker's interest shared with consent (an outcome marked).
Built through the services; returns the route arguments it fills and the endpoints' own ones."""
from __future__ import annotations

from datetime import timedelta

from app.timeutil import utcnow
from tests.fixtures.organisations import uscc_for


def victim_job_fair(s, organiser, seeker, contact) -> tuple[dict, dict]:
    from app.events.models import Event
    from app.jobfairs import fairs, interests, portal
    from app.organisations import services as organisations
    from app.organisations.models import OrganisationContact
    from app.tickets.services import ensure_event_key

    start = utcnow() + timedelta(days=10)
    event = Event(title="矩阵秋季招聘会", kind="job_fair", department_id=organiser.departments[0].id, venue="矩阵会场",
                  starts_at=start, ends_at=start + timedelta(hours=4), status="published")
    s.add(event)
    s.flush()
    ensure_event_key(event)
    employer = organisations.create_organisation(organiser, kind="company", name="矩阵招聘企业有限公司",
                                                 district="闵行区", in_minhang=True, uscc=uscc_for(7401))
    s.add(OrganisationContact(organisation=employer, user=contact))
    booth = fairs.add_employer(organiser, event, employer, "M01")
    fairs.add_position(organiser, booth, title="矩阵岗位", openings=2, education="bachelor")
    interest = interests.share(seeker, booth, position_ids=[booth.positions[0].id],
                               profile=interests.Profile(name=seeker.name, education="master", school="矩阵大学",
                                                         major="矩阵专业"),
                               agreed=True, include_mobile=True)
    portal.mark(contact, interest, "interviewed")
    s.flush()
    fair_routes = ("jobfairs.fair", "jobfairs.add_employer", "jobfairs.add_position", "jobfairs.import_positions")
    by_endpoint = {(endpoint, "event_id"): event.id for endpoint in fair_routes}
    by_endpoint[("jobfairs.booth", "code")] = booth.booth_code
    return {"fair_employer_id": booth.id, "interest_id": interest.id}, by_endpoint
