"""The booth volunteer's path: a contact of the employer (or an organiser of the fair) scans the
seeker's event ticket at the booth. That makes a pending interest, and the seeker is asked in
their inbox to choose positions and consent on their phone; until they do, the employer's
portal shows nothing of them (a pending interest is not shared)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.audit import services as audit
from app.errors import Conflict
from app.extensions import db
from app.jobfairs.interests import interest_of
from app.jobfairs.models import FairEmployer, Interest, InterestStatus
from app.jobfairs.portal import require_booth
from app.notifications import inbox
from app.registrations.models import RegStatus
from app.tickets.services import InvalidTicket, check_token


def scan_ticket(actor: User, booth: FairEmployer, token: str) -> Interest:
    require_booth(actor, booth)
    registration = check_token((token or "").strip()[:400])
    if registration.event_id != booth.event_id or registration.status != RegStatus.CONFIRMED.value:
        raise InvalidTicket(_l("This ticket is not for this fair."))
    seeker = registration.user
    if interest_of(seeker, booth) is not None:
        raise Conflict(_l("%(name)s has this booth among their applications already.", name=seeker.name),
                       code="already_interested")
    interest = Interest(employer=booth, user_id=seeker.id, status=None, via="volunteer_scan")
    try:
        with db.session.begin_nested():
            interest.transition(InterestStatus.PENDING, actor=actor)
    except IntegrityError:
        raise Conflict(_l("%(name)s has this booth among their applications already.", name=seeker.name),
                       code="already_interested") from None
    inbox.post(seeker, "jobfair_pending", _l("%(employer)s would like your profile", employer=booth.organisation.name),
               link_endpoint="jobfairs.mine", employer=booth.organisation.name, fair=booth.event.title)
    audit.record(actor, "jobfair.volunteer_scan", interest, employer=booth.organisation_id)
    return interest
