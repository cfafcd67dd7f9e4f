from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.labels import LabelledEnum, labels
from app.privacy import mask_email, mask_id_number, mask_phone
from app.timeutil import UTCDateTime, utcnow


class Role(LabelledEnum):
    ADMIN = "admin", _l("Administrator")
    ORGANISER = "organiser", _l("Organiser")
    TRAINER = "trainer", _l("Trainer")
    JUDGE = "judge", _l("Judge")
    # Read the plan's dashboard and reports: a leader across every department, a head for their own.
    LEADER = "leader", _l("Bureau leader")
    HEAD = "head", _l("Department head")
    PARTICIPANT = "participant", _l("Participant")


ROLE_LABELS = labels(Role)


def role_label(role: str) -> str:
    return Role.label_of(role)


user_departments = sa.Table(
    "user_departments",
    db.metadata,
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("department_id", sa.ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True),
)


class Department(db.Model):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)

    def __repr__(self) -> str:
        return f"<Department {self.code}>"


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(20), primary_key=True)


def organises(user, department_id: int | None) -> bool:
    """`User.organises` for anyone, signed in or not."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.organises(department_id))


def _postgresql_index(name: str, column: str, **kw) -> sa.Index:
    """An index only PostgreSQL gets (migration hh19rs000001): not created on SQLite, and left out
    of the models-vs-migrations comparison there (tests/platform, by this `info`)."""
    return sa.Index(name, column, info={"postgresql_only": True}, **kw).ddl_if(dialect="postgresql")


# Searching people by any part of a name, mobile, email or employer (issue 19): trigram indexes
# serve LIKE/ILIKE '%q%' for 3 characters or more; a search of 1 or 2 characters is a name
# prefix, served by the btree (pattern ops: any collation). SQLite scans.
USER_SEARCH_INDEXES = (
    *(_postgresql_index(f"ix_users_{c}_trgm", c, postgresql_using="gin", postgresql_ops={c: "gin_trgm_ops"})
      for c in ("name", "mobile", "email", "employer")),
    _postgresql_index("ix_users_name_prefix", "name", postgresql_ops={"name": "varchar_pattern_ops"}),
)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = USER_SEARCH_INDEXES

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    mobile: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    email: Mapped[str | None] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    employer: Mapped[str | None] = mapped_column(sa.String(120))
    id_number: Mapped[str | None] = mapped_column(sa.String(18))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    calendar_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The channels the person wants notices by, besides the inbox (always on).
    notify_mail: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    notify_sms: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # Set when staff merged this account into another (app/person/merge): the sign-in then names
    # the surviving account's login instead of only refusing.
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan")
    merged_into: Mapped[User | None] = relationship(remote_side=[id])
    departments: Mapped[list[Department]] = relationship(secondary=user_departments, order_by=Department.id)

    # -- roles ---------------------------------------------------------------
    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows} | {Role.PARTICIPANT.value}

    def has_role(self, *roles: Role | str) -> bool:
        wanted = {r.value if isinstance(r, Role) else r for r in roles}
        return bool(self.roles & wanted)

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.ADMIN)

    @property
    def is_staff(self) -> bool:
        return self.has_role(Role.ADMIN, Role.ORGANISER)

    def set_roles(self, roles) -> None:
        wanted = {r.value if isinstance(r, Role) else r for r in roles} - {Role.PARTICIPANT.value}
        self.role_rows = [row for row in self.role_rows if row.role in wanted]
        have = {row.role for row in self.role_rows}
        for role in sorted(wanted - have):
            self.role_rows.append(UserRole(role=role))

    @property
    def department_ids(self) -> set[int]:
        return {d.id for d in self.departments}

    def organises(self, department_id: int | None) -> bool:
        """Admins run everything; organisers run what belongs to their departments (events,
        cohorts, studios, competitions, certificates)."""
        return self.is_admin or (department_id is not None and self.has_role(Role.ORGANISER)
                                 and department_id in self.department_ids)

    # -- credentials ---------------------------------------------------------
    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    # The signed-in session this object was loaded for (see UserSession): Flask-Login stores
    # get_id() in the session cookie and in the remember cookie, so both name the server-side
    # row and stop working once it is revoked.
    session_key = None  # str while loaded for a session; a plain attribute, not a column

    def get_id(self) -> str:  # Flask-Login
        return f"{self.id}:{self.session_key}" if self.session_key else str(self.id)

    # -- masked views --------------------------------------------------------
    @property
    def mobile_masked(self) -> str:
        return mask_phone(self.mobile)

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def email_masked(self) -> str:
        return mask_email(self.email)

    @property
    def login_hint(self) -> str:
        return self.mobile_masked or self.email_masked

    def __repr__(self) -> str:
        return f"<User {self.id} {self.name}>"


class ApiToken(db.Model):
    """Bearer tokens for the JSON API; only a hash of the secret is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str | None] = mapped_column(sa.String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class UserSession(db.Model):
    """One sign-in (browser session and its remember-me cookie), so that logout and a password
    change end it on the server: a copied cookie names a revoked row and loads nobody. Kept
    minimal on purpose: no address, only a short user-agent summary for the owner's own list."""

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(sa.String(43), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_agent: Mapped[str | None] = mapped_column(sa.String(120))
