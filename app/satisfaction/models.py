"""感受度 surveys: a template of questions per kind of occasion (its versions are never changed, an
edit makes a new one), one survey per person who attended an occasion, and the answers, each with
the question's text and kind as they were asked.

An occasion is an event: an open event itself (a forum, a briefing, a job fair), a camp cohort's
event (its lessons are the event's sessions) or a traineeship batch's event. Its department is whose
organisers see the results."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.events.models import Event
from app.extensions import db
from app.labels import LabelledEnum, labels
from app.timeutil import UTCDateTime, utcnow


class OccasionKind(LabelledEnum):
    EVENT = "event", _l("Event (forum, briefing, job fair…)")
    LESSONS = "lessons", _l("Camp lesson series")
    TRAINEESHIP = "traineeship", _l("Traineeship")


class AskedKind(LabelledEnum):
    """The kinds a survey question may be: the registration questions' kinds that fit a survey
    (app.events.models.QuestionKind's values), and a 1–5 rating."""
    RATING = "rating", _l("Rating (1–5)")
    SINGLE = "single", _l("Single choice")
    TEXT = "text", _l("Short text")
    LONG_TEXT = "long_text", _l("Long text")


KIND_LABELS = labels(OccasionKind)
ASKED_LABELS = labels(AskedKind)
RATING_MIN, RATING_MAX = 1, 5
TEXT_KINDS = frozenset({AskedKind.TEXT.value, AskedKind.LONG_TEXT.value})


class SurveyTemplate(db.Model):
    """One version of a kind's questions: [{"key", "kind", "label", "required", "choices"}].
    Never updated: an edit adds the next version; surveys name the version they asked."""

    __tablename__ = "satisfaction_templates"
    __table_args__ = (sa.UniqueConstraint("kind", "version", name="uq_satisfaction_templates_kind_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(12))
    version: Mapped[int]
    questions: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by: Mapped[User | None] = relationship()

    @property
    def kind_label(self) -> str:
        return OccasionKind.label_of(self.kind)


class SatisfactionSurvey(db.Model):
    __tablename__ = "satisfaction_surveys"
    __table_args__ = (
        # Whoever sends it (the sweep, the console's button, a retry): one survey per person and occasion.
        sa.UniqueConstraint("user_id", "event_id", name="uq_satisfaction_surveys_person_event"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The occasion: its event (whose department sees the results).
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(12))
    label: Mapped[str] = mapped_column(sa.String(200))  # the occasion's name, as it was
    ended_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # when the occasion ended
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("satisfaction_templates.id"), index=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Kept when answered, so the figures add up one table: the sum and number of its ratings.
    rating_sum: Mapped[int] = mapped_column(default=0, server_default="0")
    rating_count: Mapped[int] = mapped_column(default=0, server_default="0")

    user: Mapped[User] = relationship()
    event: Mapped[Event] = relationship()
    template: Mapped[SurveyTemplate] = relationship()
    answers: Mapped[list[SurveyAnswer]] = relationship(back_populates="survey", order_by="SurveyAnswer.position",
                                                       cascade="all, delete-orphan")

    @property
    def kind_label(self) -> str:
        return OccasionKind.label_of(self.kind)

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    def is_open(self, now: datetime | None = None) -> bool:
        return self.answered_at is None and (now or utcnow()) < self.closes_at


class SurveyAnswer(db.Model):
    """One answer, with its question as asked (key, kind, text), whatever the template says later."""

    __tablename__ = "satisfaction_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("satisfaction_surveys.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    question_key: Mapped[str] = mapped_column(sa.String(20))
    kind: Mapped[str] = mapped_column(sa.String(12))
    question: Mapped[str] = mapped_column(sa.String(200))
    rating: Mapped[int | None] = mapped_column(sa.SmallInteger)
    text: Mapped[str] = mapped_column(sa.String(1000), default="")

    survey: Mapped[SatisfactionSurvey] = relationship(back_populates="answers")
