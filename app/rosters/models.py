"""Roster members: a person appointed as a mentor, ambassador or recruiting officer for a term."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Department, User
from app.extensions import db
from app.labels import LabelledEnum, labels
from app.organisations.models import Organisation
from app.timeutil import UTCDateTime, local_today, utcnow
from app.transitions import Stateful, transition_table


class RosterKind(LabelledEnum):
    MENTOR = "mentor", _l("Overseas entrepreneurship mentor")  # 海(境)外创业导师
    AMBASSADOR = "ambassador", _l("Talent ambassador")         # 引才大使
    OFFICER = "officer", _l("Talent recruiting officer")       # 引才专员

    @property
    def refers(self) -> bool:
        """Ambassadors and officers bring people in through a personal referral link."""
        return self is not RosterKind.MENTOR


KIND_LABELS = labels(RosterKind)

# Printed on the appointment letter (聘书), which is in Chinese whatever the organiser's UI language.
APPOINTMENT_TITLES = {
    RosterKind.MENTOR: "闵行区海(境)外创业导师",
    RosterKind.AMBASSADOR: "闵行区引才大使",
    RosterKind.OFFICER: "闵行区引才专员",
}


class MemberStatus(LabelledEnum):
    ACTIVE = "active", _l("Active")
    SUSPENDED = "suspended", _l("Suspended")
    ENDED = "ended", _l("Ended")


STATUS_LABELS = labels(MemberStatus)
EXPIRED_LABEL = _l("Term expired")

# A suspended member may be reinstated; ending an appointment is final (a new term is a new appointment).
MEMBER_TRANSITIONS = transition_table({
    None: {MemberStatus.ACTIVE},
    MemberStatus.ACTIVE: {MemberStatus.SUSPENDED, MemberStatus.ENDED},
    MemberStatus.SUSPENDED: {MemberStatus.ACTIVE, MemberStatus.ENDED},
    MemberStatus.ENDED: set(),
})
_NOT_ENDED = sa.text("status <> 'ended'")


class RosterMember(Stateful, db.Model):
    __tablename__ = "roster_members"
    __table_args__ = (
        # A person holds one current appointment of a kind; ended ones stay as history.
        sa.Index("uq_roster_members_current", "kind", "user_id", unique=True,
                 postgresql_where=_NOT_ENDED, sqlite_where=_NOT_ENDED),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(12), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id", ondelete="SET NULL"))
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"))
    expertise: Mapped[str] = mapped_column(sa.String(200), default="")
    term_from: Mapped[date]
    term_to: Mapped[date]
    status: Mapped[str] = mapped_column(sa.String(10), default=MemberStatus.ACTIVE.value)
    # Ambassadors and officers only: what their link carries (/r/<code>), not personal data.
    referral_code: Mapped[str | None] = mapped_column(sa.String(12), unique=True)
    ended_on: Mapped[date | None]
    end_note: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    department: Mapped[Department] = relationship()

    TRANSITIONS = MEMBER_TRANSITIONS

    @property
    def kind_enum(self) -> RosterKind:
        return RosterKind(self.kind)

    @property
    def expired(self) -> bool:
        """Not ended by anyone, but past the last day of the term."""
        return self.status != MemberStatus.ENDED.value and self.term_to < local_today()

    @property
    def serving(self) -> bool:
        """Active and within the term: may mentor, and their referral link counts."""
        return self.status == MemberStatus.ACTIVE.value and not self.expired

    @property
    def status_label(self) -> str:
        return str(EXPIRED_LABEL) if self.expired else MemberStatus.label_of(self.status)
