"""The demo's plan: the seed file loaded, entered figures with evidence and one correction, the
leader's and the head's accounts, and non-zero figures for the computed targets in 2022–2024."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app import file_store
from app.accounts.services import authenticate
from app.demo.loader import load_demo
from app.demo.plans import SLUG, SYMPOSIUMS
from app.extensions import db
from app.plans import entering
from app.plans.ledger import figures
from app.plans.models import EnteredFigure, Plan
from app.plans.scope import EVERYTHING, scope_of


def test_the_demo_loads_the_plan_its_figures_and_its_readers(app, db_session):
    load_demo(participants=60, echo=lambda *a, **k: None)
    plan = db.session.scalar(sa.select(Plan).where(Plan.slug == SLUG))
    assert plan is not None and len(plan.items) == 12
    targets = {t.code: t for t in plan.targets}
    as_of = date(2024, 12, 31)

    entered = [t for t in plan.targets if not t.computed]
    assert all(figures.figure_in_force(t, as_of) is not None for t in entered)
    for row in db.session.scalars(sa.select(EnteredFigure)):
        stored, _download, _type = entering.evidence_file(authenticate("admin@minhang.example", "Admin#2026"), row)
        assert file_store.read(stored, file_store.PRIVATE).startswith(b"%PDF-")
    corrections = list(db.session.scalars(sa.select(EnteredFigure).where(EnteredFigure.corrects_id.is_not(None))))
    assert len(corrections) == 1 and corrections[0].correction_reason
    assert figures.progress(targets["settled_talents"], EVERYTHING, as_of).actual == corrections[0].value

    for code in ("founders_tracked", "camp_founders", "trainees", "new_studios", "skills_symposiums",
                 "brand_participants"):
        assert figures.progress(targets[code], EVERYTHING, as_of).actual > 0, code
    assert figures.count(targets["skills_symposiums"], EVERYTHING, figures.plan_period(plan)) == len(SYMPOSIUMS)

    leader = authenticate("leader@minhang.example", "Leader#2026")
    head = authenticate("head@minhang.example", "Head#2026")
    assert scope_of(leader).everything
    assert {d.name for d in head.departments} == {"职业能力建设科", "区就促中心"}
    assert scope_of(head).department_ids == frozenset(head.department_ids)

    before = db.session.scalar(sa.select(sa.func.count()).select_from(EnteredFigure))
    load_demo(participants=60, echo=lambda *a, **k: None)  # a second run adds nothing
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EnteredFigure)) == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Plan)) == 1
