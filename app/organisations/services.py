"""The organisations registry's story: staff of the bureau create, edit, find and list
organisations, see groups of duplicates (same normalised name or same 统一社会信用代码) and merge
a duplicate into the one kept (audited; the duplicate stays, marked merged, with its history).
The XLSX import and export are in sheets.py."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.errors import Conflict, NotFound, PermissionDenied
from app.extensions import db
from app.locking import lock_objects
from app.organisations.fields import clean
from app.organisations.models import Organisation, OrganisationStatus
from app.organisations.names import normalise_name

PER_PAGE = 30
# Filled on the kept organisation from the duplicate when the kept one has none.
MERGE_FILLS = ("uscc", "district", "size", "contact_name", "contact_phone", "contact_email", "station_signed_on",
               "station_contact", "base_approved_on", "base_places_per_year", "base_status")


def can_manage(user: User | None) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_staff)


def require_staff(user: User | None, _about=None) -> None:
    """Refuses all but staff of the bureau (`_about`: what app.web.allowed names, the same for all)."""
    if not can_manage(user):
        raise PermissionDenied(_l("Only staff of the bureau can manage organisations."))


def get_organisation(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(_l("No such organisation."))
    return organisation


def uscc_holder(code: str | None, *, other_than: Organisation | None = None) -> Organisation | None:
    """The active organisation already registered with this code."""
    if not code:
        return None
    query = sa.select(Organisation).where(Organisation.uscc == code,
                                          Organisation.status == OrganisationStatus.ACTIVE.value)
    if other_than is not None and other_than.id is not None:
        query = query.where(Organisation.id != other_than.id)
    return db.session.scalars(query.limit(1)).first()


def _refuse_taken_code(code: str | None, organisation: Organisation | None = None) -> None:
    holder = uscc_holder(code, other_than=organisation)
    if holder is not None:
        raise Conflict(_l("%(name)s is already registered with this code.", name=holder.name), code="uscc_taken",
                       fields={"uscc": _l("%(name)s is already registered with this code.", name=holder.name)})


def add(values: dict) -> Organisation:
    """A new organisation from checked values (clean()); its first status is recorded."""
    # status None: a row being created, whose first status transition() records
    organisation = Organisation(**values, name_key=normalise_name(values["name"]), status=None)
    organisation.transition(OrganisationStatus.ACTIVE)
    return organisation


def create_organisation(actor: User, **values) -> Organisation:
    require_staff(actor)
    checked = clean(values)
    _refuse_taken_code(checked["uscc"])
    organisation = add(checked)
    db.session.flush()
    audit.record(actor, "organisation.create", organisation, name=organisation.name, kind=organisation.kind)
    return organisation


def update_organisation(actor: User, organisation: Organisation, **values) -> Organisation:
    require_staff(actor)
    if organisation.merged:
        raise Conflict(_l("This organisation was merged into another; edit that one."), code="organisation_merged")
    checked = clean(values)
    _refuse_taken_code(checked["uscc"], organisation)
    changed = {key: [str(getattr(organisation, key)), str(value)] for key, value in checked.items()
               if getattr(organisation, key) != value}
    for key, value in checked.items():
        setattr(organisation, key, value)
    organisation.name_key = normalise_name(organisation.name)
    audit.record(actor, "organisation.update", organisation, changed=changed)
    return organisation


def save_organisation(actor: User, organisation: Organisation | None, **values) -> Organisation:
    """The form's one action: a new organisation, or the changes to one."""
    if organisation is None:
        return create_organisation(actor, **values)
    return update_organisation(actor, organisation, **values)


def search_query(q: str = "", kind: str | None = None, *, include_merged: bool = False):
    """Organisations by name (as typed or normalised) or code, of one kind or all, by name."""
    query = sa.select(Organisation)
    if not include_merged:
        query = query.where(Organisation.status == OrganisationStatus.ACTIVE.value)
    if kind:
        query = query.where(Organisation.kind == kind)
    q = (q or "").strip()
    if q:
        key = normalise_name(q)
        pattern = f"%{q}%"
        matches = [Organisation.name.ilike(pattern), Organisation.uscc == q.upper()]
        if key:
            matches.append(Organisation.name_key.contains(key, autoescape=True))
        query = query.where(sa.or_(*matches))
    return query.order_by(Organisation.name_key, Organisation.id)


def search_organisations(actor: User, q: str = "", kind: str | None = None, *, page: int = 1,
                         per_page: int = PER_PAGE):
    """One page of the search (a Flask-SQLAlchemy Pagination)."""
    require_staff(actor)
    return db.paginate(search_query(q, kind), page=page, per_page=per_page, error_out=False)


def find_duplicates() -> list[list[Organisation]]:
    """Groups of active organisations whose normalised names or codes match (two or more each),
    each group oldest first; organisations linked through a chain (same name as one, same code as
    another) are one group."""
    organisations = list(db.session.scalars(
        sa.select(Organisation).where(Organisation.status == OrganisationStatus.ACTIVE.value)
        .order_by(Organisation.id)))
    parent = {o.id: o.id for o in organisations}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_of: dict[tuple, int] = {}
    for organisation in organisations:
        for key in (("name", organisation.name_key), ("uscc", organisation.uscc)):
            if not key[1]:
                continue
            if key in first_of:
                parent[root(organisation.id)] = root(first_of[key])
            else:
                first_of[key] = organisation.id
    groups: dict[int, list[Organisation]] = {}
    for organisation in organisations:
        groups.setdefault(root(organisation.id), []).append(organisation)
    return [group for group in groups.values() if len(group) > 1]


def merge(actor: User, keep: Organisation, duplicate: Organisation, *, note: str = "") -> Organisation:
    """Merge `duplicate` into `keep`: the kept one takes the duplicate's industries and fills its
    empty fields from it; the duplicate stays as a row marked merged into the kept one (its status
    history says when and by whom), so links to it can be followed."""
    require_staff(actor)
    if keep.id == duplicate.id:
        raise Conflict(_l("An organisation cannot be merged into itself."), code="merge_self")
    # Two staff merging the same pair both ways at once: the second waits and sees the first's merge.
    lock_objects(keep, duplicate, refresh=("status", "merged_into_id"))
    if keep.merged or duplicate.merged:
        raise Conflict(_l("This organisation was merged into another already."), code="organisation_merged")
    filled = {}
    for key in MERGE_FILLS:
        if getattr(keep, key) in (None, "") and getattr(duplicate, key) not in (None, ""):
            setattr(keep, key, getattr(duplicate, key))
            filled[key] = str(getattr(duplicate, key))
    keep.industries = list(dict.fromkeys([*(keep.industries or []), *(duplicate.industries or [])]))
    keep.in_minhang = keep.in_minhang or duplicate.in_minhang
    duplicate.merged_into_id = keep.id
    duplicate.transition(OrganisationStatus.MERGED, actor=actor,
                         note=(note or f"→ {keep.id} {keep.name}")[:300])
    audit.record(actor, "organisation.merge", keep, duplicate=duplicate.id, duplicate_name=duplicate.name,
                 filled=filled, note=note)
    return keep

