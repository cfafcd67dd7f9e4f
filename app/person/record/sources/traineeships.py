"""Traineeships (见习): the placements with their host, days present (monthly sheets the host
confirmed), the host's evaluations and whether the trainee was kept on (留用)."""
from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.person.record.items import Figure, ItemKind, RecordItem, rate_figure, value_figure
from app.person.record.scope import Scope
from app.traineeships.models import (Evaluation, EvaluationStage, MonthlyAttendance, Placement, PlacementStatus,
                                     TraineeshipBatch)

SHOWN = (PlacementStatus.CONFIRMED.value, PlacementStatus.COMPLETED.value, PlacementStatus.WITHDRAWN.value)


def _days(placement_ids: list[int]) -> dict[int, tuple[int, int]]:
    rows = db.session.execute(
        sa.select(MonthlyAttendance.placement_id, sa.func.sum(MonthlyAttendance.present_days),
                  sa.func.sum(MonthlyAttendance.absent_days))
        .where(MonthlyAttendance.placement_id.in_(placement_ids), MonthlyAttendance.confirmed_at.is_not(None))
        .group_by(MonthlyAttendance.placement_id)).all()
    return {pid: (int(present or 0), int(present or 0) + int(absent or 0)) for pid, present, absent in rows}


def _evaluations(placement_ids: list[int]) -> dict[int, list[Evaluation]]:
    found = defaultdict(list)
    for evaluation in db.session.scalars(sa.select(Evaluation).where(Evaluation.placement_id.in_(placement_ids))
                                         .order_by(Evaluation.id)):
        found[evaluation.placement_id].append(evaluation)
    return found


def _max_points(rubric: list) -> int | None:
    points = [int(c.get("max", 0)) for c in rubric or [] if isinstance(c, dict) and str(c.get("max", "")).isdigit()]
    return sum(points) or None


def traineeship_items(user, scope: Scope) -> list[RecordItem]:
    placements = list(db.session.scalars(
        sa.select(Placement).join(TraineeshipBatch, TraineeshipBatch.id == Placement.batch_id)
        .where(Placement.user_id == user.id, Placement.status.in_(SHOWN), scope.clause(TraineeshipBatch.department_id))
        .options(joinedload(Placement.batch), joinedload(Placement.host), joinedload(Placement.place))))
    ids = [p.id for p in placements]
    days, evaluations = (_days(ids), _evaluations(ids)) if ids else ({}, {})
    items = []
    for p in placements:
        present, total = days.get(p.id, (0, 0))
        figures = [rate_figure("days_present", _l("Days present"), present, total)] if total else []
        out_of = _max_points(p.batch.rubric)
        for evaluation in evaluations.get(p.id, []):
            points = sum(int(v) for v in (evaluation.scores or {}).values())
            figures.append(value_figure(f"evaluation_{evaluation.stage}", EvaluationStage.label_of(evaluation.stage),
                                        points, f"{points}/{out_of}" if out_of else str(points)))
        if p.retained is not None:
            figures.append(Figure("retained", str(_l("Kept on by the host")),
                                  str(_l("Yes")) if p.retained else str(_l("No"))))
        items.append(RecordItem(
            key=f"traineeship:{p.id}", when=p.starts_on, kind=ItemKind.TRAINEESHIP.value, programme=p.batch.title,
            title=f"{p.batch.title} · {p.host.name}", status=p.status, status_label=PlacementStatus.label_of(p.status),
            department_id=p.batch.department_id, figures=tuple(figures), link=url_for("traineeships.mine"),
            staff_link=url_for("traineeships.batch_progress", batch_id=p.batch_id)))
    return items
