"""Must show: consent is required and withdrawable before an employer sees a seeker. Without
consent the employer sees nothing of the seeker (portal, export, API); after withdrawal it is gone
again; the consent and its withdrawal are recorded (rows, status history, audit)."""
from __future__ import annotations

import io

import sqlalchemy as sa
from openpyxl import load_workbook

from app.audit.models import AuditEntry
from app.jobfairs.models import Consent, Interest
from app.transitions import changes_of
from tests.fixtures.accounts import api_headers, login

SEEKER = "欧阳知远"


def _form(booth, **changes) -> dict:
    return {"positions": [booth.positions[0].id], "name": SEEKER, "education": "master", "school": "华东师范大学",
            "major": "软件工程", "consent": "y"} | changes


def _employer_sees(client, db_session, contact, seeker) -> dict:
    """What the employer's contact sees of the seeker in the portal, the export and the API."""
    login(client, contact)
    page = client.get("/employer/jobfairs").get_data(as_text=True)
    export = client.get("/employer/jobfairs/export")
    assert export.status_code == 200
    cells = [str(c.value) for row in load_workbook(io.BytesIO(export.data)).active.iter_rows() for c in row]
    api = client.get("/api/v1/employer/interests", headers=api_headers(client, contact)).json["items"]
    return {"portal": SEEKER in page or seeker.mobile in page or seeker.mobile_masked in page,
            "export": any(SEEKER in c or seeker.mobile[-4:] in c for c in cells),
            "api": any(SEEKER in str(item) for item in api)}


def test_without_consent_nothing_is_sent_and_the_employer_sees_nothing(client, db_session, job_fair, create_user):
    fair = job_fair()
    booth = fair.booths[0]
    seeker = create_user(name=SEEKER)
    login(client, seeker)
    page = client.get(f"/jobfairs/b/{booth.booth_code}")
    assert page.status_code == 200 and booth.organisation.name in page.get_data(as_text=True)
    response = client.post(f"/jobfairs/b/{booth.booth_code}", data=_form(booth, consent=""))
    assert response.status_code == 422
    assert booth.organisation.name in response.get_data(as_text=True)  # the consent's text names the employer
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Interest)) == 0
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Consent)) == 0
    assert _employer_sees(client, db_session, fair.contacts[0], seeker) == {"portal": False, "export": False,
                                                                           "api": False}


def test_consent_shares_then_withdrawal_hides_again_and_both_are_recorded(client, db_session, job_fair, create_user):
    fair = job_fair()
    booth, other_booth = fair.booths
    seeker = create_user(name=SEEKER)
    login(client, seeker)
    response = client.post(f"/jobfairs/b/{booth.booth_code}", data=_form(booth))
    assert response.status_code == 302 and response.headers["Location"].endswith("/me/jobfairs")
    interest = db_session.scalar(sa.select(Interest).where(Interest.user_id == seeker.id))
    consent = db_session.scalar(sa.select(Consent).where(Consent.interest_id == interest.id))
    assert (consent.user_id, consent.organisation_id, consent.event_id) == (seeker.id, booth.organisation_id,
                                                                           fair.event.id)
    assert consent.wording_version and consent.given_at and consent.withdrawn_at is None
    assert not consent.includes_mobile

    assert _employer_sees(client, db_session, fair.contacts[0], seeker) == {"portal": True, "export": True,
                                                                           "api": True}
    portal = client.get("/employer/jobfairs").get_data(as_text=True)
    assert seeker.mobile not in portal and seeker.mobile_masked in portal  # consent without the mobile
    # The other employer at the same fair sees nothing: consent is to one employer.
    assert _employer_sees(client, db_session, fair.contacts[1], seeker) == {"portal": False, "export": False,
                                                                           "api": False}

    login(client, seeker)
    assert client.post(f"/me/jobfairs/{interest.id}/withdraw").status_code == 302
    db_session.expire_all()
    assert interest.status == "withdrawn" and consent.withdrawn_at is not None
    assert [(c.from_status, c.to_status) for c in changes_of(interest)] == [(None, "shared"), ("shared", "withdrawn")]
    actions = set(db_session.scalars(sa.select(AuditEntry.action).where(AuditEntry.subject_id == interest.id,
                                                                        AuditEntry.subject_type == "Interest")))
    assert {"jobfair.consent_give", "jobfair.consent_withdraw"} <= actions
    assert _employer_sees(client, db_session, fair.contacts[0], seeker) == {"portal": False, "export": False,
                                                                           "api": False}
    # Nor can the employer reach the candidate by id any more.
    headers = api_headers(client, fair.contacts[0])
    assert client.post(f"/api/v1/employer/interests/{interest.id}/outcome", json={"outcome": "interviewed"},
                       headers=headers).status_code == 404
    assert client.post(f"/employer/interests/{interest.id}/outcome", data={"outcome": "interviewed"}).status_code == 404

    # A new consent is a new row; the withdrawn one stays as it was.
    login(client, seeker)
    assert client.post(f"/jobfairs/b/{booth.booth_code}", data=_form(booth, share_mobile="y")).status_code == 302
    rows = list(db_session.scalars(sa.select(Consent).where(Consent.interest_id == interest.id).order_by(Consent.id)))
    assert len(rows) == 2 and rows[0].withdrawn_at is not None and rows[1].withdrawn_at is None
    assert rows[1].includes_mobile
    login(client, fair.contacts[0])
    assert seeker.mobile in client.get("/employer/jobfairs").get_data(as_text=True)  # the mobile was agreed to
    assert db_session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "jobfair.interests_view")) >= 1


def test_a_volunteer_scan_is_pending_and_invisible_until_the_seeker_consents(client, db_session, job_fair,
                                                                             create_user):
    from app.jobfairs import volunteer
    from app.notifications.models import InboxMessage
    from app.registrations import registering as registrations
    from app.tickets.services import ticket_token

    fair = job_fair()
    booth = fair.booths[0]
    seeker = create_user(name=SEEKER)
    registration = registrations.register(seeker, fair.event)
    db_session.commit()
    interest = volunteer.scan_ticket(fair.contacts[0], booth, ticket_token(registration))
    db_session.commit()
    assert interest.status == "pending"
    assert db_session.scalar(sa.select(InboxMessage).where(InboxMessage.user_id == seeker.id,
                                                           InboxMessage.kind == "jobfair_pending")) is not None
    assert _employer_sees(client, db_session, fair.contacts[0], seeker) == {"portal": False, "export": False,
                                                                           "api": False}
    login(client, seeker)
    assert client.post(f"/me/jobfairs/{interest.id}/confirm", data=_form(booth, consent="")).status_code == 422
    assert client.post(f"/me/jobfairs/{interest.id}/confirm", data=_form(booth)).status_code == 302
    assert _employer_sees(client, db_session, fair.contacts[0], seeker)["portal"] is True
