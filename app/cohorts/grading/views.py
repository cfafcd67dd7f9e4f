"""Grading pages on the cohorts blueprint: the trainer's cohorts, the grading grid (cells saved
one by one as JSON), assessments editor, a founder's grade history, results (preview, publish,
unlock), the XLSX export, and the founder's own results."""
from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.cohorts.bp import bp
from app.cohorts.camps import services as cohorts
from app.cohorts.grading import assessments, grades, results
from app.cohorts.lessons import attendance
from app.cohorts.models import ASSESSMENT_KIND_LABELS, Outcome
from app.errors import InvalidInput
from app.transaction import commit
from app.web import FieldMessages, allowed, download, perform


def _cohort_to_teach(cohort_id: int):
    return allowed(cohorts.get_cohort(cohort_id), cohorts.require_teach)  # 403 for another cohort's trainer


def _cohort_to_run(cohort_id: int):
    return allowed(cohorts.get_cohort(cohort_id), cohorts.require_run, lambda c: c.cycle.programme)


def _can_run(cohort) -> bool:
    return cohorts.can_run(current_user, cohort.cycle.programme)


@bp.route("/grading/")
@login_required
def grading_index():
    mine = cohorts.cohorts_for(current_user)
    if not mine and not (current_user.has_role("trainer") or current_user.is_staff):
        abort(403)
    return render_template("cohorts/grading_index.html", cohorts=mine,
                           counts=cohorts.enrolled_counts(mine), locked=grades.locked_of(mine))


@bp.route("/grading/<int:cohort_id>")
@login_required
def grading_grid(cohort_id: int):
    cohort = _cohort_to_teach(cohort_id)
    columns = grades.assessments(cohort)
    people = cohorts.active_enrolments(cohort)
    rates = attendance.rates(cohort) if any(a.is_attendance for a in columns) else {}
    table = grades.scores(cohort, rates=rates)
    return render_template("cohorts/grading_grid.html", cohort=cohort, columns=columns, people=people,
                           table=table, cells=grades.grades(cohort),
                           totals={e.id: grades.total_of(columns, table[e.id]) for e in people},
                           locked=grades.is_locked(cohort), can_run=_can_run(cohort),
                           rubrics={a.id: [{"id": c.id, "name": c.name,
                                            "levels": [{"id": lv.id, "label": lv.label, "points": lv.points}
                                                       for lv in c.levels]} for c in a.criteria]
                                    for a in columns if a.has_rubric})


def _total_json(total: grades.Total) -> dict:
    return {"score": float(total.score), "graded": total.graded, "of": total.of}


@bp.route("/grading/<int:cohort_id>/cells", methods=["POST"])
@login_required
def grading_cell(cohort_id: int):
    """Save one cell: JSON {enrolment, assessment, score} or {enrolment, assessment, levels}."""
    cohort = _cohort_to_teach(cohort_id)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InvalidInput(_l("The request could not be understood."))
    enrolment = grades.enrolment_in(cohort, data.get("enrolment"))
    assessment = grades.get_assessment(data.get("assessment") if isinstance(data.get("assessment"), int) else 0,
                                        cohort)
    grade = grades.record_grade(current_user, enrolment, assessment, score=data.get("score"),
                                 levels=data.get("levels"))
    commit()
    return {"ok": True, "score": grade.score, "levels": grade.levels or {},
            "total": _total_json(grades.weighted_total(enrolment))}


# -- assessments -------------------------------------------------------------------------------
@bp.route("/grading/<int:cohort_id>/assessments", methods=["GET", "POST"])
@login_required
def grading_assessments(cohort_id: int):
    cohort = _cohort_to_run(cohort_id)
    rows, errors = assessments.editor_rows(cohort), FieldMessages(summary="")
    if request.method == "POST":
        rows = assessments.entered_rows(request.form)
        if done := perform(lambda: assessments.save_rows(current_user, cohort, rows), success=_("Assessments saved."),
                           to=url_for("cohorts.grading_assessments", cohort_id=cohort.id), form=errors):
            return done
    return render_template("cohorts/grading_assessments.html", cohort=cohort, rows=rows, errors=errors,
                           kinds=ASSESSMENT_KIND_LABELS, locked=grades.is_locked(cohort)), \
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
    enrolment = grades.enrolment_in(cohort, enrolment_id)
    return render_template("cohorts/grading_history.html", cohort=cohort, enrolment=enrolment,
                           changes=grades.changes(enrolment), describe=describe, can_run=_can_run(cohort),
                           total=grades.weighted_total(enrolment))


# -- results -----------------------------------------------------------------------------------
@bp.route("/grading/<int:cohort_id>/results")
@login_required
def grading_results(cohort_id: int):
    cohort = _cohort_to_teach(cohort_id)
    run = results.latest_run(cohort)
    totals = grades.totals(cohort)
    ranked = sorted(run.results, key=lambda r: (r.rank is None, r.rank or 0, r.enrolment_id)) if run else []
    return render_template("cohorts/grading_results.html", cohort=cohort, run=run, ranked=ranked,
                           published_run=results.latest_run(cohort, published=True),
                           counts=results.counts(run), chart=results.distribution(totals),
                           state=grades.state(cohort), history=grades.lock_history(cohort),
                           rules=grades.rules(cohort), can_run=_can_run(cohort), Outcome=Outcome,
                           places=results.top_places(grades.rules(cohort)["distinction_top_share"],
                                                     cohorts.enrolled_count(cohort)))


def _on_results(cohort_id: int, service, success: str, *args, **kwargs):
    """Run `service(current_user, cohort, *args, **kwargs)` on the cohort the URL names, then back
    to its results page."""
    cohort = cohorts.get_cohort(cohort_id)
    return perform(lambda: service(current_user, cohort, *args, **kwargs), success=success,
                   to=url_for("cohorts.grading_results", cohort_id=cohort.id))


@bp.route("/grading/<int:cohort_id>/publish", methods=["POST"])
@login_required
def grading_publish(cohort_id: int):
    return _on_results(cohort_id, grades.publish, _("The grades are published and locked."))


@bp.route("/grading/<int:cohort_id>/unlock", methods=["POST"])
@login_required
def grading_unlock(cohort_id: int):
    return _on_results(cohort_id, grades.unlock, _("The grades are unlocked; every change now records your reason."),
                       request.form.get("reason", ""))


@bp.route("/grading/<int:cohort_id>/rules", methods=["POST"])
@login_required
def grading_rules(cohort_id: int):
    return _on_results(cohort_id, grades.set_rules, _("Completion rules saved."), **grades.entered_rules(request.form))


@bp.route("/grading/<int:cohort_id>/results/compute", methods=["POST"])
@login_required
def results_compute(cohort_id: int):
    return _on_results(cohort_id, results.compute_results, _("Results computed: review them, then publish."))


@bp.route("/grading/<int:cohort_id>/results/publish", methods=["POST"])
@login_required
def results_publish(cohort_id: int):
    return _on_results(cohort_id, results.publish_results, _("Results published: founders can see theirs."))


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
