"""Skills master studios (技能大师工作室): the apprenticeships, with activities attended and the
achievements recorded."""
from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.person.record.attendance import counts
from app.person.record.items import ItemKind, RecordItem, rate_figure, value_figure
from app.person.record.scope import Scope
from app.studios.models import Achievement, Apprenticeship, Studio

PAIR_LABELS = {"active": _l("Learning at the studio"), "ended": _l("Apprenticeship ended")}


def studio_items(user, scope: Scope) -> list[RecordItem]:
    pairs = list(db.session.scalars(
        sa.select(Apprenticeship).join(Studio, Studio.id == Apprenticeship.studio_id)
        .where(Apprenticeship.apprentice_id == user.id, scope.clause(Studio.department_id))
        .options(joinedload(Apprenticeship.studio).joinedload(Studio.master))))
    attendance = counts([p.registration_id for p in pairs])
    achieved = dict(db.session.execute(
        sa.select(Achievement.apprenticeship_id, sa.func.count(Achievement.id))
        .where(Achievement.apprenticeship_id.in_([p.id for p in pairs])).group_by(Achievement.apprenticeship_id)).all()) \
        if pairs else {}
    items = []
    for p in pairs:
        count = attendance.get(p.registration_id)
        done, total = (count.done, count.total) if count else (0, 0)
        figures = [rate_figure("attendance", _l("Activities attended"), done, total)]
        if achieved.get(p.id):
            figures.append(value_figure("achievements", _l("Achievements"), achieved[p.id], str(achieved[p.id])))
        items.append(RecordItem(
            key=f"studio:{p.id}", when=p.started_on, kind=ItemKind.STUDIO.value, programme=p.studio.name,
            title=f"{p.studio.name} · {p.studio.master.name}", status=p.status,
            status_label=str(PAIR_LABELS.get(p.status, p.status)), department_id=p.studio.department_id,
            figures=tuple(figures), link=None, staff_link=url_for("studios.studio", studio_id=p.studio_id),
            attended=bool(count and count.came), sessions_done=done, sessions_total=total))
    return items
