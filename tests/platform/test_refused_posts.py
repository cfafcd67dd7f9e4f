"""Finding 15: a refused POST answers 403/404 and changes nothing, never a 302 with a flash
message that looks like a handled request. Correctable refusals (bad input, a conflicting state)
still go back to the page with their message. The route × role matrix checks every route; these
are the requests it found answering 302."""
from datetime import date, timedelta

import sqlalchemy as sa

from app.events.models import EventSession
from app.registrations import services as reg
from app.registrations.models import Registration
from app.studios import services as studios
from app.studios.models import Achievement
from app.timeutil import utcnow


def test_cancelling_somebody_elses_registration_is_not_found(client, db_session, create_user, create_event,
                                                             login_as):
    registration = reg.register(create_user(), create_event())
    db_session.commit()
    login_as(create_user())
    response = client.post(f"/me/registrations/{registration.id}/cancel")
    assert response.status_code == 404
    db_session.expire_all()
    assert db_session.get(Registration, registration.id).is_active


def test_own_cancellation_still_goes_back_to_my_registrations(client, db_session, create_user, create_event,
                                                               login_as):
    person = create_user()
    registration = reg.register(person, create_event())
    db_session.commit()
    login_as(person)
    response = client.post(f"/me/registrations/{registration.id}/cancel")
    assert response.status_code == 302 and response.headers["Location"].endswith("/me/registrations")
    db_session.expire_all()
    assert not db_session.get(Registration, registration.id).is_active


def _event_with_session(db_session, create_event):
    event = create_event()
    start = event.starts_at
    session = EventSession(event_id=event.id, title="圆桌对话", starts_at=start, ends_at=start + timedelta(hours=1))
    db_session.add(session)
    db_session.commit()
    return event, session


def test_deleting_another_departments_session_is_forbidden(client, db_session, create_user, create_event,
                                                           login_as):
    event, session = _event_with_session(db_session, create_event)
    login_as(create_user("organiser", department="employment"))
    response = client.post(f"/console/events/{event.id}/sessions/{session.id}/delete")
    assert response.status_code == 403
    db_session.expire_all()
    assert db_session.get(EventSession, session.id) is not None


def test_a_booked_session_is_still_refused_with_a_message(client, db_session, create_user, create_event,
                                                          login_as):
    event, session = _event_with_session(db_session, create_event)
    reg.register(create_user(), event, session_ids=[session.id])
    db_session.commit()
    login_as(create_user("organiser", department="talent_center"))
    response = client.post(f"/console/events/{event.id}/sessions/{session.id}/delete")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/console/events/{event.id}#agenda")
    db_session.expire_all()
    assert db_session.get(EventSession, session.id) is not None


def test_a_stranger_recording_an_apprentices_achievement_is_forbidden_whatever_they_send(
        client, db_session, studio, create_user, login_as):
    organiser = studio.organiser
    pair = studios.add_apprentice(organiser, studio, create_user(), started_on=date(2026, 4, 1))
    db_session.commit()
    login_as(create_user("organiser", department="talent_center"))
    for form in ({}, {"kind": "competition_award", "title": "技能竞赛 二等奖", "achieved_on": "2026-05-01"}):
        response = client.post(f"/console/studios/apprentices/{pair.id}/achievements", data=form)
        assert response.status_code == 403, form
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Achievement)) == 0


def test_the_studios_organiser_still_gets_field_messages(client, db_session, studio, create_user, login_as):
    organiser = studio.organiser
    pair = studios.add_apprentice(organiser, studio, create_user(), started_on=date(2026, 4, 1))
    db_session.commit()
    login_as(organiser)
    response = client.post(f"/console/studios/apprentices/{pair.id}/achievements", data={"kind": "competition_award"})
    assert response.status_code == 302
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Achievement)) == 0
    response = client.post(f"/console/studios/apprentices/{pair.id}/achievements",
                           data={"kind": "competition_award", "title": "技能竞赛 二等奖",
                                 "achieved_on": (utcnow().date() - timedelta(days=3)).isoformat()})
    assert response.status_code == 302
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Achievement)) == 1
