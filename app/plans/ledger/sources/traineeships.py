"""Traineeships (职业见习) and students' social practice (大学生社会实践): the people whose
placement started."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.plans.ledger.counters import PEOPLE, counter
from app.plans.ledger.sql import local_midnight
from app.traineeships.models import Placement, PlacementStatus, TraineeshipBatch


@counter("trainees", PEOPLE, _l("Young people whose traineeship or social practice placement started"))
def trainees(rule: dict) -> sa.Select:
    """A person counts on the first day of a placement the bureau confirmed (`at` = the
    placement's first day in Shanghai): an application, a host's acceptance awaiting the bureau
    or a rejected placement does not count, nor a placement withdrawn before its first day, nor
    one that has not started by the day asked about (its first day is later). A completed or a
    withdrawn-after-starting placement counts. The department is the batch's; the programme is
    "traineeship". rule: `kinds` (batch kinds: job_traineeship 职业见习, social_practice
    大学生社会实践), both when absent."""
    starts = local_midnight(Placement.starts_on)
    query = (sa.select(Placement.user_id.label("subject"), starts.label("at"),
                       TraineeshipBatch.department_id.label("department_id"),
                       sa.literal("traineeship").label("programme"), TraineeshipBatch.event_id.label("event_id"))
             .select_from(Placement)
             .join(TraineeshipBatch, TraineeshipBatch.id == Placement.batch_id)
             .where(sa.or_(Placement.status.in_([PlacementStatus.CONFIRMED.value, PlacementStatus.COMPLETED.value]),
                           sa.and_(Placement.status == PlacementStatus.WITHDRAWN.value,
                                   Placement.withdrawn_at >= starts))))
    if rule.get("kinds"):
        query = query.where(TraineeshipBatch.kind.in_(list(rule["kinds"])))
    return query
