"""Consent to share a profile with one employer at one fair: given explicitly on the form whose
text names the employer, stored as a row (who, which employer and fair, when, the wording's
version, whether the mobile number is included), and withdrawable at any time. Only an interest
whose consent stands is `shared`; the employer's portal, export and API show nothing else.

The mobile rule: the consent form has a second, separate box, "also show my mobile number to
<employer>"; with it the employer sees the number in full (each view audited), without it the
employer sees it masked (138****5678) and must reach the seeker another way (the bureau)."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.jobfairs.models import CONSENT_VERSION, Consent, Interest
from app.timeutil import utcnow


def wording(employer_name: str, event_title: str):
    """The sentence the seeker ticks (its version is CONSENT_VERSION)."""
    return _l("I agree that %(employer)s sees the profile above, my CV if I attached one, and the positions I "
              "chose, for recruiting at “%(fair)s”. I can withdraw this consent at any time under "
              "“My job fair applications”; the employer then sees nothing of me.",
              employer=employer_name, fair=event_title)


def mobile_wording(employer_name: str):
    return _l("Also show my mobile number in full to %(employer)s (otherwise they see it masked).",
              employer=employer_name)


def current(interest: Interest) -> Consent | None:
    """The consent that stands for the interest, if any."""
    if interest.id is None:
        return None
    return db.session.scalar(sa.select(Consent).where(Consent.interest_id == interest.id,
                                                      Consent.withdrawn_at.is_(None))
                             .order_by(Consent.id.desc()).limit(1))


def standing_of(interests: list[Interest]) -> dict[int, Consent | None]:
    """current() of each interest (by interest id), in one query: for the lists of candidates."""
    found: dict[int, Consent | None] = {i.id: None for i in interests}
    for row in db.session.scalars(sa.select(Consent).where(Consent.interest_id.in_(list(found) or [-1]),
                                                           Consent.withdrawn_at.is_(None)).order_by(Consent.id)):
        found[row.interest_id] = row  # the newest standing one, as current() picks
    return found


_UNREAD = object()  # mobile_allowed() reads the standing consent itself unless given (None included)


def history(interest: Interest) -> list[Consent]:
    return list(db.session.scalars(sa.select(Consent).where(Consent.interest_id == interest.id).order_by(Consent.id)))


def give(interest: Interest, *, includes_mobile: bool) -> Consent:
    """A new consent row; one that stood before is ended first (each row is what was agreed then)."""
    end(interest)
    consent = Consent(interest_id=interest.id, user_id=interest.user_id,
                      organisation_id=interest.employer.organisation_id, event_id=interest.employer.event_id,
                      wording_version=CONSENT_VERSION, includes_mobile=bool(includes_mobile), given_at=utcnow())
    db.session.add(consent)
    return consent


def end(interest: Interest) -> Consent | None:
    standing = current(interest)
    if standing is not None:
        standing.withdrawn_at = utcnow()
    return standing


def mobile_allowed(interest: Interest, standing=_UNREAD) -> bool:
    """`standing`: the interest's current() consent, when the caller read it with standing_of()."""
    if standing is _UNREAD:
        standing = current(interest)
    return bool(standing is not None and standing.includes_mobile and interest.status == "shared")
