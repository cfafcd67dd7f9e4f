"""Camps and cycles: programmes and tiers (data), cycles, cohorts with their trainers, enrolment.

Who may do what: organisers of the programme's department (and admins) run cycles and cohorts;
a trainer sees and grades only the cohorts they are a trainer of (`can_teach`). A cohort is an
occasion (app.occasions): enrolling seats the founder on its event. Lessons and attendance live
in app.cohorts.lessons, applications and selection in app.cohorts.selection, grades and results in
app.cohorts.grading.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import Department, Role, User, UserRole, organises
from app.accounts.services import ensure_departments, find_by_mobile
from app.audit import services as audit
from app.cohorts.camps.catalogue import PROGRAMMES
from app.cohorts.camps.models import (
    DEFAULT_RULES,
    AttendanceBasis,
    Cohort,
    Cycle,
    Enrolment,
    EnrolmentStatus,
    Programme,
    Tier,
    cohort_trainers,
)
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.events.models import EventKind
from app.extensions import db
from app.lookups import get_or_not_found
from app.occasions import services as occasions
from app.organisations.linking import resolve_id
from app.timeutil import LOCAL_TZ, utcnow


# -- programmes and tiers (data) ---------------------------------------------------------------
def ensure_programmes() -> list[Programme]:
    """Create the catalogue's programmes and tiers that do not exist yet (idempotent)."""
    ensure_departments()
    departments = {d.code: d for d in db.session.scalars(sa.select(Department))}
    existing = {p.code: p for p in db.session.scalars(sa.select(Programme))}
    for spec in PROGRAMMES:
        programme = existing.get(spec["code"])
        if programme is None:
            programme = Programme(code=spec["code"], name=spec["name"], kind=spec["kind"],
                                  department=departments[spec["department"]], description=spec["description"])
            db.session.add(programme)
            existing[spec["code"]] = programme
        have = {t.code for t in programme.tiers}
        for tier in spec["tiers"]:
            if tier["code"] not in have:
                programme.tiers.append(Tier(code=tier["code"], name=tier["name"], rank=tier["rank"],
                                            description=tier.get("description", ""),
                                            default_capacity=tier["default_capacity"],
                                            rules=dict(DEFAULT_RULES) | tier.get("rules", {})))
    db.session.flush()
    return list(existing.values())


def programmes_run_by(user: User) -> list[Programme]:
    return [p for p in db.session.scalars(sa.select(Programme).order_by(Programme.id)) if can_run(user, p)]


def trainer_accounts() -> list[User]:
    """Everyone with the trainer role, by name: whom an organiser can put on a cohort."""
    return list(db.session.scalars(sa.select(User).join(UserRole).where(UserRole.role == Role.TRAINER.value)
                                   .order_by(User.name)))


def get_programme(code: str) -> Programme:
    programme = db.session.scalar(sa.select(Programme).where(Programme.code == code))
    if programme is None:
        raise NotFound(_l("No such programme."))
    return programme


def next_tier(tier: Tier) -> Tier | None:
    return db.session.scalar(sa.select(Tier).where(Tier.programme_id == tier.programme_id, Tier.rank > tier.rank)
                             .order_by(Tier.rank).limit(1))


# -- permissions ---------------------------------------------------------------------------
def can_run(user: User | None, programme: Programme) -> bool:
    return organises(user, programme.department_id)


def require_run(user: User, programme: Programme) -> None:
    if not can_run(user, programme):
        raise PermissionDenied(_l("Only organisers of %(dept)s can do this.", dept=programme.department.name))


def can_teach(user: User | None, cohort: Cohort) -> bool:
    """Trainers of the cohort, and those who run its programme."""
    if not user or not getattr(user, "is_authenticated", False):
        return False
    return can_run(user, cohort.cycle.programme) or any(t.id == user.id for t in cohort.trainers)


def require_teach(user: User, cohort: Cohort) -> None:
    if not can_teach(user, cohort):
        raise PermissionDenied(_l("You are not a trainer of this cohort."))


def cohorts_for(user: User) -> list[Cohort]:
    """The cohorts a user may open in the console: all of the programmes they run, and those
    they train (a trainer sees only their own)."""
    query = sa.select(Cohort).join(Cycle).join(Programme).order_by(Cycle.starts_on.desc(), Cohort.tier_id)
    if not user.is_admin:
        trains = sa.exists().where(cohort_trainers.c.cohort_id == Cohort.id, cohort_trainers.c.user_id == user.id)
        runs = Programme.department_id.in_(user.department_ids or [-1]) if user.has_role("organiser") else sa.false()
        query = query.where(sa.or_(runs, trains))
    # the console's list shows each cohort's cycle, programme, tier and trainers
    return list(db.session.scalars(query.options(
        joinedload(Cohort.cycle).joinedload(Cycle.programme), joinedload(Cohort.tier), selectinload(Cohort.trainers))))


# -- cycles -------------------------------------------------------------------------------
def create_cycle(actor: User, programme: Programme, *, name: str, starts_on: date, ends_on: date, intake: int = 60,
                 applications_open_at: datetime | None = None,
                 applications_close_at: datetime | None = None) -> Cycle:
    require_run(actor, programme)
    errors = {}
    name = (name or "").strip()
    if not name or len(name) > 40:
        errors["name"] = _l("Give the cycle a name such as 2026–2027.")
    elif db.session.scalar(sa.select(Cycle.id).where(Cycle.programme_id == programme.id, Cycle.name == name)):
        errors["name"] = _l("This programme already has a cycle of that name.")
    if not starts_on or not ends_on or ends_on <= starts_on:
        errors["ends_on"] = _l("The cycle must end after it starts.")
    if not isinstance(intake, int) or not 1 <= intake <= 5000:
        errors["intake"] = _l("The intake is a whole number from 1 to 5000.")
    if applications_open_at and applications_close_at and applications_close_at <= applications_open_at:
        errors["applications_close_at"] = _l("Applications must close after they open.")
    if errors:
        raise InvalidInput(fields=errors)
    cycle = Cycle(programme=programme, name=name, starts_on=starts_on, ends_on=ends_on, intake=intake,
                  applications_open_at=applications_open_at, applications_close_at=applications_close_at)
    db.session.add(cycle)
    db.session.flush()
    audit.record(actor, "cycle.create", cycle, programme=programme.code, name=name, intake=intake)
    return cycle


def get_cycle(cycle_id: int) -> Cycle:
    return get_or_not_found(Cycle, cycle_id, _l("No such cycle."))


# -- cohorts ------------------------------------------------------------------------------
def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=LOCAL_TZ)


def create_cohort(actor: User, cycle: Cycle, tier: Tier, *, capacity: int | None = None, name: str = "",
                  venue: str = "", starts_on: date | None = None, ends_on: date | None = None,
                  trainers: list[User] = (), attendance_basis: str = AttendanceBasis.HELD.value,
                  late_after_minutes: int = 10) -> Cohort:
    """A cohort of `tier` in `cycle`, on an invitation-only event that carries its lessons and
    check-ins. The capacities of a cycle's cohorts may not add up to more than its intake."""
    programme = cycle.programme
    require_run(actor, programme)
    capacity = tier.default_capacity if capacity is None else capacity
    starts_on, ends_on = starts_on or cycle.starts_on, ends_on or cycle.ends_on
    errors = {}
    if tier.programme_id != programme.id:
        errors["tier_id"] = _l("That tier belongs to another programme.")
    taken = sum(c.capacity for c in cycle.cohorts)
    if not isinstance(capacity, int) or capacity < 1:
        errors["capacity"] = _l("Capacity is a whole number of at least 1.")
    elif taken + capacity > cycle.intake:
        errors["capacity"] = _l("The cycle's intake is %(intake)s and its cohorts already take %(taken)s.",
                                intake=cycle.intake, taken=taken)
    if ends_on < starts_on:
        errors["ends_on"] = _l("The cohort must end after it starts.")
    if attendance_basis not in {b.value for b in AttendanceBasis}:
        errors["attendance_basis"] = _l("Choose how the attendance rate is counted.")
    if not isinstance(late_after_minutes, int) or not 0 <= late_after_minutes <= 240:
        errors["late_after_minutes"] = _l("The grace period is 0 to 240 minutes.")
    not_trainers = [t.name for t in trainers if not t.has_role("trainer")]
    if not_trainers:
        errors["trainers"] = _l("Not trainers: %(names)s.", names="、".join(not_trainers))
    if errors:
        raise InvalidInput(fields=errors)
    name = (name or "").strip() or f"{cycle.name} {tier.name}"
    event = occasions.open_occasion(
        actor, title=name[:200], kind=EventKind.TRAINING.value, department_id=programme.department_id,
        venue=venue or "—", starts_at=_day_start(starts_on), ends_at=_day_start(ends_on) + timedelta(hours=9),
        description=tier.description, capacity=capacity)
    cohort = Cohort(cycle=cycle, tier=tier, event=event, name=name[:120], capacity=capacity, venue=venue,
                    starts_on=starts_on, ends_on=ends_on, trainers=list(trainers), rules=dict(tier.rules),
                    attendance_basis=attendance_basis, late_after_minutes=late_after_minutes)
    db.session.add(cohort)
    db.session.flush()
    audit.record(actor, "cohort.create", cohort, cycle=cycle.id, tier=tier.code, capacity=capacity)
    return cohort


def get_cohort(cohort_id: int) -> Cohort:
    return get_or_not_found(Cohort, cohort_id, _l("No such cohort."))


def taught_cohort(user: User, cohort_id: int) -> Cohort:
    """The cohort, for one of its trainers or those who run its programme."""
    cohort = get_cohort(cohort_id)
    require_teach(user, cohort)
    return cohort


def set_trainers(actor: User, cohort: Cohort, trainers: list[User]) -> Cohort:
    require_run(actor, cohort.cycle.programme)
    not_trainers = [t.name for t in trainers if not t.has_role("trainer")]
    if not_trainers:
        raise InvalidInput(fields={"trainers": _l("Not trainers: %(names)s.", names="、".join(not_trainers))})
    cohort.trainers = list(trainers)
    audit.record(actor, "cohort.trainers", cohort, trainers=[t.id for t in trainers])
    return cohort


def active_enrolments(cohort: Cohort) -> list[Enrolment]:
    """The founders in the cohort, each with their account (every page and export of the cohort
    shows their names: one join, not a read per founder)."""
    return list(db.session.scalars(sa.select(Enrolment).where(
        Enrolment.cohort_id == cohort.id, Enrolment.status == EnrolmentStatus.ENROLLED.value)
        .options(joinedload(Enrolment.user)).order_by(Enrolment.id)))


def enrolled_counts(chosen: list[Cohort]) -> dict[int, int]:
    """Each cohort's enrolled founders (by cohort id), in one grouped count."""
    found = dict(db.session.execute(
        sa.select(Enrolment.cohort_id, sa.func.count()).where(
            Enrolment.cohort_id.in_([c.id for c in chosen] or [-1]),
            Enrolment.status == EnrolmentStatus.ENROLLED.value).group_by(Enrolment.cohort_id)).all())
    return {c.id: found.get(c.id, 0) for c in chosen}


def enrolled_count(cohort: Cohort) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment).where(
        Enrolment.cohort_id == cohort.id, Enrolment.status == EnrolmentStatus.ENROLLED.value)) or 0


# -- enrolment ----------------------------------------------------------------------------
class CohortFull(Conflict):
    code = "cohort_full"


class AlreadyInCycle(Conflict):
    code = "already_in_cycle"


def enrol(actor: User, cohort: Cohort, user: User, *, company: str = "") -> Enrolment:
    """Put `user` in `cohort`: a confirmed registration of the cohort's event (their QR
    credential) and an enrolment. Under the event's lock, so two organisers admitting at once
    cannot overfill it; one cohort per person per cycle (unique key)."""
    require_run(actor, cohort.cycle.programme)
    occasions.lock(cohort.event)
    existing = db.session.scalar(sa.select(Enrolment).where(Enrolment.cycle_id == cohort.cycle_id,
                                                            Enrolment.user_id == user.id))
    if existing is not None and existing.active:
        if existing.cohort_id == cohort.id:
            return existing
        raise AlreadyInCycle(_l("%(name)s is already in %(cohort)s of this cycle.", name=user.name,
                                cohort=existing.cohort.name))
    if enrolled_count(cohort) >= cohort.capacity:
        raise CohortFull(_l("%(cohort)s is full (%(capacity)s places).", cohort=cohort.name,
                            capacity=cohort.capacity))
    registration = occasions.seat(actor, cohort.event, user, note="enrolled")
    if existing is None:
        existing = Enrolment(cohort=cohort, cycle_id=cohort.cycle_id, user=user, registration=registration)
        db.session.add(existing)
    else:  # back after withdrawing, possibly into another cohort of the cycle
        existing.cohort, existing.registration = cohort, registration
        existing.withdrawn_at, existing.withdraw_reason = None, ""
        existing.transition(EnrolmentStatus.ENROLLED, actor=actor, note="enrolled again")
    existing.company = (company or existing.company or user.employer or "")[:200]
    existing.organisation_id = resolve_id(existing.company)  # selection then sets the application's own
    existing.enrolled_at = utcnow()
    db.session.flush()
    audit.record(actor, "cohort.enrol", cohort, user=user.id)
    return existing


def withdraw(actor: User, enrolment: Enrolment, *, reason: str) -> Enrolment:
    require_run(actor, enrolment.cohort.cycle.programme)
    if not enrolment.active:
        return enrolment
    if not (reason or "").strip():
        raise InvalidInput(fields={"reason": _l("Give the reason for the withdrawal.")})
    occasions.unseat(actor, enrolment.registration, reason=reason)
    enrolment.transition(EnrolmentStatus.WITHDRAWN, actor=actor, note=reason.strip())
    enrolment.withdrawn_at, enrolment.withdraw_reason = utcnow(), reason.strip()[:300]
    audit.record(actor, "cohort.withdraw", enrolment.cohort, user=enrolment.user_id, reason=reason)
    return enrolment


def enrol_by_mobile(actor: User, cohort: Cohort, mobile: str, *, company: str = "") -> Enrolment:
    user = find_by_mobile(mobile)
    if user is None:
        raise InvalidInput(fields={"mobile": _l("No account has this mobile number: the founder signs up first.")})
    return enrol(actor, cohort, user, company=company)


def get_enrolment(enrolment_id: int) -> Enrolment:
    return get_or_not_found(Enrolment, enrolment_id, NotFound.default_message)


def enrolment_of(user: User, cohort: Cohort) -> Enrolment | None:
    return db.session.scalar(sa.select(Enrolment).where(Enrolment.cohort_id == cohort.id,
                                                        Enrolment.user_id == user.id))


def history(user: User) -> list[Enrolment]:
    """A person's path through the programmes, earliest first (孵化 → 成长 → 加速)."""
    return list(db.session.scalars(sa.select(Enrolment).join(Cohort).join(Cycle)
                                   .where(Enrolment.user_id == user.id)
                                   .order_by(Cycle.starts_on, Enrolment.id)
                                   # the founder's pages name each cohort, its tier and cycle
                                   .options(joinedload(Enrolment.cohort).joinedload(Cohort.cycle)
                                            .joinedload(Cycle.programme),
                                            joinedload(Enrolment.cohort).joinedload(Cohort.tier),
                                            selectinload(Enrolment.registration))))  # its ticket
