"""Referral credit: /r/<code> remembers a serving ambassador's or officer's code, and the
registration or camp application made next through the real pages carries it; an unknown,
suspended or ended code is ignored (never an error); the counts on the roster and /me/referrals."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.checkin import services as checkin
from app.cohorts.models import Application
from app.cohorts.selection import applications as apps
from app.registrations.models import Registration
from app.rosters import referrals
from app.rosters import services as rosters
from app.tickets import services as tickets
from app.timeutil import utcnow
from tests.cohorts.test_cohort_applications import form as application_form
from tests.cohorts.test_cohort_applications import open_applications
from tests.conftest import login


def _register(client, event):
    return client.post(f"/events/{event.id}/register", data={})


def test_a_registration_through_the_link_is_credited(client, db_session, appoint, create_event, create_user):
    ambassador = appoint("ambassador")
    event = create_event(title="海聚英才全球创新创业峰会", starts_at=utcnow() - timedelta(hours=1), capacity=None)
    visitor = create_user()
    landed = client.get(f"/r/{ambassador.referral_code.upper()}?to=/events/{event.id}")
    assert landed.status_code == 302 and landed.headers["Location"].endswith(f"/events/{event.id}")
    login(client, visitor)  # signing in keeps the session's referral
    assert _register(client, event).status_code == 302
    registration = db_session.scalar(sa.select(Registration).where(Registration.user_id == visitor.id))
    assert registration.referral_code == ambassador.referral_code and registration.status == "confirmed"
    # Attended: admitted at the event's checkpoint.
    point = checkin.event_checkpoint(event)
    assert checkin.scan(point, tickets.ticket_token(registration), device="门口").result.value == "ok"
    db_session.commit()
    credit = referrals.credits([ambassador])[ambassador.id]
    assert (credit.registrations, credit.confirmed, credit.attended) == (1, 1, 1)


def test_unknown_suspended_and_ended_codes_are_ignored(client, db_session, appoint, create_event, create_user):
    officer = appoint("officer")
    ended = appoint("officer")
    rosters.set_status(ended.organiser, ended, "ended", note="离任")
    suspended = appoint("ambassador")
    rosters.set_status(suspended.organiser, suspended, "suspended")
    db_session.commit()
    for code in ("zzzzzzzz", "not-a-code!", "x" * 500, ended.referral_code, suspended.referral_code):
        response = client.get(f"/r/{code}?to=https://evil.example/")
        assert response.status_code == 302 and "evil.example" not in response.headers["Location"]
    login(client, create_user())
    event = create_event()
    assert _register(client, event).status_code == 302
    assert db_session.scalar(sa.select(Registration.referral_code)) is None
    assert client.get(f"/r/{officer.referral_code}?to=//evil.example/x").headers["Location"].endswith("/")
    second = create_event()
    assert _register(client, second).status_code == 302
    credits = referrals.credits([officer, ended, suspended])
    assert credits[officer.id].registrations == 1
    assert credits[ended.id].registrations == credits[suspended.id].registrations == 0


def test_a_camp_application_through_the_link_is_credited(client, db_session, appoint, create_cohort, create_user):
    ambassador = appoint("ambassador")
    cohort = create_cohort("incubation", capacity=5)
    open_applications(cohort.cycle, db_session)
    founder = create_user(name="王创")
    client.get(f"/r/{ambassador.referral_code}?to=/camps/{cohort.cycle_id}")
    login(client, founder)
    response = client.post(f"/camps/{cohort.cycle_id}/apply", data=application_form(tier_id=str(cohort.tier_id)),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    application = db_session.scalar(sa.select(Application).where(Application.user_id == founder.id))
    assert application.referral_code == ambassador.referral_code
    apps.decide(cohort.runner, [application], "admitted")
    db_session.commit()
    credit = referrals.credits([ambassador])[ambassador.id]
    assert (credit.applications, credit.admitted, credit.registrations) == (1, 1, 0)


def test_the_ambassador_sees_their_own_link_qr_and_counts(client, db_session, appoint, create_user, create_event):
    ambassador = appoint("ambassador", user=create_user(name="赵赟"))
    other = appoint("ambassador")
    create_event(title="闵行区校园招聘会")
    login(client, ambassador.user)
    assert 'href="/me/referrals"' in client.get("/me/registrations").text  # in the menu of a link holder
    page = client.get("/me/referrals")
    assert page.status_code == 200 and f"/r/{ambassador.referral_code}" in page.text
    assert "data:image/png;base64," in page.text and other.referral_code not in page.text
    assert "闵行区校园招聘会" in page.text
    login(client, create_user())
    assert 'href="/me/referrals"' not in client.get("/me/registrations").text
    assert client.get("/me/referrals").status_code == 200  # nothing of anybody's
    assert client.get("/console/rosters/?kind=ambassador").status_code == 403


def test_a_code_remembered_before_the_appointment_ended_credits_nobody_after(client, db_session, appoint,
                                                                             create_event, create_user):
    officer = appoint("officer")
    client.get(f"/r/{officer.referral_code}")
    login(client, create_user())
    assert _register(client, create_event()).status_code == 302  # while serving: credited
    rosters.set_status(officer.organiser, officer, "ended", note="离任")
    db_session.commit()
    assert _register(client, create_event()).status_code == 302  # the session still holds the code
    assert referrals.credits([officer])[officer.id].registrations == 1
