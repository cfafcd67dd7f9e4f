"""Merging two accounts of one person, and undoing a merge. Admin-only: a person's accounts
cross every department."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit.services import record
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.inputs import bounded_int
from app.locking import lock
from app.person.merge import contacts
from app.person.merge.models import AccountMerge
from app.person.merge.policies import unhandled
from app.person.merge.rows import move_rows, undo_moves
from app.person.rights.models import Erasure
from app.timeutil import utcnow

REASON_MAX = 300


def require_admin(actor) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_admin:
        raise PermissionDenied()


def get_account(actor, user_id) -> User:
    require_admin(actor)
    user_id = bounded_int(user_id)
    user = db.session.get(User, user_id) if user_id else None
    if user is None:
        raise NotFound(_l("No such account."))
    return user


def merge_accounts(actor, *, survivor_id, absorbed_id, reason: str | None) -> AccountMerge:
    """Merge the absorbed account into the survivor: its rows move by their columns' policies,
    the survivor fills its missing contact fields from it, and it is deactivated and marked
    merged. Both accounts' rows are locked, so two merges (or a merge and a registration's
    sign-in) of the same people do not interleave."""
    require_admin(actor)
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _l("Say why these accounts are one person.")
    elif len(reason) > REASON_MAX:
        errors["reason"] = _l("At most %(n)s characters.", n=REASON_MAX)
    survivor_id, absorbed_id = bounded_int(survivor_id), bounded_int(absorbed_id)
    if not survivor_id or not absorbed_id:
        errors["survivor"] = _l("Choose the account that stays.")
    if errors:
        raise InvalidInput(fields=errors)
    if survivor_id == absorbed_id:
        raise Conflict(_l("An account cannot be merged into itself."), code="merge_same_account")
    _lock_accounts(survivor_id, absorbed_id)
    survivor, absorbed = db.session.get(User, survivor_id), db.session.get(User, absorbed_id)
    if survivor is None or absorbed is None:
        raise NotFound(_l("No such account."))
    db.session.refresh(survivor)
    db.session.refresh(absorbed)
    if absorbed.merged_into_id is not None:
        raise Conflict(_l("This account has already been merged into another."), code="merge_already_merged")
    if survivor.merged_into_id is not None:
        raise Conflict(_l("The account chosen to stay was itself merged into another; merge into that one."),
                       code="merge_into_absorbed")
    if db.session.scalar(sa.select(sa.func.count()).select_from(Erasure)
                         .where(Erasure.user_id.in_((survivor.id, absorbed.id)))):
        # an erased account holds no one's data any more: joining it to a person would undo the erasure
        raise Conflict(_l("An erased account cannot be merged."), code="merge_erased")
    if absorbed.is_admin or absorbed.id == actor.id:
        raise Conflict(_l("An administrator's account cannot be merged into another: remove the role first."),
                       code="merge_absorbs_admin")
    if missing := unhandled():
        raise Conflict(_l("The merge does not know what to do with %(columns)s.", columns=", ".join(missing)),
                       code="merge_policy_missing")

    parking = _Parking()
    moves, summary = move_rows(survivor.id, absorbed.id, parking)
    parking.close()
    db.session.expire_all()  # the rows moved under the ORM's loaded objects
    taken = contacts.take_over(survivor, absorbed)
    was_active = absorbed.active
    absorbed.active = False
    absorbed.merged_into_id = survivor.id
    merge = AccountMerge(survivor_id=survivor.id, absorbed_id=absorbed.id, merged_by_id=actor.id, reason=reason,
                         moves=moves, contacts={"taken": taken, "was_active": was_active})
    db.session.add(merge)
    db.session.flush()
    record(actor, "account.merge", merge, survivor_id=survivor.id, absorbed_id=absorbed.id, reason=reason,
           rows=summary, contacts=[item["field"] for item in taken])
    return merge


def undo_merge(actor, merge_id) -> AccountMerge:
    """Put back exactly what the merge moved, the contact fields it took and the absorbed
    account's state; within ACCOUNT_MERGE_UNDO_DAYS. Refused when the rows have changed since
    in a way that cannot be put back (see rows.undo_moves) or a later merge involved either
    account (undo that one first)."""
    require_admin(actor)
    merge_id = bounded_int(merge_id)
    merge = db.session.get(AccountMerge, merge_id) if merge_id else None
    if merge is None:
        raise NotFound(_l("No such merge."))
    _lock_accounts(merge.survivor_id, merge.absorbed_id)
    lock(AccountMerge, merge.id)
    db.session.refresh(merge)
    if merge.undone_at is not None:
        raise Conflict(_l("This merge has already been undone."), code="merge_already_undone")
    if not undoable(merge):
        raise Conflict(_l("A merge can be undone within %(n)s days only.", n=undo_days()), code="undo_expired")
    later = db.session.scalar(sa.select(AccountMerge.id).where(
        AccountMerge.id > merge.id, AccountMerge.undone_at.is_(None),
        sa.or_(AccountMerge.survivor_id.in_([merge.survivor_id, merge.absorbed_id]),
               AccountMerge.absorbed_id.in_([merge.survivor_id, merge.absorbed_id]))).limit(1))
    if later is not None:
        raise Conflict(_l("A later merge involves these accounts: undo it first."), code="merge_superseded")
    db.session.flush()
    parking = _Parking()
    undo_moves(merge.moves, parking)
    parking.close()
    db.session.expire_all()
    survivor, absorbed = merge.survivor, merge.absorbed
    contacts.give_back(survivor, absorbed, merge.contacts.get("taken", []))
    absorbed.active = merge.contacts.get("was_active", True)
    absorbed.merged_into_id = None
    merge.undone_at = utcnow()
    merge.undone_by_id = actor.id
    record(actor, "account.merge_undo", merge, survivor_id=survivor.id, absorbed_id=absorbed.id)
    return merge


def _lock_accounts(*user_ids: int) -> None:
    """Both accounts, until the transaction ends. app.locking's lock (FOR NO KEY UPDATE on
    PostgreSQL) lets rows that reference the accounts be inserted meanwhile — a registration
    made by the absorbed account during its merge would stay behind on it — so the merge also
    takes FOR UPDATE, which waits for (and holds off) every insert naming either account. SQLite
    renders no FOR UPDATE: there lock() already takes the database's one write lock."""
    lock(User, *user_ids)
    db.session.execute(sa.select(User.id).where(User.id.in_(user_ids)).with_for_update())


def undo_days() -> int:
    return int(current_app.config.get("ACCOUNT_MERGE_UNDO_DAYS", 30))


def undoable(merge: AccountMerge) -> bool:
    return merge.undone_at is None and utcnow() - merge.merged_at <= timedelta(days=undo_days())


class _Parking:
    """An account of no one, made when two places must trade owners and removed before the
    transaction ends (nobody else ever sees it committed)."""

    def __init__(self):
        self.user: User | None = None

    def __call__(self) -> int:
        if self.user is None:
            self.user = User(name="-", password_hash="!", active=False)
            db.session.add(self.user)
            db.session.flush()
        return self.user.id

    def close(self) -> None:
        if self.user is not None:
            db.session.execute(sa.delete(User.__table__).where(User.__table__.c.id == self.user.id))
            db.session.expunge(self.user)
            self.user = None
