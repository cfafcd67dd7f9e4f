"""An organisation's contacts: the people who act for it in its portal (a host company's contact
reviews its trainee applicants). Staff of the bureau add one by their account's mobile number
and remove one; both are audited on the organisation."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.accounts.services import find_by_mobile
from app.audit import services as audit
from app.errors import Conflict, InvalidInput
from app.extensions import db
from app.lookups import get_or_not_found
from app.organisations.models import Organisation, OrganisationContact
from app.organisations.services import require_staff


def contacts_of(organisation: Organisation) -> list[OrganisationContact]:
    return list(db.session.scalars(sa.select(OrganisationContact).where(
        OrganisationContact.organisation_id == organisation.id)
        .options(joinedload(OrganisationContact.user)).order_by(OrganisationContact.id)))  # the page names each


def organisation_ids_of(user: User | None) -> set[int]:
    """The organisations `user` is a contact of (a host company in the traineeship portal, an
    employer at a job fair)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return set(db.session.scalars(sa.select(OrganisationContact.organisation_id)
                                  .where(OrganisationContact.user_id == user.id)))


def get_contact(contact_id: int) -> OrganisationContact:
    return get_or_not_found(OrganisationContact, contact_id, _l("No such contact."))


def add_contact(actor: User, organisation: Organisation, mobile: str) -> OrganisationContact:
    require_staff(actor)
    if organisation.merged:
        raise Conflict(_l("This organisation was merged into another; edit that one."), code="organisation_merged")
    person = find_by_mobile((mobile or "")[:40])
    if person is None:
        raise InvalidInput(fields={"mobile": _l("No account has this mobile number: they sign up first.")})
    if db.session.scalar(sa.select(OrganisationContact.id).where(
            OrganisationContact.organisation_id == organisation.id, OrganisationContact.user_id == person.id)):
        raise Conflict(_l("%(name)s is a contact of this organisation already.", name=person.name),
                       code="already_contact")
    contact = OrganisationContact(organisation=organisation, user=person, added_by_id=actor.id)
    db.session.add(contact)
    db.session.flush()
    audit.record(actor, "organisation.contact_add", organisation, contact=person.id)
    return contact


def remove_contact(actor: User, contact: OrganisationContact) -> Organisation:
    require_staff(actor)
    organisation = contact.organisation
    audit.record(actor, "organisation.contact_remove", organisation, contact=contact.user_id)
    db.session.delete(contact)
    return organisation
