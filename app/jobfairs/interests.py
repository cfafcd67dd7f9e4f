"""The job seeker's side of 扫码投递: open a booth's code (a visit), choose some of its positions,
share a short profile (their own copy, prefilled from the account) and an optional CV with that
employer by consent; see and withdraw it under "my job fair applications". A booth's volunteer
(a contact of the employer) may scan the seeker's event ticket instead: that makes a pending
interest the seeker confirms with consent on their phone; the employer sees nothing until then."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.audit import services as audit
from app.errors import Conflict, InvalidInput, NotFound
from app.extensions import db
from app.jobfairs import consent
from app.jobfairs.models import BoothVisit, Education, FairEmployer, Interest, InterestStatus, Position
from app.locking import lock_objects
from app.lookups import get_or_not_found
from app.organisations.models import Organisation, OrganisationKind, OrganisationStatus
from app.organisations.names import normalise_name
from app import private_files
from app.private_files import read_pdf, store_pdf


@dataclass
class Profile:
    """What the seeker shares (typed on the booth's form)."""
    name: str
    education: str
    school: str
    major: str


def profile_errors(profile: Profile) -> dict:
    errors = {}
    if not (profile.name or "").strip() or len(profile.name) > 60:
        errors["name"] = _l("Give your name (at most 60 characters).")
    if profile.education not in {e.value for e in Education if e is not Education.ANY}:
        errors["education"] = _l("Choose your education.")
    for key in ("school", "major"):
        if len(getattr(profile, key) or "") > 120:
            errors[key] = _l("At most 120 characters.")
    return errors


def read_cv(storage, errors: dict) -> bytes | None:
    return read_pdf(storage, errors, field="cv", limit=current_app.config["MAX_CV_BYTES"],
                    too_large=lambda mb: _l("The CV is larger than %(mb)s MB.", mb=mb),
                    not_pdf=_l("The CV must be a PDF file."))


def university_named(school: str) -> Organisation | None:
    """The registry's university the typed school name is, when exactly one active one is."""
    key = normalise_name(school)
    if not key:
        return None
    found = list(db.session.scalars(sa.select(Organisation).where(
        Organisation.kind == OrganisationKind.UNIVERSITY.value, Organisation.status == OrganisationStatus.ACTIVE.value,
        Organisation.name_key == key).limit(2)))
    return found[0] if len(found) == 1 else None


def record_visit(user: User, booth: FairEmployer) -> None:
    """The person opened the booth's code (counted as a visitor of the fair); once per booth."""
    if db.session.scalar(sa.select(BoothVisit.id).where(BoothVisit.fair_employer_id == booth.id,
                                                        BoothVisit.user_id == user.id)):
        return
    try:
        with db.session.begin_nested():
            db.session.add(BoothVisit(fair_employer_id=booth.id, user_id=user.id))
    except IntegrityError:
        pass  # the same person's other tab counted them already


def interest_of(user: User, booth: FairEmployer) -> Interest | None:
    return db.session.scalar(sa.select(Interest).where(Interest.fair_employer_id == booth.id,
                                                       Interest.user_id == user.id))


def default_profile(user: User) -> Profile:
    """The form's first values: the seeker's latest shared profile, else their account's name."""
    last = db.session.scalar(sa.select(Interest).where(Interest.user_id == user.id)
                             .order_by(Interest.id.desc()).limit(1))
    if last is not None:
        return Profile(name=last.name, education=last.education, school=last.school, major=last.major)
    return Profile(name=user.name, education="", school="", major="")


def _positions(booth: FairEmployer, position_ids) -> list[Position]:
    wanted = {int(i) for i in position_ids or () if isinstance(i, int) or str(i).isdigit() and len(str(i)) < 10}
    chosen = [p for p in booth.positions if p.id in wanted]
    if not chosen or len(chosen) != len(wanted):
        raise InvalidInput(fields={"positions": _l("Choose one or more of this booth's positions.")})
    return chosen


def share(user: User, booth: FairEmployer, *, position_ids, profile: Profile, agreed: bool,
          include_mobile: bool = False, cv: bytes | None = None, interest: Interest | None = None) -> Interest:
    """Express interest in the booth's positions with the profile, by consent (refused without it);
    a second time changes the positions and profile and renews the consent. `interest`: a pending
    one (the volunteer's scan) being confirmed."""
    errors = profile_errors(profile)
    if not agreed:
        errors["consent"] = _l("Tick the consent to share your profile with %(employer)s, or nothing is sent.",
                               employer=booth.organisation.name)
    if errors:
        raise InvalidInput(fields=errors)
    chosen = _positions(booth, position_ids)
    interest = interest or interest_of(user, booth)
    if interest is None:
        interest = Interest(employer=booth, user_id=user.id, status=None)
        try:
            with db.session.begin_nested():
                interest.transition(InterestStatus.SHARED, actor=user)
        except IntegrityError:
            raise Conflict(_l("You sent this already: see your job fair applications."),
                           code="already_shared") from None
    else:
        if interest.user_id != user.id or interest.fair_employer_id != booth.id:
            raise NotFound(_l("No such application."))
        lock_objects(interest, refresh=["status"])
        if interest.status != InterestStatus.SHARED.value:
            interest.transition(InterestStatus.SHARED, actor=user)
    interest.name, interest.education = profile.name.strip(), profile.education
    interest.school, interest.major = (profile.school or "").strip(), (profile.major or "").strip()
    interest.university_id = getattr(university_named(interest.school), "id", None)
    interest.positions = chosen
    if cv is not None:
        interest.cv_file = store_pdf(cv)
    db.session.flush()
    given = consent.give(interest, includes_mobile=include_mobile)
    db.session.flush()
    audit.record(user, "jobfair.consent_give", interest, consent=given.id, employer=booth.organisation_id,
                 version=given.wording_version, mobile=given.includes_mobile)
    return interest


def my_interests(user: User) -> list[Interest]:
    # the seeker's page shows each one's company, fair and positions
    booth = joinedload(Interest.employer)
    return list(db.session.scalars(sa.select(Interest).where(Interest.user_id == user.id)
                                   .order_by(Interest.id.desc())
                                   .options(booth.joinedload(FairEmployer.organisation),
                                            booth.joinedload(FairEmployer.event), selectinload(Interest.positions))))


def get_own(user: User, interest_id: int) -> Interest:
    interest = get_or_not_found(Interest, interest_id, _l("No such application."))
    if interest.user_id != getattr(user, "id", None):
        raise NotFound(_l("No such application."))  # someone else's is as absent as a missing one
    return interest


def withdraw(user: User, interest: Interest) -> Interest:
    """Withdraw the consent: the employer sees nothing of the seeker from now on, and the CV is
    deleted (a new consent asks for it again)."""
    if interest.user_id != user.id:
        raise NotFound(_l("No such application."))
    lock_objects(interest, refresh=["status"])
    if interest.status == InterestStatus.WITHDRAWN.value:
        raise Conflict(_l("You withdrew this consent already."), code="already_withdrawn")
    interest.transition(InterestStatus.WITHDRAWN, actor=user)
    ended = consent.end(interest)
    private_files.delete(interest.cv_file)
    interest.cv_file = None
    audit.record(user, "jobfair.consent_withdraw", interest, consent=getattr(ended, "id", None),
                 employer=interest.employer.organisation_id)
    return interest


def get_pending(user: User, interest_id: int) -> Interest:
    interest = get_own(user, interest_id)
    if interest.status != InterestStatus.PENDING.value:
        raise NotFound(_l("No such application."))
    return interest
