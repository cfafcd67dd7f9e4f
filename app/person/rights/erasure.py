"""Erasure: a person's personal values leave the database, while their rows, statuses, scans and
counts stay (anonymous), and so do the certificate snapshots (legally required records that third
parties verify) and the audit log's rows (who did what; their values in it are scrubbed).

Three passes, so that a column nobody listed is still covered:
1. the account itself: name -> a placeholder, mobile/email/ID number/employer emptied, password
   unusable, signed out everywhere (sessions deleted, API tokens, calendar feed and 我的码 phones revoked);
2. the person's rows (inventory.person_rows): listed free-text fields blanked (answers, team
   members, business plans...), uploaded files deleted;
3. every text column of the person's rows and of the rows about them (audit, status changes) has
   their values replaced, and every text column of every table has their mobile, email and ID
   number replaced (they are unique to them, so wherever they are, they are theirs)."""
from __future__ import annotations

import json
import secrets

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import ApiToken, User, UserSession
from app.audit import services as audit
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.inputs import INT_MAX
from app.locking import lock
from app.person.rights import files, inventory
from app.person.rights.models import Erasure
from app.tickets.models import PhoneKey
from app.timeutil import utcnow

ERASED = "***"
REASON_MAX = 200
# Free text a person typed about themselves or others in their rows: emptied whatever it holds.
BLANKED = {
    "registration_answers": ("value",),
    "applications": ("name", "mobile", "email", "id_number", "company_name", "business_plan"),
    "competition_entries": ("employer",),
    "competition_team_members": ("name", "employer"),
    "pitch_entries": ("employer", "business_plan"),
    "pitch_members": ("name", "employer"),
    "fair_interests": ("name", "school", "major"),
    "trainee_applications": ("school_name", "major"),
    "trainee_feedback": ("text",),
    "satisfaction_answers": ("text",),
    "organisation_employees": ("employer",),
    "inbox_messages": ("body",),
    "outbox": ("to_address",),
    "sms_messages": ("mobile",),
    "api_tokens": ("name",),
}
# Why what stays, stays (shown to the person before and after, and kept in the erasure's record).
KEPT_REASONS = (
    ("scans", _l("Check-ins, registrations and their statuses stay without your name, so that the numbers of "
                 "people served stay right.")),
    ("certificates", _l("Certificates issued to you stay as issued (with the name printed on them): they are "
                        "records the law requires us to keep, and others may need to verify them.")),
    ("audit", _l("The audit log of who did what stays, with your details removed from it.")),
)


def placeholder(user_id: int) -> str:
    return f"已注销用户 #{user_id}"


def is_erased(user) -> bool:
    return db.session.scalar(sa.select(Erasure.id).where(Erasure.user_id == user.id,
                                                         Erasure.done_at.is_not(None))) is not None


def erasure_of(user_id: int) -> Erasure | None:
    return db.session.scalar(sa.select(Erasure).where(Erasure.user_id == user_id))


def _empty(column: sa.Column):
    if column.nullable:
        return None
    return {} if isinstance(column.type, sa.JSON) else ""


def _replace(value, swaps: list[tuple[str, str]]):
    if isinstance(value, str):
        for old, new in swaps:
            value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [_replace(v, swaps) for v in value]
    if isinstance(value, dict):
        return {_replace(k, swaps): _replace(v, swaps) for k, v in value.items()}
    return value


def _fits(column: sa.Column, value):
    length = getattr(column.type, "length", None)
    return value[:length] if isinstance(value, str) and length else value


def _mentions(column: sa.Column, olds: list[str]):
    """Rows whose `column` may hold one of `olds` (a JSON column stores non-ASCII escaped)."""
    text = sa.cast(column, sa.Text) if isinstance(column.type, sa.JSON) else column
    forms = set(olds) | {json.dumps(o)[1:-1] for o in olds}
    return sa.or_(*(text.contains(f, autoescape=True) for f in sorted(forms)))


def _scrub(table: sa.Table, where, swaps: list[tuple[str, str]]) -> int:
    """Replace the values in every text column of `table`'s rows matching `where`."""
    swaps = [(old, new) for old, new in swaps if old]
    pk = list(table.primary_key.columns)
    changed = 0
    if not swaps or not pk:
        return 0
    for column in inventory.text_columns(table):
        if (table.name, column.name) in inventory.KEPT_COLUMNS or isinstance(column.type, sa.LargeBinary):
            continue
        olds = [old for old, _new in swaps]
        query = sa.select(*pk, column).where(_mentions(column, olds))
        if where is not None:
            query = query.where(where)
        for row in db.session.execute(query).all():
            new = _fits(column, _replace(row[-1], swaps))
            if new != row[-1]:
                db.session.execute(sa.update(table).where(*(c == v for c, v in zip(pk, row[:-1])))
                                   .values({column.name: new}))
                changed += 1
    return changed


def _row_condition(table: sa.Table, rows: list[dict]):
    pk = list(table.primary_key.columns)
    if len(pk) == 1:
        return pk[0].in_(sorted({r[pk[0].name] for r in rows}))
    return sa.or_(*(sa.and_(*(c == r[c.name] for c in pk)) for r in rows))


def _check(actor, user, *, via: str, password: str | None, reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise InvalidInput(fields={"reason": _l("At most %(n)s characters.", n=REASON_MAX)})
    if via == "self":
        if actor is None or actor.id != user.id:
            raise PermissionDenied()
        if not user.check_password(password or ""):
            raise InvalidInput(fields={"password": _l("The password is wrong.")})
    elif via == "admin":
        if actor is None or not actor.is_admin:
            raise PermissionDenied()
        if not reason:
            raise InvalidInput(fields={"reason": _l("Say why (for example, the person's written request).")})
    elif via != "retention":
        raise ValueError(via)
    return reason


def erase(actor, user: User, *, via: str, reason: str = "", password: str | None = None) -> Erasure:
    """Erase `user`'s personal data: by themselves (`via="self"`, with their password), by an
    admin on their request (`"admin"`, with a reason) or by the retention job (`"retention"`)."""
    reason = _check(actor, user, via=via, password=password, reason=reason)
    lock(User, user.id)
    if is_erased(user):
        raise Conflict(_l("This person's data has already been erased."), code="already_erased")
    now = utcnow()
    values = {"name": user.name, "mobile": user.mobile, "email": user.email, "id_number": user.id_number,
              "employer": user.employer}
    rows = inventory.person_rows(user.id)
    _erase_account(user, now)
    files.forget(rows)
    typed = _typed_values(rows)
    for table_name, columns in BLANKED.items():
        if table_name in rows:
            table = db.metadata.tables[table_name]
            db.session.execute(sa.update(table).where(_row_condition(table, rows[table_name]))
                               .values({c: _empty(table.c[c]) for c in columns}))
    name_swap = [(values["name"], placeholder(user.id))] if values["name"] else []
    unique_swaps = [(values[k], ERASED) for k in ("mobile", "email", "id_number") if values[k]]
    employer_swap = [(values["employer"], ERASED)] if values["employer"] else []
    own_swaps = [(v, ERASED) for v in typed] + name_swap + unique_swaps + employer_swap  # longest text first
    for table_name, table_rows in rows.items():
        table = db.metadata.tables[table_name]
        _scrub(table, _row_condition(table, table_rows), own_swaps)
    for table in inventory.subject_tables():
        _scrub(table, inventory.subject_rows(table, user.id, rows), own_swaps)
        if "ip" in table.c and "actor_id" in table.c:
            db.session.execute(sa.update(table).where(table.c.actor_id == user.id).values(ip=None))
    _forget_contact_details(rows, values["name"])
    for table in inventory.tables():
        if table.name != "users":
            _scrub(table, None, unique_swaps)
    kept = {name: len(table_rows) for name, table_rows in sorted(rows.items())}
    record = erasure_of(user.id) or Erasure(user_id=user.id, requested_at=now)
    record.done_at, record.via, record.reason, record.kept = now, via, reason, kept
    record.by_id = actor.id if actor is not None else None
    db.session.add(record)
    audit.record(actor, "person.erase", user, via=via, reason=reason, kept=kept)
    return record


def _forget_contact_details(rows: dict[str, list[dict]], name: str | None) -> None:
    """An organisation the person is a contact of may name them as its contact person (typed by
    staff into the registry): that name goes; the organisation's own details stay. (Their mobile
    and email go wherever they are, by the last pass.)"""
    ids = sorted({row["organisation_id"] for row in rows.get("organisation_contacts", ())})
    if ids and name:
        table = db.metadata.tables["organisations"]
        db.session.execute(sa.update(table).where(table.c.id.in_(ids), table.c.contact_name == name)
                           .values(contact_name=_empty(table.c.contact_name)))


TYPED_MIN = 4  # shorter typed values ("企业", "是") are choices, not something that names anyone


def _typed_values(rows: dict[str, list[dict]]) -> list[str]:
    """What the person typed into the blanked fields, longest first: copies of it elsewhere in their
    rows (a notice quoting their company or team mates) are replaced too."""
    found = set()
    for table_name, columns in BLANKED.items():
        for row in rows.get(table_name, ()):
            for column in columns:
                value = row.get(column)
                if isinstance(value, str) and len(value.strip()) >= TYPED_MIN:
                    found.add(value.strip())
    return sorted(found, key=len, reverse=True)


def _erase_account(user: User, now) -> None:
    user.name = placeholder(user.id)
    user.mobile = user.email = user.id_number = user.employer = None
    user.set_password(secrets.token_urlsafe(32))  # nobody knows it: the account cannot be signed in to
    user.active = False
    user.calendar_token = None
    user.notify_mail = user.notify_sms = False
    db.session.execute(sa.delete(UserSession).where(UserSession.user_id == user.id))
    db.session.execute(sa.update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                       .values(revoked_at=now))
    # 我的码 on their phones stops at once online, and at the scanners' next roster offline
    db.session.execute(sa.update(PhoneKey).where(PhoneKey.user_id == user.id, PhoneKey.revoked_at.is_(None))
                       .values(revoked_at=now, revoke_reason="erased"))
    db.session.flush()


def erase_own(user: User, *, password: str | None, understood: bool) -> Erasure:
    """The person's own request, confirmed by ticking that it is final and by their password."""
    if not understood:
        raise InvalidInput(fields={"understood": _l("Tick the box to confirm that you understand.")})
    return erase(user, user, via="self", password=password, reason="own request")


def erase_by_admin(actor, user_id: int, reason: str) -> Erasure:
    """An admin erases a person on their request (say which request in `reason`)."""
    return erase(actor, user_for_admin(actor, user_id), via="admin", reason=reason)


def user_for_admin(actor, user_id: int) -> User:
    if actor is None or not actor.is_admin:
        raise PermissionDenied()
    user = db.session.get(User, user_id) if 0 < user_id <= INT_MAX else None
    if user is None:
        raise NotFound()
    return user
