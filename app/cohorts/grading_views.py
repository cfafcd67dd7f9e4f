"""Grading pages on the cohorts blueprint: the trainer's cohorts, the grading grid (cells saved
one by one as JSON), assessments editor, a founder's grade history, results (preview, publish,
unlock), the XLSX export, and the founder's own results."""
from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.cohorts import grading, results
from app.cohorts.lessons import attendance
from app.cohorts.camps import services as cohorts
from app.cohorts.camps.models import Enrolment
from app.cohorts.models import ASSESSMENT_KIND_LABELS, AssessmentKind, Outcome
from app.cohorts.bp import bp
from app.errors import InvalidInput
from app.extensions import db
from app.transaction import commit
from app.web import download, posted_action


def _cohort_to_teach(cohort_id: int):
    cohort = cohorts.get_cohort(cohort_id)
    cohorts.require_teach(current_user, cohort)  # 403 for another cohort's trainer
    return cohort


def _enrolment_in(cohort, enrolment_id) -> Enrolment:
    enrolment = db.session.get(Enrolment, enrolment_id) if isinstance(enrolment_id, int) else None
    if enrolment is None or enrolment.cohort_id != cohort.id:
        abort(404)
    return enrolment


def _can_run(cohort) -> bool:
    return cohorts.can_run(current_user, cohort.cycle.programme)


@bp.route("/grading/")
@login_required
def grading_index():
    mine = cohorts.cohorts_for(current_user)
    if not mine and not (current_user.has_role("trainer") or current_user.is_staff):
        abort(403)
    return render_template("cohorts/grading_index.html", cohorts=mine,
                           counts={c.id: cohorts.enrolled_count(c) for c in mine},
                           locked={c.id: grading.is_locked(c) for c in mine})


@bp.route("/grading/<int:cohort_id>")
@login_required
def grading_grid(cohort_id: int):
    cohort = _cohort_to_teach(cohort_id)
    columns = grading.assessments(cohort)
    people = cohorts.active_enrolments(cohort)
    rates = attendance.rates(cohort) if any(a.is_attendance for a in columns) else {}
    table = grading.scores(cohort, rates=rates)
    return render_template("cohorts/grading_grid.html", cohort=cohort, columns=columns, people=people,
                           table=table, cells=grading.grades(cohort),
                           totals={e.id: grading.total_of(columns, table[e.id]) for e in people},
                           locked=grading.is_locked(cohort), can_run=_can_run(cohort),
                           rubrics={a.id: [{"id": c.id, "name": c.name,
                                            "levels": [{"id": lv.id, "label": lv.label, "points": lv.points}
                                                       for lv in c.levels]} for c in a.criteria]
                                    for a in columns if a.has_rubric})


def _total_json(total: grading.Total) -> dict:
    return {"score": float(total.score), "graded": total.graded, "of": total.of}


@bp.route("/grading/<int:cohort_id>/cells", methods=["POST"])
@login_required
def grading_cell(cohort_id: int):
    """Save one cell: JSON {enrolment, assessment, score} or {enrolment, assessment, levels}."""
    cohort = _cohort_to_teach(cohort_id)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InvalidInput(_l("The request could not be understood."))
    enrolment = _enrolment_in(cohort, data.get("enrolment"))
    assessment = grading.get_assessment(data.get("assessment") if isinstance(data.get("assessment"), int) else 0,
                                        cohort)
    grade = grading.record_grade(current_user, enrolment, assessment, score=data.get("score"),
                                 levels=data.get("levels"))
    commit()
    return {"ok": True, "score": grade.score, "levels": grade.levels or {},
            "total": _total_json(grading.weighted_total(enrolment))}


# -- assessments -------------------------------------------------------------------------------
_LEVEL = re.compile(r"^(.+?)\s*[=＝:：]\s*([0-9]+(?:\.[0-9]+)?)$")


def parse_rubric(text: str) -> list[dict] | None:
    """'商业模式：优秀=4，良好=3，合格=2，不合格=0' per line → [{"name", "levels": [...]}]; None if
    a line cannot be read."""
    rubric = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        parts = re.split(r"[:：|]", line, maxsplit=1)
        if len(parts) != 2:
            return None
        name, rest = parts
        levels = []
        for part in re.split(r"[,，;；、]", rest):
            part = part.strip()
            if not part:
                continue
            match = _LEVEL.match(part)
            if not match:
                return None
            levels.append({"label": match.group(1).strip(), "points": match.group(2)})
        rubric.append({"name": name.strip(), "levels": levels})
    return rubric


def rubric_text(assessment) -> str:
    return "\n".join(f"{c.name}：" + "，".join(f"{lv.label}={lv.points:g}" for lv in c.levels)
                     for c in assessment.criteria)


BLANK_ROWS = 3


@bp.route("/grading/<int:cohort_id>/assessments", methods=["GET", "POST"])
@login_required
def grading_assessments(cohort_id: int):
    cohort = cohorts.get_cohort(cohort_id)
    cohorts.require_run(current_user, cohort.cycle.programme)
    existing = grading.assessments(cohort)
    rows = [{"id": a.id, "name": a.name, "kind": a.kind, "weight": a.weight, "max_score": f"{a.max_score:g}",
             "rubric": rubric_text(a)} for a in existing]
    errors = {}
    if request.method == "POST":
        form = request.form
        count = int(form.get("rows", "0") or 0) if (form.get("rows") or "0").isdigit() else 0
        rows, specs, row_of = [], [], {}
        for i in range(min(count, grading.MAX_ASSESSMENTS + BLANK_ROWS)):
            row = {key: (form.get(f"a-{i}-{key}") or "").strip()
                   for key in ("id", "name", "kind", "weight", "max_score", "rubric")}
            rows.append(row)
            if not (row["name"] or row["weight"] or row["rubric"]):
                continue
            rubric = parse_rubric(row["rubric"])
            if rubric is None:
                errors[f"{i}-rubric"] = _("Write each criterion on its own line: name, a colon, then levels such "
                                          "as 优秀=4，良好=3，合格=2，不合格=0.")
                rubric = []
            row_of[len(specs)] = i
            specs.append({"id": row["id"] or None, "name": row["name"], "kind": row["kind"],
                          "weight": row["weight"], "max_score": row["max_score"] or 100, "rubric": rubric})
        if not errors:
            try:
                grading.set_assessments(current_user, cohort, specs)
            except InvalidInput as exc:
                db.session.rollback()
                for key, message in exc.fields.items():
                    match = re.match(r"assessments-(\d+)-(\w+)$", key)
                    if match:
                        errors[f"{row_of.get(int(match.group(1)), 0)}-{match.group(2)}"] = str(message)
                    else:
                        errors["all"] = " ".join(filter(None, [errors.get("all"), str(message)]))
            else:
                commit()
                flash(_("Assessments saved."), "success")
                return redirect(url_for("cohorts.grading_assessments", cohort_id=cohort.id))
        else:
            db.session.rollback()
    if request.method == "GET":
        rows += [{"id": "", "name": "", "kind": AssessmentKind.GRADED.value, "weight": "", "max_score": "100",
                  "rubric": ""} for _i in range(BLANK_ROWS)]
    return render_template("cohorts/grading_assessments.html", cohort=cohort, rows=rows, errors=errors,
                           kinds=ASSESSMENT_KIND_LABELS, locked=grading.is_locked(cohort)), \
        (422 if errors else 200)


# -- history -----------------------------------------------------------------------------------
def describe(assessment, score, levels) -> str:
    if score is None and not levels:
        return "—"
    if levels and assessment.criteria:
        names = {lv.id: lv.label for c in assessment.criteria for lv in c.levels}
        chosen = "、".join(f"{c.name} {names.get(levels.get(str(c.id)), '—')}" for c in assessment.criteria)
        return f"{score:g}（{chosen}）" if score is not None else chosen
    return f"{score:g}"


@bp.route("/grading/<int:cohort_id>/founders/<int:enrolment_id>/history")
@login_required
def grading_history(cohort_id: int, enrolment_id: int):
    cohort = _cohort_to_teach(cohort_id)
    enrolment = _enrolment_in(cohort, enrolment_id)
    return render_template("cohorts/grading_history.html", cohort=cohort, enrolment=enrolment,
                           changes=grading.changes(enrolment), describe=describe, can_run=_can_run(cohort),
                           total=grading.weighted_total(enrolment))


# -- results -----------------------------------------------------------------------------------
@bp.route("/grading/<int:cohort_id>/results")
@login_required
def grading_results(cohort_id: int):
    cohort = _cohort_to_teach(cohort_id)
    run = results.latest_run(cohort)
    totals = grading.totals(cohort)
    ranked = sorted(run.results, key=lambda r: (r.rank is None, r.rank or 0, r.enrolment_id)) if run else []
    return render_template("cohorts/grading_results.html", cohort=cohort, run=run, ranked=ranked,
                           published_run=results.latest_run(cohort, published=True),
                           counts=results.counts(run), chart=results.distribution(totals),
                           state=grading.state(cohort), history=grading.lock_history(cohort),
                           rules=grading.rules(cohort), can_run=_can_run(cohort), Outcome=Outcome,
                           places=results.top_places(grading.rules(cohort)["distinction_top_share"],
                                                     cohorts.enrolled_count(cohort)))


def _action(cohort, action, success: str):
    return posted_action(action, success, url_for("cohorts.grading_results", cohort_id=cohort.id))


@bp.route("/grading/<int:cohort_id>/publish", methods=["POST"])
@login_required
def grading_publish(cohort_id: int):
    cohort = cohorts.get_cohort(cohort_id)
    return _action(cohort, lambda: grading.publish(current_user, cohort),
                   _("The grades are published and locked."))


@bp.route("/grading/<int:cohort_id>/unlock", methods=["POST"])
@login_required
def grading_unlock(cohort_id: int):
    cohort = cohorts.get_cohort(cohort_id)
    return _action(cohort, lambda: grading.unlock(current_user, cohort, request.form.get("reason", "")),
                   _("The grades are unlocked; every change now records your reason."))


@bp.route("/grading/<int:cohort_id>/rules", methods=["POST"])
@login_required
def grading_rules(cohort_id: int):
    cohort = cohorts.get_cohort(cohort_id)
    values = {}
    for key in ("min_attendance", "distinction_top_share"):  # entered as percentages
        raw = (request.form.get(key) or "").strip()
        values[key] = grading._number(raw) / 100 if grading._number(raw) is not None else raw
    for key in ("min_score", "distinction_score"):
        values[key] = request.form.get(key, "")
    return _action(cohort, lambda: grading.set_rules(current_user, cohort, **values),
                   _("Completion rules saved."))


@bp.route("/grading/<int:cohort_id>/results/compute", methods=["POST"])
@login_required
def results_compute(cohort_id: int):
    cohort = cohorts.get_cohort(cohort_id)
    return _action(cohort, lambda: results.compute_results(current_user, cohort),
                   _("Results computed: review them, then publish."))


@bp.route("/grading/<int:cohort_id>/results/publish", methods=["POST"])
@login_required
def results_publish(cohort_id: int):
    cohort = cohorts.get_cohort(cohort_id)
    return _action(cohort, lambda: results.publish_results(current_user, cohort),
                   _("Results published: founders can see theirs."))


@bp.route("/grading/<int:cohort_id>/grades.xlsx")
@login_required
def grading_export(cohort_id: int):
    cohort = _cohort_to_teach(cohort_id)
    header, rows = results.export_rows(current_user, cohort)
    commit()  # the audit row of who exported what
    return download(results.to_xlsx(cohort.name, header, rows), f"grades-{cohort.id}.xlsx")


# -- the founder's own results -----------------------------------------------------------------
@bp.route("/camps/my/results")
@login_required
def my_results():
    return render_template("cohorts/my_results.html", rows=results.my_results(current_user))
