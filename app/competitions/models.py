"""Skills competitions (以赛代训): competitions, their categories (trades), entrants and teams,
judges, marking schemes, scores with their history, confirmations and published results.

Each category runs on an event of kind `competition` (capacity = the category's, approval
required): an entry is a registration of that event, so registering, approval, the QR ticket
and check-in on the day go through the registration and check-in services like any event.
Scores are append-only rows: the latest row of an (entry, aspect, judge) is the current score,
the earlier ones are its history (who, when, old → new).
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Department, User
from app.errors import Conflict
from app.events.models import Event
from app.extensions import db
from app.labels import LabelledEnum, labels
from app.organisations.models import Organisation
from app.organisations.refs import organisation_ref
from app.occasions.models import Seat
from app.timeutil import UTCDateTime, utcnow
from app.transitions import Stateful, transition_table

MARK = sa.Numeric(8, 2)
JUDGES_PER_JUDGEMENT = 3  # each judgement aspect is scored 0–3 by three judges
JUDGEMENT_SCALE = 3


class Level(LabelledEnum):
    DISTRICT = "district", _l("District level")
    CITY = "city", _l("City level")


LEVEL_LABELS = labels(Level)


class CompetitionStatus(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    OPEN = "open", _l("Taking entries")               # registration open, scoring possible
    CLOSED = "closed", _l("Entries closed")           # registration closed, scoring and confirmation go on
    PUBLISHED = "published", _l("Results published")  # results published: scores frozen


COMPETITION_STATUS_LABELS = labels(CompetitionStatus)

# The one table of a competition's allowed moves; Competition.transition() enforces it. Organisers
# open, close and reopen (`lifecycle.set_status`); closed → published is `publish_results` only;
# published is final.
TRANSITIONS = transition_table({
    CompetitionStatus.DRAFT: {CompetitionStatus.OPEN},
    CompetitionStatus.OPEN: {CompetitionStatus.CLOSED},
    CompetitionStatus.CLOSED: {CompetitionStatus.OPEN, CompetitionStatus.PUBLISHED},
    CompetitionStatus.PUBLISHED: set(),
})


class AspectKind(LabelledEnum):
    MEASUREMENT = "measurement", _l("Measurement")  # objective: the judge picks one of the defined outcomes
    JUDGEMENT = "judgement", _l("Judgement")        # three judges give 0–3 each; mark = max × average ÷ 3


ASPECT_KIND_LABELS = labels(AspectKind)


class Award(LabelledEnum):
    FIRST = "first", _l("First prize")
    SECOND = "second", _l("Second prize")
    THIRD = "third", _l("Third prize")
    MERIT = "merit", _l("Merit award")


AWARD_LABELS = labels(Award)

# How awards are given: "share" — shares of the ranked entrants (cumulative, rounded half up);
# "count" — fixed numbers of places. 优胜奖 goes to the rest who reached merit_min_percent of the
# category's maximum marks. Settings of each competition.
DEFAULT_AWARD_RULES = {"mode": "share", "first": 0.10, "second": 0.20, "third": 0.30, "merit_min_percent": 60}


class Competition(Stateful, db.Model):
    __tablename__ = "competitions"
    __table_args__ = (sa.UniqueConstraint("name", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    year: Mapped[int]
    level: Mapped[str] = mapped_column(sa.String(10), default=Level.DISTRICT.value)
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"), index=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(12), default=CompetitionStatus.DRAFT.value)
    award_rules: Mapped[dict] = mapped_column(sa.JSON, default=lambda: dict(DEFAULT_AWARD_RULES))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    department: Mapped[Department] = relationship()
    categories: Mapped[list[Category]] = relationship(back_populates="competition", order_by="Category.id")

    @property
    def status_enum(self) -> CompetitionStatus:
        return CompetitionStatus(self.status)

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    @property
    def is_published(self) -> bool:
        return self.status == CompetitionStatus.PUBLISHED.value

    TRANSITIONS = TRANSITIONS

    def refused_transition(self, old, new) -> Conflict:
        return self.bad_transition(new)

    def bad_transition(self, status: str) -> Conflict:
        return Conflict(_l("A competition that is “%(now)s” cannot become “%(then)s”.",
                           now=self.status_enum.label, then=CompetitionStatus(status).label
                           if status in {s.value for s in CompetitionStatus} else status), code="bad_transition")


class JudgeAssignment(db.Model):
    """A judge on a category's panel, with the employer they are checked against for conflicts
    of interest: copied from their profile when they are assigned, and from then on changed only
    by the organiser (audited), so that editing one's own profile cannot clear a conflict."""

    __tablename__ = "competition_category_judges"

    category_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_categories.id", ondelete="CASCADE"),
                                             primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    employer: Mapped[str | None] = mapped_column(sa.String(120))
    # The employer in the registry (app.organisations.linking), or None when not found there.
    organisation_id: Mapped[int | None] = organisation_ref()

    user: Mapped[User] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


category_judges = JudgeAssignment.__table__


class Category(db.Model):
    """A trade of a competition (幼儿公共营养, 养老健康照护, 电子竞技) on its own event."""

    __tablename__ = "competition_categories"
    __table_args__ = (sa.UniqueConstraint("competition_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(sa.ForeignKey("competitions.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id"), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    min_age: Mapped[int | None]
    max_age: Mapped[int | None]
    occupations: Mapped[list] = mapped_column(sa.JSON, default=list)  # empty: any occupation
    team: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    team_min: Mapped[int] = mapped_column(default=1, server_default="1")
    team_max: Mapped[int] = mapped_column(default=1, server_default="1")
    chief_judge_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    chief_judge_employer: Mapped[str | None] = mapped_column(sa.String(120))  # as on JudgeAssignment
    chief_judge_organisation_id: Mapped[int | None] = organisation_ref()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    competition: Mapped[Competition] = relationship(back_populates="categories")
    event: Mapped[Event] = relationship()
    assignments: Mapped[list[JudgeAssignment]] = relationship(cascade="all, delete-orphan",
                                                              order_by=JudgeAssignment.user_id)
    judges: Mapped[list[User]] = relationship(secondary=category_judges, order_by=User.id, viewonly=True)
    chief_judge: Mapped[User | None] = relationship()
    chief_judge_organisation: Mapped[Organisation | None] = relationship()
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="category", order_by="(Criterion.position, Criterion.id)", cascade="all, delete-orphan")

    @property
    def venue(self) -> str:
        return self.event.venue

    @property
    def capacity(self) -> int | None:
        return self.event.capacity

    @property
    def max_marks(self) -> Decimal:
        return sum((a.max_mark for c in self.criteria for a in c.aspects), Decimal("0"))


class Entry(Seat, db.Model):
    """An entrant (or a team, registered by its captain) in a category: the captain's
    registration of the category's event carries approval, ticket and check-in."""

    __tablename__ = "competition_entries"
    __table_args__ = (sa.UniqueConstraint("category_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_categories.id", ondelete="CASCADE"),
                                             index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    employer: Mapped[str] = mapped_column(sa.String(120))
    organisation_id: Mapped[int | None] = organisation_ref()  # the employer in the registry
    occupation: Mapped[str] = mapped_column(sa.String(60), default="")
    birth_date: Mapped[date | None]
    team_name: Mapped[str] = mapped_column(sa.String(80), default="")
    recommended: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    category: Mapped[Category] = relationship()
    user: Mapped[User] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    members: Mapped[list[TeamMember]] = relationship(back_populates="entry", order_by="TeamMember.position",
                                                     cascade="all, delete-orphan")

    @property
    def display_name(self) -> str:
        return self.team_name or self.user.name

    @property
    def employers(self) -> list[str]:
        return [self.employer] + [m.employer for m in self.members]


class TeamMember(db.Model):
    """A named member of a team besides its captain."""

    __tablename__ = "competition_team_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_entries.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(60))
    employer: Mapped[str] = mapped_column(sa.String(120))
    organisation_id: Mapped[int | None] = organisation_ref()  # the employer in the registry
    occupation: Mapped[str] = mapped_column(sa.String(60), default="")
    birth_date: Mapped[date | None]

    entry: Mapped[Entry] = relationship(back_populates="members")


class Criterion(db.Model):
    __tablename__ = "competition_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_categories.id", ondelete="CASCADE"),
                                             index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(120))

    category: Mapped[Category] = relationship(back_populates="criteria")
    aspects: Mapped[list[Aspect]] = relationship(
        back_populates="criterion", order_by="(Aspect.position, Aspect.id)", cascade="all, delete-orphan")

    @property
    def max_marks(self) -> Decimal:
        return sum((a.max_mark for a in self.aspects), Decimal("0"))


class Aspect(db.Model):
    """One marked aspect of a criterion. Measurement: `outcomes` = [{"label", "mark"}], the judge
    picks one. Judgement: three judges give 0–3; mark = max_mark × average ÷ 3."""

    __tablename__ = "competition_aspects"

    id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_criteria.id", ondelete="CASCADE"),
                                              index=True)
    position: Mapped[int] = mapped_column(default=0)
    description: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[str] = mapped_column(sa.String(12))
    max_mark: Mapped[Decimal] = mapped_column(MARK)
    outcomes: Mapped[list] = mapped_column(sa.JSON, default=list)

    criterion: Mapped[Criterion] = relationship(back_populates="aspects")

    @property
    def is_judgement(self) -> bool:
        return self.kind == AspectKind.JUDGEMENT.value

    @property
    def kind_label(self) -> str:
        return AspectKind(self.kind).label


class Score(db.Model):
    """Append-only: one row per entered value. The latest row of (entry, aspect, judge) counts;
    `old_value` keeps what it replaced. For a measurement the value is the chosen outcome's mark
    (and `outcome` its label), for a judgement the judge's 0–3."""

    __tablename__ = "competition_scores"
    __table_args__ = (sa.Index("ix_competition_scores_entry_aspect", "entry_id", "aspect_id", "judge_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_entries.id", ondelete="CASCADE"))
    aspect_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_aspects.id", ondelete="CASCADE"))
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    value: Mapped[Decimal] = mapped_column(MARK)
    outcome: Mapped[str] = mapped_column(sa.String(60), default="")
    old_value: Mapped[Decimal | None] = mapped_column(MARK)
    entered_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    judge: Mapped[User] = relationship(foreign_keys=[judge_id])
    entered_by: Mapped[User] = relationship(foreign_keys=[entered_by_id])
    aspect: Mapped[Aspect] = relationship()


class Confirmation(db.Model):
    """A second person's confirmation of all of one entry's scores as they stood (up to score row
    `last_score_id`). A later score change voids it; append-only like the scores."""

    __tablename__ = "competition_confirmations"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_entries.id", ondelete="CASCADE"), index=True)
    last_score_id: Mapped[int]
    confirmed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    confirmed_by: Mapped[User] = relationship()


class Result(db.Model):
    """A published result: frozen at publication, read by entrants and by certificates."""

    __tablename__ = "competition_results"
    __table_args__ = (sa.UniqueConstraint("category_id", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_categories.id", ondelete="CASCADE"),
                                             index=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_entries.id", ondelete="CASCADE"))
    rank: Mapped[int]
    total: Mapped[Decimal] = mapped_column(MARK)
    award: Mapped[str | None] = mapped_column(sa.String(10))
    by_criterion: Mapped[list] = mapped_column(sa.JSON, default=list)  # [{"name", "marks", "max"}]
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    entry: Mapped[Entry] = relationship()

    @property
    def award_label(self) -> str:
        return Award(self.award).label if self.award else ""
