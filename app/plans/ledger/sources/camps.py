"""Entrepreneurship camps (创业人才梯度培育计划): the founders seated in a cohort."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.cohorts.camps.models import Cohort, Cycle, Enrolment, EnrolmentStatus, Programme, ProgrammeKind, Tier
from app.events.models import Event
from app.plans.ledger.counters import PEOPLE, counter
from app.plans.ledger.sql import local_midnight


@counter("founders", PEOPLE, _l("Founders seated in an entrepreneurship camp"))
def founders(rule: dict) -> sa.Select:
    """A founder counts from the first day of a cohort they hold a seat in (`at` = the cohort's
    first day in Shanghai, not the day the seat was taken: seats are given weeks ahead, and a
    founder is in the camp when it starts). A seat left before the cohort began does not count;
    one left later does (they were there). The department is the cohort's (its event's); the
    programme is "camp". rule: `tiers` (tier codes: incubation 孵化营, growth 成长营,
    acceleration 加速营), every tier of every camp programme when absent. A founder in 孵化营
    and then 成长营 is two facts and one person."""
    starts = local_midnight(Cohort.starts_on)
    query = (sa.select(Enrolment.user_id.label("subject"), starts.label("at"),
                       Event.department_id.label("department_id"), sa.literal("camp").label("programme"),
                       Event.id.label("event_id"))
             .select_from(Enrolment)
             .join(Cohort, Cohort.id == Enrolment.cohort_id)
             .join(Event, Event.id == Cohort.event_id)
             .join(Cycle, Cycle.id == Cohort.cycle_id)
             .join(Programme, Programme.id == Cycle.programme_id)
             .where(Programme.kind == ProgrammeKind.CAMP.value,
                    sa.or_(Enrolment.status == EnrolmentStatus.ENROLLED.value, Enrolment.withdrawn_at >= starts)))
    if rule.get("tiers"):
        query = query.join(Tier, Tier.id == Cohort.tier_id).where(Tier.code.in_(list(rule["tiers"])))
    return query
