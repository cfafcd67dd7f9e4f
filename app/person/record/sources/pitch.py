"""Pitch competitions (创业大赛): the person's entries as their lead, and once the results are
released, the award, rank and final marks."""
from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.person.record.items import Figure, ItemKind, RecordItem, value_figure
from app.person.record.scope import Scope
from app.pitch.models import PitchAward, PitchCompetition, PitchEntry
from app.pitch.results import award_label
from app.registrations.models import RegStatus, Registration
from app.timeutil import to_local


def pitch_items(user, scope: Scope) -> list[RecordItem]:
    entries = list(db.session.scalars(
        sa.select(PitchEntry).join(PitchCompetition, PitchCompetition.id == PitchEntry.competition_id)
        .join(Registration, Registration.id == PitchEntry.registration_id)
        .where(PitchEntry.user_id == user.id, Registration.status != RegStatus.CANCELLED.value,
               scope.clause(PitchCompetition.department_id))
        .options(joinedload(PitchEntry.competition), joinedload(PitchEntry.registration))))
    awards: dict[int, list[PitchAward]] = {}
    if entries:
        for award in db.session.scalars(sa.select(PitchAward).where(PitchAward.entry_id.in_([e.id for e in entries]))
                                        .order_by(PitchAward.id)):
            awards.setdefault(award.entry_id, []).append(award)
    items = []
    for entry in entries:
        competition = entry.competition
        won = awards.get(entry.id, []) if competition.released_at else []  # unreleased results stay unsaid
        figures = []
        ranked = next((a for a in won if a.rank is not None), None)
        if ranked is not None:
            figures.append(value_figure("rank", _l("Rank"), ranked.rank, str(ranked.rank)))
            if ranked.total is not None:
                figures.append(value_figure("total", _l("Marks"), ranked.total))
        figures += [Figure("award", str(_l("Award")), award_label(a)) for a in won]
        status = won[0].award if won else entry.registration.status
        label = award_label(won[0]) if won else RegStatus.label_of(status)
        items.append(RecordItem(
            key=f"pitch:{entry.id}", when=to_local(entry.registration.created_at).date(), kind=ItemKind.PITCH.value,
            programme=competition.name, title=f"{competition.name} · {entry.project}", status=status,
            status_label=label, department_id=competition.department_id, figures=tuple(figures),
            link=url_for("pitch.mine"), staff_link=url_for("pitch.console_entries", pitch_id=competition.id)))
    return items

