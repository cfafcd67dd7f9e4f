"""The victims' plan for the route × role matrix (tests/matrix_world.py): a plan with an entered
target of the victim organiser's department and a figure entered for it with its evidence file;
the event whose plan items are tagged is the victim's event. Returns the route arguments it fills."""
from __future__ import annotations

from datetime import date
from decimal import Decimal


def victim_plan(s, organiser, event) -> dict:
    from app.plans.models import EnteredFigure, Plan, PlanItem, Target
    from app import private_files

    department = organiser.departments[0]
    plan = Plan(slug="matrix-plan", title="矩阵规划", starts_on=date(2022, 1, 1), ends_on=date(2024, 12, 31))
    item = PlanItem(plan=plan, code="一.1", title="矩阵事项", serves=["event:forum"], departments=[department])
    target = Target(plan=plan, item=item, code="matrix_entered", title="矩阵填报指标", number=Decimal(100), unit="人",
                    measure="entered", definition="矩阵口径", departments=[department])
    s.add_all([plan, item, target])
    s.flush()
    stored = "plan-" + "0" * 32 + ".pdf"
    private_files.store(stored, b"%PDF-1.4\n%%EOF\n")
    figure = EnteredFigure(target=target, as_of=date(2023, 12, 31), value=Decimal(50), note="矩阵备注",
                           evidence_file=stored, evidence_name="矩阵佐证.pdf", entered_by_id=organiser.id)
    s.add(figure)
    s.flush()
    return {"plan_id": plan.id, "target_id": target.id, "figure_id": figure.id, "subject_kind": "event",
            "subject_id": event.id}
