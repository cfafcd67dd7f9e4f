"""A young person applies to a batch: their details, checked against the batch's rules (every
failing rule refused with its reason, nothing saved), and up to the batch's N places in order
of preference, inside the application window; one application per person per batch. Before a
host has accepted them they may withdraw."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.locking import lock_objects
from app.organisations.models import Organisation, OrganisationKind, OrganisationStatus
from app.organisations.names import normalise_name
from app.traineeships.batches import taking_applications
from app.traineeships.eligibility import Answers, refusals
from app.traineeships.models import (
    LIVE_PLACEMENT,
    ApplicationChoice,
    ApplicationStatus,
    ChoiceStatus,
    Placement,
    PlaceStatus,
    TraineeApplication,
    TraineeshipBatch,
    TraineeshipPlace,
)

EDUCATION = ("secondary", "vocational", "associate", "bachelor", "master", "doctorate")
EDUCATION_LABELS = {"secondary": _l("Secondary school"), "vocational": _l("Vocational school"),
                    "associate": _l("Associate degree (大专)"), "bachelor": _l("Bachelor's degree"),
                    "master": _l("Master's degree"), "doctorate": _l("Doctorate")}


@dataclass
class Details:
    """What the applicant says about themselves."""
    school_name: str
    major: str
    education: str
    graduation_year: int
    birth_date: date
    in_shanghai_household: bool = False
    studies_in_shanghai: bool = False
    left_school_unemployed: bool = False
    university_id: int | None = None

    def answers(self) -> Answers:
        return Answers(self.birth_date, self.graduation_year, bool(self.in_shanghai_household),
                       bool(self.studies_in_shanghai), bool(self.left_school_unemployed))


def application_of(user: User, batch: TraineeshipBatch) -> TraineeApplication | None:
    return db.session.scalar(sa.select(TraineeApplication).where(
        TraineeApplication.batch_id == batch.id, TraineeApplication.user_id == user.id))


def _check_details(details: Details) -> dict:
    errors = {}
    if not (details.school_name or "").strip() or len(details.school_name) > 120:
        errors["school_name"] = _l("Give your school or university (at most 120 characters).")
    if len(details.major or "") > 120:
        errors["major"] = _l("At most 120 characters.")
    if details.education not in EDUCATION:
        errors["education"] = _l("Choose your education.")
    if not isinstance(details.graduation_year, int) or not 1980 <= details.graduation_year <= 2100:
        errors["graduation_year"] = _l("A year such as 2026.")
    if not isinstance(details.birth_date, date) or not date(1940, 1, 1) <= details.birth_date <= date(2020, 1, 1):
        errors["birth_date"] = _l("Give your date of birth.")
    return errors


def _chosen_places(batch: TraineeshipBatch, place_ids: list) -> tuple[list[TraineeshipPlace], dict]:
    ids = [i for i in place_ids if i]
    if not ids:
        return [], {"choices": _l("Choose at least one place.")}
    if len(ids) > batch.max_choices:
        return [], {"choices": _l("Choose at most %(n)s places.", n=batch.max_choices)}
    if len(set(ids)) != len(ids):
        return [], {"choices": _l("Choose each place once.")}
    places = {p.id: p for p in batch.places if p.status == PlaceStatus.OPEN.value}
    if any(i not in places for i in ids):
        return [], {"choices": _l("Choose places offered in this batch.")}
    return [places[i] for i in ids], {}


def _university(details: Details) -> Organisation | None:
    """The registered university the applicant named: the one chosen, or else the one whose
    normalised name is what they typed (counts per university need the link, not the spelling)."""
    if details.university_id:
        chosen = db.session.get(Organisation, details.university_id)
        if chosen is not None and chosen.kind == OrganisationKind.UNIVERSITY.value:
            return chosen
    key = normalise_name(details.school_name)
    return db.session.scalars(sa.select(Organisation).where(
        Organisation.kind == OrganisationKind.UNIVERSITY.value, Organisation.name_key == key,
        Organisation.status == OrganisationStatus.ACTIVE.value).order_by(Organisation.id).limit(1)).first() \
        if key else None


def apply(user: User, batch: TraineeshipBatch, details: Details, place_ids: list[int]) -> TraineeApplication:
    """The application with its choices ranked in the order given (rank 1 first)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied()
    if not taking_applications(batch):
        raise Conflict(_l("This batch is not taking applications now."), code="applications_closed")
    if application_of(user, batch) is not None:
        raise Conflict(_l("You have applied to this batch already."), code="already_applied")
    errors = _check_details(details)
    places, choice_errors = _chosen_places(batch, place_ids)
    errors |= choice_errors
    if "birth_date" not in errors and "graduation_year" not in errors:
        failed = refusals(batch.eligibility or {}, details.answers(), batch.starts_on)
        if failed:
            raise InvalidInput(_l("You do not meet this batch's conditions."), code="not_eligible",
                               fields=errors | failed)
    if errors:
        raise InvalidInput(fields=errors)
    university = _university(details)
    application = TraineeApplication(
        batch=batch, user=user, status=None, university=university, school_name=details.school_name.strip(),
        major=(details.major or "").strip(), education=details.education, graduation_year=details.graduation_year,
        birth_date=details.birth_date, in_shanghai_household=bool(details.in_shanghai_household),
        studies_in_shanghai=bool(details.studies_in_shanghai),
        left_school_unemployed=bool(details.left_school_unemployed))
    application.transition(ApplicationStatus.SUBMITTED, actor=user)
    for rank, place in enumerate(places, 1):
        choice = ApplicationChoice(application=application, place=place, rank=rank, status=None)
        choice.transition(ChoiceStatus.PENDING, actor=user)
    db.session.flush()
    audit.record(user, "traineeship.apply", application, batch=batch.id, places=[p.id for p in places])
    return application


def live_placement(batch_id: int, user_id: int) -> Placement | None:
    """The person's placement in the batch that holds them (anything but a rejected one)."""
    return db.session.scalar(sa.select(Placement).where(
        Placement.batch_id == batch_id, Placement.user_id == user_id, Placement.status.in_(LIVE_PLACEMENT)))


def live_placements(batch_id: int, user_ids: list[int]) -> dict[int, Placement]:
    """live_placement() of each of these people (by user id; those without one left out), in one query."""
    return {p.user_id: p for p in db.session.scalars(sa.select(Placement).where(
        Placement.batch_id == batch_id, Placement.user_id.in_(user_ids or [-1]), Placement.status.in_(LIVE_PLACEMENT)))}


def get_own_application(user: User, application_id: int) -> TraineeApplication:
    """The applicant's own application; anybody else's is as absent as a missing one."""
    application = db.session.get(TraineeApplication, application_id)
    if application is None or application.user_id != getattr(user, "id", None):
        raise NotFound(_l("No such application."))
    return application


def withdraw(user: User, application: TraineeApplication) -> TraineeApplication:
    """Withdraw before any host has accepted: the pending choices go with it."""
    if application.user_id != getattr(user, "id", None):
        raise NotFound(_l("No such application."))
    # A host accepting at this moment locks the application too: one of the two decides first.
    lock_objects(application, refresh=["status"])
    if application.status != ApplicationStatus.SUBMITTED.value:
        raise Conflict(_l("This application can no longer be withdrawn."), code="not_withdrawable")
    if live_placement(application.batch_id, user.id) is not None:
        raise Conflict(_l("A host has accepted you already: ask the bureau to withdraw."), code="already_placed")
    for choice in application.choices:
        if choice.status == ChoiceStatus.PENDING.value:
            choice.transition(ChoiceStatus.SUPERSEDED, actor=user, note="application withdrawn")
    application.transition(ApplicationStatus.WITHDRAWN, actor=user)
    audit.record(user, "traineeship.withdraw_application", application)
    return application
