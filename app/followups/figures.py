"""What the answers add up to, per programme (a cohort, a batch, a competition) and months after
its end: surveys sent, answered, the response rate, where people work (留在闵行: employed in
Minhang or running their own company there), and the founders' funding and team size.

One query (`figures`) serves the console page, its chart, the XLSX export, the tests and, as
`retention_counts`, the plan's targets ("still working in Minhang at 12 months")."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from statistics import median

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.accounts.services import organised_departments as department_scope
from app.audit import services as audit
from app.events.models import Event
from app.extensions import db
from app.followups.models import IN_MINHANG, FollowupSurvey, SurveyStatus, Working
from app.followups.programmes import Programme
from app.followups.settings import require_organiser

SENT = (SurveyStatus.SENT.value, SurveyStatus.ANSWERED.value, SurveyStatus.EXPIRED.value)


@dataclass
class Figures:
    programme_kind: str
    programme_id: int
    label: str
    months_after: int
    sent: int = 0
    answered: int = 0
    working: Counter = field(default_factory=Counter)
    funding: list[int] = field(default_factory=list)  # 万元, founders who said
    team: list[int] = field(default_factory=list)

    @property
    def in_minhang(self) -> int:
        return sum(self.working[w] for w in IN_MINHANG)

    @property
    def response_rate(self) -> Fraction | None:
        return Fraction(self.answered, self.sent) if self.sent else None

    @property
    def in_minhang_share(self) -> Fraction | None:
        """Of those who answered (not of those asked: silence says nothing about where one works)."""
        return Fraction(self.in_minhang, self.answered) if self.answered else None

    @property
    def funding_sum(self) -> int:
        return sum(self.funding)

    @property
    def funding_median(self) -> float | None:
        return median(self.funding) if self.funding else None

    @property
    def team_sum(self) -> int:
        return sum(self.team)

    @property
    def team_median(self) -> float | None:
        return median(self.team) if self.team else None



def _surveys(department_ids: set[int] | None, kind: str | None = None, programme_id: int | None = None,
             months: int | None = None):
    query = sa.select(FollowupSurvey).where(FollowupSurvey.status.in_(SENT))
    if department_ids is not None:
        query = query.join(Event, Event.id == FollowupSurvey.event_id).where(
            Event.department_id.in_(department_ids or {-1}))
    if kind is not None:
        query = query.where(FollowupSurvey.programme_kind == kind)
    if programme_id is not None:
        query = query.where(FollowupSurvey.programme_id == programme_id)
    if months is not None:
        query = query.where(FollowupSurvey.months_after == months)
    return query.order_by(FollowupSurvey.programme_kind, FollowupSurvey.programme_id, FollowupSurvey.months_after)


def tally(department_ids: set[int] | None, kind: str | None = None, programme_id: int | None = None,
          months: int | None = None) -> list[Figures]:
    """The figures of every (programme, months) with sent surveys, within the departments (None: all)."""
    rows: dict[tuple, Figures] = {}
    for s in db.session.scalars(_surveys(department_ids, kind, programme_id, months)):
        key = (s.programme_kind, s.programme_id, s.months_after)
        f = rows.get(key) or rows.setdefault(key, Figures(s.programme_kind, s.programme_id, s.label, s.months_after))
        f.sent += 1
        if s.status == SurveyStatus.ANSWERED.value:
            f.answered += 1
            f.working[s.working] += 1
            if s.founder and s.funding_wan is not None:
                f.funding.append(s.funding_wan)
            if s.founder and s.team_size is not None:
                f.team.append(s.team_size)
    return list(rows.values())


def figures(actor: User, programme: Programme | None = None) -> list[Figures]:
    """The console's figures: of one programme, or of every programme the actor organises."""
    if programme is not None:
        require_organiser(actor, programme)
        return tally(None, programme.kind, programme.id)
    return tally(department_scope(actor))


@dataclass(frozen=True)
class RetentionCount:
    programme_kind: str
    programme_id: int
    label: str
    months_after: int
    asked: int
    answered: int
    in_minhang: int


def retention_counts(months: int = 12, *, kind: str | None = None, programme_id: int | None = None,
                     department_ids: set[int] | None = None) -> list[RetentionCount]:
    """People still working in Minhang `months` after their programme, per programme (the plan's
    targets count these; `department_ids` None: every department)."""
    return [RetentionCount(f.programme_kind, f.programme_id, f.label, f.months_after, f.sent, f.answered,
                           f.in_minhang)
            for f in tally(department_ids, kind, programme_id, months)]


def people(actor: User, programme: Programme) -> list[FollowupSurvey]:
    """The drill-down: the programme's surveys with who answered what (shown masked); audited."""
    require_organiser(actor, programme)
    rows = list(db.session.scalars(_surveys(None, programme.kind, programme.id).options(
        selectinload(FollowupSurvey.user), selectinload(FollowupSurvey.organisation))))  # named on every row
    audit.record(actor, "followups.people_viewed", None, kind=programme.kind, programme_id=programme.id,
                 count=len(rows))
    return rows


def percent(value: Fraction | None) -> str:
    return "—" if value is None else f"{float(value * 100):.0f}%"


def chart(rows: list[Figures]) -> dict:
    """For the page's chart: per programme, the share in Minhang at each month asked."""
    labels = sorted({(f.programme_kind, f.programme_id, f.label) for f in rows})
    months = sorted({f.months_after for f in rows})
    by_key = {(f.programme_kind, f.programme_id, f.months_after): f for f in rows}
    datasets = []
    for m in months:
        data = []
        for kind, pid, _label in labels:
            f = by_key.get((kind, pid, m))
            share = f.in_minhang_share if f is not None else None
            data.append(None if share is None else round(float(share * 100), 1))
        datasets.append({"label": str(_l("In Minhang at %(n)s months (%%)", n=m)), "data": data})
    return {"labels": [label for _k, _i, label in labels], "datasets": datasets}


WORKING_ORDER = [w.value for w in Working]
