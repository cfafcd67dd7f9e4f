"""An event's organisations: its organisers add co-organisers, participating companies and the host
university from the registry (kinds checked, each once per role) and remove them; another
department's organiser cannot; the public page names them."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.events import organisations as eo
from app.events.models import EventOrganisation
from tests.conftest import login


@pytest.fixture
def fair(create_event, create_organisation):
    event = create_event(title="闵而好才·行者常至 校园招聘会", kind="campus_recruiting")
    event.university = create_organisation(kind="university", name="上海交通大学")
    event.company = create_organisation(name="上海闵行智造科技有限公司")
    return event


def test_organisers_add_and_remove_with_roles_checked(db_session, fair, create_user, departments):
    organiser = create_user("organiser")  # of 区人才中心, the event's department
    host = eo.add_organisation(organiser, fair, fair.university.id, "host_university")
    eo.add_organisation(organiser, fair, str(fair.company.id), "participant")
    eo.add_organisation(organiser, fair, fair.company.id, "co_organiser")  # another role of the same one
    db_session.commit()
    assert [(role, [link.organisation.name for link in links]) for role, links in eo.organisations_of(fair).items()] \
        == [("co_organiser", ["上海闵行智造科技有限公司"]), ("participant", ["上海闵行智造科技有限公司"]),
            ("host_university", ["上海交通大学"])]
    with pytest.raises(Conflict) as error:
        eo.add_organisation(organiser, fair, fair.company.id, "participant")
    assert error.value.code == "already_linked"
    db_session.rollback()
    with pytest.raises(InvalidInput) as error:  # a company cannot host as a university
        eo.add_organisation(organiser, fair, fair.company.id, "host_university")
    assert "role" in error.value.fields
    for bad_id, bad_role in ((None, "participant"), ("abc", "participant"), (10 ** 30, "participant"),
                             (fair.company.id, "sponsor"), (999999, "participant")):
        with pytest.raises(InvalidInput):
            eo.add_organisation(organiser, fair, bad_id, bad_role)
    eo.remove_organisation(organiser, fair, host.id)
    db_session.commit()
    assert "host_university" not in eo.organisations_of(fair)
    with pytest.raises(NotFound):
        eo.remove_organisation(organiser, fair, host.id)
    actions = db_session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.like("event.organisation%")))
    assert sorted(actions) == ["event.organisation_add"] * 3 + ["event.organisation_remove"]


def test_an_organiser_of_another_department_cannot_link(db_session, fair, create_user):
    outsider = create_user("organiser", department="skills")
    with pytest.raises(PermissionDenied):
        eo.add_organisation(outsider, fair, fair.company.id, "participant")
    link = eo.add_organisation(create_user("organiser"), fair, fair.company.id, "participant")
    db_session.commit()
    with pytest.raises(PermissionDenied):
        eo.remove_organisation(outsider, fair, link.id)


def test_merged_organisations_are_refused(db_session, fair, create_organisation, create_user, admin):
    from app.organisations import services

    duplicate = create_organisation(name="上海闵行智造科技（上海）有限公司")
    link = eo.add_organisation(create_user("organiser"), fair, duplicate.id, "participant")
    services.merge(admin, fair.company, duplicate)
    db_session.commit()
    assert link.shown_name == "上海闵行智造科技有限公司"  # shown as the organisation kept
    with pytest.raises(Conflict) as error:
        eo.add_organisation(create_user("organiser"), fair, duplicate.id, "participant")
    assert error.value.code == "organisation_merged"


def test_console_section_and_public_page(client, db_session, fair, create_user):
    organiser = create_user("organiser")
    login(client, organiser)
    page = client.get(f"/console/events/{fair.id}?org_q=交通").get_data(as_text=True)
    assert "上海交通大学" in page and 'name="organisation_id"' in page
    response = client.post(f"/console/events/{fair.id}/organisations",
                           data={"organisation_id": fair.university.id, "role": "host_university"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#organisations")
    client.post(f"/console/events/{fair.id}/organisations", data={"organisation_id": fair.company.id,
                                                                  "role": "participant"})
    for bad in ({"organisation_id": "x" * 5000, "role": "participant"}, {"organisation_id": "1\x00",
                                                                           "role": "participant"},
                {"role": "host_university"}, {}):
        assert client.post(f"/console/events/{fair.id}/organisations", data=bad).status_code in (302, 400, 422)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(EventOrganisation)) == 2
    public = client.get(f"/events/{fair.id}").get_data(as_text=True)
    assert "承办高校" in public and "上海交通大学" in public and "参会企业" in public
    assert fair.company.uscc not in public  # names only
    link = db_session.scalar(sa.select(EventOrganisation).where(EventOrganisation.role == "participant"))
    assert client.post(f"/console/events/{fair.id}/organisations/{link.id}/delete").status_code == 302
    assert client.post(f"/console/events/{fair.id}/organisations/99999999999999999999/delete").status_code == 404
    login(client, create_user("organiser", department="skills"))
    assert client.post(f"/console/events/{fair.id}/organisations", data={
        "organisation_id": fair.company.id, "role": "participant"}).status_code == 403
