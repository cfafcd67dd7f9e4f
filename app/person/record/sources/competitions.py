"""Skills competitions (以赛代训): the entries, and once published the rank, marks and award."""
from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.competitions.models import Award, Category, Competition, Entry, Result
from app.extensions import db
from app.person.record.items import Figure, ItemKind, RecordItem, value_figure
from app.person.record.scope import Scope
from app.registrations.models import RegStatus, Registration
from app.timeutil import to_local


def competition_items(user, scope: Scope) -> list[RecordItem]:
    rows = db.session.execute(
        sa.select(Entry, Result).join(Category, Category.id == Entry.category_id)
        .join(Competition, Competition.id == Category.competition_id)
        .join(Registration, Registration.id == Entry.registration_id)
        .outerjoin(Result, Result.entry_id == Entry.id)
        .where(Entry.user_id == user.id, Registration.status != RegStatus.CANCELLED.value,
               scope.clause(Competition.department_id))
        .options(joinedload(Entry.category).joinedload(Category.competition), joinedload(Entry.registration))).all()
    items = []
    for entry, result in rows:
        competition = entry.category.competition
        figures: list[Figure] = []
        if result is not None:
            status, label = (result.award or "ranked"), (Award.label_of(result.award) if result.award else str(_l("Ranked")))
            figures.append(value_figure("rank", _l("Rank"), result.rank, str(result.rank)))
            figures.append(value_figure("total", _l("Marks"), result.total))
            if result.award:
                figures.append(Figure("award", str(_l("Award")), Award.label_of(result.award)))
        else:
            status = entry.registration.status
            label = RegStatus.label_of(status)
        items.append(RecordItem(
            key=f"competition:{entry.id}", when=to_local(entry.created_at).date(), kind=ItemKind.COMPETITION.value,
            programme=competition.name, title=f"{competition.name} · {entry.category.name}",
            status=status, status_label=label, department_id=competition.department_id, figures=tuple(figures),
            link=url_for("competitions.mine"), staff_link=url_for("competitions.entry", entry_id=entry.id)))
    return items
