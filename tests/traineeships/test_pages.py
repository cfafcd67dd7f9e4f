"""The pages of the three audiences: a young person applies on the apply page and sees their
choices, a host's contact accepts in the portal (phones masked, other hosts' places refused), the
bureau confirms on the batch page; staff add a host's contact on the organisation's page."""
import sqlalchemy as sa

from app.organisations.models import OrganisationContact
from app.traineeships.models import Placement, TraineeApplication
from tests.conftest import login


def _form(world, **answers) -> dict:
    return {"choice_1": world.places[1].id, "choice_2": world.places[0].id, "choice_3": 0,
            "school_name": "华东师范大学", "major": "心理学", "education": "bachelor", "graduation_year": "2026",
            "birth_date": "2003-09-01", "in_shanghai_household": "y", "left_school_unemployed": "y"} | answers


def test_apply_then_host_accepts_then_bureau_confirms(client, db_session, traineeship, create_user):
    world = traineeship()
    assert world.batch.title in client.get("/traineeships/").get_data(as_text=True)
    person = create_user(name="周小满")
    login(client, person)
    page = client.get(f"/traineeships/{world.batch.id}/apply")
    assert page.status_code == 200 and "岗位1" in page.get_data(as_text=True)
    response = client.post(f"/traineeships/{world.batch.id}/apply", data=_form(world))
    assert response.status_code == 302 and response.headers["Location"].endswith("/me/traineeships")
    application = db_session.scalar(sa.select(TraineeApplication).where(TraineeApplication.user_id == person.id))
    assert [c.place_id for c in application.choices] == [world.places[1].id, world.places[0].id]
    mine = client.get("/me/traineeships").get_data(as_text=True)
    assert "岗位2" in mine and "岗位1" in mine

    login(client, world.contacts[1])
    portal = client.get("/host/").get_data(as_text=True)
    assert "岗位2" in portal and "岗位1" not in portal
    page = client.get(f"/host/places/{world.places[1].id}").get_data(as_text=True)
    assert "周小满" in page and person.mobile not in page and person.mobile_masked in page
    assert client.get(f"/host/places/{world.places[0].id}").status_code == 403
    first, second = application.choices
    assert client.post(f"/host/choices/{second.id}/accept").status_code == 403  # the other host's applicant
    assert client.post(f"/host/choices/{first.id}/accept").status_code == 302
    placement = db_session.scalar(sa.select(Placement).where(Placement.user_id == person.id))
    assert placement.status == "proposed"

    login(client, world.organiser)
    batch_page = client.get(f"/console/traineeships/{world.batch.id}").get_data(as_text=True)
    assert "周小满" in batch_page
    assert client.post(f"/console/traineeships/placements/{placement.id}/confirm").status_code == 302
    db_session.expire_all()
    assert placement.status == "confirmed"
    login(client, person)
    mine = client.get("/me/traineeships").get_data(as_text=True)
    assert "data-placement" in mine and world.hosts[1].name in mine


def test_an_ineligible_application_shows_the_reasons_beside_the_answers(client, db_session, traineeship,
                                                                         create_user):
    world = traineeship()
    login(client, create_user())
    response = client.post(f"/traineeships/{world.batch.id}/apply",
                           data=_form(world, birth_date="1975-01-01", in_shanghai_household="",
                                      left_school_unemployed=""))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.count('class="error"') >= 3 and "离校未就业" in html
    assert db_session.scalar(sa.select(sa.func.count()).select_from(TraineeApplication)) == 0


def test_the_portal_is_for_contacts_and_the_console_for_the_batchs_organisers(client, db_session, traineeship,
                                                                             create_user):
    world = traineeship()
    login(client, create_user())
    assert client.get("/host/").status_code == 403
    assert client.get("/console/traineeships/").status_code == 403
    login(client, create_user("organiser", department="skills"))
    assert client.get("/console/traineeships/").status_code == 200
    assert client.get(f"/console/traineeships/{world.batch.id}").status_code == 403
    login(client, world.organiser)
    for path in ("/console/traineeships/", f"/console/traineeships/{world.batch.id}",
                 f"/console/traineeships/{world.batch.id}/edit", f"/console/traineeships/{world.batch.id}/places/new",
                 f"/console/traineeships/{world.batch.id}/places/{world.places[0].id}", "/console/traineeships/new"):
        assert client.get(path).status_code == 200, path


def test_staff_create_a_batch_and_its_places_in_the_console(client, db_session, departments, create_user,
                                                            create_organisation):
    organiser = create_user("organiser")
    host = create_organisation(kind="host_company", name="上海闵行见习示范基地有限公司")
    login(client, organiser)
    response = client.post("/console/traineeships/new", data={
        "department_id": departments["talent_center"].id, "kind": "social_practice", "title": "2027年寒假大学生社会实践",
        "year": "2027", "season": "winter", "applications_open_at": "2026-12-01T09:00",
        "applications_close_at": "2027-01-05T17:00", "starts_on": "2027-01-15", "ends_on": "2027-02-15",
        "max_choices": "2"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    batch_path = response.headers["Location"]
    batch_id = int(batch_path.rstrip("/").rsplit("/", 1)[1])
    response = client.post(f"/console/traineeships/{batch_id}/places/new", data={
        "host_id": host.id, "position": "人力资源助理", "openings": "3", "months": "1", "monthly_allowance": "0",
        "status": "open"})
    assert response.status_code == 302
    assert client.post(f"/console/traineeships/{batch_id}/status", data={"status": "open"}).status_code == 302
    page = client.get(batch_path).get_data(as_text=True)
    assert "人力资源助理" in page
    edit = client.get(f"/console/traineeships/{batch_id}/edit").get_data(as_text=True)
    assert "2027, 2028" in edit  # the programme's graduation years, editable


def test_staff_add_and_remove_a_host_contact_by_mobile(client, db_session, create_user, create_organisation):
    organiser = create_user("organiser")
    host = create_organisation(kind="host_company", name="上海联系人测试有限公司")
    contact = create_user(name="钱主管", mobile="13912340000")
    login(client, organiser)
    assert client.post(f"/console/organisations/{host.id}/contacts", data={"mobile": "139 1234 0000"}).status_code == 302
    page = client.get(f"/console/organisations/{host.id}").get_data(as_text=True)
    assert "钱主管" in page and "13912340000" not in page
    client.post(f"/console/organisations/{host.id}/contacts", data={"mobile": "13900009999"})
    row = db_session.scalar(sa.select(OrganisationContact))
    assert row.user_id == contact.id
    assert db_session.scalar(sa.select(sa.func.count()).select_from(OrganisationContact)) == 1
    assert client.post(f"/console/organisations/contacts/{row.id}/remove").status_code == 302
    db_session.expire_all()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(OrganisationContact)) == 0


def test_huge_ids_are_not_found(client, db_session, traineeship, create_user):
    world = traineeship()
    huge = 99999999999999999999
    login(client, world.organiser)
    for path in (f"/console/traineeships/{huge}", f"/console/traineeships/{world.batch.id}/places/{huge}",
                 f"/traineeships/{huge}/apply", f"/host/places/{huge}"):
        assert client.get(path).status_code == 404, path
    for path in (f"/host/choices/{huge}/accept", f"/console/traineeships/placements/{huge}/confirm",
                 f"/me/traineeships/{huge}/withdraw", f"/console/organisations/contacts/{huge}/remove"):
        assert client.post(path).status_code == 404, path
