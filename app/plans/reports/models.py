"""A report asked for (or scheduled): what it covers, for whom, and how far its rendering got.
The file itself is kept in the row (a few hundred KB), so any web process can hand it out."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app import jobs
from app.accounts.models import User
from app.background import BackgroundWork
from app.extensions import db
from app.labels import LabelledEnum, labels
from app.plans.models import Plan
from app.timeutil import UTCDateTime, utcnow


class ReportKind(LabelledEnum):
    ANNUAL = "annual", _l("Annual assessment")
    MIDTERM = "midterm", _l("Mid-term assessment")
    MONTHLY = "monthly", _l("Monthly report")


class ReportFormat(LabelledEnum):
    PDF = "pdf", _l("PDF")
    XLSX = "xlsx", _l("Spreadsheet (XLSX)")


class RunStatus(LabelledEnum):
    QUEUED = "queued", _l("Waiting to start")
    RUNNING = "running", _l("Being prepared")
    DONE = "done", _l("Ready")
    FAILED = "failed", _l("Could not be prepared")


KIND_LABELS = labels(ReportKind)
FORMAT_LABELS = labels(ReportFormat)
STATUS_LABELS = labels(RunStatus)
ACTIVE = (RunStatus.QUEUED.value, RunStatus.RUNNING.value)


class ReportRun(BackgroundWork, db.Model):
    """Its status moves queued → running → done | failed (→ queued when retried): app/background.py."""

    __tablename__ = "plan_report_runs"
    __table_args__ = (sa.Index("ix_plan_report_runs_lookup", "plan_id", "kind", "last_day"),)
    JOB_KIND = jobs.REPORT
    METRIC_KIND = "plan_report"
    DETAIL = "reason"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    fmt: Mapped[str] = mapped_column(sa.String(4), default=ReportFormat.PDF.value)
    # The departments it covers (sorted ids), None: the whole bureau.
    department_ids: Mapped[list | None] = mapped_column(sa.JSON(none_as_null=True))
    first_day: Mapped[date] = mapped_column(sa.Date)  # the period reported on, Shanghai days, inclusive
    last_day: Mapped[date] = mapped_column(sa.Date)  # the day the figures stand at
    status: Mapped[str | None] = mapped_column(sa.String(10))
    progress: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str | None] = mapped_column(sa.String(500))  # why it failed
    file_name: Mapped[str | None] = mapped_column(sa.String(120))
    body: Mapped[bytes | None] = deferred(mapped_column(sa.LargeBinary))
    size: Mapped[int] = mapped_column(default=0)
    scheduled: Mapped[bool] = mapped_column(default=False)  # the monthly run of the schedule
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    plan: Mapped[Plan] = relationship()
    requested_by: Mapped[User | None] = relationship()

    def restart(self) -> None:
        self.progress = 0

    @property
    def rq_job_id(self) -> str:
        return f"plan-report-{self.id}"

    @property
    def since(self) -> datetime:
        return self.requested_at

    @property
    def everything(self) -> bool:
        return self.department_ids is None

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    def __repr__(self) -> str:
        return f"<ReportRun {self.id} {self.kind} {self.status}>"
