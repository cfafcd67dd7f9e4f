"""Follow-ups (留在闵行): the people who said, months after a programme, that they work in Minhang."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.events.models import Event
from app.followups.models import IN_MINHANG, FollowupSurvey, ProgrammeKind, SurveyStatus
from app.plans.ledger.counters import PEOPLE, counter

# A follow-up's programme under the plan's programme keys (PlanItem.serves).
PROGRAMMES = {ProgrammeKind.CAMP.value: "camp", ProgrammeKind.TRAINEESHIP.value: "traineeship",
              ProgrammeKind.PITCH.value: "competition"}


@counter("retained", PEOPLE, _l("People still working in Minhang months after a programme"))
def retained(rule: dict) -> sa.Select:
    """A person counts when they answer the follow-up sent `months` (12 unless told) after a
    programme's end saying they are employed in Minhang or run their own company there
    (app/followups/models.IN_MINHANG); `at` = when they answered. Unanswered or expired surveys,
    and answers of working elsewhere, studying or not working, do not count. The department is
    the programme's event's; the programme is "camp", "traineeship" or "competition" (pitch).
    rule: `months` (12), `kinds` (camp, traineeship, pitch: the follow-ups' programme kinds),
    all when absent."""
    programme = sa.case(*((FollowupSurvey.programme_kind == k, v) for k, v in PROGRAMMES.items()),
                        else_=FollowupSurvey.programme_kind)
    query = (sa.select(FollowupSurvey.user_id.label("subject"), FollowupSurvey.answered_at.label("at"),
                       Event.department_id.label("department_id"), programme.label("programme"),
                       FollowupSurvey.event_id.label("event_id"))
             .select_from(FollowupSurvey)
             .join(Event, Event.id == FollowupSurvey.event_id)
             .where(FollowupSurvey.status == SurveyStatus.ANSWERED.value,
                    FollowupSurvey.months_after == int(rule.get("months", 12)),
                    FollowupSurvey.working.in_(sorted(IN_MINHANG))))
    if rule.get("kinds"):
        query = query.where(FollowupSurvey.programme_kind.in_(list(rule["kinds"])))
    return query
