"""A fair's employers and their positions, kept by organisers of the fair event's department (and
admins): an employer from the registry joins with a booth number (unique per fair) and gets its
booth code; positions are added one by one or from a sheet (sheets.py)."""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User, organises
from app.audit import services as audit
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.events.models import Event, EventStatus
from app.extensions import db
from app.jobfairs.models import FAIR_KINDS, Education, FairEmployer, Position
from app.lookups import get_or_not_found
from app.organisations.models import Organisation, OrganisationKind

EMPLOYER_KINDS = (OrganisationKind.COMPANY.value, OrganisationKind.HOST_COMPANY.value, OrganisationKind.AGENCY.value)


def get_fair(event_id: int) -> Event:
    event = get_or_not_found(Event, event_id, _l("No such job fair."))
    if event.kind not in FAIR_KINDS:
        raise NotFound(_l("No such job fair."))
    return event


def get_shown_fair(event_id: int) -> Event:
    """A fair as the public may see it: a draft or cancelled one is as absent as a missing one."""
    event = get_fair(event_id)
    if not is_public(event):
        raise NotFound(_l("No such job fair."))
    return event


def require_run(user: User | None, event: Event) -> None:
    if not organises(user, event.department_id):
        raise PermissionDenied(_l("Only organisers of the fair's department can do this."))


def is_public(event: Event) -> bool:
    return event.status == EventStatus.PUBLISHED.value


def fairs_for(user: User) -> list[Event]:
    """The fairs a member of staff runs (an admin: all), newest first."""
    query = sa.select(Event).where(Event.kind.in_(FAIR_KINDS)).order_by(Event.starts_at.desc(), Event.id.desc())
    if not user.is_admin:
        query = query.where(Event.department_id.in_(user.department_ids or [-1]))
    return list(db.session.scalars(query))


def employers_of(event: Event) -> list[FairEmployer]:
    # the fair's pages and the API show each booth's employer and positions
    return list(db.session.scalars(sa.select(FairEmployer).where(FairEmployer.event_id == event.id)
                                   .options(joinedload(FairEmployer.organisation), selectinload(FairEmployer.positions))
                                   .order_by(FairEmployer.booth, FairEmployer.id)))


def get_employer(fair_employer_id: int, event: Event | None = None) -> FairEmployer:
    employer = get_or_not_found(FairEmployer, fair_employer_id, _l("No such employer at this fair."))
    if event is not None and employer.event_id != event.id:
        raise NotFound(_l("No such employer at this fair."))
    return employer


def booth_by_code(code: str) -> FairEmployer:
    """The booth a scanned code names (only of a published fair): anything else is as absent."""
    code = (code or "")[:64]
    booth = db.session.scalar(sa.select(FairEmployer).where(FairEmployer.booth_code == code)) if code else None
    if booth is None or not is_public(booth.event):
        raise NotFound(_l("This booth code is not valid."))
    return booth


def _booth_errors(booth: str) -> dict:
    booth = (booth or "").strip()
    if not booth or len(booth) > 20 or "\x00" in booth:
        return {"booth": _l("Give the booth number (at most 20 characters).")}
    return {}


def add_employer(actor: User, event: Event, organisation: Organisation | None, booth: str) -> FairEmployer:
    require_run(actor, event)
    errors = _booth_errors(booth)
    if organisation is None or organisation.merged or organisation.kind not in EMPLOYER_KINDS:
        errors["organisation"] = _l("Choose an employer from the register.")
    if errors:
        raise InvalidInput(fields=errors)
    booth = booth.strip()
    taken = db.session.scalar(sa.select(FairEmployer).where(FairEmployer.event_id == event.id, sa.or_(
        FairEmployer.booth == booth, FairEmployer.organisation_id == organisation.id)))
    if taken is not None:
        raise Conflict(_l("Booth %(booth)s or this employer is at the fair already.", booth=booth),
                       code="booth_taken")
    employer = FairEmployer(event=event, organisation=organisation, booth=booth, booth_code=secrets.token_urlsafe(24))
    db.session.add(employer)
    db.session.flush()
    audit.record(actor, "jobfair.employer_add", event, employer=organisation.id, booth=booth)
    return employer


def position_errors(*, title, openings, education, major, salary_min, salary_max, location) -> dict:
    """What is wrong with a position's values (the form's and the sheet's rows alike)."""
    errors = {}
    if not isinstance(title, str) or not title.strip() or len(title) > 120:
        errors["title"] = _l("Name the position (at most 120 characters).")
    if not isinstance(openings, int) or isinstance(openings, bool) or not 1 <= openings <= 10_000:
        errors["openings"] = _l("A whole number from %(low)s to %(high)s.", low=1, high=10_000)
    if education not in {e.value for e in Education}:
        errors["education"] = _l("Choose the education required.")
    for key, value in (("salary_min", salary_min), ("salary_max", salary_max)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 1_000_000):
            errors[key] = _l("A monthly salary in yuan from %(low)s to %(high)s.", low=0, high=1_000_000)
    if "salary_min" not in errors and "salary_max" not in errors and salary_min is not None \
            and salary_max is not None and salary_max < salary_min:
        errors["salary_max"] = _l("The top of the range is at least its bottom.")
    for key, value in (("major", major), ("location", location)):
        if not isinstance(value, str) or len(value) > 120:
            errors[key] = _l("At most 120 characters.")
    return errors


def add_position(actor: User, employer: FairEmployer, *, title: str, openings: int, education: str = "any",
                 major: str = "", salary_min: int | None = None, salary_max: int | None = None,
                 location: str = "") -> Position:
    require_run(actor, employer.event)
    values = dict(title=title, openings=openings, education=education or Education.ANY.value, major=major or "",
                  salary_min=salary_min, salary_max=salary_max, location=location or "")
    errors = position_errors(**values)
    if errors:
        raise InvalidInput(fields=errors)
    position = Position(employer=employer, **dict(values, title=title.strip(), major=values["major"].strip(),
                                                  location=values["location"].strip()))
    db.session.add(position)
    db.session.flush()
    audit.record(actor, "jobfair.position_add", employer.event, position=position.id, employer=employer.organisation_id)
    return position
