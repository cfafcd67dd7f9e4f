"""The bureau's pages of placements under way and after: a batch's progress (months not
confirmed by host, training days and who came, evaluations, withdrawal, completion,
certificates), 留用率 with the hosts flagged, and the trainee counts towards the plan."""
from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.checkin import venue_screen
from app.checkin.views import scanner_url
from app.timeutil import local_to_utc, local_today, to_local
from app.traineeships import batches, certificates, counts, endings, evaluations, months, retention, training_days
from app.traineeships.bp import bp, staff
from app.traineeships.models import STAGE_LABELS, Placement
from app.traineeships.placements import placements_of
from app.traineeships.progress_forms import TrainingDayForm, WithdrawForm
from app.traineeships.scope import get_placement, require_bureau
from app.web import allowed, download, perform


def _batch(batch_id: int):
    return allowed(batches.get_batch(batch_id), batches.require_run)


def _progress(batch) -> str:
    return url_for("traineeships.batch_progress", batch_id=batch.id)


def _placement(placement_id: int) -> Placement:
    return allowed(get_placement(placement_id), require_bureau)


@bp.route("/console/traineeships/<int:batch_id>/progress")
@staff
def batch_progress(batch_id: int):
    batch = _batch(batch_id)
    placed = [p for p in placements_of(batch) if p.status not in ("proposed", "rejected")]
    days = training_days.training_days(batch)
    missing = months.unconfirmed_months(Placement.batch_id == batch.id, first=batch.starts_on)
    evaluated = evaluations.evaluations_of_all(placed)
    by_host: dict = {}
    for m in missing:
        by_host.setdefault(m.host, []).append(m)
    return render_template("traineeships/progress.html", batch=batch, placed=placed, days=days,
                           seen=training_days.attendance(days, placed), by_host=by_host,
                           screens=venue_screen.screens_for(current_user, [d.session for d in days]),
                           evaluations=evaluated, feedback=evaluations.feedback_of_all(placed),
                           completable={p.id: endings.completable(p, evaluations=evaluated[p.id]) for p in placed},
                           withdraw_form=WithdrawForm(), today=local_today(), STAGE_LABELS=STAGE_LABELS)


@bp.route("/console/traineeships/<int:batch_id>/training-days/new", methods=["GET", "POST"])
@bp.route("/console/traineeships/<int:batch_id>/training-days/<int:day_id>", methods=["GET", "POST"])
@staff
def training_day_form(batch_id: int, day_id: int | None = None):
    batch = _batch(batch_id)
    day = training_days.get_training_day(day_id, batch) if day_id else None
    form = TrainingDayForm()
    if day is not None and not form.is_submitted():
        form.title.data, form.kind.data, form.place.data = day.title, day.kind, day.place
        form.starts_at.data = to_local(day.starts_at).replace(tzinfo=None)
        form.ends_at.data = to_local(day.ends_at).replace(tzinfo=None)
    if form.validate_on_submit() and (done := perform(
            lambda: training_days.save_training_day(
                current_user, batch, title=form.title.data, kind=form.kind.data, place=form.place.data or "",
                starts_at=local_to_utc(form.starts_at.data), ends_at=local_to_utc(form.ends_at.data), day=day),
            success=_("Training day saved."), form=form, to=_progress(batch))):
        return done
    return render_template("traineeships/training_day_form.html", form=form, batch=batch, day=day)


@bp.route("/console/traineeships/training-days/<int:day_id>/scanner", methods=["POST"])
@staff
def training_day_scanner(day_id: int):
    day = training_days.get_training_day(day_id)
    return perform(lambda: training_days.day_scanner(current_user, day), success="", to=scanner_url)


@bp.route("/console/traineeships/placements/<int:placement_id>/withdraw", methods=["POST"])
@staff
def placement_withdraw(placement_id: int):
    placement = _placement(placement_id)
    form = WithdrawForm()
    return perform(lambda: endings.withdraw(current_user, placement, reason=form.reason.data or "",
                                            by_trainee=bool(form.by_trainee.data)),
                   success=_("Placement withdrawn."), to=_progress(placement.batch))


@bp.route("/console/traineeships/placements/<int:placement_id>/complete", methods=["POST"])
@staff
def placement_complete(placement_id: int):
    placement = _placement(placement_id)
    return perform(lambda: endings.complete(current_user, placement), success=_("Placement completed."),
                   to=_progress(placement.batch))


@bp.route("/console/traineeships/<int:batch_id>/complete-all", methods=["POST"])
@staff
def batch_complete_all(batch_id: int):
    batch = _batch(batch_id)
    return perform(lambda: endings.complete_batch(current_user, batch, placements_of(batch)),
                   success=lambda done: _("%(n)s placements completed.", n=len(done)), to=_progress(batch))


@bp.route("/console/traineeships/<int:batch_id>/certificates", methods=["POST"])
@staff
def batch_certificates(batch_id: int):
    batch = _batch(batch_id)
    return perform(lambda: certificates.issue_for_batch(current_user, batch, placements_of(batch)),
                   success=lambda done: _("%(n)s certificates issued, %(skipped)s already held one.",
                                          n=len(done.issued), skipped=len(done.skipped)),
                   to=_progress(batch))


@bp.route("/console/traineeships/retention")
@staff
def retention_page():
    rows = retention.rates()
    return render_template("traineeships/retention.html", rows=rows, flags=retention.flagged(rows),
                           threshold=retention.THRESHOLD)


@bp.route("/console/traineeships/counts")
@staff
def counts_page():
    return render_template("traineeships/counts.html", made=counts.counts())


@bp.route("/console/traineeships/counts.xlsx")
@staff
def counts_export():
    return download(counts.counts_xlsx(counts.counts()), f"traineeship-counts-{local_today().isoformat()}.xlsx")
