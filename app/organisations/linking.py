"""People's organisations as typed on forms, resolved to the registry: one rule for every programme
(a founder's company, a judge's, an entrant's or a master's employer, a profile's employer).

`resolve(name, uscc)` looks the code up first (an active organisation holding it), then the
normalised name (app.organisations.names: 上海某某科技（上海）有限公司 is 上海某某科技有限公司);
a name shared by several active organisations is ambiguous and resolves to nothing.

A company not found is left unlinked: no row is created. The registry is the bureau's list, kept
by staff with checked codes; a typo, a 个体户 or a department typed on a form must not become an
organisation of its own. Staff link what stays unlinked by picking from the registry (`pick`) on the
programme's console page, and the data migration links rows typed before this
revision (and `link_unlinked_employers` people's profiles). Links to a duplicate merged later still count for the
organisation kept (`identity_ids`)."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager

from app.accounts.models import User
from app.audit import services as audit
from app.errors import InvalidInput
from app.extensions import db
from app.inputs import bounded_int
from app.organisations.employees import EmployerLink
from app.organisations.linked import LinkedRow
from app.organisations.models import Organisation, OrganisationKind, OrganisationStatus
from app.organisations.names import normalise_name
from app.organisations.services import require_staff, search_query
from app.organisations.uscc import normalise_uscc, validate_uscc

# What a person can work for: partner regions are places, not employers.
LINKABLE_KINDS = (OrganisationKind.COMPANY.value, OrganisationKind.HOST_COMPANY.value,
                  OrganisationKind.UNIVERSITY.value, OrganisationKind.AGENCY.value)
_ACTIVE = Organisation.status == OrganisationStatus.ACTIVE.value


def canonical(organisation: Organisation | None) -> Organisation | None:
    """The organisation kept, following merges (a merged row points at the one kept)."""
    seen = set()
    while organisation is not None and organisation.merged and organisation.merged_into is not None \
            and organisation.id not in seen:
        seen.add(organisation.id)
        organisation = organisation.merged_into
    return organisation


def identity_ids(organisation: Organisation) -> list[int]:
    """This organisation's id and those of the duplicates merged into it (at any depth): links
    made to a duplicate before the merge are the kept organisation's links."""
    ids, frontier = [organisation.id], [organisation.id]
    while frontier:
        frontier = list(db.session.scalars(sa.select(Organisation.id).where(
            Organisation.merged_into_id.in_(frontier), Organisation.id.not_in(ids))))
        ids.extend(frontier)
    return ids


def identity_owners(organisations: list[Organisation]) -> dict[int, int]:
    """`identity_ids` for many organisations at once, one query per depth of merges (not per
    organisation): every id of theirs and of their duplicates -> the organisation's own id."""
    owner = {o.id: o.id for o in organisations}
    frontier = list(owner)
    while frontier:
        merged = db.session.execute(sa.select(Organisation.id, Organisation.merged_into_id).where(
            Organisation.merged_into_id.in_(frontier), Organisation.id.not_in(list(owner)))).all()
        for organisation_id, into in merged:
            owner[organisation_id] = owner[into]
        frontier = [organisation_id for organisation_id, _into in merged]
    return owner


def resolve(name: str | None, uscc: str | None = None) -> Organisation | None:
    """The registry's organisation for a typed name (and code), or None: by code first, then by
    the normalised name when exactly one active organisation has it."""
    code = normalise_uscc(uscc)
    if code and validate_uscc(code):
        # An active holder first; else a duplicate merged away, whose code stands for the one kept.
        holder = db.session.scalars(sa.select(Organisation).where(Organisation.uscc == code)
                                    .order_by(_ACTIVE.desc(), Organisation.id).limit(1)).first()
        holder = canonical(holder)
        if holder is not None and not holder.merged:
            return holder
    key = normalise_name(name)
    if not key:
        return None
    found = list(db.session.scalars(sa.select(Organisation).where(
        Organisation.name_key == key, _ACTIVE, Organisation.kind.in_(LINKABLE_KINDS)).limit(2)))
    return found[0] if len(found) == 1 else None


def resolve_id(name: str | None, uscc: str | None = None) -> int | None:
    found = resolve(name, uscc)
    return found.id if found is not None else None


def pick(text: str | None) -> Organisation | None:
    """What staff chose to link: an organisation's id (from the registry's search), its code or a
    name that finds exactly one active organisation; empty unlinks (None). Anything else is refused
    with a message saying why."""
    text = (text or "").strip()
    if not text:
        return None
    if len(text) > 200 or "\x00" in text:
        raise InvalidInput(fields={"organisation": _l("Type an organisation's name or its code.")})
    if text.isdigit() and bounded_int(text) is not None:
        found = db.session.get(Organisation, int(text))
        found = canonical(found)
        if found is not None and not found.merged:
            return found
    matches = list(db.session.scalars(search_query(text).where(Organisation.kind.in_(LINKABLE_KINDS)).limit(6)))
    exact = [o for o in matches if o.uscc == normalise_uscc(text) or o.name_key == normalise_name(text)]
    if len(exact) == 1:
        return exact[0]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise InvalidInput(fields={"organisation": _l("No organisation in the registry matches “%(text)s”.",
                                                      text=text)})
    raise InvalidInput(fields={"organisation": _l("Several organisations match “%(text)s”: %(names)s. Type more "
                                                  "of the name or the code.", text=text,
                                                  names="、".join(o.name for o in matches[:5]))})


# -- a person's employer (the registry's side of User.employer) --------------------------------
def employer_of(user: User) -> Organisation | None:
    link = db.session.get(EmployerLink, user.id)
    return canonical(link.organisation) if link is not None else None


def link_employer(user: User) -> EmployerLink | None:
    """Links the person to the organisation their profile's employer names, when the registry has
    it and no one linked them otherwise; returns the link (new or kept)."""
    link = db.session.get(EmployerLink, user.id)
    if link is not None:
        return link
    found = resolve(user.employer)
    if found is None:
        return None
    link = EmployerLink(user_id=user.id, organisation_id=found.id, employer=(user.employer or "")[:120])
    db.session.add(link)
    return link


def set_employer(actor: User, user: User, text: str | None) -> Organisation | None:
    """Staff link a person to their employer in the registry (or unlink them: empty)."""
    require_staff(actor)
    chosen = pick(text)
    link = db.session.get(EmployerLink, user.id)
    before = link.organisation_id if link is not None else None
    if chosen is None:
        if link is not None:
            db.session.delete(link)
            db.session.flush()
    elif link is None:
        db.session.add(EmployerLink(user_id=user.id, organisation_id=chosen.id, employer=(user.employer or "")[:120],
                                    linked_by_id=actor.id))
    else:
        link.organisation_id, link.linked_by_id = chosen.id, actor.id
    audit.record(actor, "organisation.employer", user, before=before, after=chosen.id if chosen else None)
    return chosen


def link_unlinked_employers() -> int:
    """Links every person whose profile's employer is found in the registry and who has no link yet
    (run by the demo and after an import); returns how many were linked."""
    linked = 0
    unlinked = sa.select(User).where(User.employer.is_not(None), User.employer != "",
                                     ~sa.exists().where(EmployerLink.user_id == User.id))
    for user in db.session.scalars(unlinked).all():
        if link_employer(user) is not None:
            linked += 1
    return linked


def employees_of(organisation: Organisation) -> list[LinkedRow]:
    """The people whose employer (in the registry) it is."""
    links = db.session.scalars(sa.select(EmployerLink).join(User, User.id == EmployerLink.user_id)
                               .where(EmployerLink.organisation_id.in_(identity_ids(organisation)))
                               .options(contains_eager(EmployerLink.user)).order_by(User.name, User.id))
    return [LinkedRow(group=str(_l("Employees")), title=link.user.name, person_id=link.user_id,
                      detail=link.employer, when=link.linked_at) for link in links]
