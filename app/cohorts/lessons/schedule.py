"""A cohort's lessons: meetings of the cohort's occasion (app.occasions) with what only lessons
have (kind, trainer). Organisers of the programme plan them; attendance is in `attendance.py`."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.cohorts.camps.models import Cohort
from app.cohorts.camps.services import require_run
from app.cohorts.lessons.models import Lesson, LessonKind
from app.errors import InvalidInput, NotFound
from app.extensions import db
from app.occasions import services as occasions


def save_lesson(actor: User, cohort: Cohort, *, title: str, starts_at: datetime, ends_at: datetime,
                place: str = "", kind: str = LessonKind.LECTURE.value, trainer: User | None = None,
                lesson: Lesson | None = None) -> Lesson:
    require_run(actor, cohort.cycle.programme)
    if kind not in {k.value for k in LessonKind}:
        raise InvalidInput(fields={"kind": _l("Choose the kind of lesson.")})
    if trainer is not None and not trainer.has_role("trainer"):
        raise InvalidInput(fields={"trainer_id": _l("%(name)s is not a trainer.", name=trainer.name)})
    if lesson is not None and lesson.cohort_id != cohort.id:
        raise NotFound()
    new = lesson is None
    lesson = occasions.save_meeting(actor, cohort.event, lesson,
                                    make=lambda session: Lesson(cohort=cohort, session=session),
                                    title=title, starts_at=starts_at, ends_at=ends_at, place=place,
                                    speaker=trainer.name if trainer else "")
    lesson.kind, lesson.trainer = kind, trainer
    if new:  # founders check themselves in with the projected code; the organiser may turn it off
        occasions.meeting_checkpoint(lesson.session).self_check_in = True
    db.session.flush()
    return lesson


def lessons(cohort: Cohort) -> list[Lesson]:
    return occasions.meetings(Lesson, Lesson.cohort_id == cohort.id)


def get_lesson(lesson_id: int, cohort: Cohort | None = None) -> Lesson:
    """The lesson; with `cohort`, only one of that cohort's."""
    return occasions.get_meeting(Lesson, lesson_id, _l("No such lesson."), cohort=cohort)
