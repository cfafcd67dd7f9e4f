"""The organisations registry. One table for every kind (company, university, host company,
agency, partner region): the kinds share name, code, place, industry and contact; a university
adds its 引才合作站 agreement and a host company its 见习基地 approval. A duplicate found later is
merged into the row kept: it stays, marked `merged_into`, with its status history."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db
from app.labels import LabelledEnum, labels
from app.organisations.industries import INDUSTRIES
from app.timeutil import UTCDateTime, utcnow
from app.transitions import Stateful, transition_table


class OrganisationKind(LabelledEnum):
    """What an organisation is to the bureau; a kind decides which of the kind's own fields apply."""
    COMPANY = "company", _l("Company")  # 企业
    # 高校, with its 引才合作站 agreement
    UNIVERSITY = "university", _l("University")
    # 见习基地: hosts young trainees (职业见习, 大学生社会实践)
    HOST_COMPANY = "host_company", _l("Host company")
    AGENCY = "agency", _l("Talent agency")  # 引才组织: a third party recruiting for the district
    # 长三角 and 对口援建 partners
    PARTNER_REGION = "partner_region", _l("Partner region")


class OrganisationSize(LabelledEnum):
    """Headcount bands, as the bureau's statistics count them."""
    MICRO = "micro", _l("Micro (under 10 people)")
    SMALL = "small", _l("Small (10–99 people)")
    MEDIUM = "medium", _l("Medium (100–999 people)")
    LARGE = "large", _l("Large (1,000 people or more)")


class HostStatus(LabelledEnum):
    """A host company's standing as a 见习基地 (data kept by staff, not a workflow)."""
    APPROVED = "approved", _l("Approved")
    SUSPENDED = "suspended", _l("Suspended")
    WITHDRAWN = "withdrawn", _l("Withdrawn")


class OrganisationStatus(LabelledEnum):
    """A row is active until merged into another; a merged row is kept for its history."""
    ACTIVE = "active", _l("Active")
    MERGED = "merged", _l("Merged into another")


KIND_LABELS, SIZE_LABELS, HOST_STATUS_LABELS, STATUS_LABELS = (
    labels(kind) for kind in (OrganisationKind, OrganisationSize, HostStatus, OrganisationStatus))
ORGANISATION_TRANSITIONS = transition_table({
    None: {OrganisationStatus.ACTIVE},
    OrganisationStatus.ACTIVE: {OrganisationStatus.MERGED},
})


class Organisation(Stateful, db.Model):
    __tablename__ = "organisations"
    TRANSITIONS = ORGANISATION_TRANSITIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    name_key: Mapped[str] = mapped_column(sa.String(200), index=True)  # normalise_name(name)
    uscc: Mapped[str | None] = mapped_column(sa.String(18), index=True)  # 统一社会信用代码
    district: Mapped[str] = mapped_column(sa.String(60), default="")
    in_minhang: Mapped[bool] = mapped_column(default=False)
    industries: Mapped[list] = mapped_column(sa.JSON, default=list)  # codes of INDUSTRIES
    size: Mapped[str | None] = mapped_column(sa.String(10))
    contact_name: Mapped[str] = mapped_column(sa.String(60), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(30), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(120), default="")
    # A university's 引才合作站 agreement.
    station_signed_on: Mapped[date | None]
    station_contact: Mapped[str] = mapped_column(sa.String(120), default="")
    # A host company's 见习基地.
    base_approved_on: Mapped[date | None]
    base_places_per_year: Mapped[int | None]
    base_status: Mapped[str | None] = mapped_column(sa.String(10))
    status: Mapped[str] = mapped_column(sa.String(10), default=OrganisationStatus.ACTIVE.value, index=True)
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    merged_into: Mapped[Organisation | None] = relationship(remote_side=[id])

    @property
    def kind_label(self) -> str:
        return OrganisationKind.label_of(self.kind)

    @property
    def size_label(self) -> str:
        return OrganisationSize.label_of(self.size) if self.size else ""

    @property
    def base_status_label(self) -> str:
        return HostStatus.label_of(self.base_status) if self.base_status else ""

    @property
    def status_label(self) -> str:
        return OrganisationStatus.label_of(self.status)

    @property
    def industry_labels(self) -> list[str]:
        return [str(INDUSTRIES.get(code, code)) for code in self.industries or []]

    @property
    def merged(self) -> bool:
        return self.status == OrganisationStatus.MERGED.value


class OrganisationContact(db.Model):
    """A person who acts for an organisation in its portal (a host company's contact reviews its
    trainee applicants there). Staff add and remove them on the organisation's page."""

    __tablename__ = "organisation_contacts"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
