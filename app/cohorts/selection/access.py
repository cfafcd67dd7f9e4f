"""Applications: statuses and their history, errors, who may run/review/see a cycle's
applications, reading them, and the mail to the applicant."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.cohorts.camps import services as cohorts
from app.cohorts.camps.models import Cohort, Cycle, Enrolment, Programme, ProgrammeKind, Tier
from app.cohorts.models import Application, ApplicationHistory, ApplicationStatus
from app.errors import Conflict, NotFound, PermissionDenied
from app.extensions import db
from app.lookups import get_or_not_found
from app.notifications.services import notify


SUBMITTED = ApplicationStatus.SUBMITTED.value
ADMITTED = ApplicationStatus.ADMITTED.value
WAITLISTED = ApplicationStatus.WAITLISTED.value
REJECTED = ApplicationStatus.REJECTED.value
WITHDRAWN = ApplicationStatus.WITHDRAWN.value
DECISIONS = (ADMITTED, WAITLISTED, REJECTED)

BUSINESS_PLAN_MIN, BUSINESS_PLAN_MAX = 50, 3000
EARLIEST_FOUNDING = date(1980, 1, 1)


class ApplicationsClosed(Conflict):
    code = "applications_closed"


class AlreadyApplied(Conflict):
    code = "already_applied"


class NotEnoughPlaces(Conflict):
    code = "not_enough_places"



# -- permissions ---------------------------------------------------------------------------
def _is_user(user) -> bool:
    return bool(user and getattr(user, "is_authenticated", False))


def can_run(user, cycle: Cycle) -> bool:
    return cohorts.can_run(user, cycle.programme)


def can_review(user, cycle: Cycle) -> bool:
    """Those who run the programme, and the trainers of any cohort of the cycle."""
    if not _is_user(user):
        return False
    if can_run(user, cycle):
        return True
    return user.has_role("trainer") and any(t.id == user.id for c in cycle.cohorts for t in c.trainers)


def require_review(user, cycle: Cycle) -> None:
    if not can_review(user, cycle):
        raise PermissionDenied(_l("You are not a reviewer of this cycle."))


def can_see(user, application: Application) -> bool:
    return _is_user(user) and (application.user_id == user.id or can_review(user, application.cycle))


def require_see(user, application: Application) -> None:
    if not can_see(user, application):
        raise PermissionDenied()


def cycles_for(user: User) -> list[Cycle]:
    """Cycles of camp-like programmes whose applications this user may review, newest first."""
    # can_review reads each cycle's programme, and a trainer's its cohorts' trainers: loaded with the cycles
    found = db.session.scalars(sa.select(Cycle).order_by(Cycle.starts_on.desc(), Cycle.id.desc()).options(
        selectinload(Cycle.programme), selectinload(Cycle.cohorts).selectinload(Cohort.trainers))).all()
    return [c for c in found if can_review(user, c)]


# -- reading -------------------------------------------------------------------------------
def get_application(application_id: int) -> Application:
    return get_or_not_found(Application, application_id, _l("No such application."))


def application_of(user: User, cycle: Cycle) -> Application | None:
    return db.session.scalar(sa.select(Application).where(Application.cycle_id == cycle.id,
                                                          Application.user_id == user.id))


def my_applications(user: User) -> list[Application]:
    return list(db.session.scalars(sa.select(Application).where(Application.user_id == user.id)
                                   .options(selectinload(Application.cycle), selectinload(Application.tier))
                                   .order_by(Application.submitted_at.desc())))


def enrolment_for(application: Application) -> Enrolment | None:
    return db.session.scalar(sa.select(Enrolment).where(Enrolment.application_id == application.id))


def enrolments_for(chosen: list[Application]) -> dict[int, Enrolment | None]:
    """enrolment_for of each application (by application id), with its cohort, in one query."""
    found: dict[int, Enrolment | None] = {a.id: None for a in chosen}
    for enrolment in db.session.scalars(sa.select(Enrolment).where(Enrolment.application_id.in_(list(found) or [-1]))
                                        .options(joinedload(Enrolment.cohort))):
        found[enrolment.application_id] = enrolment
    return found


def open_cycles() -> list[Cycle]:
    """Cycles of the entrepreneurship camps, those taking applications first."""

    found = db.session.scalars(sa.select(Cycle).join(Programme).where(Programme.kind == ProgrammeKind.CAMP.value)
                               .order_by(Cycle.starts_on.desc(), Cycle.id.desc())).all()
    return sorted(found, key=lambda c: not c.applications_open())


def tiers_for(cycle: Cycle) -> list[Tier]:
    """The tiers one may apply for: those with a cohort in the cycle (all of the programme's
    tiers while no cohort is set up yet)."""
    with_cohort = {c.tier_id for c in cycle.cohorts}
    tiers = list(cycle.programme.tiers)
    return [t for t in tiers if t.id in with_cohort] if with_cohort else tiers


def tier_of(cycle: Cycle, tier_id) -> Tier | None:
    """The programme's tier chosen on the form (None for one it does not have)."""
    return next((t for t in cycle.programme.tiers if t.id == tier_id), None)


def cohort_for(cycle: Cycle, tier_id: int) -> Cohort | None:
    return next((c for c in cycle.cohorts if c.tier_id == tier_id), None)


def places_left(cohort: Cohort) -> int:
    return max(cohort.capacity - cohorts.enrolled_count(cohort), 0)


def applications(cycle: Cycle, *, tier_id: int | None = None, status: str | None = None,
                 q: str | None = None) -> list[Application]:
    return list(db.session.scalars(applications_query(cycle, tier_id=tier_id, status=status, q=q)))


def applications_query(cycle: Cycle, *, tier_id: int | None = None, status: str | None = None,
                       q: str | None = None) -> sa.Select:
    """The cycle's applications (of a tier, in a status, matching `q`) in order of submission, as
    a query: the console list reads a page of it."""
    query = sa.select(Application).where(Application.cycle_id == cycle.id)
    if tier_id:
        query = query.where(Application.tier_id == tier_id)
    if status:
        query = query.where(Application.status == status)
    if q and q.strip():
        like = f"%{q.strip()}%"
        query = query.where(sa.or_(Application.name.ilike(like), Application.company_name.ilike(like),
                                   Application.mobile.like(like), Application.uscc.ilike(like)))
    return query.options(selectinload(Application.tier)).order_by(Application.submitted_at, Application.id)


def applications_by_id(cycle: Cycle, ids: list[int]) -> list[Application]:
    """The applications of `cycle` among `ids`, in their order (ids of other cycles or of none left out)."""
    found = {a.id: a for a in db.session.scalars(sa.select(Application).where(Application.cycle_id == cycle.id,
                                                                           Application.id.in_(ids or [-1])))}
    return [found[i] for i in ids if i in found]


def status_counts(cycle: Cycle, tier_id: int | None = None) -> dict[str, int]:
    query = sa.select(Application.status, sa.func.count()).where(Application.cycle_id == cycle.id)
    if tier_id:
        query = query.where(Application.tier_id == tier_id)
    counts = {s.value: 0 for s in ApplicationStatus}
    counts.update(dict(db.session.execute(query.group_by(Application.status)).all()))
    return counts


def status_counts_of(cycles: list[Cycle]) -> dict[int, dict[str, int]]:
    """status_counts of each cycle (by cycle id), in one grouped count."""
    counts = {c.id: {s.value: 0 for s in ApplicationStatus} for c in cycles}
    rows = db.session.execute(sa.select(Application.cycle_id, Application.status, sa.func.count())
                              .where(Application.cycle_id.in_(list(counts) or [-1]))
                              .group_by(Application.cycle_id, Application.status))
    for cycle_id, status, n in rows:
        counts[cycle_id][status] = n
    return counts




def notify_applicant(application: Application, kind: str, subject, registration=None, **params) -> None:
    """Queue a mail to the applicant; an admitted founder's links to their cohort registration
    (its ticket is their QR credential for lessons)."""
    cycle = application.cycle
    notify(application.user, kind, subject, kind, registration=registration, application_id=application.id,
           programme=cycle.programme.name, cycle=cycle.name, tier=application.tier.name,
           company=application.company_name, **params)


def history(application: Application) -> list[ApplicationHistory]:
    return list(db.session.scalars(sa.select(ApplicationHistory)
                                   .where(ApplicationHistory.application_id == application.id)
                                   .order_by(ApplicationHistory.id)))
