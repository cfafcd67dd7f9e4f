"""Batches and their places: organisers of the batch's department (and admins) create a batch
(its invitation-only event opened with it), set its rules, add host companies' places, and move
it along draft → open → closed → running → finished (or cancelled)."""
from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.accounts.models import Department, User, organises
from app.audit import services as audit
from app.errors import InvalidInput, NotFound, PermissionDenied
from app.events import services as events
from app.events.models import EventKind
from app.extensions import db
from app.lookups import get_or_not_found
from app.occasions import services as occasions
from app.organisations.models import Organisation, OrganisationKind, OrganisationStatus
from app.organisations.names import normalise_name
from app.timeutil import LOCAL_TZ, utcnow
from app.traineeships.defaults import default_eligibility, default_rubric
from app.traineeships.eligibility import check_rules
from app.traineeships.models import (
    BatchStatus,
    PlaceStatus,
    ProgrammeKind,
    Season,
    TraineeshipBatch,
    TraineeshipPlace,
)

# Batches the public sees (a draft is its organisers' own; a cancelled one is gone).
SHOWN = (BatchStatus.OPEN.value, BatchStatus.CLOSED.value, BatchStatus.RUNNING.value, BatchStatus.FINISHED.value)


# -- permissions ---------------------------------------------------------------------------
def can_run(user: User | None, batch_or_department) -> bool:
    return organises(user, getattr(batch_or_department, "department_id", getattr(batch_or_department, "id", None)))


def require_run(user: User | None, batch_or_department) -> None:
    if not can_run(user, batch_or_department):
        raise PermissionDenied(_l("Only organisers of the batch's department can do this."))


def get_batch(batch_id: int) -> TraineeshipBatch:
    return get_or_not_found(TraineeshipBatch, batch_id, _l("No such traineeship batch."))


def get_shown_batch(batch_id: int) -> TraineeshipBatch:
    """A batch as the public may see it: drafts and cancelled batches are as absent as missing ones."""
    batch = get_batch(batch_id)
    if batch.status not in SHOWN:
        raise NotFound(_l("No such traineeship batch."))
    return batch


def get_place(place_id: int, batch: TraineeshipBatch | None = None) -> TraineeshipPlace:
    place = get_or_not_found(TraineeshipPlace, place_id, _l("No such place."))
    if batch is not None and place.batch_id != batch.id:
        raise NotFound(_l("No such place."))
    return place


def batches_for(user: User) -> list[TraineeshipBatch]:
    """The batches a member of staff runs (an admin: all), newest first."""
    query = sa.select(TraineeshipBatch).order_by(TraineeshipBatch.year.desc(), TraineeshipBatch.id.desc())
    if not user.is_admin:
        query = query.where(TraineeshipBatch.department_id.in_(user.department_ids or [-1]))
    return list(db.session.scalars(query))


def open_batches() -> list[TraineeshipBatch]:
    """Batches taking applications now (status open and inside the window)."""
    now = utcnow()
    return list(db.session.scalars(sa.select(TraineeshipBatch).where(
        TraineeshipBatch.status == BatchStatus.OPEN.value, TraineeshipBatch.applications_open_at <= now,
        TraineeshipBatch.applications_close_at > now).order_by(TraineeshipBatch.applications_close_at)
        .options(selectinload(TraineeshipBatch.places))))  # the list counts each one's openings and hosts


def taking_applications(batch: TraineeshipBatch, at: datetime | None = None) -> bool:
    at = at or utcnow()
    return (batch.status == BatchStatus.OPEN.value
            and batch.applications_open_at <= at < batch.applications_close_at)


# -- batches -------------------------------------------------------------------------------
def _validate(values: dict) -> dict:
    errors = {}
    if values["kind"] not in {k.value for k in ProgrammeKind}:
        errors["kind"] = _l("Choose job traineeship or students' social practice.")
    if values["season"] not in {s.value for s in Season}:
        errors["season"] = _l("Choose the season.")
    if not isinstance(values["year"], int) or not 2000 <= values["year"] <= 2100:
        errors["year"] = _l("A year such as 2026.")
    if not (values["title"] or "").strip() or len(values["title"]) > 200:
        errors["title"] = _l("Give the batch a title (at most 200 characters).")
    opens, closes = values["applications_open_at"], values["applications_close_at"]
    if not isinstance(opens, datetime):
        errors["applications_open_at"] = _l("Give when applications open.")
    if not isinstance(closes, datetime) or (isinstance(opens, datetime) and closes <= opens):
        errors["applications_close_at"] = _l("Applications close after they open.")
    starts, ends = values["starts_on"], values["ends_on"]
    if not isinstance(starts, date):
        errors["starts_on"] = _l("Give the first day of the placements.")
    if not isinstance(ends, date) or (isinstance(starts, date) and ends < starts):
        errors["ends_on"] = _l("The last day is on or after the first.")
    if not isinstance(values["max_choices"], int) or not 1 <= values["max_choices"] <= 10:
        errors["max_choices"] = _l("From 1 to 10 places.")
    if len(values.get("description") or "") > 5000:
        errors["description"] = _l("At most 5000 characters.")
    return errors


def _first_hour(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=LOCAL_TZ)


def _last_hour(day: date) -> datetime:
    return datetime.combine(day, time(18, 0), tzinfo=LOCAL_TZ)


def _check(values: dict, eligibility: dict | None) -> None:
    """Refuses a batch's values with a message per wrong field, its eligibility rules' included."""
    errors = _validate(values)
    if eligibility is not None:
        errors |= check_rules(eligibility)
    if errors:
        raise InvalidInput(fields=errors)


def create_batch(actor: User, *, department: Department, kind: str, year: int, season: str, title: str,
                 applications_open_at: datetime, applications_close_at: datetime, starts_on: date, ends_on: date,
                 max_choices: int = 3, description: str = "", eligibility: dict | None = None,
                 rubric: list | None = None) -> TraineeshipBatch:
    """A draft batch with its invitation-only event (the trainees' seats and training days);
    rules and rubric default to the programme kind's."""
    require_run(actor, department)
    values = dict(kind=kind, year=year, season=season, title=title, applications_open_at=applications_open_at,
                  applications_close_at=applications_close_at, starts_on=starts_on, ends_on=ends_on,
                  max_choices=max_choices, description=description or "")
    _check(values, eligibility)
    event = occasions.open_occasion(
        actor, title=title.strip(), kind=EventKind.TRAINING.value, department_id=department.id,
        venue=department.name, starts_at=_first_hour(starts_on), ends_at=_last_hour(ends_on),
        description=description or "")
    batch = TraineeshipBatch(event=event, department=department, status=None, **dict(values, title=title.strip()),
                             eligibility=eligibility if eligibility is not None else default_eligibility(kind, year),
                             rubric=rubric if rubric is not None else default_rubric(kind))
    batch.transition(BatchStatus.DRAFT, actor=actor)
    db.session.flush()
    audit.record(actor, "traineeship.batch_create", batch, title=batch.title, kind=kind)
    return batch


def update_batch(actor: User, batch: TraineeshipBatch, *, title: str, year: int, season: str,
                 applications_open_at: datetime, applications_close_at: datetime, starts_on: date, ends_on: date,
                 max_choices: int, description: str = "", eligibility: dict | None = None) -> TraineeshipBatch:
    require_run(actor, batch)
    values = dict(kind=batch.kind, year=year, season=season, title=title, applications_open_at=applications_open_at,
                  applications_close_at=applications_close_at, starts_on=starts_on, ends_on=ends_on,
                  max_choices=max_choices, description=description or "")
    _check(values, eligibility)
    for key, value in values.items():
        setattr(batch, key, value.strip() if key == "title" else value)
    if eligibility is not None:
        batch.eligibility = eligibility
    # The event (the trainees' seats, the training days' check-in) spans the batch's days: it moves with
    # them, yet still covers any training day set outside them, as every occasion spans its agenda.
    events.update_event(actor, batch.event, title=batch.title[:200], starts_at=_first_hour(starts_on),
                        ends_at=_last_hour(ends_on))
    events.span_agenda(batch.event)
    audit.record(actor, "traineeship.batch_update", batch, title=batch.title)
    return batch


def move_batch(actor: User, batch: TraineeshipBatch, status: str, *, note: str = "") -> TraineeshipBatch:
    """Open or close applications, start, finish or cancel the batch (the table says which moves)."""
    require_run(actor, batch)
    if status not in {s.value for s in BatchStatus}:
        raise InvalidInput(fields={"status": _l("Choose a status.")})
    if status == BatchStatus.OPEN.value and not batch.places:
        raise InvalidInput(_l("Add the host companies' places before opening applications."),
                           fields={"status": _l("Add the host companies' places before opening applications.")})
    batch.transition(status, actor=actor, note=(note or "")[:300])
    audit.record(actor, "traineeship.batch_status", batch, status=status)
    return batch


# -- places --------------------------------------------------------------------------------
def hosts() -> list[Organisation]:
    """Host companies (见习基地) a place can be at, by name."""
    return list(db.session.scalars(sa.select(Organisation).where(
        Organisation.kind == OrganisationKind.HOST_COMPANY.value,
        Organisation.status == OrganisationStatus.ACTIVE.value).order_by(Organisation.name_key)))


def save_place(actor: User, batch: TraineeshipBatch, *, host: Organisation | None, position: str, openings: int,
               months: int, monthly_allowance: int = 0, description: str = "", requirements: str = "",
               status: str = PlaceStatus.OPEN.value, place: TraineeshipPlace | None = None) -> TraineeshipPlace:
    """Add a place to the batch, or change one (`place`)."""
    require_run(actor, batch)
    if place is not None and place.batch_id != batch.id:
        raise NotFound(_l("No such place."))
    errors = place_errors(host=host, position=position, openings=openings, months=months,
                          monthly_allowance=monthly_allowance, description=description, requirements=requirements,
                          status=status)
    if errors:
        raise InvalidInput(fields=errors)
    if place is None:
        place = TraineeshipPlace(batch=batch)
        db.session.add(place)
    place.host, place.position, place.openings, place.months = host, position.strip(), openings, months
    place.monthly_allowance, place.status = monthly_allowance, status
    place.description, place.requirements = description or "", requirements or ""
    db.session.flush()
    audit.record(actor, "traineeship.place_save", batch, place=place.id, host=host.id, openings=openings)
    return place


def place_errors(*, host: Organisation | None, position: str, openings, months, monthly_allowance,
                 description: str = "", requirements: str = "", status: str = PlaceStatus.OPEN.value) -> dict:
    """What is wrong with a place's values (the form's and the sheet's rows alike)."""
    errors = {}
    if host is None or host.kind != OrganisationKind.HOST_COMPANY.value or host.merged:
        errors["host_id"] = _l("Choose a host company (见习基地) from the register.")
    if not (position or "").strip() or len(position) > 120:
        errors["position"] = _l("Name the position (at most 120 characters).")
    for key, value, low, high in (("openings", openings, 1, 500), ("months", months, 1, 24),
                                  ("monthly_allowance", monthly_allowance, 0, 100_000)):
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            errors[key] = _l("A whole number from %(low)s to %(high)s.", low=low, high=high)
    if status not in {s.value for s in PlaceStatus}:
        errors["status"] = _l("Choose a status.")
    for key, value in (("description", description), ("requirements", requirements)):
        if len(value or "") > 5000:
            errors[key] = _l("At most 5000 characters.")
    return errors


def host_named(text: str) -> Organisation | None:
    """The active host company a sheet names, by its 统一社会信用代码 or its (normalised) name."""
    text = (text or "").strip()
    if not text:
        return None
    query = sa.select(Organisation).where(Organisation.kind == OrganisationKind.HOST_COMPANY.value,
                                          Organisation.status == OrganisationStatus.ACTIVE.value)
    return db.session.scalars(query.where(sa.or_(Organisation.uscc == text.upper(),
                                                 Organisation.name_key == normalise_name(text)))
                              .order_by(Organisation.id).limit(1)).first()
