"""An event's organisations: co-organisers (协办单位), the companies taking part in a job fair or
campus recruiting (参会企业) and the university hosting it (承办高校). The event's organisers (its
department's, and administrators) add them from the registry and remove them; the public page
shows their names. Each is audited."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from app.accounts.models import User
from app.audit import services as audit
from app.errors import Conflict, InvalidInput, NotFound
from app.events.models import Event, EventOrganisation, EventOrganisationRole
from app.events.services import require_manage
from app.extensions import db
from app.inputs import bounded_int
from app.organisations.linked import LinkedRow
from app.organisations.linking import identity_ids
from app.organisations.models import Organisation, OrganisationKind

_COMPANIES = {OrganisationKind.COMPANY.value, OrganisationKind.HOST_COMPANY.value}
# Which kinds may take a role: a host university is a university, a participant a company.
KINDS_FOR_ROLE = {
    EventOrganisationRole.CO_ORGANISER.value: {k.value for k in OrganisationKind},
    EventOrganisationRole.PARTICIPANT.value: _COMPANIES,
    EventOrganisationRole.HOST_UNIVERSITY.value: {OrganisationKind.UNIVERSITY.value},
}
ROLE_ORDER = [r.value for r in EventOrganisationRole]


def organisations_of(event: Event) -> dict[str, list[EventOrganisation]]:
    """The event's organisations by role (roles in their public order, names sorted), roles with
    none left out."""
    rows = db.session.scalars(sa.select(EventOrganisation).join(Organisation)
                              .where(EventOrganisation.event_id == event.id)
                              .order_by(Organisation.name_key, EventOrganisation.id))
    by_role: dict[str, list[EventOrganisation]] = {}
    for row in rows:
        by_role.setdefault(row.role, []).append(row)
    return {role: by_role[role] for role in ROLE_ORDER if role in by_role}


def add_organisation(actor: User, event: Event, organisation_id, role: str) -> EventOrganisation:
    require_manage(actor, event)
    errors = {}
    if role not in KINDS_FOR_ROLE:
        errors["role"] = _l("Choose the organisation's role.")
    number = bounded_int(organisation_id, minimum=1)
    organisation = db.session.get(Organisation, number) if number is not None else None
    if organisation is None:
        errors["organisation_id"] = _l("Choose an organisation from the registry.")
    if errors:
        raise InvalidInput(fields=errors)
    if organisation.merged:
        raise Conflict(_l("%(name)s was merged into another organisation; add that one.", name=organisation.name),
                       code="organisation_merged")
    if organisation.kind not in KINDS_FOR_ROLE[role]:
        raise InvalidInput(fields={"role": _l("%(name)s is a %(kind)s and cannot be the event's %(role)s.",
                                              name=organisation.name, kind=organisation.kind_label,
                                              role=EventOrganisationRole.label_of(role))})
    link = EventOrganisation(event_id=event.id, organisation_id=organisation.id, role=role, added_by_id=actor.id)
    try:
        with db.session.begin_nested():  # two organisers adding the same one at once: one row
            db.session.add(link)
    except IntegrityError:
        raise Conflict(_l("%(name)s is already listed as %(role)s.", name=organisation.name,
                          role=EventOrganisationRole.label_of(role)), code="already_linked") from None
    audit.record(actor, "event.organisation_add", event, organisation=organisation.id, role=role)
    return link


def remove_organisation(actor: User, event: Event, link_id: int) -> None:
    require_manage(actor, event)
    link = db.session.get(EventOrganisation, link_id)
    if link is None or link.event_id != event.id:
        raise NotFound(_l("This organisation is not listed on this event."))
    audit.record(actor, "event.organisation_remove", event, organisation=link.organisation_id, role=link.role)
    db.session.delete(link)


def of_organisation(organisation: Organisation) -> list[LinkedRow]:
    """The events this organisation took a role in (its merged duplicates' too), by role, newest first."""
    ids = identity_ids(organisation)
    rows = db.session.scalars(sa.select(EventOrganisation).join(Event).where(EventOrganisation.organisation_id.in_(ids))
                              .options(contains_eager(EventOrganisation.event).joinedload(Event.department))
                              .order_by(Event.starts_at.desc(), EventOrganisation.id))
    return [LinkedRow(group=EventOrganisationRole.label_of(link.role), title=link.event.title,
                      detail=link.event.department.name, when=link.event.starts_at,
                      endpoint="console.event", args={"event_id": link.event_id})
            for link in sorted(rows, key=lambda link: ROLE_ORDER.index(link.role))]
