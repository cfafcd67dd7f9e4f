from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from app.accounts.models import Department, User
from app.extensions import db
from app.labels import LabelledEnum, labels
from app.organisations.models import Organisation
from app.timeutil import UTCDateTime, utcnow
from app.transitions import Stateful, transition_table


class EventKind(LabelledEnum):
    FORUM = "forum", _l("Forum")
    JOB_FAIR = "job_fair", _l("Job fair")
    POLICY_BRIEFING = "policy_briefing", _l("Policy briefing")
    LECTURE = "lecture", _l("Lecture")
    CAMPUS_RECRUITING = "campus_recruiting", _l("Campus recruiting")
    SYMPOSIUM = "symposium", _l("Symposium")
    SALON = "salon", _l("Salon")
    TRAINING = "training", _l("Training")
    COMPETITION = "competition", _l("Competition")
    OTHER = "other", _l("Other")


KIND_LABELS = labels(EventKind)


class EventStatus(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    PUBLISHED = "published", _l("Published")
    CANCELLED = "cancelled", _l("Cancelled")


STATUS_LABELS = labels(EventStatus)

# Made a draft; published and cancelled by app.lifecycle. Moves are recorded in status_changes.
EVENT_TRANSITIONS = transition_table({
    None: {EventStatus.DRAFT},
    EventStatus.DRAFT: {EventStatus.PUBLISHED, EventStatus.CANCELLED},
    EventStatus.PUBLISHED: {EventStatus.CANCELLED},
})


class Places(str, enum.Enum):
    """How an event's places are taken: `open` to anyone who registers; `invitation` by the
    organiser's choice (a camp cohort's lessons, a studio's activities: not listed publicly);
    `entry` through a programme's own entry form (a competition category: eligibility, employer
    and team are checked there). Registration refuses the last two without asking who calls."""

    OPEN = "open"
    INVITATION = "invitation"
    ENTRY = "entry"


class EventFormat(LabelledEnum):
    """Where people attend: at the venue, online (a stream or meeting), or both. The online part's
    details (link, access code, when it is shown) live with the online programme (app.online)."""
    ONSITE = "onsite", _l("On-site")
    ONLINE = "online", _l("Online")
    HYBRID = "hybrid", _l("Hybrid (on-site and online)")

    @property
    def has_online(self) -> bool:
        return self in (EventFormat.ONLINE, EventFormat.HYBRID)

    @property
    def has_onsite(self) -> bool:
        return self in (EventFormat.ONSITE, EventFormat.HYBRID)


FORMAT_LABELS = labels(EventFormat)


class QuestionKind(LabelledEnum):
    TEXT = "text", _l("Short text")
    LONG_TEXT = "long_text", _l("Long text")
    SINGLE = "single", _l("Single choice")
    MULTIPLE = "multiple", _l("Multiple choice")
    NUMBER = "number", _l("Number")
    DATE = "date", _l("Date")

    @property
    def has_choices(self) -> bool:
        return self in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


QUESTION_KIND_LABELS = labels(QuestionKind)
# The longest answer each text kind takes; a question may set a lower max_length.
TEXT_LIMITS = {QuestionKind.TEXT: 200, QuestionKind.LONG_TEXT: 4000}
NUMBER_BOUND = Decimal("1e12")  # beyond any count, amount or year a form asks for


def plain_number(value: Decimal) -> str:
    """1950, 2.5 — not 1950.000000 or 1.95E+3."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


WALL_NAME_LABELS = {
    "masked": _l("Masked (张*玥)"),
    "full": _l("Full names"),
    "hidden": _l("Hidden"),
}


class Series(db.Model):
    """A brand series such as 人才闵行周 2026, grouping many events."""

    __tablename__ = "series"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    department_id: Mapped[int | None] = mapped_column(sa.ForeignKey("departments.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    department: Mapped[Department | None] = relationship()


class Event(Stateful, db.Model):
    __tablename__ = "events"
    TRANSITIONS = EVENT_TRANSITIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    series_id: Mapped[int | None] = mapped_column(sa.ForeignKey("series.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(30), default=EventKind.FORUM.value)
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"), index=True)
    venue: Mapped[str] = mapped_column(sa.String(200))
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    cover_image: Mapped[str | None] = mapped_column(sa.String(120))
    status: Mapped[str] = mapped_column(sa.String(20), default=EventStatus.DRAFT.value, index=True)
    capacity: Mapped[int | None]
    # Kept by the registration services under the event lock, so deciding a seat reads one
    # row instead of counting every confirmed registration.
    confirmed_count: Mapped[int] = mapped_column(default=0, server_default="0")
    requires_approval: Mapped[bool] = mapped_column(default=False)
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(sa.String(300))
    # How places are taken (Places): open registration, the organiser's invitation, or a
    # programme's entry form.
    places: Mapped[str] = mapped_column(sa.String(12), default=Places.OPEN.value, server_default=Places.OPEN.value)
    # How the live check-in wall shows arrivals' names on the projector: masked, full or hidden.
    wall_names: Mapped[str] = mapped_column(sa.String(10), default="masked", server_default="masked")
    # On-site, online or hybrid (EventFormat).
    format: Mapped[str] = mapped_column(sa.String(8), default=EventFormat.ONSITE.value,
                                        server_default=EventFormat.ONSITE.value)
    # Only people invited (a partner university's link, the organiser's list) may register: the
    # online programme checks the invitation and tells registration so (`register(invited=True)`).
    invited_only: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    series: Mapped[Series | None] = relationship(backref="events")
    department: Mapped[Department] = relationship()
    created_by: Mapped[User | None] = relationship()
    sessions: Mapped[list[EventSession]] = relationship(
        back_populates="event", order_by="(EventSession.starts_at, EventSession.id)",
        cascade="all, delete-orphan")
    questions: Mapped[list[Question]] = relationship(
        back_populates="event", order_by="(Question.position, Question.id)", cascade="all, delete-orphan")

    @property
    def kind_enum(self) -> EventKind:
        return EventKind(self.kind)

    @property
    def status_enum(self) -> EventStatus:
        return EventStatus(self.status)

    @property
    def format_enum(self) -> EventFormat:
        return EventFormat(self.format or EventFormat.ONSITE.value)

    @property
    def has_online(self) -> bool:
        return self.format_enum.has_online

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED.value

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED.value

    @hybrid_property
    def invitation_only(self) -> bool:
        """Read-only: participants are chosen by the organiser (not listed publicly, closed to
        registration); set `places` instead."""
        return self.places == Places.INVITATION.value

    @property
    def calendar_uid(self) -> str:
        return f"event-{self.id}@rencai.minhang.gov.cn"

    def registration_open(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        if not self.is_published:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        closes = self.registration_closes_at or self.ends_at
        return now < closes

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.title}>"


class EventSession(db.Model):
    """One session of an event's agenda, with its own time, room and optional capacity."""

    __tablename__ = "event_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    room: Mapped[str] = mapped_column(sa.String(120), default="")
    speaker: Mapped[str] = mapped_column(sa.String(200), default="")
    capacity: Mapped[int | None]

    event: Mapped[Event] = relationship(back_populates="sessions")

    @property
    def calendar_uid(self) -> str:
        return f"session-{self.id}@rencai.minhang.gov.cn"


class Question(db.Model):
    """A custom registration question; choices are [{"label": str, "limit": int | None}]."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(sa.String(200))
    help_text: Mapped[str] = mapped_column(sa.String(300), default="")
    kind: Mapped[str] = mapped_column(sa.String(20), default=QuestionKind.TEXT.value)
    required: Mapped[bool] = mapped_column(default=False)
    choices: Mapped[list] = mapped_column(sa.JSON, default=list)
    # The organiser's limits; the service enforces them and limits_hint shows them.
    max_length: Mapped[int | None] = mapped_column(sa.Integer)                        # text kinds
    min_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(20, 6, asdecimal=True))  # numbers
    max_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(20, 6, asdecimal=True))

    event: Mapped[Event] = relationship(back_populates="questions")

    @property
    def text_limit(self) -> int | None:
        """The longest answer taken: the question's own limit, else its kind's."""
        default = TEXT_LIMITS.get(self.kind_enum)
        if default is None:
            return None
        return min(self.max_length, default) if self.max_length else default

    @property
    def limits_hint(self) -> str:
        """The hint under the field, made from the limits the service checks (never free text)."""
        if self.text_limit is not None:
            return str(_l("At most %(n)s characters.", n=self.text_limit))
        if self.kind_enum != QuestionKind.NUMBER:
            return ""
        low, high = self.min_value, self.max_value
        if low is not None and high is not None:
            return str(_l("A number from %(min)s to %(max)s.", min=plain_number(low), max=plain_number(high)))
        if low is not None:
            return str(_l("A number of at least %(min)s.", min=plain_number(low)))
        if high is not None:
            return str(_l("A number of at most %(max)s.", max=plain_number(high)))
        return ""

    @property
    def kind_enum(self) -> QuestionKind:
        return QuestionKind(self.kind)

    @property
    def choice_labels(self) -> list[str]:
        return [c["label"] for c in self.choices or []]

    @property
    def limited_choices(self) -> dict[str, int]:
        return {c["label"]: int(c["limit"]) for c in self.choices or [] if c.get("limit") is not None}


# Loaded with the event row itself (a subquery, no extra round trip), so registering for an
# event without agenda or questions never has to load the empty collections.
Event.has_sessions = column_property(
    sa.exists().where(EventSession.event_id == Event.id).correlate_except(EventSession))
Event.has_questions = column_property(
    sa.exists().where(Question.event_id == Event.id).correlate_except(Question))


class EventOrganisationRole(LabelledEnum):
    """What an organisation is to an event, as the public page lists it."""
    CO_ORGANISER = "co_organiser", _l("Co-organiser")  # 协办单位
    PARTICIPANT = "participant", _l("Participating company")  # 参会企业: at a job fair or campus recruiting
    HOST_UNIVERSITY = "host_university", _l("Host university")  # 承办高校: where campus recruiting is held


EVENT_ORGANISATION_ROLE_LABELS = labels(EventOrganisationRole)


class EventOrganisation(db.Model):
    """An organisation taking a role in an event; the same organisation may take two roles."""

    __tablename__ = "event_organisations"
    __table_args__ = (sa.UniqueConstraint("event_id", "organisation_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(20))
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship()
    organisation: Mapped[Organisation] = relationship()

    @property
    def role_label(self) -> str:
        return EventOrganisationRole.label_of(self.role)

    @property
    def shown_name(self) -> str:
        """The name to show: a duplicate merged later shows as the organisation kept."""
        organisation = self.organisation
        return organisation.merged_into.name if organisation.merged and organisation.merged_into else organisation.name
