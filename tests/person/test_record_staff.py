"""Staff: the person search and a person's record within the reader's departments, masked unless
asked (and audited either way); bad input is a 4xx; the record's queries do not grow with it."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event

from app.audit.models import AuditEntry
from app.extensions import db
from app.person.record import timeline
from app.person.record.people import person_record, search
from app.person.record.scope import staff_scope
from tests.conftest import login


def _audits(db_session, action):
    return list(db_session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def test_an_organiser_sees_only_their_departments_items(db_session, record_person, create_user):
    skills = create_user("organiser", department="skills")
    page = person_record(skills, record_person.person.id)
    assert {i.kind for i in page.record.items} == {"competition", "studio"}
    employment = create_user("organiser", department="employment")
    assert {i.kind for i in person_record(employment, record_person.person.id).record.items} == \
        {"camp", "camp_application", "mentoring"}
    assert len(person_record(record_person.admin, record_person.person.id).record.items) == 9


def test_an_organiser_cannot_open_a_person_with_nothing_in_scope(client, db_session, record_person, create_user):
    stranger = create_user(name="无关人员")
    organiser = create_user("organiser", department="nkc_base")
    login(client, organiser)
    assert client.get(f"/console/people/{record_person.person.id}").status_code == 404
    assert client.get(f"/console/people/{stranger.id}").status_code == 404
    assert client.get("/console/people/2147483647").status_code == 404
    assert client.get("/console/people/99999999999999").status_code == 404


def test_participants_trainers_and_judges_are_refused(client, db_session, record_person, create_user):
    for role in ("participant", "trainer", "judge"):
        login(client, create_user(role))
        assert client.get(f"/console/people/{record_person.person.id}").status_code == 403, role
        assert client.get("/console/people?q=李玥").status_code == 403, role


def test_the_record_is_masked_by_default_and_every_view_is_audited(client, db_session, record_person, create_user):
    person = record_person.person
    person.id_number = "310112199001011234"
    db_session.commit()
    organiser = create_user("organiser", department="skills")
    login(client, organiser)
    html = client.get(f"/console/people/{person.id}").get_data(as_text=True)
    assert person.mobile not in html and person.mobile_masked in html
    assert "310112199001011234" not in html and person.id_number_masked in html
    assert "养老健康照护" in html and "人才闵行周 开幕论坛" not in html  # another department's event
    [view] = _audits(db_session, "person.record_view")
    assert (view.actor_id, view.subject_id, view.detail["full"]) == (organiser.id, person.id, False)
    html = client.get(f"/console/people/{person.id}?full=1").get_data(as_text=True)
    assert person.mobile in html and "310112199001011234" in html
    assert _audits(db_session, "person.record_view")[-1].detail["full"] is True


def test_search_by_name_mobile_last_four_id_number_and_organisation(db_session, record_person, create_organisation):
    from app.organisations.models import OrganisationContact

    person, admin = record_person.person, record_person.admin
    person.id_number = "310112199001011234"
    organisation = create_organisation(name="上海玥来科技有限公司")
    db_session.add(OrganisationContact(organisation_id=organisation.id, user_id=person.id, added_by_id=admin.id))
    db_session.commit()
    assert person in search(admin, "李玥")
    assert person in search(admin, person.mobile)
    assert person in search(admin, person.mobile[-4:])
    assert person in search(admin, "310112199001011234")
    assert person in search(admin, "玥来科技")
    assert search(admin, "") == [] and search(admin, "   ") == []
    assert person not in search(admin, "%") and person not in search(admin, "_")  # no LIKE wildcards
    queries = [a.detail["query"] for a in _audits(db_session, "person.search")]
    assert person.mobile not in queries and "310112199001011234" not in queries
    assert "****" + person.mobile[-4:] in queries


def test_an_organiser_finds_only_people_with_something_in_scope(db_session, record_person, create_user):
    outsider = create_user(name="李玥")  # the same name, nothing the organiser runs
    skills = create_user("organiser", department="skills")
    found = search(skills, "李玥")
    assert record_person.person in found and outsider not in found
    assert search(create_user("organiser", department="nkc_base"), "李玥") == []
    assert {record_person.person, outsider} <= set(search(record_person.admin, "李玥"))


def test_the_search_page_audits_and_refuses_bad_input(client, db_session, record_person, create_user):
    organiser = create_user("organiser", department="skills")
    login(client, organiser)
    html = client.get("/console/people?q=李玥").get_data(as_text=True)
    assert f'href="/console/people/{record_person.person.id}"' in html and record_person.person.mobile not in html
    [entry] = _audits(db_session, "person.search")
    assert entry.actor_id == organiser.id and entry.detail["query"] == "李*"
    assert 400 <= client.get("/console/people?q=%00abc").status_code < 500
    assert 400 <= client.get("/console/people?q=" + "x" * 5000).status_code < 500
    assert client.get("/console/people").status_code == 200


def _count_queries(fn):
    seen = []

    def counter(*_args, **_kw):
        seen.append(1)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", counter)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    return len(seen)


def test_the_number_of_queries_does_not_grow_with_the_items(db_session, create_user, create_event,
                                                           create_attended_event, admin):
    from app.certificates import services as certificates
    from app.certificates.models import CertificateKind
    from app.checkin import services as checkin
    from app.registrations import services as reg
    from app.tickets import services as tickets
    from app.timeutil import utcnow
    from datetime import timedelta

    def person_with(n):
        person = create_user()
        for _ in range(n):
            event = create_event(starts_at=utcnow() - timedelta(hours=1), capacity=None)
            registration = reg.register(person, event)
            checkin.scan(checkin.event_checkpoint(event), tickets.ticket_token(registration))
            certificates.issue_for_attendance(admin, event, kind=CertificateKind.ATTENDANCE)
        db_session.commit()
        db_session.expire_all()
        return person

    few, many = person_with(3), person_with(30)
    counts = []
    for person in (few, many):
        db_session.expire_all()
        counts.append(_count_queries(lambda: timeline.build(person, staff_scope(admin))))
    assert len(timeline.build(many).items) == 60
    assert counts[0] == counts[1], counts
