"""Accounts: sign-up, login, profile, roles, API tokens."""
from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass, fields
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.accounts import consents
from app.accounts.models import ApiToken, Department, Role, User, UserRole, UserSession, user_departments
from app.audit import services as audit
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.inputs import INT_MAX
from app.timeutil import utcnow

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ID_RE = re.compile(r"^\d{17}[\dX]$", re.ASCII)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
MIN_PASSWORD = 8

DEPARTMENTS = (
    ("talent_center", "区人才中心"),
    ("high_service", "高服中心"),
    ("employment", "区就促中心"),
    ("talent_dev", "人才开发科"),
    ("skills", "职业能力建设科"),
    ("nkc_base", "南科创实训基地"),
)


class AuthError(InvalidInput):
    code = "bad_credentials"
    http_status = 401
    default_message = _l("Wrong mobile number, email or password.")


def _halfwidth(value: str) -> str:
    # A Chinese input method types full-width digits and signs (１３９, ＋８６, －): NFKC makes
    # them the ASCII ones, so 「１３９…」 and 「139…」 are one number.
    return unicodedata.normalize("NFKC", value)


def normalise_mobile(value: str | None) -> str | None:
    if not value:
        return None
    digits = re.sub(r"[\s\-()]", "", _halfwidth(value))
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix):]
            break
    return digits or None


def normalise_email(value: str | None) -> str | None:
    value = _halfwidth(value).strip() if value else ""
    return value.lower() or None


def normalise_id_number(value: str | None) -> str | None:
    value = re.sub(r"\s", "", _halfwidth(value)).upper() if value else ""
    return value or None


def id_number_problem(value: str):
    """What is wrong with a resident ID number (GB 11643), or None: its length, its characters,
    the birth date it holds, or its ISO 7064 MOD 11-2 check character — each said plainly, so a
    person who typed five digits is not told to check the last one."""
    value = normalise_id_number(value) or ""
    if len(value) != 18:
        return _l("An ID number has 18 characters; this one has %(n)s.", n=len(value))
    if not ID_RE.match(value):
        return _l("An ID number is 17 digits followed by a digit or X.")
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        born = None
    if born is None or born.year < 1900 or born > date.today():
        return _l("Characters 7–14 of an ID number are the birth date (YYYYMMDD); %(digits)s is not a possible one.",
                  digits=value[6:14])
    total = sum(int(d) * w for d, w in zip(value[:17], ID_WEIGHTS))
    if ID_CHECK[total % 11] != value[17]:
        return _l("The last character does not match the first 17: one of the characters is mistyped.")
    return None


def valid_id_number(value: str) -> bool:
    return id_number_problem(value) is None


def canonical_login(login: str | None) -> str:
    """The form of a typed login that names one account (the same one however it is typed)."""
    login = _halfwidth(login or "").strip()
    return (normalise_email(login) if "@" in login else normalise_mobile(login)) or ""


def find_by_mobile(mobile: str | None) -> User | None:
    """The account with this mobile number however it is typed, read as the login reads it:
    「１３８…」, "+86 138 1234 5678" and "138-1234-5678" are all 13812345678."""
    mobile = normalise_mobile(mobile)
    if not mobile:
        return None
    return db.session.scalar(sa.select(User).where(User.mobile == mobile))


def _find_by_login(login: str) -> User | None:
    login = canonical_login(login)
    if not login:
        return None
    if "@" in login:
        return db.session.scalar(sa.select(User).where(User.email == login))
    return find_by_mobile(login)


def _check_profile(*, name, mobile, email, id_number, user: User | None = None) -> dict:
    errors = {}
    if not name or not name.strip():
        errors["name"] = _l("Please enter your name.")
    if not mobile and not email:
        errors["mobile"] = _l("Enter a mobile number or an email address.")
    if mobile and not MOBILE_RE.match(mobile):
        errors["mobile"] = _l("A mainland mobile number has 11 digits and starts with 1.")
    if email and not EMAIL_RE.match(email):
        errors["email"] = _l("This email address is not valid.")
    if id_number and (problem := id_number_problem(id_number)):
        errors["id_number"] = problem
    own_id = user.id if user else None
    if mobile and "mobile" not in errors:
        other = find_by_mobile(mobile)
        if other is not None and other.id != own_id:
            errors["mobile"] = _l("An account with this mobile number already exists.")
    if email and "email" not in errors:
        other = db.session.scalar(sa.select(User.id).where(User.email == email))
        if other and other != own_id:
            errors["email"] = _l("An account with this email address already exists.")
    return errors


def sign_up(*, name: str, password: str, mobile: str | None = None, email: str | None = None,
            employer: str | None = None, id_number: str | None = None) -> User:
    mobile, email = normalise_mobile(mobile), normalise_email(email)
    id_number = normalise_id_number(id_number)
    errors = _check_profile(name=name, mobile=mobile, email=email, id_number=id_number)
    if not password or len(password) < MIN_PASSWORD:
        errors["password"] = _l("The password needs at least %(n)s characters.", n=MIN_PASSWORD)
    if errors:
        raise InvalidInput(fields=errors)
    user = User(name=name.strip(), mobile=mobile, email=email,
                employer=(employer or "").strip() or None, id_number=id_number)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def sign_up_agreeing(*, agreed: bool, **profile) -> User:
    """The public sign-up: refused unless the person agrees to the privacy notice in force, whose
    version is recorded with the time (accounts created by admins agree at their first sign-in)."""
    try:
        user = sign_up(**profile)
    except InvalidInput as exc:
        if not agreed:  # every problem at once, the missing agreement among them
            exc.fields = {**(exc.fields or {}), "consent": consents.AGREE_FIRST}
        raise
    consents.require_agreement(agreed)
    consents.record(user)
    return user


def authenticate(login: str, password: str) -> User:
    user = _find_by_login(login)
    if user is None:
        # Same cost as a real check, so timing does not reveal which accounts exist.
        User(password_hash=_DUMMY_HASH).check_password(password or "")
        raise AuthError()
    password_ok = user.check_password(password or "")
    if not password_ok or not user.active:
        if password_ok and user.merged_into is not None:
            # Only to the person who knows this account's password: which account took it over.
            raise AuthError(_l("This account was merged into another one of yours. Sign in with %(login)s.",
                               login=user.merged_into.login_hint), code="account_merged")
        raise AuthError()
    return user


_DUMMY_HASH = "scrypt:32768:8:1$4tiVv0cvsCJWvE3Y$" + "0" * 128


def update_profile(user: User, *, name: str, mobile: str | None, email: str | None,
                   employer: str | None, id_number: str | None) -> User:
    mobile, email = normalise_mobile(mobile), normalise_email(email)
    id_number = normalise_id_number(id_number)
    errors = _check_profile(name=name, mobile=mobile, email=email, id_number=id_number, user=user)
    if errors:
        raise InvalidInput(fields=errors)
    user.name, user.mobile, user.email = name.strip(), mobile, email
    employer = (employer or "").strip() or None
    if employer != user.employer and user.roles - {Role.PARTICIPANT.value}:
        # Staff (organisers, trainers, judges, masters, admins) are checked against their employer
        # for conflicts of interest: a change leaves a trace.
        audit.record(user, "user.employer", user, before=user.employer, after=employer)
    user.employer = employer
    if id_number is not None:
        user.id_number = id_number
    return user


def set_notice_channels(user: User, *, mail: bool, sms: bool) -> User:
    """The channels a person wants notices by besides the inbox, which is always on (every
    notice lands there whatever they choose here)."""
    user.notify_mail, user.notify_sms = bool(mail), bool(sms)
    return user


def change_password(user: User, current: str, new: str) -> None:
    """A new password also ends every other sign-in of the account (sessions, remember-me
    cookies, API tokens): whoever knew the old one must not stay in. The session that
    changed it (user.session_key) stays signed in."""
    if not user.check_password(current or ""):
        raise InvalidInput(fields={"current": _l("The current password is wrong.")})
    if not new or len(new) < MIN_PASSWORD:
        raise InvalidInput(fields={"new": _l("The password needs at least %(n)s characters.", n=MIN_PASSWORD)})
    user.set_password(new)
    now = utcnow()
    sessions = db.session.execute(
        sa.update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None),
                                     UserSession.id != (user.session_key or ""))
        .values(revoked_at=now)).rowcount
    tokens = db.session.execute(
        sa.update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)).rowcount
    audit.record(user, "user.password", user, sessions_ended=sessions, tokens_revoked=tokens)


def organised_departments(actor: User | None) -> set[int] | None:
    """The departments whose occasions and programmes a staff member reads (None: all, for an
    administrator; an organiser's own); refused to everyone else."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied()
    if actor.is_admin:
        return None
    if actor.has_role(Role.ORGANISER):
        return set(actor.department_ids)
    raise PermissionDenied()


def department_by_name(name: str) -> Department:
    dept = db.session.scalar(sa.select(Department).where(
        sa.or_(Department.name == name, Department.code == name)))
    if dept is None:
        raise NotFound(_l("No department named %(name)s.", name=name))
    return dept


def ensure_departments() -> list[Department]:
    existing = {d.code: d for d in db.session.scalars(sa.select(Department))}
    for code, name in DEPARTMENTS:
        if code not in existing:
            existing[code] = Department(code=code, name=name)
            db.session.add(existing[code])
    db.session.flush()
    return list(existing.values())


def create_user(*, login: str, password: str, role: str, name: str | None = None,
                departments: list[str] = (), actor: User | None = None) -> User:
    """Operators' and admins' way to create any kind of account."""
    if role not in {r.value for r in Role}:
        raise InvalidInput(fields={"role": _l("Unknown role %(role)s.", role=role)})
    is_email = "@" in login
    if _find_by_login(login) is not None:
        raise Conflict(_l("An account with this login already exists."), code="login_taken")
    user = sign_up(name=name or login.split("@")[0], password=password,
                   mobile=None if is_email else login, email=login if is_email else None)
    set_roles(user, [role], [department_by_name(d) for d in departments], actor=actor)
    return user


def set_roles(user: User, roles, departments: list[Department], *, actor: User | None = None) -> None:
    if actor is not None and not actor.is_admin:
        raise PermissionDenied()
    before = sorted(user.roles)
    user.set_roles(roles)
    user.departments = list(departments)
    if Role.ORGANISER.value in user.roles and not user.departments:
        raise InvalidInput(fields={"departments": _l("An organiser belongs to at least one department.")})
    audit.record(actor, "user.roles", user, before=before, after=sorted(user.roles),
                 departments=[d.code for d in user.departments])


def set_active(user: User, active: bool, *, actor: User) -> None:
    if not actor.is_admin:
        raise PermissionDenied()
    if user.id == actor.id and not active:
        raise Conflict(_l("You cannot deactivate your own account."), code="self_deactivate")
    user.active = active
    audit.record(actor, "user.active", user, active=active)


# -- sessions -----------------------------------------------------------------
SESSION_KEY_MAX = 43


def start_session(user: User, *, lifetime: timedelta, user_agent: str | None = None) -> str:
    """Record a new sign-in and name it on `user` (User.get_id), before Flask-Login writes its
    cookies. `lifetime` bounds the row like the remember-me cookie, so an old copied cookie dies
    even if nobody signs out."""
    now = utcnow()
    # The account's finished rows are of no further use; clearing them here keeps the table small.
    db.session.execute(sa.delete(UserSession).where(UserSession.user_id == user.id,
                                                    UserSession.expires_at <= now))
    key = secrets.token_urlsafe(32)
    db.session.add(UserSession(id=key, user_id=user.id, created_at=now, expires_at=now + lifetime,
                               user_agent=(user_agent or "")[:120] or None))
    user.session_key = key
    return key


def user_for_session(value: str | None) -> User | None:
    """Flask-Login's user loader: "<user id>:<session key>" from the session or remember cookie,
    loaded in one query only while that sign-in is neither revoked nor expired."""
    user_id, _, key = (value or "").partition(":")
    if not (user_id.isdigit() and len(user_id) <= 10 and int(user_id) <= INT_MAX) \
            or not key or len(key) > SESSION_KEY_MAX:
        return None
    user = db.session.scalar(
        sa.select(User).join(UserSession, UserSession.user_id == User.id)
        .where(User.id == int(user_id), UserSession.id == key, UserSession.revoked_at.is_(None),
               UserSession.expires_at > utcnow(), User.active.is_(True)))
    if user is not None:
        user.session_key = key
    return user


def end_session(user: User) -> None:
    """Logout: the session's row is revoked, so copies of its cookies load nobody."""
    if user.session_key:
        db.session.execute(sa.update(UserSession).where(
            UserSession.id == user.session_key, UserSession.user_id == user.id,
            UserSession.revoked_at.is_(None)).values(revoked_at=utcnow()))


# -- API tokens ---------------------------------------------------------------
API_TOKEN_LIFETIME = timedelta(days=30)
API_TOKEN_NAME_MAX = 60


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_api_token(user: User, name: str | None = None) -> str:
    name = (name or "").strip()
    if len(name) > API_TOKEN_NAME_MAX:
        raise InvalidInput(fields={"name": _l("At most %(n)s characters.", n=API_TOKEN_NAME_MAX)})
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_hash_token(token), name=name or None,
                            expires_at=utcnow() + API_TOKEN_LIFETIME))
    return token


def active_api_tokens(user: User) -> list[ApiToken]:
    """The owner's tokens that still open the API, newest first (for the profile page)."""
    return list(db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None),
                                  sa.or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > utcnow()))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke_api_token(actor: User, token_id: int) -> ApiToken:
    """Owners revoke their own tokens; anybody else's token id is simply not found."""
    token = db.session.get(ApiToken, token_id) if 0 < token_id <= INT_MAX else None
    if token is None or token.user_id != actor.id or token.revoked_at is not None:
        raise NotFound(_l("No such active API token."))
    token.revoked_at = utcnow()
    audit.record(actor, "api_token.revoke", token)
    return token


# Roles and departments come in the same query: nearly every API call asks for them
# (can_manage), and two lazy loads would double the round trips of a check-in scan. Built once:
# every API request runs it, and building it anew cost more CPU than the database's answer.
_users, _api_tokens, _roles = User.__table__, ApiToken.__table__, UserRole.__table__
_TOKEN_MATCHES = (_api_tokens.c.token_hash == sa.bindparam("token_hash"), _api_tokens.c.revoked_at.is_(None),
                  sa.or_(_api_tokens.c.expires_at.is_(None), _api_tokens.c.expires_at > sa.bindparam("now")),
                  _users.c.active.is_(True))
_TOKEN_USER = (sa.select(User).join(ApiToken, ApiToken.user_id == User.id).where(*_TOKEN_MATCHES)
               .options(joinedload(User.role_rows), joinedload(User.departments)))

# A scanner's account is asked one thing, once per scan: may it scan at this event (User.organises).
# Read as rows on the session's connection: an ORM entity with its roles and departments joined
# was the largest share of a scan's CPU after the scan itself (issue 19).
_SCANNER_ROLES = (Role.ADMIN.value, Role.ORGANISER.value)
_TOKEN_SCANNER = (
    sa.select(_users.c.id, _roles.c.role, user_departments.c.department_id)
    .select_from(_api_tokens)
    .join(_users, _users.c.id == _api_tokens.c.user_id)
    .outerjoin(_roles, sa.and_(_roles.c.user_id == _users.c.id, _roles.c.role.in_(_SCANNER_ROLES)))
    .outerjoin(user_departments, user_departments.c.user_id == _users.c.id)
    .where(*_TOKEN_MATCHES))


@dataclass(frozen=True)
class ScannerAccount:
    """The account behind a scanner's API token, as far as scanning rights and the scan's row read it."""
    id: int
    roles: frozenset[str]
    department_ids: frozenset[int]
    is_authenticated = True  # accounts.models.organises asks it, as of a signed-in User

    def organises(self, department_id: int | None) -> bool:
        """User.organises, from the rows read."""
        return Role.ADMIN.value in self.roles or (department_id is not None and Role.ORGANISER.value in self.roles
                                                  and department_id in self.department_ids)


@dataclass(frozen=True)
class TokenHolder:
    """The account behind an API token as registering reads it: who it is and how notices reach
    them, read as a row. Loaded as an entity (with its roles), it was the largest share of a
    registration's CPU after the SQL (issue 19); `user()` loads that entity for whatever asks more."""
    id: int
    name: str
    mobile: str | None
    email: str | None
    locale: str | None
    notify_mail: bool | None
    notify_sms: bool | None
    is_authenticated = True  # accounts.models.organises asks it, as of a signed-in User

    def user(self) -> User:
        return db.session.get(User, self.id)

    def organises(self, department_id: int | None) -> bool:
        """User.organises, of the entity: asked only to see a draft or an invitation-only event."""
        return self.user().organises(department_id)


_TOKEN_HOLDER = (sa.select(*(_users.c[f.name] for f in fields(TokenHolder)))
                 .select_from(_api_tokens).join(_users, _users.c.id == _api_tokens.c.user_id).where(*_TOKEN_MATCHES))


def user_for_api_token(token: str) -> User | None:
    found = _token_parameters(token)
    return db.session.scalars(_TOKEN_USER, found).unique().first() if found else None


def holder_of_api_token(token: str) -> TokenHolder | None:
    """user_for_api_token's account (the same tokens refused) as a `TokenHolder`."""
    found = _token_parameters(token)
    row = db.session.connection().execute(_TOKEN_HOLDER, found).first() if found else None
    return TokenHolder(*row) if row is not None else None


def scanner_for_api_token(token: str) -> ScannerAccount | None:
    """user_for_api_token's account (the same tokens refused), for the check-in API: only what
    scanning rights read."""
    found = _token_parameters(token)
    rows = db.session.connection().execute(_TOKEN_SCANNER, found).all() if found else None
    if not rows:
        return None
    return ScannerAccount(rows[0].id, frozenset(r.role for r in rows if r.role is not None),
                          frozenset(r.department_id for r in rows if r.department_id is not None))


def _token_parameters(token: str) -> dict | None:
    """What the token statements are bound to, or None for a secret no token can have."""
    if not token or len(token) > 100:
        return None
    return {"token_hash": _hash_token(token), "now": utcnow()}


# -- calendar feed ------------------------------------------------------------
def calendar_token(user: User) -> str:
    if not user.calendar_token:
        user.calendar_token = secrets.token_urlsafe(24)
    return user.calendar_token


def reset_calendar_token(user: User) -> str:
    user.calendar_token = secrets.token_urlsafe(24)
    return user.calendar_token
