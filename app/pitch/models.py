"""Pitch competitions (创业大赛, 留学人员创业大赛): founders' teams enter with their company (from the
registry, or one still to be founded), are judged through ordered rounds (初赛 online review of
business plans → 复赛 roadshow → 决赛 on stage), each with its own rubric, judges and rule for
who advances; the final's results are released to a live screen, with awards and certificates.

The competition runs on an event of places=entry: an entry is the team lead's registration of
that event (approval, ticket and check-in as for any event). Scores are append-only rows as in
the skills competitions: the latest row of (round, entry, criterion, judge) counts.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Department, User
from app.errors import Conflict
from app.events.models import Event
from app.extensions import db
from app.labels import LabelledEnum, labels
from app.occasions.models import Seat
from app.organisations.models import Organisation
from app.organisations.refs import organisation_ref
from app.timeutil import UTCDateTime, utcnow
from app.transitions import Stateful, transition_table

MARK = sa.Numeric(8, 2)


class PitchStatus(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    OPEN = "open", _l("Taking entries")
    JUDGING = "judging", _l("Judging")
    RELEASED = "released", _l("Results released")


PITCH_STATUS_LABELS = labels(PitchStatus)
PITCH_TRANSITIONS = transition_table({
    PitchStatus.DRAFT: {PitchStatus.OPEN},
    PitchStatus.OPEN: {PitchStatus.JUDGING},
    PitchStatus.JUDGING: {PitchStatus.OPEN, PitchStatus.RELEASED},
    PitchStatus.RELEASED: set(),
})


class RoundKind(LabelledEnum):
    ONLINE_REVIEW = "online_review", _l("Online review of business plans")
    ROADSHOW = "roadshow", _l("Roadshow")
    FINAL = "final", _l("Final on stage")


ROUND_KIND_LABELS = labels(RoundKind)


class RoundStatus(LabelledEnum):
    PENDING = "pending", _l("Not started")
    OPEN = "open", _l("Scoring")
    CLOSED = "closed", _l("Closed")


ROUND_STATUS_LABELS = labels(RoundStatus)
ROUND_TRANSITIONS = transition_table({
    RoundStatus.PENDING: {RoundStatus.OPEN},
    RoundStatus.OPEN: {RoundStatus.CLOSED},
    RoundStatus.CLOSED: set(),
})


class AdvanceRule(LabelledEnum):
    TOP_N = "top_n", _l("The best N advance")
    THRESHOLD = "threshold", _l("A score of at least the threshold advances")


class UnbrokenTie(LabelledEnum):
    ALL_ADVANCE = "all_advance", _l("All entries tied at the cut advance")
    NONE_ADVANCE = "none_advance", _l("No entry tied at the cut advances")


class Degree(LabelledEnum):
    BACHELOR = "bachelor", _l("Bachelor")
    MASTER = "master", _l("Master")
    DOCTOR = "doctor", _l("Doctorate")


DEGREE_LABELS = labels(Degree)


class PitchCompetition(Stateful, db.Model):
    __tablename__ = "pitch_competitions"
    __table_args__ = (sa.UniqueConstraint("name", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    year: Mapped[int]
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"), index=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id"), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(12), default=PitchStatus.DRAFT.value)
    # Eligibility as data: {"returnee": true, "max_years_since_return": 5, "degrees": ["master", "doctor"]}
    eligibility: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # Places per award in the final, by rank: {"first": 1, "second": 2, "third": 3}; the other finalists 优胜奖.
    award_rules: Mapped[dict] = mapped_column(sa.JSON, default=lambda: {"first": 1, "second": 2, "third": 3})
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    department: Mapped[Department] = relationship()
    event: Mapped[Event] = relationship()
    rounds: Mapped[list[PitchRound]] = relationship(back_populates="competition", order_by="PitchRound.position",
                                                    cascade="all, delete-orphan")

    TRANSITIONS = PITCH_TRANSITIONS

    @property
    def status_label(self) -> str:
        return PitchStatus(self.status).label

    @property
    def is_released(self) -> bool:
        return self.status == PitchStatus.RELEASED.value

    def refused_transition(self, old, new) -> Conflict:
        return Conflict(_l("A pitch competition that is “%(now)s” cannot become “%(then)s”.",
                           now=self.status_label, then=PitchStatus(new).label), code="bad_transition")


class PitchRound(Stateful, db.Model):
    """One round with its rubric, judges and the rule for who advances to the next. Tie-break at
    a top-N cut: the higher average on `tie_break_criterion`; a tie that still stands at the cut is
    settled by `unbroken_tie` (all tied advance, or none of them)."""

    __tablename__ = "pitch_rounds"
    __table_args__ = (sa.UniqueConstraint("competition_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(sa.ForeignKey("pitch_competitions.id", ondelete="CASCADE"),
                                                index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(60))
    kind: Mapped[str] = mapped_column(sa.String(16))
    status: Mapped[str] = mapped_column(sa.String(10), default=RoundStatus.PENDING.value)
    rule: Mapped[str] = mapped_column(sa.String(10), default=AdvanceRule.TOP_N.value)
    advance_count: Mapped[int | None]
    threshold: Mapped[Decimal | None] = mapped_column(MARK)
    # A criterion of this round's rubric (checked by the service; no foreign key, the rubric points back here).
    tie_break_criterion_id: Mapped[int | None]
    unbroken_tie: Mapped[str] = mapped_column(sa.String(14), default=UnbrokenTie.ALL_ADVANCE.value)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    competition: Mapped[PitchCompetition] = relationship(back_populates="rounds")
    criteria: Mapped[list[RoundCriterion]] = relationship(
        back_populates="round", order_by="(RoundCriterion.position, RoundCriterion.id)",
        cascade="all, delete-orphan")
    judges: Mapped[list[RoundJudge]] = relationship(cascade="all, delete-orphan", order_by="RoundJudge.user_id")

    TRANSITIONS = ROUND_TRANSITIONS

    @property
    def kind_label(self) -> str:
        return RoundKind(self.kind).label

    @property
    def status_label(self) -> str:
        return RoundStatus(self.status).label

    @property
    def tie_break_criterion(self) -> RoundCriterion | None:
        return next((c for c in self.criteria if c.id == self.tie_break_criterion_id), None)

    @property
    def is_final(self) -> bool:
        return self.kind == RoundKind.FINAL.value

    def refused_transition(self, old, new) -> Conflict:
        return Conflict(_l("A round that is “%(now)s” cannot become “%(then)s”.",
                           now=self.status_label, then=RoundStatus(new).label), code="bad_transition")


class RoundCriterion(db.Model):
    """A criterion of a round's rubric: scored 0 to `max_score`; `weight` its share of the 100."""

    __tablename__ = "pitch_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("pitch_rounds.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(120))
    weight: Mapped[int]
    max_score: Mapped[int]

    round: Mapped[PitchRound] = relationship(back_populates="criteria")


class RoundJudge(db.Model):
    """A judge of one round, with the employer fixed for conflict checks (as the skills
    competitions' JudgeAssignment). A chief judge does not score; they confirm."""

    __tablename__ = "pitch_round_judges"

    round_id: Mapped[int] = mapped_column(sa.ForeignKey("pitch_rounds.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    chief: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    employer: Mapped[str | None] = mapped_column(sa.String(120))
    organisation_id: Mapped[int | None] = organisation_ref()

    user: Mapped[User] = relationship()


class PitchEntry(Seat, db.Model):
    """A founders' team: its lead holds the registration of the competition's event."""

    __tablename__ = "pitch_entries"
    __table_args__ = (sa.UniqueConstraint("competition_id", "user_id"),
                      sa.UniqueConstraint("competition_id", "number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(sa.ForeignKey("pitch_competitions.id", ondelete="CASCADE"),
                                                index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]  # "Entry 07" on the results screen until the names are released
    project: Mapped[str] = mapped_column(sa.String(120))
    company_name: Mapped[str] = mapped_column(sa.String(200))
    to_be_founded: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    uscc: Mapped[str | None] = mapped_column(sa.String(18))
    organisation_id: Mapped[int | None] = organisation_ref()
    employer: Mapped[str] = mapped_column(sa.String(120), default="")  # the lead's employer, for conflicts
    country: Mapped[str] = mapped_column(sa.String(60), default="")
    degree: Mapped[str] = mapped_column(sa.String(10), default="")
    return_year: Mapped[int | None]
    business_plan: Mapped[str] = mapped_column(sa.Text, default="")
    deck: Mapped[str | None] = mapped_column(sa.String(64))  # a private file's name
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    competition: Mapped[PitchCompetition] = relationship()
    user: Mapped[User] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    members: Mapped[list[PitchMember]] = relationship(back_populates="entry", order_by="PitchMember.position",
                                                      cascade="all, delete-orphan")

    @property
    def code(self) -> str:
        return f"{self.number:02d}"


class PitchMember(db.Model):
    __tablename__ = "pitch_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("pitch_entries.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(60))
    employer: Mapped[str] = mapped_column(sa.String(120), default="")
    organisation_id: Mapped[int | None] = organisation_ref()

    entry: Mapped[PitchEntry] = relationship(back_populates="members")


class RoundEntry(db.Model):
    """An entry in a round; closing the round fills in its standing and whether it advanced
    (the history of every cut, kept)."""

    __tablename__ = "pitch_round_entries"
    __table_args__ = (sa.UniqueConstraint("round_id", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("pitch_rounds.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("pitch_entries.id", ondelete="CASCADE"), index=True)
    total: Mapped[Decimal | None] = mapped_column(MARK)
    rank: Mapped[int | None]
    advanced: Mapped[bool | None]
    reason: Mapped[str] = mapped_column(sa.String(40), default="")

    entry: Mapped[PitchEntry] = relationship()
    round: Mapped[PitchRound] = relationship()


class PitchScore(db.Model):
    """Append-only: the latest row of (round, entry, criterion, judge) is the judge's score."""

    __tablename__ = "pitch_scores"
    __table_args__ = (sa.Index("ix_pitch_scores_round_entry", "round_id", "entry_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("pitch_rounds.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("pitch_entries.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("pitch_criteria.id", ondelete="CASCADE"))
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    value: Mapped[Decimal] = mapped_column(MARK)
    old_value: Mapped[Decimal | None] = mapped_column(MARK)
    comment: Mapped[str] = mapped_column(sa.String(500), default="")
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    judge: Mapped[User] = relationship()


class PitchConfirmation(db.Model):
    """A second person's confirmation of an entry's round scores up to score row `last_score_id`."""

    __tablename__ = "pitch_confirmations"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("pitch_rounds.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("pitch_entries.id", ondelete="CASCADE"), index=True)
    last_score_id: Mapped[int]
    confirmed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PitchAward(db.Model):
    """An award of the released final: 一/二/三等奖 and 优胜奖 by rank, or a named special prize."""

    __tablename__ = "pitch_awards"
    __table_args__ = (sa.UniqueConstraint("entry_id", "award", "special_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(sa.ForeignKey("pitch_competitions.id", ondelete="CASCADE"),
                                                index=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("pitch_entries.id", ondelete="CASCADE"), index=True)
    award: Mapped[str] = mapped_column(sa.String(10))  # competitions' Award values, or "special"
    special_name: Mapped[str] = mapped_column(sa.String(60), default="")
    rank: Mapped[int | None]
    total: Mapped[Decimal | None] = mapped_column(MARK)

    entry: Mapped[PitchEntry] = relationship()


class CampInvitation(db.Model):
    """A finalist invited to apply to a camp cycle (the founder applies through the camp's form)."""

    __tablename__ = "pitch_camp_invitations"
    __table_args__ = (sa.UniqueConstraint("entry_id", "cycle_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("pitch_entries.id", ondelete="CASCADE"), index=True)
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("cycles.id", ondelete="CASCADE"))
    invited_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    entry: Mapped[PitchEntry] = relationship()
