"""Grading a cohort: weights summing to 100, rubric and attendance assessments in the weighted
total, every change kept, the lock (publish → refused; unlock by an admin with a reason),
completion and distinction with the top-share boundary, rules fixed once results are published,
and trainers seeing only their own cohorts."""

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.cohorts.camps import services as cohorts
from app.cohorts.grading import grades as grading, results
from app.cohorts.models import GradeChange
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.fixtures.cohorts import PITCH_RUBRIC, rubric_levels


def test_weights_must_sum_to_100_and_nothing_changes(db_session, create_graded_cohort):
    c = create_graded_cohort(1)
    with pytest.raises(InvalidInput) as error:
        grading.set_assessments(c["runner"], c["cohort"], [{"name": "作业", "weight": 30},
                                                           {"name": "路演", "weight": 60}])
    assert "weights" in error.value.fields and "90" in str(error.value.fields["weights"])
    db_session.rollback()
    assert [a.weight for a in grading.assessments(c["cohort"])] == [20, 30, 50]
    with pytest.raises(InvalidInput) as error:
        grading.set_assessments(c["runner"], c["cohort"], [{"name": "", "weight": 100.5}])
    assert {"assessments-0-name", "assessments-0-weight"} <= set(error.value.fields)
    db_session.rollback()
    with pytest.raises(PermissionDenied):  # a trainer grades but does not set the assessments
        grading.set_assessments(c["trainer"], c["cohort"], [{"name": "路演", "weight": 100}])


def test_weighted_total_with_rubric_and_attendance(db_session, create_graded_cohort):
    c = create_graded_cohort(2, absent=(1,))
    a, b = c["people"]
    grading.record_grade(c["trainer"], a, c["work"], score="40")       # 40/50 × 30 = 24
    grading.record_grade(c["trainer"], a, c["pitch"], levels=rubric_levels(c["pitch"], "优秀", "良好"))  # 7/8 × 100
    grade = grading.grades(c["cohort"])[(a.id, c["pitch"].id)]
    assert grade.score == 87.5
    total = grading.weighted_total(a)  # attendance 2/2 → 20; 24; 87.5 × 0.5 = 43.75
    assert (total.score, total.graded, total.of, total.complete) == (87.75, 3, 3, True)
    grading.record_grade(c["trainer"], b, c["pitch"], levels=rubric_levels(c["pitch"], "合格", "不合格"))
    total = grading.weighted_total(b)  # attendance 1/2 → 10; no assignment; 2/8 × 100 × 0.5 = 12.5
    assert (total.score, total.graded, total.complete) == (22.5, 2, False)
    assert grading.totals(c["cohort"])[a.id].score == 87.75


def test_grade_validation(db_session, create_graded_cohort):
    c = create_graded_cohort(1)
    a = c["people"][0]
    for bad in ("51", "-1", "abc", "nan"):
        with pytest.raises(InvalidInput) as error:
            grading.record_grade(c["trainer"], a, c["work"], score=bad)
        assert "score" in error.value.fields
    with pytest.raises(InvalidInput):
        grading.record_grade(c["trainer"], a, c["pitch"], levels={str(c["pitch"].criteria[0].id): 999999})
    other_level = c["pitch"].criteria[1].levels[0].id  # a level of another criterion
    with pytest.raises(InvalidInput):
        grading.record_grade(c["trainer"], a, c["pitch"], levels={str(c["pitch"].criteria[0].id): other_level})
    with pytest.raises(InvalidInput):
        grading.record_grade(c["trainer"], a, c["attendance"], score=10)
    assert grading.grades(c["cohort"]) == {}
    assert db_session.scalar(sa.select(sa.func.count()).select_from(GradeChange)) == 0


def test_lock_unlock_and_the_audit_trail(db_session, create_graded_cohort, create_user):
    c = create_graded_cohort(1)
    a, trainer, runner = c["people"][0], c["trainer"], c["runner"]
    grading.record_grade(trainer, a, c["work"], score=30)
    grading.record_grade(trainer, a, c["work"], score=30)  # unchanged: no new change row
    grading.record_grade(trainer, a, c["work"], score=35.5)
    with pytest.raises(PermissionDenied):
        grading.publish(trainer, c["cohort"])
    grading.publish(runner, c["cohort"])
    db_session.commit()
    with pytest.raises(grading.GradesLocked) as error:
        grading.record_grade(trainer, a, c["work"], score=50)
    assert error.value.code == "grades_locked" and error.value.http_status == 409
    db_session.rollback()
    with pytest.raises(Conflict):
        grading.set_assessments(runner, c["cohort"], [{"name": "路演", "weight": 100}])
    db_session.rollback()
    admin = create_user("admin")
    with pytest.raises(PermissionDenied):
        grading.unlock(runner, c["cohort"], "改分")
    with pytest.raises(InvalidInput):
        grading.unlock(admin, c["cohort"], "  ")
    assert grading.is_locked(c["cohort"])
    grading.unlock(admin, c["cohort"], "作业成绩录入错误，经班主任核实更正")
    grading.record_grade(trainer, a, c["work"], score=45)
    db_session.commit()
    history = grading.changes(a)
    assert [(h.old_score, h.new_score) for h in history] == [(35.5, 45), (30, 35.5), (None, 30)]
    assert history[0].unlock_reason.startswith("作业成绩录入错误") and history[1].unlock_reason == ""
    assert {h.changed_by_id for h in history} == {trainer.id}
    actions = db_session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert "grading.publish" in actions and "grading.unlock" in actions
    unlock_entry = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "grading.unlock"))
    assert unlock_entry.actor_id == admin.id and unlock_entry.detail["reason"].startswith("作业成绩")
    assert [e.action for e in grading.lock_history(c["cohort"])] == ["publish", "unlock"]


def test_assessment_with_grades_keeps_its_shape(db_session, create_graded_cohort):
    c = create_graded_cohort(1)
    grading.record_grade(c["trainer"], c["people"][0], c["work"], score=20)
    db_session.commit()
    specs = [{"id": c["attendance"].id, "name": "出勤", "kind": "attendance", "weight": 20},
             {"id": c["work"].id, "name": "作业", "kind": "graded", "weight": 30, "max_score": 50},
             {"id": c["pitch"].id, "name": "结业路演", "kind": "graded", "weight": 50, "rubric": PITCH_RUBRIC}]
    with pytest.raises(InvalidInput):  # removing a graded assessment
        grading.set_assessments(c["runner"], c["cohort"], specs[:1] + specs[2:])
    db_session.rollback()
    with pytest.raises(InvalidInput):  # changing its maximum
        grading.set_assessments(c["runner"], c["cohort"], [specs[0], specs[1] | {"max_score": 100}, specs[2]])
    db_session.rollback()
    renamed = grading.set_assessments(c["runner"], c["cohort"], [
        specs[0], specs[1] | {"name": "课后作业", "weight": 40}, specs[2] | {"weight": 40}])
    assert [(a.name, a.weight) for a in renamed] == [("出勤", 20), ("课后作业", 40), ("结业路演", 40)]
    assert len(renamed[2].criteria) == 2


def test_top_share_rounds_up():
    assert results.top_places(0.2, 60) == 12
    assert results.top_places(0.2, 11) == 3    # 2.2 → 3
    assert results.top_places(0.1, 30) == 3    # not 4 from 3.0000000000000004
    assert results.top_places(0.2, 0) == 0
    assert results.rank({1: 90.0, 2: 80.0, 3: 90.0, 4: None, 5: 70.0}) == {1: 1, 3: 1, 2: 3, 5: 4}


def test_completion_and_distinction_with_ties_at_the_boundary(db_session, create_graded_cohort):
    # 10 founders, top 20 % → 2 places. Pitch levels give the scores; founder 9 missed a lecture.
    c = create_graded_cohort(10, absent=(9,))
    cohort, trainer, runner = c["cohort"], c["trainer"], c["runner"]
    work = [50, 50, 50, 50, 40, 30, 20, 10, 0, 50]
    pitch = [("优秀", "优秀"), ("优秀", "良好"), ("优秀", "良好"), ("良好", "良好"), ("良好", "良好"),
             ("合格", "合格"), ("合格", "合格"), ("合格", "不合格"), ("不合格", "不合格"), ("优秀", "优秀")]
    for person, w, p in zip(c["people"], work, pitch):
        grading.record_grade(trainer, person, c["work"], score=w)
        grading.record_grade(trainer, person, c["pitch"], levels=rubric_levels(c["pitch"], *p))
    db_session.commit()
    with pytest.raises(Conflict) as error:  # results come from published grades
        results.compute_results(runner, cohort)
    assert error.value.code == "grades_not_published"
    db_session.rollback()
    grading.publish(runner, cohort)
    run = results.compute_results(runner, cohort)
    db_session.commit()
    by = {r.enrolment_id: r for r in run.results}
    got = [(by[p.id].score, by[p.id].rank, by[p.id].outcome) for p in c["people"]]
    assert got == [
        (100.0, 1, "distinction"),
        (93.75, 2, "distinction"),     # tied 2nd: both inside the 2 places (ties at the boundary included)
        (93.75, 2, "distinction"),
        (87.5, 5, "completed"),        # ≥ 85 but outside the top share
        (81.5, 6, "completed"),
        (63.0, 7, "completed"),
        (57.0, 8, "not_completed"),    # below 60
        (38.5, 9, "not_completed"),
        (20.0, 10, "not_completed"),
        (90.0, 4, "not_completed"),    # attendance 50 % < 80 %
    ]
    assert run.enrolled == 10 and by[c["people"][9].id].attendance_rate == 0.5
    assert results.outcomes(cohort) == []  # a preview: not visible yet
    assert results.published_result(c["people"][0]) is None


def test_publication_fixes_the_rules_and_feeds_outcomes(db_session, create_graded_cohort, create_user):
    c = create_graded_cohort(2)
    cohort, trainer, runner = c["cohort"], c["trainer"], c["runner"]
    grading.set_rules(runner, cohort, min_score=50, distinction_top_share="0.5")
    for person, w in zip(c["people"], (50, 20)):
        grading.record_grade(trainer, person, c["work"], score=w)
        grading.record_grade(trainer, person, c["pitch"], levels=rubric_levels(c["pitch"], "优秀", "优秀"))
    grading.publish(runner, cohort)
    db_session.commit()
    with pytest.raises(Conflict) as error:
        results.publish_results(runner, cohort)
    assert error.value.code == "no_results"
    results.compute_results(runner, cohort)
    run = results.publish_results(runner, cohort)
    db_session.commit()
    assert cohort.rules_fixed_at is not None and run.rules["min_score"] == 50
    with pytest.raises(grading.RulesFixed) as error:
        grading.set_rules(runner, cohort, min_score=70)
    assert error.value.code == "rules_fixed"
    db_session.rollback()
    assert grading.rules(cohort)["min_score"] == 50
    a, b = c["people"]
    assert [(e.id, o) for e, o in results.outcomes(cohort)] == [(a.id, "distinction"), (b.id, "completed")]
    mine = results.my_results(a.user)
    assert mine[0][1].outcome == "distinction" and mine[0][1].attendance_rate == 1.0
    # After an unlock, results computed earlier cannot be published again without recomputing.
    admin = create_user("admin")
    grading.unlock(admin, cohort, "复核路演评分")
    grading.record_grade(trainer, b, c["work"], score=30)
    grading.publish(runner, cohort)
    assert results.latest_run(cohort).published_at is not None
    rerun = results.compute_results(runner, cohort)
    grading.unlock(admin, cohort, "再次复核")
    grading.publish(runner, cohort)
    with pytest.raises(Conflict) as error:
        results.publish_results(runner, cohort)
    assert error.value.code == "results_stale"
    db_session.rollback()
    assert results.latest_run(cohort, published=True).id == run.id != rerun.id


def test_only_the_cohorts_trainers_grade(db_session, create_graded_cohort, create_user):
    c = create_graded_cohort(1)
    other = create_user("trainer", name="别班导师")
    with pytest.raises(PermissionDenied):
        grading.record_grade(other, c["people"][0], c["work"], score=10)
    second = create_graded_cohort(1)
    with pytest.raises(NotFound):  # an assessment of another cohort
        grading.record_grade(c["trainer"], c["people"][0], second["work"], score=10)
    assert c["cohort"] in cohorts.cohorts_for(c["trainer"]) and second["cohort"] not in cohorts.cohorts_for(
        c["trainer"])


# -- pages ----------------------------------------------------------------------------------------
def _cell(client, cohort, enrolment, assessment, **data):
    return client.post(f"/grading/{cohort.id}/cells", json={"enrolment": enrolment.id, "assessment": assessment.id,
                                                            **data}, headers={"Accept": "application/json"})


def test_another_trainer_gets_403_on_the_grid_and_the_save_endpoint(app, db_session, create_graded_cohort,
                                                                   create_user, login_as):
    c = create_graded_cohort(1)
    ids = (c["cohort"].id, c["people"][0].id, c["work"].id)
    other = create_user("trainer", name="别班导师")
    client = login_as(other)
    assert client.get(f"/grading/{ids[0]}").status_code == 403
    response = client.post(f"/grading/{ids[0]}/cells", json={"enrolment": ids[1], "assessment": ids[2], "score": 40},
                           headers={"Accept": "application/json"})
    assert response.status_code == 403 and response.json["code"] == "forbidden"
    assert client.get(f"/grading/{ids[0]}/founders/{ids[1]}/history").status_code == 403
    assert client.get(f"/grading/{ids[0]}/grades.xlsx").status_code == 403
    page = client.get("/grading/")
    assert page.status_code == 200 and c["cohort"].name not in page.get_data(as_text=True)
    assert grading.grades(c["cohort"]) == {}


def test_the_grid_saves_cells_as_json(app, db_session, create_graded_cohort, login_as):
    c = create_graded_cohort(2)
    cohort, a = c["cohort"], c["people"][0]
    client = login_as(c["trainer"])
    page = client.get(f"/grading/{cohort.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "学员0" in html and "结业路演" in html and 'name="csrf-token"' in html
    response = _cell(client, cohort, a, c["work"], score="40")
    assert response.status_code == 200, response.json
    assert response.json["score"] == 40 and response.json["total"] == {"score": 44.0, "graded": 2, "of": 3}
    bad = _cell(client, cohort, a, c["work"], score="60")
    assert bad.status_code == 422 and "50" in bad.json["fields"]["score"]
    levels = rubric_levels(c["pitch"], "良好", "良好")
    rubric = _cell(client, cohort, a, c["pitch"], levels=levels)
    assert rubric.json["score"] == 75 and rubric.json["total"]["score"] == 81.5
    stranger = _cell(client, cohort, a, create_graded_cohort(1)["work"], score=10)
    assert stranger.status_code == 404
    db_session.expire_all()
    assert grading.grades(cohort)[(a.id, c["work"].id)].score == 40
    history = client.get(f"/grading/{cohort.id}/founders/{a.id}/history").get_data(as_text=True)
    assert "— → <b>40</b>" in history and c["trainer"].name in history


def test_publish_locks_the_endpoint_and_admin_unlocks_with_a_reason(app, db_session, create_graded_cohort,
                                                                   create_user, login_as):
    c = create_graded_cohort(1)
    cohort, a = c["cohort"], c["people"][0]
    client = login_as(c["runner"])
    assert client.post(f"/grading/{cohort.id}/publish").status_code == 302
    locked = _cell(client, cohort, a, c["work"], score=10)
    assert locked.status_code == 409 and locked.json["code"] == "grades_locked"
    client.post(f"/grading/{cohort.id}/unlock", data={"reason": "更正"})  # not an admin: refused
    db_session.expire_all()
    assert grading.is_locked(cohort)
    admin_client = login_as(create_user("admin"))
    admin_client.post(f"/grading/{cohort.id}/unlock", data={"reason": ""})
    db_session.expire_all()
    assert grading.is_locked(cohort)
    admin_client.post(f"/grading/{cohort.id}/unlock", data={"reason": "录入错误"})
    db_session.expire_all()
    assert not grading.is_locked(cohort)


def test_assessments_editor(app, db_session, create_cohort, login_as):
    cohort = create_cohort()
    client = login_as(cohort.runner)
    form = {"rows": "3", "a-0-name": "出勤", "a-0-kind": "attendance", "a-0-weight": "20", "a-0-max_score": "100",
            "a-1-name": "作业", "a-1-kind": "graded", "a-1-weight": "30", "a-1-max_score": "100",
            "a-2-name": "路演", "a-2-kind": "graded", "a-2-weight": "40", "a-2-max_score": "100",
            "a-2-rubric": "商业模式：优秀=4，良好=3，合格=2，不合格=0\n路演表达：优秀=4，合格=2"}
    page = client.get(f"/grading/{cohort.id}/assessments").get_data(as_text=True)
    assert '<label for="a-0-name">考核名称</label>' in page and "姓名" not in page  # an assessment, not a person
    response = client.post(f"/grading/{cohort.id}/assessments", data=form)
    assert response.status_code == 422 and "90" in response.get_data(as_text=True)
    assert grading.assessments(cohort) == []
    response = client.post(f"/grading/{cohort.id}/assessments", data=form | {"a-2-weight": "50"})
    assert response.status_code == 302
    db_session.expire_all()
    made = grading.assessments(cohort)
    assert [(a.name, a.weight) for a in made] == [("出勤", 20), ("作业", 30), ("路演", 50)]
    assert [[lv.label for lv in cr.levels] for cr in made[2].criteria] == [["优秀", "良好", "合格", "不合格"],
                                                                           ["优秀", "合格"]]
    bad = client.post(f"/grading/{cohort.id}/assessments", data=form | {"a-2-weight": "50", "a-2-rubric": "乱写"})
    assert bad.status_code == 422
    assert login_as(cohort.trainers[0]).get(f"/grading/{cohort.id}/assessments").status_code == 403


def test_results_pages_export_and_the_founders_own_results(app, db_session, create_graded_cohort, login_as):
    c = create_graded_cohort(2)
    cohort, a = c["cohort"], c["people"][0]
    for person, w in zip(c["people"], (50, 10)):
        grading.record_grade(c["trainer"], person, c["work"], score=w)
        grading.record_grade(c["trainer"], person, c["pitch"], levels=rubric_levels(c["pitch"], "优秀", "优秀"))
    db_session.commit()
    founder = login_as(a.user)
    before = founder.get("/camps/my/results?lang=en").get_data(as_text=True)
    assert "not published yet" in before and "Distinction" not in before
    runner = login_as(c["runner"])
    for step in ("publish", "results/compute", "results/publish"):
        assert runner.post(f"/grading/{cohort.id}/{step}").status_code == 302
    page = runner.get(f"/grading/{cohort.id}/results?lang=en").get_data(as_text=True)
    assert "grade-chart" in page and "Distinction" in page and "Published" in page
    export = runner.get(f"/grading/{cohort.id}/grades.xlsx")
    assert export.status_code == 200 and export.mimetype.endswith("spreadsheetml.sheet")
    assert db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "grades.export")) is not None
    from io import BytesIO

    from openpyxl import load_workbook
    sheet = load_workbook(BytesIO(export.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert values[0][1] == "学员0" and "****" in values[0][3]  # phone masked
    mine = login_as(a.user).get("/camps/my/results?lang=en").get_data(as_text=True)
    assert "Distinction" in mine and "100%" in mine


@pytest.mark.concurrency
def test_grades_racing_publication_never_slip_in_after_the_lock(app, db_session, create_graded_cohort):
    """Trainers saving cells (several on the same cell) while an organiser publishes: each save
    lands before the publication or is refused with grades_locked; none is lost or doubled."""
    from app.accounts.models import User
    from app.cohorts.camps.models import Enrolment
    from app.cohorts.models import Assessment, Grade, GradeLockEvent
    from app.extensions import db
    from tests.racing import race

    c = create_graded_cohort(4)
    cohort_id, trainer_id, runner_id, work_id = c["cohort"].id, c["trainer"].id, c["runner"].id, c["work"].id
    people = [p.id for p in c["people"]]
    items = [("grade", people[i % 4], 10 + i) for i in range(12)] + [("publish", None, None)]

    def attempt(item):
        kind, enrolment_id, score = item
        if kind == "publish":
            return grading.publish(db.session.get(User, runner_id), cohorts.get_cohort(cohort_id)).locked
        return grading.record_grade(db.session.get(User, trainer_id), db.session.get(Enrolment, enrolment_id),
                                    db.session.get(Assessment, work_id), score=score).score

    results, errors = race(app, attempt, items, 8)
    assert all("GradesLocked" in e for e in errors), errors
    assert len(results) + len(errors) == len(items) and True in results
    db_session.expire_all()
    published = db_session.scalar(sa.select(GradeLockEvent).where(GradeLockEvent.action == "publish"))
    rows = db_session.scalars(sa.select(GradeChange).order_by(GradeChange.id)).all()
    assert len(rows) == len(results) - 1 and all(r.changed_at <= published.at for r in rows)
    for enrolment_id in people:  # each cell's changes chain old → new without gaps
        chain = [r for r in rows if r.enrolment_id == enrolment_id]
        assert [r.old_score for r in chain] == ([None] + [r.new_score for r in chain[:-1]] if chain else [])
        grade = db_session.scalar(sa.select(Grade).where(Grade.enrolment_id == enrolment_id))
        assert (grade.score if grade else None) == (chain[-1].new_score if chain else None)


def test_a_founder_of_another_cohort_is_refused_in_the_grid(app, db_session, create_graded_cohort, login_as):
    """Issue 11, finding 1: a grading cell with the founder (enrolment) id of another cohort
    where the trainer does not teach, posted to the trainer's own cohort: 404, nothing saved."""
    c, other = create_graded_cohort(1), create_graded_cohort(1)
    client = login_as(c["trainer"])
    response = _cell(client, c["cohort"], other["people"][0], c["work"], score=10)
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):  # the service itself: another cohort's founder and assessment
        grading.record_grade(c["trainer"], other["people"][0], other["work"], score=10)
    db_session.expire_all()
    assert grading.grades(other["cohort"]) == {} and grading.grades(c["cohort"]) == {}


def test_totals_round_half_up_on_exact_decimals_everywhere(app, db_session, create_graded_cohort, login_as):
    """Issue 12, defect 12: 50 % × 88.33 + 50 % × 89 is 88.665, which floats rounded to 88.66 in
    the grid and the XLSX. One rule (app.numbers.round_score: two decimals, half up, on exact
    decimals) gives 88.67 in the grid, the cell's JSON, the XLSX, the results and the ranking; and
    a band compares the same rounded total that is shown (here a distinction at 88.67)."""
    from decimal import Decimal
    from io import BytesIO

    from openpyxl import load_workbook

    from app.numbers import round_score

    assert round_score(88.665) == Decimal("88.67") and round_score(Decimal("84.995")) == Decimal("85.00")
    c = create_graded_cohort(2)
    cohort, runner, trainer = c["cohort"], c["runner"], c["trainer"]
    theory, pitch = grading.set_assessments(runner, cohort, [
        {"name": "理论", "kind": "graded", "weight": 50, "max_score": 100},
        {"name": "路演", "kind": "graded", "weight": 50, "max_score": 100}])
    grading.set_rules(runner, cohort, distinction_score="88.67", distinction_top_share="1")
    a, b = c["people"]
    grading.record_grade(trainer, b, theory, score="88.66")
    grading.record_grade(trainer, b, pitch, score="88.66")
    db_session.commit()
    client = login_as(trainer)
    grading.record_grade(trainer, a, theory, score="88.33")
    db_session.commit()
    saved = _cell(client, cohort, a, pitch, score="89")
    assert saved.status_code == 200 and saved.json["total"]["score"] == 88.67
    assert grading.weighted_total(a).score == Decimal("88.67")
    grid = client.get(f"/grading/{cohort.id}").get_data(as_text=True)
    assert f'data-testid="total-{a.id}"><b class="total-score">88.67</b>' in grid
    grading.publish(runner, cohort)
    run = results.compute_results(runner, cohort)
    db_session.commit()
    by = {r.enrolment_id: r for r in run.results}
    assert (by[a.id].score, by[a.id].rank, by[a.id].outcome) == (88.67, 1, "distinction")
    assert (by[b.id].score, by[b.id].rank, by[b.id].outcome) == (88.66, 2, "completed")
    page = login_as(runner).get(f"/grading/{cohort.id}/results").get_data(as_text=True)
    assert "88.67" in page and "88.665" not in page
    export = login_as(runner).get(f"/grading/{cohort.id}/grades.xlsx")
    sheet = load_workbook(BytesIO(export.data)).active
    header = [cell.value for cell in sheet[2]]
    rows = {row[1]: row for row in ([cell.value for cell in r] for r in sheet.iter_rows(min_row=3))}
    assert rows[a.user.name][header.index("加权总分")] == 88.67
