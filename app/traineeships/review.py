"""The host portal's story: a contact of a host company (organisations' OrganisationContact) sees
its own places and the people who chose them, and accepts one (a `proposed` placement for the
bureau to confirm) or declines with a reason. A contact never sees another host's places or
applicants: every function here checks the place's host against the contact's organisations."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from app.accounts.models import User
from app.audit import services as audit
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.locking import lock_objects
from app.organisations.contacts import organisation_ids_of
from app.organisations.models import Organisation
from app.timeutil import utcnow
from app.traineeships.applying import live_placement
from app.traineeships.models import (
    LIVE_PLACEMENT,
    ApplicationChoice,
    ApplicationStatus,
    BatchStatus,
    ChoiceStatus,
    Placement,
    PlacementStatus,
    TraineeApplication,
    TraineeshipBatch,
    TraineeshipPlace,
)
from app.traineeships.notices import tell

# A host decides on its applicants once applications are in, until the placements begin.
DECIDING = (BatchStatus.OPEN.value, BatchStatus.CLOSED.value, BatchStatus.RUNNING.value)


def hosts_of(user: User) -> list[Organisation]:
    ids = organisation_ids_of(user)
    return list(db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(ids))
                                   .order_by(Organisation.name_key))) if ids else []


def is_contact(user: User | None) -> bool:
    return bool(organisation_ids_of(user))


def require_host(user: User | None, place: TraineeshipPlace) -> None:
    """Refuses all but contacts of the place's host company (admins included: the portal acts for
    the host, and the bureau decides in its own pages)."""
    if place.host_id not in organisation_ids_of(user):
        raise PermissionDenied(_l("Only the host company's contacts can do this."))


def places_of(user: User) -> list[TraineeshipPlace]:
    """The places of the contact's host companies, in batches the public sees, newest batch first."""
    ids = organisation_ids_of(user)
    if not ids:
        return []
    return list(db.session.scalars(
        sa.select(TraineeshipPlace).join(TraineeshipBatch, TraineeshipPlace.batch_id == TraineeshipBatch.id)
        .where(TraineeshipPlace.host_id.in_(ids), TraineeshipBatch.status.in_(DECIDING + (BatchStatus.FINISHED.value,)))
        .order_by(TraineeshipBatch.id.desc(), TraineeshipPlace.id)))


def get_own_place(user: User, place_id: int) -> TraineeshipPlace:
    place = db.session.get(TraineeshipPlace, place_id)
    if place is None:
        raise NotFound(_l("No such place."))
    require_host(user, place)
    return place


def get_choice(choice_id: int) -> ApplicationChoice:
    choice = db.session.get(ApplicationChoice, choice_id)
    if choice is None:
        raise NotFound(_l("No such applicant."))
    return choice


def applicants(user: User, place: TraineeshipPlace) -> list[ApplicationChoice]:
    """Who chose the place (withdrawn applications left out), most wanting it first (rank), then
    oldest application."""
    require_host(user, place)
    return list(db.session.scalars(
        sa.select(ApplicationChoice).join(TraineeApplication, ApplicationChoice.application_id == TraineeApplication.id)
        .where(ApplicationChoice.place_id == place.id,
               TraineeApplication.status != ApplicationStatus.WITHDRAWN.value)
        .options(contains_eager(ApplicationChoice.application).joinedload(TraineeApplication.user))
        .order_by(ApplicationChoice.rank, TraineeApplication.created_at, ApplicationChoice.id)))


def taken(place: TraineeshipPlace) -> int:
    """Openings of the place held by live placements."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Placement).where(
        Placement.place_id == place.id, Placement.status.in_(LIVE_PLACEMENT))) or 0


def _decidable(choice: ApplicationChoice) -> None:
    if choice.place.batch.status not in DECIDING:
        raise Conflict(_l("This batch is not taking decisions now."), code="batch_not_deciding")
    if choice.status != ChoiceStatus.PENDING.value or choice.application.status != ApplicationStatus.SUBMITTED.value:
        raise Conflict(_l("This applicant has been decided on already."), code="already_decided")


def accept(actor: User, choice: ApplicationChoice) -> Placement:
    """Take the applicant on: a placement proposed to the bureau. A person holds one placement per
    batch: two hosts accepting the same person at once queue on the application's row lock, and
    the second is refused (`already_placed`); the partial unique index is the backstop."""
    place = choice.place
    require_host(actor, place)
    application = choice.application
    lock_objects(place, application, refresh=["status"])
    db.session.refresh(choice, ["status"])
    _decidable(choice)
    if live_placement(application.batch_id, application.user_id) is not None:
        raise Conflict(_l("%(name)s already has a placement in this batch.", name=application.user.name),
                       code="already_placed")
    if taken(place) >= place.openings:
        raise Conflict(_l("All openings of this place are taken."), code="place_full")
    batch = place.batch
    placement = Placement(batch=batch, user_id=application.user_id, application=application, choice=choice,
                          place=place, host_id=place.host_id, starts_on=batch.starts_on, ends_on=batch.ends_on,
                          proposed_by_id=actor.id, status=None)
    try:
        with db.session.begin_nested():
            placement.transition(PlacementStatus.PROPOSED, actor=actor)
    except IntegrityError:
        raise Conflict(_l("%(name)s already has a placement in this batch.", name=application.user.name),
                       code="already_placed") from None
    choice.transition(ChoiceStatus.ACCEPTED, actor=actor)
    choice.decided_by_id, choice.decided_at = actor.id, utcnow()
    audit.record(actor, "traineeship.accept", placement, place=place.id, applicant=application.user_id)
    tell(application.user, "traineeship_accepted", _l("Accepted by %(host)s", host=place.host.name), place)
    return placement


def decline(actor: User, choice: ApplicationChoice, *, reason: str) -> ApplicationChoice:
    require_host(actor, choice.place)
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise InvalidInput(fields={"reason": _l("Give the applicant a reason (at most 300 characters).")})
    lock_objects(choice.application, refresh=["status"])
    db.session.refresh(choice, ["status"])
    _decidable(choice)
    choice.transition(ChoiceStatus.DECLINED, actor=actor, note=reason)
    choice.reason, choice.decided_by_id, choice.decided_at = reason, actor.id, utcnow()
    audit.record(actor, "traineeship.decline", choice.application, place=choice.place_id)
    tell(choice.application.user, "traineeship_declined", _l("Not taken by %(host)s", host=choice.place.host.name),
         choice.place, reason=reason)
    return choice
