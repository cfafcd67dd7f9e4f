"""Skills master studios (技能大师工作室): the studios opened."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.plans.ledger.counters import OCCASIONS, counter
from app.plans.ledger.sql import local_midnight
from app.studios.models import Studio


@counter("studios_opened", OCCASIONS, _l("Skills master studios opened"))
def studios_opened(rule: dict) -> sa.Select:
    """A studio counts on the day it was founded (`founded_on`, in Shanghai), whatever its status
    since (a studio closed later was still opened). subject = the studio's id; the department is
    the studio's; the programme is "studio"; event_id its event. rule: `levels` (district, city),
    both when absent."""
    query = sa.select(Studio.id.label("subject"), local_midnight(Studio.founded_on).label("at"),
                      Studio.department_id.label("department_id"), sa.literal("studio").label("programme"),
                      Studio.event_id.label("event_id"))
    if rule.get("levels"):
        query = query.where(Studio.level.in_(list(rule["levels"])))
    return query
