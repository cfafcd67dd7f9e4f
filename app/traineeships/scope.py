"""Who acts on a placement during and after it: the host's contacts (months, evaluations, 留用),
the trainee (their feedback), the organisers of the batch's department (training days, withdrawal,
completion, certificates). Each service of those calls one of these first."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.errors import NotFound, PermissionDenied
from app.extensions import db
from app.lookups import get_or_not_found
from app.organisations.contacts import organisation_ids_of
from app.traineeships.batches import require_run
from app.traineeships.models import Placement


def get_placement(placement_id: int) -> Placement:
    return get_or_not_found(Placement, placement_id, _l("No such placement."))


def require_contact_of(user: User | None, placement: Placement) -> None:
    """Only a contact of the placement's host company (an admin too acts through the portal only
    when they are one: the bureau's own actions are its own pages)."""
    if placement.host_id not in organisation_ids_of(user):
        raise PermissionDenied(_l("Only the host company's contacts can do this."))


def require_trainee(user: User | None, placement: Placement) -> None:
    if user is None or getattr(user, "id", None) != placement.user_id:
        raise NotFound(_l("No such placement."))  # someone else's placement is as absent as a missing one


def require_bureau(user: User | None, placement: Placement) -> None:
    require_run(user, placement.batch)


def placements_hosted_by(user: User, *where) -> list[Placement]:
    """The placements of the contact's host companies (matching `where`), newest batch first."""
    ids = organisation_ids_of(user)
    if not ids:
        return []
    # the host's pages show each trainee, their batch and position
    return list(db.session.scalars(sa.select(Placement).where(Placement.host_id.in_(ids), *where)
                                   .options(joinedload(Placement.user), joinedload(Placement.batch),
                                            joinedload(Placement.place))
                                   .order_by(Placement.batch_id.desc(), Placement.id)))
