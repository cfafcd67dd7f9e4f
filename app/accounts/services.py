"""Accounts: sign-up, login, profile, roles, API tokens."""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.accounts.models import ApiToken, Department, Role, User
from app.audit import services as audit
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.timeutil import utcnow

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ID_RE = re.compile(r"^\d{17}[\dX]$")
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


def normalise_mobile(value: str | None) -> str | None:
    if not value:
        return None
    digits = re.sub(r"[\s\-]", "", value)
    if digits.startswith("+86"):
        digits = digits[3:]
    return digits or None


def normalise_email(value: str | None) -> str | None:
    return value.strip().lower() if value and value.strip() else None


def valid_id_number(value: str) -> bool:
    """Resident ID number (GB 11643) with its ISO 7064 MOD 11-2 check character."""
    value = value.upper()
    if not ID_RE.match(value):
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], ID_WEIGHTS))
    return ID_CHECK[total % 11] == value[17]


def _find_by_login(login: str) -> User | None:
    login = (login or "").strip()
    if "@" in login:
        return db.session.scalar(sa.select(User).where(User.email == normalise_email(login)))
    mobile = normalise_mobile(login)
    return db.session.scalar(sa.select(User).where(User.mobile == mobile)) if mobile else None


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
    if id_number and not valid_id_number(id_number):
        errors["id_number"] = _l("This ID number is not valid (check the last character).")
    own_id = user.id if user else None
    if mobile and "mobile" not in errors:
        other = db.session.scalar(sa.select(User.id).where(User.mobile == mobile))
        if other and other != own_id:
            errors["mobile"] = _l("An account with this mobile number already exists.")
    if email and "email" not in errors:
        other = db.session.scalar(sa.select(User.id).where(User.email == email))
        if other and other != own_id:
            errors["email"] = _l("An account with this email address already exists.")
    return errors


def sign_up(*, name: str, password: str, mobile: str | None = None, email: str | None = None,
            employer: str | None = None, id_number: str | None = None) -> User:
    mobile, email = normalise_mobile(mobile), normalise_email(email)
    id_number = id_number.strip().upper() if id_number and id_number.strip() else None
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


def authenticate(login: str, password: str) -> User:
    user = _find_by_login(login)
    if user is None:
        # Same cost as a real check, so timing does not reveal which accounts exist.
        User(password_hash=_DUMMY_HASH).check_password(password or "")
        raise AuthError()
    if not user.check_password(password or "") or not user.active:
        raise AuthError()
    return user


_DUMMY_HASH = "scrypt:32768:8:1$4tiVv0cvsCJWvE3Y$" + "0" * 128


def update_profile(user: User, *, name: str, mobile: str | None, email: str | None,
                   employer: str | None, id_number: str | None) -> User:
    mobile, email = normalise_mobile(mobile), normalise_email(email)
    id_number = id_number.strip().upper() if id_number and id_number.strip() else None
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


def change_password(user: User, current: str, new: str) -> None:
    if not user.check_password(current or ""):
        raise InvalidInput(fields={"current": _l("The current password is wrong.")})
    if not new or len(new) < MIN_PASSWORD:
        raise InvalidInput(fields={"new": _l("The password needs at least %(n)s characters.", n=MIN_PASSWORD)})
    user.set_password(new)


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


# -- API tokens ---------------------------------------------------------------
API_TOKEN_LIFETIME = timedelta(days=30)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_api_token(user: User) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_hash_token(token),
                            expires_at=utcnow() + API_TOKEN_LIFETIME))
    return token


def user_for_api_token(token: str) -> User | None:
    if not token or len(token) > 100:
        return None
    # Roles and departments come in the same query: nearly every API call asks for them
    # (can_manage), and two lazy loads would double the round trips of a check-in scan.
    return db.session.scalars(
        sa.select(User).join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == _hash_token(token), ApiToken.revoked_at.is_(None),
               sa.or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > utcnow()),
               User.active.is_(True))
        .options(joinedload(User.role_rows), joinedload(User.departments))).unique().first()


# -- calendar feed ------------------------------------------------------------
def calendar_token(user: User) -> str:
    if not user.calendar_token:
        user.calendar_token = secrets.token_urlsafe(24)
    return user.calendar_token


def reset_calendar_token(user: User) -> str:
    user.calendar_token = secrets.token_urlsafe(24)
    return user.calendar_token
