"""Youth traineeships (职业见习) and students' social practice (大学生社会实践).

A batch runs on an invitation-only event: host companies offer places, young people apply for up
to N places in order of preference, a host's contact accepts or declines its applicants, and the
bureau confirms the accepted ones. A confirmed trainee is seated on the batch's event, so their
ticket is their QR credential at the batch's training days (agenda sessions of that event).
During the placement the host confirms each month's attendance and evaluates the trainee twice;
at the end it says whether it keeps the trainee on (留用).
"""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Department, User
from app.events.models import Event
from app.extensions import db
from app.labels import LabelledEnum, labels
from app.occasions.models import Meeting
from app.organisations.models import Organisation
from app.registrations.models import Registration
from app.timeutil import UTCDateTime, utcnow
from app.transitions import Stateful, transition_table

# The plan: 三年内稳步实现招录1500名以上见习和实践学员.
PLAN_TARGET = 1500


class ProgrammeKind(LabelledEnum):
    JOB_TRAINEESHIP = "job_traineeship", _l("Job traineeship")  # 职业见习
    SOCIAL_PRACTICE = "social_practice", _l("Students' social practice")  # 大学生社会实践


class Season(LabelledEnum):
    SPRING = "spring", _l("Spring")
    SUMMER = "summer", _l("Summer")
    AUTUMN = "autumn", _l("Autumn")
    WINTER = "winter", _l("Winter")


class BatchStatus(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    OPEN = "open", _l("Open for applications")
    CLOSED = "closed", _l("Applications closed")
    RUNNING = "running", _l("Running")
    FINISHED = "finished", _l("Finished")
    CANCELLED = "cancelled", _l("Cancelled")


# Applications may be reopened after closing (a late host, too few applicants); a batch can be
# called off at any point before it has finished.
BATCH_TRANSITIONS = transition_table({
    None: {BatchStatus.DRAFT},
    BatchStatus.DRAFT: {BatchStatus.OPEN, BatchStatus.CANCELLED},
    BatchStatus.OPEN: {BatchStatus.CLOSED, BatchStatus.CANCELLED},
    BatchStatus.CLOSED: {BatchStatus.OPEN, BatchStatus.RUNNING, BatchStatus.CANCELLED},
    BatchStatus.RUNNING: {BatchStatus.FINISHED, BatchStatus.CANCELLED},
})


class PlaceStatus(LabelledEnum):
    OPEN = "open", _l("Open")
    CLOSED = "closed", _l("Closed")


class ApplicationStatus(LabelledEnum):
    SUBMITTED = "submitted", _l("Submitted")
    PLACED = "placed", _l("Placed")
    NOT_PLACED = "not_placed", _l("Not placed")
    WITHDRAWN = "withdrawn", _l("Withdrawn")


APPLICATION_TRANSITIONS = transition_table({
    None: {ApplicationStatus.SUBMITTED},
    ApplicationStatus.SUBMITTED: {ApplicationStatus.PLACED, ApplicationStatus.NOT_PLACED,
                                  ApplicationStatus.WITHDRAWN},
})


class ChoiceStatus(LabelledEnum):
    PENDING = "pending", _l("Awaiting the host's decision")
    ACCEPTED = "accepted", _l("Accepted by the host")
    DECLINED = "declined", _l("Declined")
    SUPERSEDED = "superseded", _l("No longer needed")


# An accepted choice whose placement the bureau rejects is declined (the bureau's reason).
CHOICE_TRANSITIONS = transition_table({
    None: {ChoiceStatus.PENDING},
    ChoiceStatus.PENDING: {ChoiceStatus.ACCEPTED, ChoiceStatus.DECLINED, ChoiceStatus.SUPERSEDED},
    ChoiceStatus.ACCEPTED: {ChoiceStatus.DECLINED},
})


class PlacementStatus(LabelledEnum):
    PROPOSED = "proposed", _l("Accepted by the host, awaiting the bureau")
    CONFIRMED = "confirmed", _l("Confirmed")
    REJECTED = "rejected", _l("Rejected by the bureau")
    COMPLETED = "completed", _l("Completed")
    WITHDRAWN = "withdrawn", _l("Withdrawn")


PLACEMENT_TRANSITIONS = transition_table({
    None: {PlacementStatus.PROPOSED},
    PlacementStatus.PROPOSED: {PlacementStatus.CONFIRMED, PlacementStatus.REJECTED},
    PlacementStatus.CONFIRMED: {PlacementStatus.COMPLETED, PlacementStatus.WITHDRAWN},
})
# A person holds one placement per batch: a withdrawn trainee keeps it (no second placement in
# the same batch); only a placement the bureau rejected frees the person for another host.
LIVE_PLACEMENT = tuple(s.value for s in PlacementStatus if s is not PlacementStatus.REJECTED)


class EvaluationStage(LabelledEnum):
    MID = "mid", _l("Mid-term evaluation")
    FINAL = "final", _l("Final evaluation")


class TrainingDayKind(LabelledEnum):
    OPENING = "opening", _l("Opening session")  # 开班仪式
    TRAINING = "training", _l("Training day")  # 岗前培训 / 集中培训
    CLOSING = "closing", _l("Closing session")  # 结业


KIND_LABELS, SEASON_LABELS, BATCH_STATUS_LABELS, PLACE_STATUS_LABELS = (
    labels(x) for x in (ProgrammeKind, Season, BatchStatus, PlaceStatus))
APPLICATION_STATUS_LABELS, CHOICE_STATUS_LABELS, PLACEMENT_STATUS_LABELS = (
    labels(x) for x in (ApplicationStatus, ChoiceStatus, PlacementStatus))
STAGE_LABELS, TRAINING_DAY_LABELS = labels(EvaluationStage), labels(TrainingDayKind)


class TraineeshipBatch(Stateful, db.Model):
    __tablename__ = "traineeship_batches"
    TRANSITIONS = BATCH_TRANSITIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id"), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    year: Mapped[int]
    season: Mapped[str] = mapped_column(sa.String(10))
    title: Mapped[str] = mapped_column(sa.String(200))
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"))
    status: Mapped[str] = mapped_column(sa.String(20), default=BatchStatus.DRAFT.value, index=True)
    applications_open_at: Mapped[datetime] = mapped_column(UTCDateTime)
    applications_close_at: Mapped[datetime] = mapped_column(UTCDateTime)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    max_choices: Mapped[int] = mapped_column(default=3)
    # The rules as data (eligibility.py reads them): min_age, max_age, graduation_years,
    # left_school_unemployed_only, shanghai_household_or_study.
    eligibility: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # The host's evaluation criteria: [{"key", "label", "max"}].
    rubric: Mapped[list] = mapped_column(sa.JSON, default=list)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship()
    department: Mapped[Department] = relationship()
    places: Mapped[list[TraineeshipPlace]] = relationship(back_populates="batch", order_by="TraineeshipPlace.id")
    training_days: Mapped[list[TrainingDay]] = relationship(back_populates="batch", order_by="TrainingDay.id")

    @property
    def kind_label(self) -> str:
        return ProgrammeKind.label_of(self.kind)

    @property
    def season_label(self) -> str:
        return Season.label_of(self.season)

    @property
    def status_label(self) -> str:
        return BatchStatus.label_of(self.status)


class TraineeshipPlace(db.Model):
    """A position a host company offers in a batch: how many trainees, for how many months."""

    __tablename__ = "traineeship_places"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(sa.ForeignKey("traineeship_batches.id", ondelete="CASCADE"), index=True)
    host_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    position: Mapped[str] = mapped_column(sa.String(120))
    openings: Mapped[int]
    months: Mapped[int]
    monthly_allowance: Mapped[int] = mapped_column(default=0)  # yuan, shown as information (no payment)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    requirements: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(10), default=PlaceStatus.OPEN.value)

    batch: Mapped[TraineeshipBatch] = relationship(back_populates="places")
    host: Mapped[Organisation] = relationship()

    @property
    def status_label(self) -> str:
        return PlaceStatus.label_of(self.status)


class TraineeApplication(Stateful, db.Model):
    """A young person's application to a batch: their answers (checked against the batch's
    eligibility rules) and their choices of places in order of preference."""

    __tablename__ = "trainee_applications"
    __table_args__ = (sa.UniqueConstraint("batch_id", "user_id"),)
    TRANSITIONS = APPLICATION_TRANSITIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(sa.ForeignKey("traineeship_batches.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default=ApplicationStatus.SUBMITTED.value)
    university_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id", ondelete="SET NULL"))
    school_name: Mapped[str] = mapped_column(sa.String(120), default="")  # as the applicant typed it
    major: Mapped[str] = mapped_column(sa.String(120), default="")
    education: Mapped[str] = mapped_column(sa.String(20), default="")
    graduation_year: Mapped[int]
    birth_date: Mapped[date]
    in_shanghai_household: Mapped[bool] = mapped_column(default=False)
    studies_in_shanghai: Mapped[bool] = mapped_column(default=False)
    left_school_unemployed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    batch: Mapped[TraineeshipBatch] = relationship()
    user: Mapped[User] = relationship()
    university: Mapped[Organisation | None] = relationship()
    choices: Mapped[list[ApplicationChoice]] = relationship(back_populates="application",
                                                            order_by="ApplicationChoice.rank")

    @property
    def status_label(self) -> str:
        return ApplicationStatus.label_of(self.status)


class ApplicationChoice(Stateful, db.Model):
    """One place an applicant chose, at its rank (1: most wanted); the host decides on it."""

    __tablename__ = "application_choices"
    __table_args__ = (sa.UniqueConstraint("application_id", "place_id"),
                      sa.UniqueConstraint("application_id", "rank"))
    TRANSITIONS = CHOICE_TRANSITIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("trainee_applications.id", ondelete="CASCADE"))
    place_id: Mapped[int] = mapped_column(sa.ForeignKey("traineeship_places.id", ondelete="CASCADE"), index=True)
    rank: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(20), default=ChoiceStatus.PENDING.value)
    reason: Mapped[str] = mapped_column(sa.String(300), default="")  # why it was declined
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    application: Mapped[TraineeApplication] = relationship(back_populates="choices")
    place: Mapped[TraineeshipPlace] = relationship()

    @property
    def status_label(self) -> str:
        return ChoiceStatus.label_of(self.status)


class Placement(Stateful, db.Model):
    """A trainee at a host: proposed when the host accepts, confirmed by the bureau (then the
    trainee is seated on the batch's event), completed or withdrawn; 留用 decided at the end."""

    __tablename__ = "placements"
    __table_args__ = (
        sa.Index("uq_placements_live_batch_user", "batch_id", "user_id", unique=True,
                 postgresql_where=sa.text("status <> 'rejected'"), sqlite_where=sa.text("status <> 'rejected'")),
    )
    TRANSITIONS = PLACEMENT_TRANSITIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(sa.ForeignKey("traineeship_batches.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("trainee_applications.id", ondelete="CASCADE"),
                                                index=True)
    choice_id: Mapped[int] = mapped_column(sa.ForeignKey("application_choices.id", ondelete="CASCADE"))
    place_id: Mapped[int] = mapped_column(sa.ForeignKey("traineeship_places.id"), index=True)
    host_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default=PlacementStatus.PROPOSED.value)
    registration_id: Mapped[int | None] = mapped_column(sa.ForeignKey("registrations.id"), unique=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    proposed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_reason: Mapped[str] = mapped_column(sa.String(300), default="")
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retained: Mapped[bool | None]  # 留用: None until the host has said
    retained_from: Mapped[date | None]
    retention_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    batch: Mapped[TraineeshipBatch] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    application: Mapped[TraineeApplication] = relationship()
    choice: Mapped[ApplicationChoice] = relationship()
    place: Mapped[TraineeshipPlace] = relationship()
    host: Mapped[Organisation] = relationship()
    registration: Mapped[Registration | None] = relationship()

    @property
    def status_label(self) -> str:
        return PlacementStatus.label_of(self.status)


class MonthlyAttendance(db.Model):
    """The host's confirmation of a trainee's month (month: its first day)."""

    __tablename__ = "traineeship_months"
    __table_args__ = (sa.UniqueConstraint("placement_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(sa.ForeignKey("placements.id", ondelete="CASCADE"))
    month: Mapped[date]
    present_days: Mapped[int] = mapped_column(default=0)
    absent_days: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    placement: Mapped[Placement] = relationship()


class TrainingDay(Meeting, db.Model):
    """A day the whole batch meets (opening, training, closing): an agenda session of the
    batch's event, checked in with the trainees' tickets."""

    __tablename__ = "traineeship_training_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(sa.ForeignKey("traineeship_batches.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20), default=TrainingDayKind.TRAINING.value)

    batch: Mapped[TraineeshipBatch] = relationship(back_populates="training_days")


class Evaluation(db.Model):
    """The host's mid-term or final evaluation of a trainee, scored on the batch's rubric."""

    __tablename__ = "traineeship_evaluations"
    __table_args__ = (sa.UniqueConstraint("placement_id", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(sa.ForeignKey("placements.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(sa.String(10))
    scores: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # criterion key -> points
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    placement: Mapped[Placement] = relationship()


class TraineeFeedback(db.Model):
    """The trainee's own word on the placement."""

    __tablename__ = "trainee_feedback"
    __table_args__ = (sa.CheckConstraint("rating BETWEEN 1 AND 5", name="ck_trainee_feedback_rating"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(sa.ForeignKey("placements.id", ondelete="CASCADE"), unique=True)
    rating: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    placement: Mapped[Placement] = relationship()
