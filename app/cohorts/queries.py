"""What the cohorts tell other pages: an organisation's founders (enrolments of people whose company
it is, by cohort) and applicants."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager, joinedload

from app.cohorts.camps.models import Cohort, Enrolment
from app.cohorts.models import Application
from app.extensions import db
from app.organisations.linked import LinkedRow
from app.organisations.linking import identity_ids
from app.organisations.models import Organisation


def enrolments_of(organisation: Organisation) -> list[Enrolment]:
    ids = identity_ids(organisation)
    return list(db.session.scalars(sa.select(Enrolment).join(Cohort).where(Enrolment.organisation_id.in_(ids))
                                   .options(contains_eager(Enrolment.cohort), joinedload(Enrolment.user))
                                   .order_by(Cohort.starts_on.desc(), Cohort.id, Enrolment.id)))


def of_organisation(organisation: Organisation) -> list[LinkedRow]:
    """The founders enrolled for this company, grouped by cohort (newest cohort first)."""
    return [LinkedRow(group=e.cohort.name, title=e.user.name, person_id=e.user_id, when=e.cohort.starts_on,
                      detail=str(_l("In the cohort")) if e.active else str(_l("Left the cohort")),
                      endpoint="cohorts.cohort", args={"cohort_id": e.cohort_id})
            for e in enrolments_of(organisation)]


def founders_of(organisation: Organisation) -> list[LinkedRow]:
    """The people who applied for a camp with this company (each once, their latest application)."""
    ids = identity_ids(organisation)
    rows, seen = [], set()
    for a in db.session.scalars(sa.select(Application).where(Application.organisation_id.in_(ids))
                                .options(joinedload(Application.cycle), joinedload(Application.tier))
                                .order_by(Application.submitted_at.desc(), Application.id.desc())):
        if a.user_id in seen:
            continue
        seen.add(a.user_id)
        rows.append(LinkedRow(group=str(_l("Founders of the company")), title=a.name, person_id=a.user_id,
                              when=a.submitted_at,
                              detail=f"{a.cycle.name} · {a.tier.name}"))
    return rows
