"""Reports as business actions: ask for one (the same report while one is being prepared gives
that one back), render it in the background with its progress, hand the file out (audited,
within the reader's departments), and the monthly report the schedule makes on the 1st at 08:00
in Shanghai for the whole bureau, with a notice to the leaders.

A run's status changes only through ReportRun.transition (queued → running → done | failed); the
job runs in an app context of its own (an RQ worker's, or a thread's: app/jobs.py)."""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app import background, jobs
from app.accounts.models import Role, User, UserRole
from app.audit import services as audit
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.notifications import inbox
from app.plans.models import Plan
from app.plans.reports import content, documents
from app.plans.reports.models import ACTIVE, ReportFormat, ReportKind, ReportRun, RunStatus
from app.plans.scope import EVERYTHING, Scope, scope_of
from app.timeutil import LOCAL_TZ, as_utc, local_today, to_local, utcnow

log = logging.getLogger(__name__)
QUEUE = "reports"
MONTHLY_JOB_ID = "plans-monthly-report"
MONTHLY_HOUR = 8  # 08:00 in Shanghai on the 1st
MIMETYPES = {"pdf": "application/pdf",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class ReportNotReady(Conflict):
    code = "report_not_ready"
    default_message = _l("This report is not ready to download.")


# -- asking for a report --------------------------------------------------------------------------
def plans() -> list[Plan]:
    return list(db.session.scalars(sa.select(Plan).order_by(Plan.starts_on.desc(), Plan.id.desc())))


def current_plan(today: date | None = None) -> Plan | None:
    """The plan in force today, else the latest one."""
    today = today or local_today()
    in_force = sa.case(((Plan.starts_on <= today) & (Plan.ends_on >= today), 0), else_=1)
    return db.session.scalar(sa.select(Plan).order_by(in_force, Plan.starts_on.desc(), Plan.id.desc()).limit(1))


def _period(plan: Plan, kind: str, year, day, month, today: date) -> tuple[date, date]:
    """The report's days, or InvalidInput naming the field that is wrong."""
    if kind == ReportKind.ANNUAL.value:
        if not isinstance(year, int) or not plan.starts_on.year <= year <= plan.ends_on.year:
            raise InvalidInput(fields={"year": _l("Choose a year of the plan (%(first)s–%(last)s).",
                                                  first=plan.starts_on.year, last=plan.ends_on.year)})
        if date(year, 1, 1) > today:
            raise InvalidInput(fields={"year": _l("This year has not begun.")})
        return content.period_of(plan, kind, year=year, day=today)
    if kind == ReportKind.MIDTERM.value:
        if not isinstance(day, date):
            raise InvalidInput(fields={"day": _l("Enter the date the assessment stands at.")})
        if not plan.starts_on <= day <= min(plan.ends_on, today):
            raise InvalidInput(fields={"day": _l("Choose a day from the plan's start (%(first)s) to today or the "
                                                 "plan's end.", first=plan.starts_on.isoformat())})
        return content.period_of(plan, kind, day=day)
    if not isinstance(month, date):
        raise InvalidInput(fields={"month": _l("Choose the month to report on.")})
    last = _month_end(month)
    if last >= today:
        raise InvalidInput(fields={"month": _l("A monthly report covers a month that has ended.")})
    if last < plan.starts_on or month.replace(day=1) > plan.ends_on:
        raise InvalidInput(fields={"month": _l("Choose a month of the plan.")})
    return content.period_of(plan, kind, day=min(last, plan.ends_on))


def _month_end(day: date) -> date:
    nxt = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def request_report(actor: User, *, plan_id, kind, fmt, year=None, day=None, month=None,
                   today: date | None = None) -> tuple[ReportRun, bool]:
    """A report of `plan_id` for the reader's departments, and whether it is new (the caller
    commits, then `dispatch`es a new run). The same report already waiting or being prepared is
    returned instead of a second one."""
    scope = scope_of(actor)
    if not scope.everything and not scope.department_ids:
        raise PermissionDenied()  # a head of no department has nothing to report on
    plan = db.session.get(Plan, plan_id) if isinstance(plan_id, int) else None
    if plan is None:
        raise InvalidInput(fields={"plan": _l("Choose a plan.")})
    if kind not in {k.value for k in ReportKind}:
        raise InvalidInput(fields={"kind": _l("Choose the kind of report.")})
    if fmt not in {f.value for f in ReportFormat}:
        raise InvalidInput(fields={"fmt": _l("Choose PDF or XLSX.")})
    first, last = _period(plan, kind, year, day, month, today or local_today())
    departments = None if scope.everything else sorted(scope.department_ids)
    for run in db.session.scalars(sa.select(ReportRun).where(
            ReportRun.plan_id == plan.id, ReportRun.kind == kind, ReportRun.fmt == fmt,
            ReportRun.first_day == first, ReportRun.last_day == last, ReportRun.status.in_(ACTIVE))
            .order_by(ReportRun.id)):
        if run.department_ids == departments:
            return run, False
    run = ReportRun(plan=plan, kind=kind, fmt=fmt, department_ids=departments, first_day=first, last_day=last,
                    requested_by_id=actor.id)
    run.transition(RunStatus.QUEUED, actor=actor)
    audit.record(actor, "plans.report_requested", run, kind=kind, fmt=fmt, plan=plan.slug,
                 first=first.isoformat(), last=last.isoformat(), departments=departments)
    return run, True


def dispatch(run: ReportRun) -> None:
    """After the commit: to RQ when Redis is configured, else to a thread of this process."""
    if run.status != RunStatus.QUEUED.value:
        return
    if jobs.redis_url():
        jobs.enqueue(QUEUE, run_report, run.id, job_id=run.rq_job_id, kind=jobs.REPORT,
                     on_failure=background.job_failed, meta=background.job_meta(ReportRun, run.id))
    else:
        jobs.in_thread(run_report, run.id, name=f"plan-report-{run.id}")


# -- the job --------------------------------------------------------------------------------------
def scope_of_run(run: ReportRun) -> Scope:
    return EVERYTHING if run.department_ids is None else Scope(frozenset(run.department_ids))


def render(run: ReportRun, on_progress=None) -> bytes:
    """The run's file (in the bureau's language: the reports are Chinese)."""
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE") or "zh_CN"):
        report = content.build(run.plan, run.kind, scope_of_run(run), run.first_day, run.last_day,
                               on_step=lambda done, total: on_progress and on_progress(5 + 80 * done // max(total, 1)))
        if on_progress:
            on_progress(85)
        return documents.pdf(report) if run.fmt == ReportFormat.PDF.value else documents.xlsx(report)


def file_name(run: ReportRun) -> str:
    return f"{run.plan.slug}-{run.kind}-{run.first_day.isoformat()}-{run.last_day.isoformat()}.{run.fmt}"


def run_report(run_id: int) -> None:
    """Render a queued run, recording its progress, its file or why it failed. A running run is
    taken over too: RQ runs the job again when an attempt died, and a report starts from scratch."""
    run = background.take_over(ReportRun, run_id)
    if run is None:
        return
    run.started_at, run.progress = utcnow(), 1
    db.session.commit()

    def progress(percent: int) -> None:
        if percent > run.progress:
            run.progress, run.heartbeat_at = min(percent, 99), utcnow()
            db.session.commit()  # each step is one short write: the page polling it sees it at once

    try:
        body = render(run, progress)
    except Exception as exc:  # noqa: BLE001 - the run records any failure for the reader
        log.exception("report run %s failed", run_id)
        db.session.rollback()
        background.job_error(ReportRun, run_id, exc)
        return
    if background.locked(ReportRun, run_id, (RunStatus.RUNNING.value,)) is None:
        return  # failed by the sweeper meanwhile: it stays so
    run.body, run.size, run.file_name = body, len(body), file_name(run)
    run.progress, run.finished_at = 100, utcnow()
    run.transition(RunStatus.DONE)
    db.session.commit()


def retry_run(actor: User, run_id: int) -> ReportRun:
    """Prepare a failed report again (the caller commits, then `dispatch`es it)."""
    run = get_run(actor, run_id)
    background.retry(actor, run)
    audit.record(actor, "plans.report_retried", run)
    return run


# -- reading --------------------------------------------------------------------------------------
def _sees(scope: Scope, run: ReportRun) -> bool:
    """A head reads the runs made for their own departments (or some of them); leaders and
    administrators read every run."""
    if scope.everything:
        return True
    return run.department_ids is not None and bool(run.department_ids) and set(run.department_ids) <= scope.department_ids


def get_run(actor: User, run_id: int) -> ReportRun:
    scope = scope_of(actor)
    run = db.session.get(ReportRun, run_id)
    if run is None or not _sees(scope, run):
        raise NotFound(_l("No such report."))
    return run


def runs(actor: User, limit: int = 50) -> list[ReportRun]:
    scope = scope_of(actor)
    query = (sa.select(ReportRun).options(joinedload(ReportRun.plan))  # each row names its plan
             .order_by(ReportRun.requested_at.desc(), ReportRun.id.desc()))
    if not scope.everything:
        query = query.where(ReportRun.department_ids.is_not(None))
    return [r for r in db.session.scalars(query.limit(limit * 4)) if _sees(scope, r)][:limit]


def status(run: ReportRun) -> dict:
    percent = 100 if run.status == RunStatus.DONE.value else run.progress
    failed = run.status == RunStatus.FAILED.value
    reason = run.failure_text
    # `percent` and `error` as a print job's status has them: the progress page's script is shared.
    return {"id": run.id, "status": run.status, "progress": percent, "percent": percent, "reason": reason,
            "error": reason, "failure": run.failure if failed else None}


def download(actor: User, run_id: int) -> tuple[bytes, str, str]:
    """The file, its name and type; who downloaded it is audited (the caller commits)."""
    run = get_run(actor, run_id)
    if run.status != RunStatus.DONE.value or run.body is None:
        raise ReportNotReady()
    audit.record(actor, "plans.report_downloaded", run, kind=run.kind, fmt=run.fmt, plan=run.plan.slug,
                 departments=run.department_ids)
    return run.body, run.file_name or file_name(run), MIMETYPES[run.fmt]


# -- the monthly schedule -------------------------------------------------------------------------
def monthly_boundary(now: datetime) -> datetime:
    """The latest 1st-of-a-month 08:00 in Shanghai at or before `now` (UTC)."""
    local = to_local(now)
    at = local.replace(day=1, hour=MONTHLY_HOUR, minute=0, second=0, microsecond=0)
    if local < at:
        previous = at.date() - timedelta(days=1)
        at = datetime(previous.year, previous.month, 1, MONTHLY_HOUR, tzinfo=LOCAL_TZ)
    return as_utc(at)


def month_due(now: datetime) -> tuple[date, date]:
    """The month whose report is due at `now`: the one ended before the latest 1st at 08:00."""
    last = to_local(monthly_boundary(now)).date() - timedelta(days=1)
    return last.replace(day=1), last


def next_monthly_at(now: datetime) -> datetime:
    """The next 1st of a month at 08:00 in Shanghai after `now`, in UTC."""
    return jobs.next_first_of_month(now, MONTHLY_HOUR)


def monthly_reports(now: datetime | None = None) -> list[ReportRun]:
    """Make the monthly report now due for each plan in force that month, once (a sweep that runs
    again does nothing), and tell the leaders. Runs inside the job's own app context."""
    now = now or utcnow()
    first, last = month_due(now)
    made = []
    for plan in db.session.scalars(sa.select(Plan).where(Plan.starts_on <= last, Plan.ends_on >= first)
                                   .order_by(Plan.id)):
        exists = db.session.scalar(sa.select(ReportRun.id).where(
            ReportRun.plan_id == plan.id, ReportRun.kind == ReportKind.MONTHLY.value, ReportRun.scheduled.is_(True),
            ReportRun.last_day == min(last, plan.ends_on)).limit(1))
        if exists:
            continue
        run = ReportRun(plan=plan, kind=ReportKind.MONTHLY.value, fmt=ReportFormat.PDF.value, department_ids=None,
                        first_day=max(first, plan.starts_on), last_day=min(last, plan.ends_on), scheduled=True)
        run.transition(RunStatus.QUEUED)
        db.session.commit()
        run_report(run.id)
        run = db.session.get(ReportRun, run.id)
        if run.status == RunStatus.DONE.value:
            _tell_leaders(run)
            db.session.commit()
        made.append(run)
    return made


def _tell_leaders(run: ReportRun) -> None:
    leaders = db.session.scalars(sa.select(User).join(UserRole, UserRole.user_id == User.id)
                                 .where(UserRole.role == Role.LEADER.value, User.active.is_(True)).order_by(User.id))
    for leader in leaders:
        inbox.post(leader, "plan_report", _l("Monthly report: %(plan)s, %(month)s", plan=run.plan.title,
                                             month=f"{run.last_day.year}-{run.last_day.month:02d}"),
                   link_endpoint="plans.reports", plan=run.plan.title,
                   month=f"{run.last_day.year}-{run.last_day.month:02d}")


def scheduled_monthly() -> None:
    """The RQ job on the 1st at 08:00: the month's reports, then itself again next month."""
    try:
        monthly_reports()
    finally:
        schedule_next()


def schedule_next(now: datetime | None = None):
    return jobs.schedule_monthly(scheduled_monthly, job_id=MONTHLY_JOB_ID, hour_local=MONTHLY_HOUR, now=now)
