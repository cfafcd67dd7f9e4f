"""Certificates: templates, issued certificates (never deleted), serial counters, print jobs."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import jobs
from app.accounts.models import Department, User
from app.background import BackgroundWork
from app.extensions import db
from app.labels import LabelledEnum, labels
from app.timeutil import UTCDateTime, utcnow


class CertificateKind(LabelledEnum):
    COMPLETION = "completion", _l("Certificate of completion")     # 结业证书
    DISTINCTION = "distinction", _l("Certificate of distinction")  # 优秀学员证书
    AWARD = "award", _l("Award certificate")                       # 获奖证书
    ATTENDANCE = "attendance", _l("Certificate of attendance")     # 参会证明
    APPOINTMENT = "appointment", _l("Letter of appointment")       # 聘书
    TRAINEESHIP = "traineeship", _l("Traineeship certificate")     # 见习证明
    PRACTICE = "practice", _l("Social practice certificate")      # 实践证明

    @property
    def serial_code(self) -> str:
        """The two letters in the serial (MH-2026-JY-000123): pinyin initials of the title."""
        return SERIAL_CODES[self]


KIND_LABELS = labels(CertificateKind)
SERIAL_CODES = {
    CertificateKind.COMPLETION: "JY",    # 结业
    CertificateKind.DISTINCTION: "YX",   # 优秀
    CertificateKind.AWARD: "HJ",         # 获奖
    CertificateKind.ATTENDANCE: "CH",    # 参会
    CertificateKind.APPOINTMENT: "PS",   # 聘书
    CertificateKind.TRAINEESHIP: "JX",   # 见习
    CertificateKind.PRACTICE: "SJ",      # 实践
}


class CertStatus(LabelledEnum):
    VALID = "valid", _l("Valid")
    REVOKED = "revoked", _l("Revoked")
    SUPERSEDED = "superseded", _l("Superseded by a newer version")


STATUS_LABELS = labels(CertStatus)


class CertificateTemplate(db.Model):
    """An admin-edited HTML/CSS design; its HTML is rendered in a Jinja sandbox with a flat context."""

    __tablename__ = "certificate_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    title: Mapped[str] = mapped_column(sa.String(60))  # printed heading and public title, e.g. 结业证书
    html: Mapped[str] = mapped_column(sa.Text)
    css: Mapped[str] = mapped_column(sa.Text, default="")
    page_size: Mapped[str] = mapped_column(sa.String(30), default="A4 landscape")
    seal_image: Mapped[str | None] = mapped_column(sa.String(120))
    signature_image: Mapped[str | None] = mapped_column(sa.String(120))
    signatory: Mapped[str] = mapped_column(sa.String(60), default="")  # printed under the signature
    is_default: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def kind_enum(self) -> CertificateKind:
        return CertificateKind(self.kind)


class CertificateTemplateVersion(db.Model):
    """Append-only: a template as it stood after one save (number 1, 2, … per template). A
    certificate keeps the version it was issued with and is always printed with it, whatever the
    template became later (app/certificates/template_versions.py)."""

    __tablename__ = "certificate_template_versions"
    __table_args__ = (sa.UniqueConstraint("template_id", "number", name="uq_certificate_template_versions_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("certificate_templates.id",
                                                           name="fk_certificate_template_versions_template"))
    number: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.String(60))
    html: Mapped[str] = mapped_column(sa.Text)
    css: Mapped[str] = mapped_column(sa.Text, default="")
    page_size: Mapped[str] = mapped_column(sa.String(30), default="A4 landscape")
    seal_image: Mapped[str | None] = mapped_column(sa.String(120))
    signature_image: Mapped[str | None] = mapped_column(sa.String(120))
    signatory: Mapped[str] = mapped_column(sa.String(60), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    template: Mapped[CertificateTemplate] = relationship()


class SerialCounter(db.Model):
    """The last serial number given per kind and year: locked while numbers are taken, so two
    batches issued at once never get the same number (the unique serial is the backstop)."""

    __tablename__ = "certificate_serial_counters"

    kind: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_value: Mapped[int] = mapped_column(default=0)


class Certificate(db.Model):
    """One issued certificate. Never deleted: revoked with a reason, or superseded by a reissue."""

    __tablename__ = "certificates"
    __table_args__ = (
        # One version number per recipient, kind and subject: two racing issues cannot both be v1.
        sa.UniqueConstraint("subject_type", "subject_id", "kind", "recipient_id", "version",
                            name="uq_certificates_version_per_recipient"),  # the default name is too long
        sa.Index("ix_certificates_subject", "subject_type", "subject_id", "kind"),
        # a subject's certificates in print order (select_certificates): a page of 50 without sorting 10,000
        sa.Index("ix_certificates_subject_order", "subject_type", "subject_id", "issued_on", "serial"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(sa.String(32), unique=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)  # unguessable, in the QR link
    kind: Mapped[str] = mapped_column(sa.String(20))
    subject_type: Mapped[str] = mapped_column(sa.String(20))  # "event" (later "cohort", "competition")
    subject_id: Mapped[int]
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    recipient_name: Mapped[str] = mapped_column(sa.String(60))  # as printed, whatever the account says later
    title: Mapped[str] = mapped_column(sa.String(60))           # 结业证书 …
    programme: Mapped[str] = mapped_column(sa.String(200))      # the event, cohort or competition
    held_on: Mapped[str] = mapped_column(sa.String(60), default="")  # its date(s), as printed
    tier: Mapped[str] = mapped_column(sa.String(60), default="")
    award: Mapped[str] = mapped_column(sa.String(120), default="")
    issued_on: Mapped[date] = mapped_column(sa.Date)
    issuer_department_id: Mapped[int | None] = mapped_column(sa.ForeignKey("departments.id"))
    issuer_name: Mapped[str] = mapped_column(sa.String(120))
    template_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certificate_templates.id"))
    # The template as it was when this certificate was issued: what it is printed with, always.
    template_version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certificate_template_versions.id",
                                                                          name="fk_certificates_template_version"))
    version: Mapped[int] = mapped_column(default=1)
    supersedes_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certificates.id"))
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoke_reason: Mapped[str | None] = mapped_column(sa.String(300))
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the holder was told (mail row, inbox, SMS): NULL while a big batch's notices wait for
    # their background job (app/certificates/notices.py).
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id])
    issuer_department: Mapped[Department | None] = relationship()
    template: Mapped[CertificateTemplate | None] = relationship()
    template_version: Mapped[CertificateTemplateVersion | None] = relationship()
    supersedes: Mapped[Certificate | None] = relationship(remote_side=[id], foreign_keys=[supersedes_id])

    @property
    def status(self) -> CertStatus:
        if self.revoked_at is not None:
            return CertStatus.REVOKED
        if self.superseded_at is not None:
            return CertStatus.SUPERSEDED
        return CertStatus.VALID

    @property
    def kind_enum(self) -> CertificateKind:
        return CertificateKind(self.kind)

    def __repr__(self) -> str:
        return f"<Certificate {self.serial}>"


class JobStatus(LabelledEnum):
    QUEUED = "queued", _l("Waiting to start")
    RUNNING = "running", _l("Rendering")
    DONE = "done", _l("Ready")
    FAILED = "failed", _l("Failed")


JOB_LABELS = labels(JobStatus)


def job_label(status: str) -> str:
    return JobStatus.label_of(status)


class PrintJob(BackgroundWork, db.Model):
    """A batch print in the background (RQ worker or a thread): its progress lives here, so any
    web process can report it and the organiser can come back later for the file. Its status
    changes through `transition` (app/background.py: queued → running → done | failed → queued)."""

    __tablename__ = "certificate_print_jobs"
    JOB_KIND = jobs.PRINT
    METRIC_KIND = "certificate_print"
    DETAIL = "error"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(10), default=JobStatus.QUEUED.value)
    output: Mapped[str] = mapped_column(sa.String(4), default="pdf")  # pdf: one document; zip: one PDF each
    certificate_ids: Mapped[list] = mapped_column(sa.JSON, default=list)  # in print order
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    file_path: Mapped[str | None] = mapped_column(sa.String(300))
    error: Mapped[str | None] = mapped_column(sa.String(500))
    label: Mapped[str] = mapped_column(sa.String(200), default="")
    base_url: Mapped[str] = mapped_column(sa.String(200), default="")  # for the QR links, outside a request
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def restart(self) -> None:
        self.done, self.file_path = 0, None

    @property
    def rq_job_id(self) -> str:
        return f"certificates-{self.id}"

    @property
    def since(self) -> datetime:
        return self.created_at

    def record_transition(self, old, new, *, actor, note: str, at: datetime) -> None:
        # status_changes keys its rows by an integer id and a print job's id is a UUID; the job's
        # row keeps its own story (status, failure, error, finished_at) and the audit log the rest.
        return None
