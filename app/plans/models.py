"""A plan (a three-year action plan), its items (四、行动路径 (二)3 …, each with its 责任部门), its targets,
the figures entered by hand for targets the records cannot count, and the tags that say which
occasions serve which item. Loaded from a file (app/plans/loading.py); nothing here is in code."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Department, User
from app.extensions import db
from app.labels import LabelledEnum, labels
from app.timeutil import UTCDateTime, utcnow


class TargetPeriod(LabelledEnum):
    PLAN = "plan", _l("Over the whole plan")
    YEAR = "year", _l("Each year (or each few years)")


class Measure(LabelledEnum):
    COMPUTED = "computed", _l("Counted from the records")
    ENTERED = "entered", _l("Entered with evidence")


class SubjectKind(LabelledEnum):
    """What can be tagged with the plan items it serves."""
    SERIES = "series", _l("Event series")
    EVENT = "event", _l("Event")
    CYCLE = "cycle", _l("Camp cycle")
    BATCH = "batch", _l("Traineeship batch")
    COMPETITION = "competition", _l("Competition")
    STUDIO = "studio", _l("Skills master studio")


PERIOD_LABELS = labels(TargetPeriod)
MEASURE_LABELS = labels(Measure)
SUBJECT_LABELS = labels(SubjectKind)

plan_item_departments = sa.Table(
    "plan_item_departments",
    db.metadata,
    sa.Column("item_id", sa.ForeignKey("plan_items.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("department_id", sa.ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True),
)

plan_target_departments = sa.Table(
    "plan_target_departments",
    db.metadata,
    sa.Column("target_id", sa.ForeignKey("plan_targets.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("department_id", sa.ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True),
)


class Plan(db.Model):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    issued_by: Mapped[str] = mapped_column(sa.String(120), default="")
    issued_on: Mapped[date | None] = mapped_column(sa.Date)
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)  # inclusive: the plan's last day
    source: Mapped[str] = mapped_column(sa.String(200), default="")  # the file it was loaded from
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    items: Mapped[list[PlanItem]] = relationship(back_populates="plan", order_by="PlanItem.position",
                                                 cascade="all, delete-orphan")
    targets: Mapped[list[Target]] = relationship(back_populates="plan", order_by="Target.position",
                                                 cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Plan {self.slug}>"


class PlanItem(db.Model):
    """One line of the plan's action paths, e.g. (二)3 创业人才梯度培育计划. `serves` lists the kinds
    of occasion that serve it unless an organiser says otherwise (app/plans/tagging.py)."""

    __tablename__ = "plan_items"
    __table_args__ = (sa.UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(20))  # "二.3": the section's and the item's numbers
    section: Mapped[str] = mapped_column(sa.String(120), default="")  # （二）实施六项人才培育培养工程
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    serves: Mapped[list] = mapped_column(sa.JSON, default=list)

    plan: Mapped[Plan] = relationship(back_populates="items")
    departments: Mapped[list[Department]] = relationship(secondary=plan_item_departments, order_by=Department.id)

    def __repr__(self) -> str:
        return f"<PlanItem {self.code}>"


class Target(db.Model):
    """A number the plan sets: computed from the records by `rule` (app/plans/ledger), or entered by
    hand with evidence (EnteredFigure). A part of a target (正高 140: 教育 30, 卫生 70 …) has a parent."""

    __tablename__ = "plan_targets"
    __table_args__ = (sa.UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plan_items.id", ondelete="SET NULL"), index=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plan_targets.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(200))
    # None: an indicator the plan watches without setting a number (留在闵行 at 12 months).
    number: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2, asdecimal=True))
    unit: Mapped[str] = mapped_column(sa.String(20))  # 人, 个, 场, 家
    period: Mapped[str] = mapped_column(sa.String(8), default=TargetPeriod.PLAN.value)
    # A per-year target's length in years: 1 (每年成立5个工作室), 2 (每两年优选60名创始人).
    years: Mapped[int] = mapped_column(default=1, server_default="1")
    measure: Mapped[str] = mapped_column(sa.String(10), default=Measure.COMPUTED.value)
    rule: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # computed: {"counter": "...", ...}
    # What counts, in words, printed with every figure so that a reader can check it.
    definition: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    plan: Mapped[Plan] = relationship(back_populates="targets")
    item: Mapped[PlanItem | None] = relationship()
    parent: Mapped[Target | None] = relationship(remote_side=[id], back_populates="parts")
    parts: Mapped[list[Target]] = relationship(back_populates="parent", order_by="Target.position")
    departments: Mapped[list[Department]] = relationship(secondary=plan_target_departments, order_by=Department.id)

    @property
    def computed(self) -> bool:
        return self.measure == Measure.COMPUTED.value

    def __repr__(self) -> str:
        return f"<Target {self.code}>"


class EnteredFigure(db.Model):
    """A figure entered by hand for a target the records cannot count (flexible talents, 正高 by
    field …), with its evidence. Append-only: a correction is a new row naming the one it replaces,
    so the old value stays in the history."""

    __tablename__ = "plan_figures"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_targets.id", ondelete="CASCADE"), index=True)
    year: Mapped[int | None]  # the year it counts for (per-year targets), None for the whole plan
    as_of: Mapped[date] = mapped_column(sa.Date)  # the day the figure stands at
    value: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2, asdecimal=True))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    evidence_file: Mapped[str | None] = mapped_column(sa.String(80))  # a private file's stored name
    evidence_name: Mapped[str | None] = mapped_column(sa.String(200))  # the name it was uploaded with
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    corrects_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plan_figures.id"), unique=True)
    correction_reason: Mapped[str | None] = mapped_column(sa.String(300))

    target: Mapped[Target] = relationship()
    entered_by: Mapped[User | None] = relationship()
    corrects: Mapped[EnteredFigure | None] = relationship(remote_side=[id])


class PlanTag(db.Model):
    """An organiser's word on whether a subject (a series, an event, a camp cycle, a traineeship
    batch, a competition, a studio) serves an item: `serves` true adds the item, false removes one
    the programme's default gave it. Subjects without rows serve their defaults."""

    __tablename__ = "plan_tags"
    __table_args__ = (sa.UniqueConstraint("item_id", "subject_kind", "subject_id"),
                      sa.Index("ix_plan_tags_subject", "subject_kind", "subject_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_items.id", ondelete="CASCADE"))
    subject_kind: Mapped[str] = mapped_column(sa.String(12))
    subject_id: Mapped[int]
    serves: Mapped[bool] = mapped_column(default=True)
    tagged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    tagged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item: Mapped[PlanItem] = relationship()
