"""Applications and selection (programmes, cycles and cohorts are in app.cohorts.camps.models,
lessons and attendance marks in app.cohorts.lessons.models).
"""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.cohorts.camps.models import Cycle, Tier
from app.cohorts.grading.models import (  # noqa: F401 - re-exported: grading models live there
    AssessmentKind,
    ASSESSMENT_KIND_LABELS,
    Assessment,
    RubricCriterion,
    RubricLevel,
    Grade,
    GradeChange,
    CohortGrading,
    GradeLockEvent,
    Outcome,
    OUTCOME_LABELS,
    ResultRun,
    CohortResult,
)
from app.extensions import db
from app.labels import LabelledEnum, labels
from app.organisations.models import Organisation
from app.organisations.refs import organisation_ref
from app.organisations.industries import INDUSTRIES  # noqa: F401 - one list, shared with organisations
from app.timeutil import UTCDateTime, utcnow
from app.transitions import Stateful, transition_table


# -- applications and selection -------------------------------------------------


class ApplicationStatus(LabelledEnum):
    SUBMITTED = "submitted", _l("Submitted")
    ADMITTED = "admitted", _l("Admitted")
    WAITLISTED = "waitlisted", _l("Waiting list")
    REJECTED = "rejected", _l("Not admitted")
    WITHDRAWN = "withdrawn", _l("Withdrawn")


# An application is submitted, then decided; undecided, waitlisted or rejected ones can still be
# decided otherwise or withdrawn; admission is final here (leaving a camp is the enrolment's
# withdrawal); a withdrawn application is submitted again by applying again.
APPLICATION_TRANSITIONS = transition_table({
    None: {ApplicationStatus.SUBMITTED},
    ApplicationStatus.SUBMITTED: {ApplicationStatus.ADMITTED, ApplicationStatus.WAITLISTED,
                                  ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN},
    ApplicationStatus.WAITLISTED: {ApplicationStatus.ADMITTED, ApplicationStatus.REJECTED,
                                   ApplicationStatus.WITHDRAWN},
    ApplicationStatus.REJECTED: {ApplicationStatus.ADMITTED, ApplicationStatus.WAITLISTED,
                                 ApplicationStatus.WITHDRAWN},
    ApplicationStatus.ADMITTED: set(),
    ApplicationStatus.WITHDRAWN: {ApplicationStatus.SUBMITTED},
})

APPLICATION_STATUS_LABELS = labels(ApplicationStatus)

# Choice lists of the application form: stored codes, translated labels.

FUNDING_STAGES = {
    "none": _l("Not yet funded"),
    "angel": _l("Angel round"),
    "pre_a": _l("Pre-A round"),
    "a": _l("Series A"),
    "b_plus": _l("Series B or later"),
}


class Application(Stateful, db.Model):
    """A founder's application to a tier of a cycle, with a snapshot of the details given then.
    One per person per cycle; status moves only through `applications.decide` / `withdraw`, and
    each move is a row of ApplicationHistory."""

    __tablename__ = "applications"
    __table_args__ = (sa.UniqueConstraint("cycle_id", "user_id"),
                      sa.Index("ix_applications_cycle_tier_status", "cycle_id", "tier_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("cycles.id", ondelete="CASCADE"))
    tier_id: Mapped[int] = mapped_column(sa.ForeignKey("tiers.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    mobile: Mapped[str] = mapped_column(sa.String(20))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    id_number: Mapped[str | None] = mapped_column(sa.String(18))
    company_name: Mapped[str] = mapped_column(sa.String(200))
    uscc: Mapped[str] = mapped_column(sa.String(18))  # 统一社会信用代码
    # The registry's row for the company typed above (app.organisations.linking), or None.
    organisation_id: Mapped[int | None] = organisation_ref()
    founded_on: Mapped[date]
    industry: Mapped[str] = mapped_column(sa.String(20))
    team_size: Mapped[int]
    funding_stage: Mapped[str] = mapped_column(sa.String(12))
    business_plan: Mapped[str] = mapped_column(sa.Text)
    pitch_deck: Mapped[str | None] = mapped_column(sa.String(64))  # file name in the private upload folder
    status: Mapped[str] = mapped_column(sa.String(12), default=ApplicationStatus.SUBMITTED.value)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decision_note: Mapped[str] = mapped_column(sa.String(500), default="")
    # The referral link the founder came through (app.referred); credited by the rosters, a higher layer.
    referral_code: Mapped[str | None] = mapped_column(sa.String(12), index=True)

    cycle: Mapped[Cycle] = relationship()
    tier: Mapped[Tier] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    organisation: Mapped[Organisation | None] = relationship()
    history: Mapped[list[ApplicationHistory]] = relationship(
        back_populates="application", order_by="ApplicationHistory.id")

    TRANSITIONS = APPLICATION_TRANSITIONS

    def record_transition(self, old, new, *, actor, note, at) -> None:
        self.history.append(ApplicationHistory(actor_id=getattr(actor, "id", None), old_status=old,
                                               new_status=new, note=note[:500], created_at=at))

    @property
    def status_enum(self) -> ApplicationStatus:
        return ApplicationStatus(self.status)

    @property
    def industry_label(self) -> str:
        return str(INDUSTRIES.get(self.industry, self.industry))

    @property
    def funding_stage_label(self) -> str:
        return str(FUNDING_STAGES.get(self.funding_stage, self.funding_stage))


class ApplicationHistory(db.Model):
    """Append-only: every status change of an application (who, when, old → new, note)."""

    __tablename__ = "application_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    old_status: Mapped[str | None] = mapped_column(sa.String(12))
    new_status: Mapped[str] = mapped_column(sa.String(12))
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[Application] = relationship(back_populates="history")
    actor: Mapped[User | None] = relationship()


class ReviewCriterion(db.Model):
    """One line of a cycle's rubric: applications are scored 0..max_score on it, and it counts
    with `weight` in the weighted total."""

    __tablename__ = "review_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    weight: Mapped[int] = mapped_column(default=1)
    max_score: Mapped[int] = mapped_column(default=10)
    position: Mapped[int] = mapped_column(default=0)


class ReviewScore(db.Model):
    """A reviewer's score of an application on one criterion (kept up to date; changes audited)."""

    __tablename__ = "review_scores"
    __table_args__ = (sa.UniqueConstraint("application_id", "reviewer_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("review_criteria.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(sa.Float)
    comment: Mapped[str] = mapped_column(sa.String(1000), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    reviewer: Mapped[User] = relationship()
    criterion: Mapped[ReviewCriterion] = relationship()
