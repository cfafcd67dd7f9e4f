"""Staff's side: finding a person (by name, mobile — whole or its last four digits —, ID number or
organisation) and reading their record within the departments the reader runs. An organiser
finds only people with something in their scope; every search and every reading is audited,
with the query masked."""
from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.accounts.services import normalise_id_number, normalise_mobile
from app.audit import services as audit
from app.cohorts.camps.models import Cohort, Cycle, Enrolment, Programme
from app.competitions.models import Entry
from app.certificates.models import Certificate
from app.cohorts.models import Application
from app.errors import InvalidInput, NotFound, PermissionDenied
from app.events.models import Event
from app.extensions import db
from app.lookups import get_or_not_found
from app.mentoring.models import Pairing
from app.organisations.models import Organisation, OrganisationContact
from app.person.record import timeline
from app.person.record.scope import Scope, may_see_full_details, staff_scope
from app.privacy import mask_email, mask_id_number, mask_name, mask_phone
from app.registrations.models import Registration
from app.traineeships.models import Placement, TraineeshipBatch

QUERY_MAX = 60
RESULTS_MAX = 50
_ID_NUMBER = re.compile(r"^(\d{17}[\dX]|\d{15})$")


def people_in(scope: Scope):
    """The ids of the people with an item in the scope (every source's way of naming a person's
    department); None for an administrator, who may find anyone."""
    if scope.everything:
        return None
    return sa.union(
        sa.select(Registration.user_id).join(Event, Event.id == Registration.event_id)
        .where(scope.clause(Event.department_id)),
        sa.select(Application.user_id).join(Cycle, Cycle.id == Application.cycle_id)
        .join(Programme, Programme.id == Cycle.programme_id).where(scope.clause(Programme.department_id)),
        sa.select(Placement.user_id).join(TraineeshipBatch, TraineeshipBatch.id == Placement.batch_id)
        .where(scope.clause(TraineeshipBatch.department_id)),
        sa.select(Certificate.recipient_id).where(scope.clause(Certificate.issuer_department_id)),
        sa.select(Pairing.founder_id).join(Cohort, Cohort.id == Pairing.cohort_id)
        .join(Event, Event.id == Cohort.event_id).where(scope.clause(Event.department_id)))


def _by_organisation(text: str):
    named = sa.select(Organisation.id).where(Organisation.name.contains(text, autoescape=True))
    return sa.union(
        sa.select(OrganisationContact.user_id).where(OrganisationContact.organisation_id.in_(named)),
        sa.select(Enrolment.user_id).where(Enrolment.organisation_id.in_(named)),
        sa.select(Entry.user_id).where(Entry.organisation_id.in_(named)))


def classify(query: str) -> tuple[str, object, str]:
    """(kind, the condition on users, the query as the audit log may keep it)."""
    if query.isdigit() and len(query) == 4:
        return "mobile_last4", User.mobile.endswith(query, autoescape=True), "****" + query
    mobile = normalise_mobile(query)
    if mobile and re.fullmatch(r"1\d{10}", mobile):
        return "mobile", User.mobile == mobile, mask_phone(mobile)
    id_number = normalise_id_number(query)
    if id_number and _ID_NUMBER.match(id_number):
        return "id_number", User.id_number == id_number, mask_id_number(id_number)
    return "text", sa.or_(User.name.contains(query, autoescape=True), User.employer.contains(query, autoescape=True),
                          User.id.in_(_by_organisation(query))), mask_name(query)


def search(actor: User, query: str | None) -> list[User]:
    scope = staff_scope(actor)
    query = (query or "").strip()
    if not query:
        return []
    if len(query) > QUERY_MAX:
        raise InvalidInput(fields={"q": _l("Search for at most %(n)s characters.", n=QUERY_MAX)}, code="query_too_long")
    kind, condition, shown = classify(query)
    statement = sa.select(User).where(condition)
    within = people_in(scope)
    if within is not None:
        statement = statement.where(User.id.in_(within))
    found = list(db.session.scalars(statement.order_by(User.name, User.id).limit(RESULTS_MAX)))
    audit.record(actor, "person.search", None, query=shown, kind=kind, found=len(found))
    return found


@dataclass(frozen=True)
class PersonPage:
    person: User
    record: timeline.Record
    full: bool

    @property
    def mobile(self) -> str:
        return (self.person.mobile or "") if self.full else self.person.mobile_masked

    @property
    def id_number(self) -> str:
        return (self.person.id_number or "") if self.full else self.person.id_number_masked

    @property
    def email(self) -> str:
        return (self.person.email or "") if self.full else mask_email(self.person.email)


def person_record(actor: User, user_id: int, *, full: bool = False) -> PersonPage:
    """A person's record as `actor` may read it; someone with nothing in an organiser's scope is
    as absent as nobody. `full` shows the whole phone, ID number and email (audited as such)."""
    scope = staff_scope(actor)
    person = get_or_not_found(User, user_id, _l("No such person."))
    record = timeline.build(person, scope)
    if not scope.everything and not record.items:
        raise NotFound(_l("No such person."))
    if full and not may_see_full_details(actor):
        raise PermissionDenied(_l("You may not see full personal details."))
    audit.record(actor, "person.record_view", person, items=len(record.items), full=full)
    return PersonPage(person, record, full)
