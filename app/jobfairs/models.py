"""Job fairs (招聘会) and campus recruiting (校园招聘) held on an event of kind job_fair or
campus_recruiting. Employers from the registry take part with a booth; a booth shows its code
(a QR of an unguessable link); a job seeker who opens it expresses interest in some of the
booth's positions and shares a short profile with that employer only by an explicit consent,
recorded as a row and withdrawable. The employer's contacts see an interest only while its
consent stands; they mark outcomes (interviewed, offer, hired) through a transition table.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.accounts.models import User
from app.events.models import Event, EventKind
from app.extensions import db
from app.labels import LabelledEnum, labels
from app.organisations.models import Organisation
from app.timeutil import UTCDateTime, utcnow
from app.transitions import Stateful, transition_table

FAIR_KINDS = (EventKind.JOB_FAIR.value, EventKind.CAMPUS_RECRUITING.value)
# The consent's wording as shown (its version is stored with each consent: a later wording is a
# new version, and what a person agreed to stays what they read).
CONSENT_VERSION = "2026-1"


class InterestStatus(LabelledEnum):
    PENDING = "pending", _l("Awaiting your consent")  # a booth's volunteer scanned the seeker's ticket
    SHARED = "shared", _l("Shared with the employer")
    WITHDRAWN = "withdrawn", _l("Consent withdrawn")


# Withdrawn consent may be given again (a new consent row); until then the employer sees nothing.
INTEREST_TRANSITIONS = transition_table({
    None: {InterestStatus.PENDING, InterestStatus.SHARED},
    InterestStatus.PENDING: {InterestStatus.SHARED, InterestStatus.WITHDRAWN},
    InterestStatus.SHARED: {InterestStatus.WITHDRAWN},
    InterestStatus.WITHDRAWN: {InterestStatus.SHARED},
})


class Outcome(LabelledEnum):
    NONE = "none", _l("Not yet")
    INTERVIEWED = "interviewed", _l("Interviewed")
    OFFER = "offer", _l("Offer made")
    HIRED = "hired", _l("Hired")
    NOT_SUITABLE = "not_suitable", _l("Not suitable")


# An employer moves a candidate forward; "not suitable" ends it at any point before hiring.
OUTCOME_TRANSITIONS = transition_table({
    None: {Outcome.NONE},
    Outcome.NONE: {Outcome.INTERVIEWED, Outcome.OFFER, Outcome.NOT_SUITABLE},
    Outcome.INTERVIEWED: {Outcome.OFFER, Outcome.NOT_SUITABLE},
    Outcome.OFFER: {Outcome.HIRED, Outcome.NOT_SUITABLE},
})


class Education(LabelledEnum):
    ANY = "any", _l("Any")
    SECONDARY = "secondary", _l("Secondary school")
    VOCATIONAL = "vocational", _l("Vocational school")
    ASSOCIATE = "associate", _l("Associate degree (大专)")
    BACHELOR = "bachelor", _l("Bachelor's degree")
    MASTER = "master", _l("Master's degree")
    DOCTORATE = "doctorate", _l("Doctorate")


INTEREST_STATUS_LABELS, OUTCOME_LABELS, EDUCATION_LABELS = labels(InterestStatus), labels(Outcome), labels(Education)


class FairEmployer(db.Model):
    """An employer (a registry organisation) at a fair, at its booth; `booth_code` is the secret in
    the booth's QR link."""

    __tablename__ = "fair_employers"
    __table_args__ = (sa.UniqueConstraint("event_id", "booth"), sa.UniqueConstraint("event_id", "organisation_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    booth: Mapped[str] = mapped_column(sa.String(20))
    booth_code: Mapped[str] = mapped_column(sa.String(43), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship()
    organisation: Mapped[Organisation] = relationship()
    positions: Mapped[list[Position]] = relationship(back_populates="employer", order_by="Position.id")


class Position(db.Model):
    """A job an employer recruits for at the fair."""

    __tablename__ = "fair_positions"

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_employer_id: Mapped[int] = mapped_column(sa.ForeignKey("fair_employers.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    openings: Mapped[int]
    education: Mapped[str] = mapped_column(sa.String(20), default=Education.ANY.value)
    major: Mapped[str] = mapped_column(sa.String(120), default="")
    salary_min: Mapped[int | None]  # yuan a month
    salary_max: Mapped[int | None]
    location: Mapped[str] = mapped_column(sa.String(120), default="")

    employer: Mapped[FairEmployer] = relationship(back_populates="positions")

    @property
    def education_label(self) -> str:
        return Education.label_of(self.education)


interest_positions = sa.Table(
    "fair_interest_positions", db.metadata,
    sa.Column("interest_id", sa.ForeignKey("fair_interests.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("position_id", sa.ForeignKey("fair_positions.id", ondelete="CASCADE"), primary_key=True),
)


class Interest(Stateful, db.Model):
    """A job seeker's interest in positions at one booth, with the profile they chose to share
    (their own copy: editing it changes nothing else of theirs)."""

    __tablename__ = "fair_interests"
    __table_args__ = (sa.UniqueConstraint("fair_employer_id", "user_id"),)
    TRANSITIONS = INTEREST_TRANSITIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_employer_id: Mapped[int] = mapped_column(sa.ForeignKey("fair_employers.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20))
    name: Mapped[str] = mapped_column(sa.String(60), default="")
    education: Mapped[str] = mapped_column(sa.String(20), default="")
    school: Mapped[str] = mapped_column(sa.String(120), default="")
    university_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id", ondelete="SET NULL"))
    major: Mapped[str] = mapped_column(sa.String(120), default="")
    cv_file: Mapped[str | None] = mapped_column(sa.String(60))
    via: Mapped[str] = mapped_column(sa.String(20), default="booth_code")  # or volunteer_scan
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    employer: Mapped[FairEmployer] = relationship()
    user: Mapped[User] = relationship()
    university: Mapped[Organisation | None] = relationship()
    positions: Mapped[list[Position]] = relationship(secondary=interest_positions, order_by="Position.id")

    @property
    def status_label(self) -> str:
        return InterestStatus.label_of(self.status)


class Consent(db.Model):
    """A seeker's consent to share their profile with one employer at one fair: who, whom, when, the
    wording's version, whether the mobile number is included; `withdrawn_at` once withdrawn. Rows
    are never deleted: a new consent after a withdrawal is a new row."""

    __tablename__ = "fair_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    interest_id: Mapped[int] = mapped_column(sa.ForeignKey("fair_interests.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    wording_version: Mapped[str] = mapped_column(sa.String(20))
    includes_mobile: Mapped[bool] = mapped_column(default=False)
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class InterestOutcome(Stateful, db.Model):
    """Where the employer has got with a candidate; its moves are kept in status_changes."""

    __tablename__ = "fair_outcomes"
    TRANSITIONS = OUTCOME_TRANSITIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    interest_id: Mapped[int] = mapped_column(sa.ForeignKey("fair_interests.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(sa.String(20))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    interest: Mapped[Interest] = relationship(backref=backref("outcome", uselist=False))

    @property
    def status_label(self) -> str:
        return Outcome.label_of(self.status)


class BoothVisit(db.Model):
    """A signed-in person opened a booth's code: a visitor of the fair even without a ticket."""

    __tablename__ = "fair_booth_visits"
    __table_args__ = (sa.UniqueConstraint("fair_employer_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_employer_id: Mapped[int] = mapped_column(sa.ForeignKey("fair_employers.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
