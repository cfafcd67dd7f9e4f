"""Figures entered by hand: with evidence kept privately, by the organisers of the target's 责任部门,
corrections that keep the old value in the history, the figure in force read by the ledger, and
refusals (a computed target, bad numbers, files that are not evidence) that change nothing."""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import Workbook
from werkzeug.datastructures import FileStorage

from app.audit.models import AuditEntry
from app.errors import InvalidInput, PermissionDenied
from app import file_store
from app.plans import entering
from app.plans.ledger import figures
from app.plans.models import EnteredFigure
from app.plans.scope import EVERYTHING
from tests.fixtures.plans import target_of

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(data: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def xlsx() -> bytes:
    book = Workbook()
    book.active.append(["街镇", "柔性引进人数"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def plan(seed_plan):
    return seed_plan


def _count(db_session, model=EnteredFigure):
    return db_session.scalar(sa.select(sa.func.count()).select_from(model))


def test_an_organiser_of_the_department_enters_with_evidence_and_corrects_keeping_history(
        plan, create_user, db_session, app):
    flexible = target_of(plan, "flexible_talents")  # 区人才中心, 高服中心
    organiser = create_user("organiser", department="talent_center")
    evidence = entering.read_evidence(upload(PDF, "2023年柔性引才台账.pdf"))
    figure = entering.enter(organiser, flexible, "41,250", date(2023, 12, 31), note="2022—2023年累计",
                            evidence=evidence)
    db_session.commit()
    assert figure.value == Decimal(41250) and figure.evidence_name == "2023年柔性引才台账.pdf"
    stored, name, mimetype = entering.evidence_file(organiser, figure)
    assert mimetype == "application/pdf" and name == "2023年柔性引才台账.pdf"
    assert b"".join(file_store.chunks(stored, file_store.PRIVATE)) == PDF
    assert not file_store.exists(stored, file_store.IMAGE)  # private, never served at /uploads/

    correction = entering.correct(organiser, figure, "42250", "漏报莘庄镇一季度数据")
    db_session.commit()
    assert correction.corrects_id == figure.id and correction.evidence_file == figure.evidence_file
    assert db_session.get(EnteredFigure, figure.id).value == Decimal(41250)  # the old row stays
    rows = entering.history(organiser, flexible)
    assert [(r.figure.value, r.in_force) for r in rows] == [(Decimal(42250), True), (Decimal(41250), False)]
    assert rows[1].corrected_by.correction_reason == "漏报莘庄镇一季度数据"
    assert figures.figure_in_force(flexible, date(2024, 1, 1)).id == correction.id
    progress = figures.progress(flexible, EVERYTHING, date(2024, 1, 1))
    assert progress.actual == Decimal(42250)
    actions = list(db_session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions[-3:] == ["plan.figure.enter", "plan.figure.evidence", "plan.figure.correct"]

    with pytest.raises(entering.AlreadyCorrected):
        entering.correct(organiser, figure, "1", "再改一次旧的")


def test_per_year_targets_take_a_year_of_the_plan_and_images_and_spreadsheets_are_evidence(
        plan, create_user, db_session):
    admin = create_user("admin")
    titles = target_of(plan, "senior_titles_health")
    picture = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    figure = entering.enter(admin, titles, 23, date(2023, 6, 30), evidence=entering.read_evidence(
        upload(picture, "卫健委来函.png")))
    assert figure.year is None  # a whole-plan target
    sheet = entering.read_evidence(upload(xlsx(), "名单.xlsx"))
    assert sheet.suffix == "xlsx"
    # a computed per-year target takes no figures at all
    with pytest.raises(entering.ComputedTarget):
        entering.enter(admin, target_of(plan, "new_studios"), 5, date(2023, 12, 31), year=2023, evidence=sheet)


@pytest.mark.parametrize("value, as_of, field", [
    ("很多", date(2023, 1, 1), "value"),
    ("-3", date(2023, 1, 1), "value"),
    ("1e40", date(2023, 1, 1), "value"),
    ("NaN", date(2023, 1, 1), "value"),
    ("1.234", date(2023, 1, 1), "value"),
    ("10", date(2021, 12, 31), "as_of"),
    ("10", date(2099, 1, 1), "as_of"),
    ("10", None, "as_of"),
])
def test_bad_figures_are_refused_and_nothing_is_kept(value, as_of, field, plan, create_user, db_session):
    admin = create_user("admin")
    evidence = entering.read_evidence(upload(PDF, "e.pdf"))
    with pytest.raises(InvalidInput) as refused:
        entering.enter(admin, target_of(plan, "settled_talents"), value, as_of, evidence=evidence)
    db_session.rollback()
    assert field in refused.value.fields
    assert _count(db_session) == 0


@pytest.mark.parametrize("data, name", [
    (b"MZ\x90\x00 an executable", "台账.pdf"),
    (b"", "空.pdf"),
    (b"PK\x03\x04 not really a zip", "名单.xlsx"),
    (b"<html><script>alert(1)</script>", "a.png"),
])
def test_files_that_are_not_evidence_are_refused(data, name, ctx):
    with pytest.raises(InvalidInput) as refused:
        entering.read_evidence(upload(data, name))
    assert "evidence" in refused.value.fields


def test_too_large_evidence_is_refused(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_PLAN_EVIDENCE_BYTES", 1024)
    with app.test_request_context():
        with pytest.raises(InvalidInput):
            entering.read_evidence(upload(PDF + b"0" * 2048, "big.pdf"))


def test_who_may_enter_read_and_download(plan, create_user, db_session, departments):
    flexible = target_of(plan, "flexible_talents")
    outsider = create_user("organiser", department="skills")
    evidence = entering.read_evidence(upload(PDF, "e.pdf"))
    with pytest.raises(PermissionDenied):
        entering.enter(outsider, flexible, 1, date(2023, 1, 1), evidence=evidence)
    for role in ("leader", "participant", "trainer"):
        with pytest.raises(PermissionDenied):
            entering.enter(create_user(role), flexible, 1, date(2023, 1, 1), evidence=evidence)
    missing = create_user("organiser", department="talent_center")
    with pytest.raises(InvalidInput):
        entering.enter(missing, flexible, 1, date(2023, 1, 1), evidence=None)  # evidence is required
    figure = entering.enter(missing, flexible, 1, date(2023, 1, 1), evidence=evidence)
    db_session.commit()
    head = create_user("head")
    head.departments = [departments["skills"]]
    own_head = create_user("head")
    own_head.departments = [departments["high_service"]]
    db_session.commit()
    with pytest.raises(PermissionDenied):
        entering.evidence_file(head, figure)
    with pytest.raises(PermissionDenied):
        entering.history(create_user(), flexible)
    assert file_store.exists(entering.evidence_file(own_head, figure)[0], file_store.PRIVATE)
    assert file_store.exists(entering.evidence_file(create_user("leader"), figure)[0], file_store.PRIVATE)


def test_other_departments_organisers_see_the_history_but_not_the_files(plan, create_user, db_session):
    flexible = target_of(plan, "flexible_talents")
    own = create_user("organiser", department="talent_center")
    figure = entering.enter(own, flexible, 1, date(2023, 1, 1), evidence=entering.read_evidence(upload(PDF, "e.pdf")))
    db_session.commit()
    other = create_user("organiser", department="skills")
    assert [r.figure.id for r in entering.history(other, flexible)] == [figure.id]
    with pytest.raises(PermissionDenied):
        entering.evidence_file(other, figure)
