"""The employer's side: a contact of an organisation at a fair (organisations' OrganisationContact,
the same login as the traineeship host portal) sees the interests at its booths whose consent
stands, and nothing else of anyone: not a pending one (the seeker has not agreed yet), not a
withdrawn one. Exports and CV downloads are audited; outcomes move through the table in models."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app.accounts.models import User, organises
from app.audit import services as audit
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.jobfairs import consent
from app.jobfairs.models import FairEmployer, Interest, InterestOutcome, InterestStatus, Outcome
from app.locking import lock_objects
from app.lookups import get_or_not_found
from app.organisations.contacts import organisation_ids_of
from app.privacy import mask_phone
from app import private_files
from app.timeutil import utcnow


def booths_of(user: User) -> list[FairEmployer]:
    ids = organisation_ids_of(user)
    return list(db.session.scalars(sa.select(FairEmployer).where(FairEmployer.organisation_id.in_(ids))
                                   .order_by(FairEmployer.event_id.desc(), FairEmployer.id))) if ids else []


def is_employer_contact(user: User | None) -> bool:
    return bool(booths_of(user))


def require_booth(user: User | None, booth: FairEmployer) -> None:
    """The booth's own contacts (its volunteers), or the fair's organisers."""
    if booth.organisation_id not in organisation_ids_of(user) and not organises(user, booth.event.department_id):
        raise PermissionDenied(_l("Only the employer's contacts or the fair's organisers can do this."))


# The order the portal, the API and the export (candidates_export) list candidates in.
NEWEST_FIRST = (Interest.created_at.desc(), Interest.id.desc())


def shared_at_booths(query: sa.Select, organisation_ids) -> sa.Select:
    """`query` (over interests) narrowed to those shared at the organisations' booths: what their
    contacts may see, in the portal and the API as in the export."""
    return (query.join(FairEmployer, Interest.fair_employer_id == FairEmployer.id)
            .where(FairEmployer.organisation_id.in_(organisation_ids or [-1]),
                   Interest.status == InterestStatus.SHARED.value))


def visible_interests(user: User, booth: FairEmployer | None = None) -> list[Interest]:
    """The shared interests at the contact's booths (or one of them), newest first."""
    return list(db.session.scalars(visible_interests_query(user, booth)))


def visible_interests_query(user: User, booth: FairEmployer | None = None) -> sa.Select:
    """visible_interests() as a query, for the portal to read a page of it."""
    # the portal and the API show each candidate's fair, booth, person, positions and outcome
    query = (shared_at_booths(sa.select(Interest), organisation_ids_of(user))
             .options(contains_eager(Interest.employer).joinedload(FairEmployer.event),
                      contains_eager(Interest.employer).joinedload(FairEmployer.organisation),
                      joinedload(Interest.user), selectinload(Interest.positions), selectinload(Interest.outcome))
             .order_by(*NEWEST_FIRST))
    if booth is not None:
        query = query.where(FairEmployer.id == booth.id)
    return query


def get_visible(user: User, interest_id: int) -> Interest:
    """An interest the contact may see: at their employer's booth and with its consent standing."""
    interest = get_or_not_found(Interest, interest_id, _l("No such candidate."))
    if (interest.employer.organisation_id not in organisation_ids_of(user)
            or interest.status != InterestStatus.SHARED.value):
        raise NotFound(_l("No such candidate."))
    return interest


def mobile_shown(interest: Interest, standings: dict | None = None) -> str:
    """The number as the employer may see it (consent.py: in full only when the consent includes it).
    `standings`: consent.standing_of() the list the interest is in, when the caller read it."""
    allowed = (consent.mobile_allowed(interest) if standings is None
               else consent.mobile_allowed(interest, standings[interest.id]))
    return interest.user.mobile or "" if allowed else mask_phone(interest.user.mobile)


def outcome_of(interest: Interest) -> str:
    return interest.outcome.status if interest.outcome is not None else Outcome.NONE.value


def audit_view(user: User, interests: list[Interest], where: str, standings: dict | None = None) -> None:
    """Full mobile numbers shown: whose, to whom, where. `standings`: as for mobile_shown()."""
    standings = consent.standing_of(interests) if standings is None else standings
    full = [i.id for i in interests if consent.mobile_allowed(i, standings[i.id])]
    if full:
        audit.record(user, "jobfair.interests_view", None, where=where, interests=full)


def mark(user: User, interest: Interest, outcome: str, note: str = "") -> InterestOutcome:
    """Move the candidate to `outcome` (interviewed, offer, hired or not_suitable)."""
    if outcome not in {o.value for o in Outcome} - {Outcome.NONE.value}:
        raise InvalidInput(fields={"outcome": _l("Choose interviewed, offer, hired or not suitable.")})
    if len(note or "") > 300:
        raise InvalidInput(fields={"note": _l("At most 300 characters.")})
    lock_objects(interest, refresh=["status"])
    interest = get_visible(user, interest.id)  # a consent withdrawn meanwhile ends the employer's access
    # Read under the lock, not from the loaded relationship: another contact may have marked first.
    row = db.session.scalar(sa.select(InterestOutcome).where(InterestOutcome.interest_id == interest.id))
    if row is not None:
        db.session.refresh(row, ["status"])
    else:
        row = InterestOutcome(interest=interest, status=None)
        row.transition(Outcome.NONE, actor=user)
    if not row.can_become(outcome):
        raise Conflict(_l("%(from)s cannot become %(to)s.", **{"from": Outcome.label_of(row.status),
                                                              "to": Outcome.label_of(outcome)}),
                       code="bad_transition")
    row.transition(outcome, actor=user, note=(note or "").strip())
    row.updated_at = utcnow()
    audit.record(user, "jobfair.outcome", interest, outcome=outcome)
    return row


def cv_file(user: User, interest: Interest) -> str:
    """The stored name of the CV shared with this employer; the view is audited."""
    interest = get_visible(user, interest.id)
    if not private_files.exists(interest.cv_file):
        raise NotFound(_l("No CV was shared."))
    audit.record(user, "jobfair.cv_view", interest)
    return interest.cv_file
