"""What the competitions tell other pages about an organisation: its people on judging panels, its
people entered (captains and team members), and the awards those entries won."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from app.competitions.models import Category, Competition, Entry, JudgeAssignment, Result, TeamMember
from app.extensions import db
from app.organisations.linked import LinkedRow
from app.organisations.linking import identity_ids
from app.organisations.models import Organisation


def _where(category: Category) -> str:
    return f"{category.competition.name} · {category.name}"


def judges_of(organisation: Organisation) -> list[LinkedRow]:
    """Its people on panels: judges (by the employer on their assignment) and chief judges."""
    ids = identity_ids(organisation)
    rows = [LinkedRow(group=str(_l("Judges")), title=a.user.name, person_id=a.user_id, detail=_where(category),
                      when=category.created_at, endpoint="competitions.category", args={"category_id": category.id})
            for a, category in db.session.execute(
                sa.select(JudgeAssignment, Category).join(Category, Category.id == JudgeAssignment.category_id)
                .where(JudgeAssignment.organisation_id.in_(ids)).order_by(Category.id, JudgeAssignment.user_id))]
    for category in db.session.scalars(sa.select(Category).where(Category.chief_judge_organisation_id.in_(ids))
                                       .order_by(Category.id)):
        if category.chief_judge is not None:
            rows.append(LinkedRow(group=str(_l("Judges")), title=category.chief_judge.name,
                                  person_id=category.chief_judge_id, when=category.created_at,
                                  detail=f"{_where(category)} · {_l('Chief judge')}",
                                  endpoint="competitions.category", args={"category_id": category.id}))
    return rows


def _entries(ids: list[int]) -> list[Entry]:
    member_of = sa.select(TeamMember.entry_id).where(TeamMember.organisation_id.in_(ids))
    return list(db.session.scalars(sa.select(Entry).where(sa.or_(Entry.organisation_id.in_(ids),
                                                                 Entry.id.in_(member_of)))
                                   .options(joinedload(Entry.user), joinedload(Entry.category),
                                            selectinload(Entry.members))
                                   .order_by(Entry.category_id, Entry.id)))


def entrants_of(organisation: Organisation) -> list[LinkedRow]:
    """Its people who entered a competition: a captain (or individual) and named team members."""
    ids = set(identity_ids(organisation))
    rows = []
    for entry in _entries(list(ids)):
        if entry.organisation_id in ids:
            rows.append(LinkedRow(group=str(_l("Entrants")), title=entry.user.name, person_id=entry.user_id,
                                  detail=_where(entry.category), when=entry.created_at))
        rows.extend(LinkedRow(group=str(_l("Entrants")), title=m.name, detail=f"{_where(entry.category)} · "
                              f"{entry.team_name}", when=entry.created_at)
                    for m in entry.members if m.organisation_id in ids)
    return rows


def awards_of(organisation: Organisation) -> list[LinkedRow]:
    """The published awards of entries with one of its people (an individual or a team), by competition."""
    entry_ids = [e.id for e in _entries(identity_ids(organisation))]
    if not entry_ids:
        return []
    results = db.session.execute(
        sa.select(Result, Category, Competition).join(Category, Category.id == Result.category_id)
        .join(Competition, Competition.id == Category.competition_id)
        .where(Result.entry_id.in_(entry_ids), Result.award.is_not(None))
        .order_by(Competition.year.desc(), Competition.id, Category.id, Result.rank))
    return [LinkedRow(group=f"{competition.year} {competition.name}", title=result.entry.display_name,
                      person_id=result.entry.user_id, detail=f"{category.name} · {result.award_label}",
                      when=result.published_at)
            for result, category, competition in results]
