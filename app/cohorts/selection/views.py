"""Camp applications: the public camp page and application form, "my applications", and the
console pages for reviewers and organisers (list, detail, rubric, scoring, ranking and bulk
decisions, XLSX export). Views parse, call one service, commit once, render or redirect."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import private_files, referred
from app.cohorts.camps import services as cohorts
from app.cohorts.bp import bp
from app.cohorts.models import Application, ApplicationStatus
from app.cohorts.selection import applications as apps
from app.cohorts.selection import decisions
from app.cohorts.selection.forms import ApplicationForm, WithdrawForm
from app.extensions import db
from app.inputs import int_list
from app.transaction import commit
from app.urls import local_path
from app.web import FieldMessages, allowed, download, int_arg, page_arg, perform

# The camp's application form, and the pitch competitions' entry form (app/pitch), which takes the
# same kind of deck.
UPLOADING_ENDPOINTS = {"cohorts.apply", "cohorts.application_edit", "pitch.apply"}
PAGE = 50  # applications per page of the console list


def allow_pitch_decks() -> None:
    """Raise the request size limit for the application form only (a 10 MB pitch deck), before
    anything (CSRF protection) reads the body; create_app runs it first."""
    if request.endpoint in UPLOADING_ENDPOINTS:
        request.max_content_length = current_app.config["MAX_APPLICATION_REQUEST_BYTES"]


def _form_for(cycle, application=None) -> ApplicationForm:
    form = ApplicationForm(obj=application)
    form.tier_id.choices = [(t.id, t.name) for t in apps.tiers_for(cycle)]
    if request.method == "GET":
        if application is not None:
            form.founded_on.data = application.founded_on.isoformat()
            form.team_size.data = str(application.team_size)
        else:  # a first application starts from the profile
            form.name.data, form.mobile.data = current_user.name, current_user.mobile
            form.email.data, form.id_number.data = current_user.email, current_user.id_number
            form.company_name.data = current_user.employer
            if int_arg("tier") is not None:
                form.tier_id.data = int_arg("tier")
    return form


# -- public ---------------------------------------------------------------------------------
@bp.route("/camps")
def camps():
    return render_template("cohorts/camps.html", cycles=apps.open_cycles())


@bp.route("/camps/<int:cycle_id>")
def camp(cycle_id: int):
    cycle = cohorts.get_cycle(cycle_id)
    mine = apps.application_of(current_user, cycle) if current_user.is_authenticated else None
    cohort_of = {c.tier_id: c for c in cycle.cohorts}
    return render_template("cohorts/camp.html", cycle=cycle, tiers=apps.tiers_for(cycle), cohort_of=cohort_of,
                           mine=mine, is_open=cycle.applications_open())


@bp.route("/camps/<int:cycle_id>/apply", methods=["GET", "POST"])
@login_required
def apply(cycle_id: int):
    cycle = cohorts.get_cycle(cycle_id)
    existing = apps.application_of(current_user, cycle)
    if existing is not None and existing.status != ApplicationStatus.WITHDRAWN.value:
        return redirect(url_for("cohorts.application_edit", application_id=existing.id))
    if not cycle.applications_open():
        flash(_("Applications for %(cycle)s are not open.", cycle=cycle.name), "error")
        return redirect(url_for("cohorts.camp", cycle_id=cycle.id))
    form = _form_for(cycle, existing)
    if form.validate_on_submit() and (done := perform(
            lambda: apps.apply(current_user, cycle, apps.tier_of(cycle, form.tier_id.data),
                               pitch_deck=form.pitch_deck.data, referral_code=referred.remembered(),
                               **form.values()),
            success=_("Your application is submitted. We will let you know the result."),
            to=url_for("cohorts.my_applications"), form=form, refused_to=url_for("cohorts.camp", cycle_id=cycle.id))):
        return done
    return render_template("cohorts/apply.html", cycle=cycle, form=form, application=None)


@bp.route("/camps/applications")
@login_required
def my_applications():
    mine = apps.my_applications(current_user)
    return render_template("cohorts/my_applications.html", applications=mine,
                           enrolments=apps.enrolments_for(mine), withdraw_form=WithdrawForm())


def _own(application_id: int) -> Application:
    application = apps.get_application(application_id)
    if application.user_id != current_user.id:
        abort(404)
    return application


@bp.route("/camps/applications/<int:application_id>/edit", methods=["GET", "POST"])
@login_required
def application_edit(application_id: int):
    application = _own(application_id)
    cycle = application.cycle
    if application.status != ApplicationStatus.SUBMITTED.value or not cycle.applications_open():
        flash(_("This application can no longer be edited."), "error")
        return redirect(url_for("cohorts.my_applications"))
    form = _form_for(cycle, application)
    mine = url_for("cohorts.my_applications")
    if form.validate_on_submit() and (done := perform(
            lambda: apps.update(current_user, application, apps.tier_of(cycle, form.tier_id.data),
                                pitch_deck=form.pitch_deck.data, **form.values()),
            success=_("Changes saved."), to=mine, form=form, refused_to=mine)):
        return done
    return render_template("cohorts/apply.html", cycle=cycle, form=form, application=application)


@bp.route("/camps/applications/<int:application_id>/withdraw", methods=["POST"])
@login_required
def application_withdraw(application_id: int):
    application = _own(application_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    return perform(lambda: apps.withdraw(current_user, application, form.note.data or ""),
                   success=_("Your application is withdrawn."), to=url_for("cohorts.my_applications"), category="info")


@bp.route("/camps/applications/<int:application_id>/pitch-deck.pdf")
@login_required
def pitch_deck(application_id: int):
    application = allowed(apps.get_application(application_id), apps.require_see)
    name = apps.pitch_deck_name(application)
    if name is None:
        abort(404)
    return private_files.response(name, f"pitch-deck-{application.id}.pdf", attachment=False)


# -- console --------------------------------------------------------------------------------
def _reviewed_cycle(cycle_id: int):
    return allowed(cohorts.get_cycle(cycle_id), apps.require_review)


def _reviewed_application(application_id: int) -> Application:
    return allowed(apps.get_application(application_id), apps.require_review, lambda a: a.cycle)


def _run_cycle(cycle_id: int):
    return allowed(cohorts.get_cycle(cycle_id), cohorts.require_run, lambda c: c.programme)


def _chosen_tier(cycle):
    tiers = apps.tiers_for(cycle)
    wanted = int_arg("tier")
    return next((t for t in tiers if t.id == wanted), None), tiers


@bp.route("/console/camps")
@login_required
def console_cycles():
    cycles = apps.cycles_for(current_user)
    if not cycles and not current_user.is_staff:
        abort(403)
    return render_template("cohorts/console_cycles.html", cycles=cycles,
                           counts=apps.status_counts_of(cycles))


@bp.route("/console/cycles/<int:cycle_id>/applications")
@login_required
def console_applications(cycle_id: int):
    cycle = _reviewed_cycle(cycle_id)
    tier, tiers = _chosen_tier(cycle)
    status = request.args.get("status") if request.args.get("status") in {s.value for s in ApplicationStatus} \
        else None
    # a page of them, the filters kept in the page links: a cycle open to the district gathers hundreds
    found = db.paginate(apps.applications_query(cycle, tier_id=tier.id if tier else None, status=status,
                                                q=request.args.get("q")),
                        page=page_arg(), per_page=PAGE, error_out=False)
    return render_template("cohorts/console_applications.html", cycle=cycle, tiers=tiers, tier=tier,
                           status=status, page=found, applications=found.items,
                           counts=apps.status_counts(cycle, tier and tier.id),
                           scores=apps.combined_scores(cycle, [a.id for a in found.items]),
                           can_run=apps.can_run(current_user, cycle))


@bp.route("/console/applications/<int:application_id>")
@login_required
def console_application(application_id: int):
    application = _reviewed_application(application_id)
    return render_template("cohorts/console_application.html", application=application,
                           criteria=apps.rubric(application.cycle),
                           combined=apps.combined_scores(application.cycle, [application.id])[application.id],
                           history=apps.history(application), enrolment=apps.enrolment_for(application),
                           has_deck=apps.pitch_deck_name(application) is not None,
                           can_run=apps.can_run(current_user, application.cycle))


@bp.route("/console/applications/<int:application_id>/organisation", methods=["POST"])
@login_required
def console_application_organisation(application_id: int):
    application = _reviewed_application(application_id)
    return perform(lambda: decisions.set_organisation(current_user, application, request.form.get("organisation")),
                   success=_("The company's link to the registry is saved."),
                   to=url_for("cohorts.console_application", application_id=application.id))


@bp.route("/console/applications/<int:application_id>/score", methods=["GET", "POST"])
@login_required
def console_score(application_id: int):
    application = _reviewed_application(application_id)
    criteria = apps.rubric(application.cycle)
    combined = apps.combined_scores(application.cycle, [application.id])[application.id]
    mine = next((r for r in combined.reviews if r.reviewer.id == current_user.id), None)
    values = {c.id: (f"{mine.scores[c.id].score:g}" if mine and c.id in mine.scores else "") for c in criteria}
    comment, errors = (mine.comment if mine else ""), FieldMessages()
    if request.method == "POST":
        values = {c.id: request.form.get(f"score-{c.id}", "") for c in criteria}
        comment = request.form.get("comment", "")
        if done := perform(lambda: apps.score(current_user, application, values, comment),
                           success=_("Your scores are saved."),
                           to=url_for("cohorts.console_application", application_id=application.id), form=errors):
            return done
    return render_template("cohorts/console_score.html", application=application, criteria=criteria,
                           values=values, comment=comment, errors=errors)


@bp.route("/console/cycles/<int:cycle_id>/rubric", methods=["GET", "POST"])
@login_required
def console_rubric(cycle_id: int):
    cycle = _run_cycle(cycle_id)
    rows = [{"id": c.id, "name": c.name, "weight": c.weight, "max_score": c.max_score} for c in apps.rubric(cycle)]
    errors = FieldMessages()
    if request.method == "POST":
        rows = apps.entered_rubric(request.form)
        if done := perform(lambda: apps.set_rubric(current_user, cycle, rows), success=_("The rubric is saved."),
                           to=url_for("cohorts.console_rubric", cycle_id=cycle.id), form=errors):
            return done
    rows = rows + [{"id": "", "name": "", "weight": "", "max_score": ""} for _i in range(3)]
    return render_template("cohorts/console_rubric.html", cycle=cycle, rows=rows, errors=errors, can_run=True)


@bp.route("/console/cycles/<int:cycle_id>/ranking")
@login_required
def console_ranking(cycle_id: int):
    cycle = _reviewed_cycle(cycle_id)
    tier, tiers = _chosen_tier(cycle)
    tier = tier or (tiers[0] if tiers else None)
    rows = apps.ranking(cycle, tier) if tier else []
    cohort = apps.cohort_for(cycle, tier.id) if tier else None
    return render_template("cohorts/console_ranking.html", cycle=cycle, tiers=tiers, tier=tier, rows=rows,
                           cohort=cohort, places_left=apps.places_left(cohort) if cohort else None,
                           can_run=apps.can_run(current_user, cycle), criteria=apps.rubric(cycle))


@bp.route("/console/cycles/<int:cycle_id>/decide", methods=["POST"])
@login_required
def console_decide(cycle_id: int):
    cycle = _run_cycle(cycle_id)
    chosen = apps.applications_by_id(cycle, int_list(request.form.getlist("ids")))
    status = request.form.get("action", "")
    back = local_path(request.form.get("back")) or url_for("cohorts.console_ranking", cycle_id=cycle.id)
    if not chosen:
        flash(_("Select at least one application."), "error")
        return redirect(back)
    return perform(lambda: apps.decide(current_user, chosen, status, request.form.get("note", "")),
                   success=lambda result: _("%(changed)s applications updated, %(skipped)s skipped (withdrawn, "
                                            "already admitted or unchanged).", changed=result["changed"],
                                            skipped=result["skipped"]),
                   to=back)


@bp.route("/console/cycles/<int:cycle_id>/applications.xlsx")
@login_required
def console_export(cycle_id: int):
    cycle = _run_cycle(cycle_id)
    tier, _tiers = _chosen_tier(cycle)
    full = request.args.get("full") == "1"
    header, rows = apps.export_rows(current_user, cycle, tier_id=tier.id if tier else None, full=full)
    commit()  # the audit row of who exported what
    title = f"{cycle.programme.name} {cycle.name}" + (f" {tier.name}" if tier else "")
    name = f"applications-{cycle.id}{'-' + str(tier.id) if tier else ''}{'-full' if full else ''}.xlsx"
    return download(apps.to_xlsx(title, header, rows), name)


@bp.app_context_processor
def _application_globals():
    return {"ApplicationStatus": ApplicationStatus}
