"""Studio pages: the list with this year's openings against the target, a studio with its
pairs, activities, attendance and yearly review; forms for organisers; the master's own view."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app.checkin import venue_screen
from app.checkin.views import scanner_url
from app.events.services import managed_departments
from app.studios import services as studios
from app.studios.forms import AchievementForm, ActivityForm, ApprenticeForm, StudioForm
from app.studios.models import ACHIEVEMENT_LABELS, ACTIVITY_LABELS, LEVEL_LABELS, STATUS_LABELS
from app.timeutil import local_to_utc, local_today, to_local
from app.web import int_arg, perform

bp = Blueprint("studios", __name__, url_prefix="/console/studios")


@bp.route("/")
@login_required
def studio_list():
    year = int_arg("year", 2000, 2100) or local_today().year
    return render_template("studios/list.html", studios=studios.studios_for(current_user),
                           target=studios.opened_in(year), year=year,
                           this_year=local_today().year,
                           can_create=bool(current_user.is_admin or managed_departments(current_user)))


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:studio_id>/edit", methods=["GET", "POST"])
@login_required
def studio_form(studio_id: int | None = None):
    studio = studios.get_studio(studio_id) if studio_id else None
    if studio is not None:
        studios.require_run(current_user, studio)
    departments = managed_departments(current_user)
    if not departments:
        abort(403)
    form = StudioForm(obj=studio)
    form.department_id.choices = [SelectChoice(d.id, d.name) for d in departments]
    if studio is not None and not form.is_submitted():
        form.master_mobile.data = studio.master.mobile

    def save():
        master = studios.person_by_mobile(form.master_mobile.data, "master_mobile")
        if studio is None:
            department = next(d for d in departments if d.id == form.department_id.data)
            return studios.create_studio(current_user, name=form.name.data, master=master, trade=form.trade.data,
                                         department=department, founded_on=form.founded_on.data,
                                         level=form.level.data, description=form.description.data or "")
        return studios.update_studio(current_user, studio, name=form.name.data, master=master, trade=form.trade.data,
                                     level=form.level.data, status=form.status.data,
                                     founded_on=form.founded_on.data, description=form.description.data or "")

    if form.validate_on_submit() and (done := perform(
            save, success=_("Studio saved."), form=form, to=lambda s: url_for("studios.studio", studio_id=s.id))):
        return done
    return render_template("studios/studio_form.html", form=form, studio=studio)


@bp.route("/<int:studio_id>", methods=["GET", "POST"])
@login_required
def studio(studio_id: int):
    studio = studios.get_studio(studio_id, with_apprentices=True)
    studios.require_view(current_user, studio)
    runs = studios.can_run(current_user, studio)
    form = ApprenticeForm()
    if runs and form.validate_on_submit() and (done := perform(
            lambda: studios.add_apprentice(current_user, studio, studios.person_by_mobile(form.mobile.data, "mobile"),
                                           started_on=form.started_on.data, goals=form.goals.data or ""),
            success=_("Apprentice added."), form=form, to=url_for("studios.studio", studio_id=studio.id))):
        return done
    year = int_arg("year", 2000, 2100) or local_today().year
    items = studios.activities(studio)
    attendance = studios.activities_attendance(items)
    return render_template("studios/studio.html", studio=studio, runs=runs, form=form, activities=items,
                           attendance=attendance, review=studios.yearly_review(studio, year, attendance=attendance),
                           year=year,
                           screens=venue_screen.screens_for(current_user, [a.session for a in items]),
                           achievement_form=AchievementForm())


@bp.route("/<int:studio_id>/master-organisation", methods=["POST"])
@login_required
def master_organisation(studio_id: int):
    studio = studios.get_studio(studio_id)
    return perform(lambda: studios.set_master_organisation(current_user, studio, request.form.get("organisation")),
                   success=_("The master's employer is linked to the registry."),
                   to=url_for("studios.studio", studio_id=studio.id))


@bp.route("/<int:studio_id>/activities/new", methods=["GET", "POST"])
@bp.route("/<int:studio_id>/activities/<int:activity_id>", methods=["GET", "POST"])
@login_required
def activity_form(studio_id: int, activity_id: int | None = None):
    studio = studios.get_studio(studio_id)
    studios.require_run(current_user, studio)
    activity = studios.get_activity(activity_id, studio) if activity_id else None
    form = ActivityForm()
    if activity is not None and not form.is_submitted():
        form.title.data, form.kind.data, form.place.data = activity.title, activity.kind, activity.place
        form.summary.data = activity.summary
        form.starts_at.data = to_local(activity.starts_at).replace(tzinfo=None)
        form.ends_at.data = to_local(activity.ends_at).replace(tzinfo=None)
    if form.validate_on_submit() and (done := perform(
            lambda: studios.save_activity(
                current_user, studio, title=form.title.data, kind=form.kind.data,
                starts_at=local_to_utc(form.starts_at.data), ends_at=local_to_utc(form.ends_at.data),
                place=form.place.data or "", summary=form.summary.data or "", activity=activity),
            success=_("Activity saved."), form=form, to=url_for("studios.studio", studio_id=studio.id))):
        return done
    return render_template("studios/activity_form.html", form=form, studio=studio, activity=activity)


@bp.route("/activities/<int:activity_id>/scanner", methods=["POST"])
@login_required
def activity_scanner(activity_id: int):
    activity = studios.get_activity(activity_id)
    return perform(lambda: studios.activity_scanner(current_user, activity), success="", to=scanner_url)


@bp.route("/apprentices/<int:pair_id>/achievements", methods=["POST"])
@login_required
def achievement(pair_id: int):
    pair = studios.get_pair(pair_id)
    # The service judges the fields after checking who asks, so a stranger is refused (403)
    # whatever they sent, rather than told what to correct.
    form = AchievementForm()
    back = url_for("studios.studio", studio_id=pair.studio_id)
    return perform(lambda: studios.record_achievement(current_user, pair, kind=form.kind.data,
                                                      title=form.title.data, achieved_on=form.achieved_on.data),
                   success=_("Achievement recorded."), to=back)


@bp.route("/apprentices/<int:pair_id>/end", methods=["POST"])
@login_required
def end_pair(pair_id: int):
    pair = studios.get_pair(pair_id)
    return perform(lambda: studios.end_apprenticeship(current_user, pair, ended_on=local_today(),
                                                      note=request.form.get("note", "")),
                   success=_("The apprenticeship has ended."), to=url_for("studios.studio", studio_id=pair.studio_id))


@bp.app_context_processor
def _studio_labels():
    return {"STUDIO_LEVELS": LEVEL_LABELS, "STUDIO_STATUSES": STATUS_LABELS, "ACTIVITY_LABELS": ACTIVITY_LABELS,
            "ACHIEVEMENT_LABELS": ACHIEVEMENT_LABELS}
