"""Whose items a reader may see. The person sees all of theirs; an administrator sees everything;
an organiser sees the items of occasions their departments run. Trainers and judges read their own
cohorts and categories on those pages, not whole records, so they get no scope here."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import Role, User
from app.errors import PermissionDenied


@dataclass(frozen=True)
class Scope:
    departments: frozenset[int] | None  # None: every department

    @property
    def everything(self) -> bool:
        return self.departments is None

    def covers(self, department_id: int | None) -> bool:
        return self.departments is None or (department_id is not None and department_id in self.departments)

    def clause(self, column):
        """A WHERE clause keeping the rows of `column` (a department id) within the scope."""
        if self.departments is None:
            return sa.true()
        return column.in_(sorted(self.departments)) if self.departments else sa.false()


EVERYTHING = Scope(None)


def staff_scope(actor: User | None) -> Scope:
    """The scope of a member of staff; PermissionDenied for anyone else."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_l("Only staff can read people's records."))
    if actor.is_admin:
        return EVERYTHING
    if actor.has_role(Role.ORGANISER):
        return Scope(frozenset(actor.department_ids))
    raise PermissionDenied(_l("Only staff can read people's records."))


def may_see_full_details(actor: User) -> bool:
    """Full phone and ID numbers: administrators and organisers (they call and certify people);
    each showing is audited by the caller."""
    return actor.is_admin or actor.has_role(Role.ORGANISER)
