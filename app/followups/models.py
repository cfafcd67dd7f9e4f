"""A follow-up survey (留在闵行): one person × one programme (a camp cohort, a traineeship batch,
a pitch competition) × months after its end; and an organiser's choice of months for one programme."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db
from app.labels import LabelledEnum, labels
from app.organisations.models import Organisation
from app.organisations.refs import organisation_ref
from app.timeutil import UTCDateTime, utcnow
from app.transitions import Stateful, transition_table


class ProgrammeKind(LabelledEnum):
    CAMP = "camp", _l("Entrepreneurship camp cohort")
    TRAINEESHIP = "traineeship", _l("Traineeship batch")
    PITCH = "pitch", _l("Pitch competition")


# Founders are asked about their company's funding and team too.
FOUNDER_KINDS = frozenset({ProgrammeKind.CAMP.value, ProgrammeKind.PITCH.value})


class SurveyStatus(LabelledEnum):
    PENDING = "pending", _l("Not sent yet")
    SENT = "sent", _l("Sent")
    ANSWERED = "answered", _l("Answered")
    EXPIRED = "expired", _l("Expired")


SURVEY_TRANSITIONS = transition_table({
    None: {SurveyStatus.PENDING},
    SurveyStatus.PENDING: {SurveyStatus.SENT},
    SurveyStatus.SENT: {SurveyStatus.ANSWERED, SurveyStatus.EXPIRED},
    SurveyStatus.ANSWERED: set(),
    SurveyStatus.EXPIRED: set(),
})


class Working(LabelledEnum):
    EMPLOYED_MINHANG = "employed_minhang", _l("Employed in Minhang")
    OWN_COMPANY_MINHANG = "own_company_minhang", _l("Running my own company in Minhang")
    OUTSIDE_MINHANG = "outside_minhang", _l("Working outside Minhang")
    STUDYING = "studying", _l("Studying")
    NOT_WORKING = "not_working", _l("Not working")
    UNDISCLOSED = "undisclosed", _l("Prefer not to say")


# 留在闵行: still working in Minhang, as an employee or running one's own company.
IN_MINHANG = frozenset({Working.EMPLOYED_MINHANG.value, Working.OWN_COMPANY_MINHANG.value})
WORKING_LABELS = labels(Working)
KIND_LABELS = labels(ProgrammeKind)
STATUS_LABELS = labels(SurveyStatus)


class FollowupSurvey(Stateful, db.Model):
    __tablename__ = "followup_surveys"
    __table_args__ = (
        # Whoever computes it (the daily job, the CLI, a retry), one survey per person, programme, month.
        sa.UniqueConstraint("user_id", "programme_kind", "programme_id", "months_after",
                            name="uq_followup_surveys_person_programme_months"),
        sa.Index("ix_followup_surveys_programme", "programme_kind", "programme_id"),
    )
    TRANSITIONS = SURVEY_TRANSITIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    programme_kind: Mapped[str] = mapped_column(sa.String(12))
    programme_id: Mapped[int]
    # The programme's event: its department is whose organisers see the answers.
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id"), index=True)
    label: Mapped[str] = mapped_column(sa.String(200))  # the cohort's or batch's name, as it was
    founder: Mapped[bool] = mapped_column(default=False)
    ended_on: Mapped[date]
    months_after: Mapped[int]
    due_on: Mapped[date]
    status: Mapped[str] = mapped_column(sa.String(10), default=SurveyStatus.PENDING.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The answers
    working: Mapped[str | None] = mapped_column(sa.String(24))
    organisation_id: Mapped[int | None] = organisation_ref()
    organisation_name: Mapped[str] = mapped_column(sa.String(200), default="")  # as typed
    funding_wan: Mapped[int | None]  # funding raised so far, 万元
    team_size: Mapped[int | None]
    note: Mapped[str] = mapped_column(sa.String(500), default="")

    user: Mapped[User] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    @property
    def status_label(self) -> str:
        return SurveyStatus.label_of(self.status)

    @property
    def kind_label(self) -> str:
        return ProgrammeKind.label_of(self.programme_kind)

    @property
    def working_label(self) -> str:
        return Working.label_of(self.working) if self.working else ""

    @property
    def in_minhang(self) -> bool:
        return self.working in IN_MINHANG

    @property
    def employer_text(self) -> str:
        return self.organisation.name if self.organisation is not None else self.organisation_name


class FollowupSetting(db.Model):
    """The months after its end at which one programme's people are asked (instead of the default)."""

    __tablename__ = "followup_settings"
    __table_args__ = (sa.UniqueConstraint("programme_kind", "programme_id",
                                          name="uq_followup_settings_programme"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_kind: Mapped[str] = mapped_column(sa.String(12))
    programme_id: Mapped[int]
    months: Mapped[list] = mapped_column(sa.JSON, default=list)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
