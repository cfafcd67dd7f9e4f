"""Who reads the plan, and how much of it: administrators and bureau leaders every department, a
department head their own. Every figure, list and report is computed within this scope."""
from __future__ import annotations

from dataclasses import dataclass

from app.accounts.models import Role, User
from app.errors import PermissionDenied


@dataclass(frozen=True)
class Scope:
    department_ids: frozenset[int] | None  # None: every department

    @property
    def everything(self) -> bool:
        return self.department_ids is None

    def sees_departments(self, department_ids) -> bool:
        """Whether a target or item of these 责任部门 is shown in this scope."""
        return self.department_ids is None or bool(self.department_ids & set(department_ids))


EVERYTHING = Scope(None)


def scope_of(actor: User | None) -> Scope:
    """The reader's scope; refused to anyone who is not an administrator, a leader or a head."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied()
    if actor.has_role(Role.ADMIN, Role.LEADER):
        return EVERYTHING
    if actor.has_role(Role.HEAD):
        return Scope(frozenset(actor.department_ids))
    raise PermissionDenied()
