"""The reports' pages: /dashboard/reports (the runs the reader may see, and the request form), a
run's progress page polling its JSON status, and the download (audited)."""
from __future__ import annotations

from datetime import date

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.errors import InvalidInput
from app.extensions import db
from app.inputs import bounded_int
from app.plans.bp import bp, readers
from app.plans.reports import services
from app.plans.reports.models import FORMAT_LABELS, KIND_LABELS, STATUS_LABELS, ReportKind, RunStatus
from app.plans.scope import scope_of
from app.timeutil import date_in_range, local_today
from app.transaction import commit
from app.web import answers_json, download, perform


def _date(text: str | None) -> date | None:
    try:
        value = date.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return value if date_in_range(value) else None


def _month(text: str | None) -> date | None:
    return _date(f"{(text or '').strip()}-01") if len((text or "").strip()) == 7 else None


def _page(errors: dict | None = None, status: int = 200):
    today = local_today()
    plan = services.current_plan(today)
    values = request.form if request.method == "POST" else {}
    return render_template("plans/reports/index.html", runs=services.runs(current_user), plans=services.plans(),
                           plan=plan, today=today, errors=errors or {}, values=values, kinds=KIND_LABELS,
                           formats=FORMAT_LABELS, status_labels=STATUS_LABELS, scope=scope_of(current_user),
                           RunStatus=RunStatus, ReportKind=ReportKind), status


@bp.route("/dashboard/reports", methods=["GET", "POST"])
@readers
def reports():
    if request.method == "GET":
        return _page()
    form = request.form
    try:
        run, new = services.request_report(
            current_user, plan_id=bounded_int(form.get("plan")), kind=form.get("kind", ""),
            fmt=form.get("fmt", ""), year=bounded_int(form.get("year")), day=_date(form.get("day")),
            month=_month(form.get("month")))
        db.session.flush()
    except InvalidInput as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return _page({key: str(message) for key, message in (exc.fields or {}).items()}, exc.http_status)
    commit()
    if new:
        services.dispatch(run)  # after the commit: the job looks for the run's row
    return redirect(url_for("plans.report", run_id=run.id))


@bp.route("/dashboard/reports/<int:run_id>")
@readers
def report(run_id: int):
    return render_template("plans/reports/run.html", run=services.get_run(current_user, run_id),
                           kinds=KIND_LABELS, status_labels=STATUS_LABELS, RunStatus=RunStatus)


@bp.route("/dashboard/reports/<int:run_id>/retry", methods=["POST"])
@readers
def report_retry(run_id: int):
    here = url_for("plans.report", run_id=run_id)

    def again(run) -> str:
        if run is not None:
            services.dispatch(run)  # after the commit: the job looks for the run's row
        return here
    return perform(lambda: services.retry_run(current_user, run_id), success=_("Preparing the report again."),
                   to=again, refused_to=here)


@bp.route("/dashboard/reports/<int:run_id>.json")
@readers
@answers_json
def report_json(run_id: int):
    run = services.get_run(current_user, run_id)
    body = services.status(run)
    body["download_url"] = url_for("plans.report_file", run_id=run.id) if run.status == RunStatus.DONE.value else None
    return jsonify(body)


@bp.route("/dashboard/reports/<int:run_id>/file")
@readers
def report_file(run_id: int):
    body, name, mimetype = services.download(current_user, run_id)
    commit()  # the audit row of who downloaded it
    return download(body, name, mimetype)
