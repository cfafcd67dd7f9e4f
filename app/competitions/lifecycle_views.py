"""Competition pages of the organisers' console: competitions (award rules, opening, publishing),
their categories, approving entrants and the judges' panel."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.competitions import services as cs
from app.competitions.bp import bp, run_category, run_competition, staff
from app.competitions.forms import AwardRulesForm, CategoryForm, CompetitionForm, JudgesForm
from app.competitions.models import CompetitionStatus
from app.events.services import managed_departments
from app.inputs import int_list
from app.timeutil import local_to_utc, local_today, to_local
from app.web import perform


# -- console: competitions ---------------------------------------------------------------------
@bp.route("/console/competitions")
@staff
def competition_list():
    return render_template("competitions/list.html", competitions=cs.competitions_for(current_user))


@bp.route("/console/competitions/new", methods=["GET", "POST"])
@staff
def competition_new():
    form = CompetitionForm()
    form.department_id.choices = [SelectChoice(d.id, d.name) for d in managed_departments(current_user)]
    if not form.is_submitted():
        form.year.data = local_today().year
    if form.validate_on_submit() and (done := perform(
            lambda: cs.create_competition(
                current_user, name=form.name.data, year=form.year.data, level=form.level.data,
                department_id=form.department_id.data, description=form.description.data or ""),
            success=_("Competition created. Now add its categories."),
            to=lambda c: url_for("competitions.competition", competition_id=c.id), form=form)):
        return done
    return render_template("competitions/competition_form.html", form=form)


@bp.route("/console/competitions/<int:competition_id>", methods=["GET", "POST"])
@staff
def competition(competition_id: int):
    competition = run_competition(competition_id)
    form = AwardRulesForm()
    rules = competition.award_rules or {}
    if not form.is_submitted():
        form.mode.data = rules.get("mode", "share")
        scale = 100 if form.mode.data == "share" else 1
        for key in ("first", "second", "third"):
            form[key].data = f"{float(rules.get(key, 0)) * scale:g}"
        form.merit_min_percent.data = f"{float(rules.get('merit_min_percent', 60)):g}"
    if form.validate_on_submit() and (done := perform(
            lambda: cs.set_award_rules(current_user, competition, mode=form.mode.data, first=form.first.data,
                                       second=form.second.data, third=form.third.data,
                                       merit_min_percent=form.merit_min_percent.data),
            success=_("Award rules saved."),
            to=lambda c: url_for("competitions.competition", competition_id=c.id), form=form)):
        return done
    counts = {c.id: len(cs.entries(c)) for c in competition.categories}
    return render_template("competitions/competition.html", competition=competition, form=form, counts=counts)


@bp.route("/console/competitions/<int:competition_id>/status", methods=["POST"])
@staff
def competition_status(competition_id: int):
    competition = run_competition(competition_id)
    status = request.form.get("status", "")
    labels = {CompetitionStatus.OPEN.value: _("The competition is open for entries."),
              CompetitionStatus.CLOSED.value: _("Entries are closed.")}
    return perform(lambda: cs.set_status(current_user, competition, status), success=labels.get(status, ""),
                   to=url_for("competitions.competition", competition_id=competition.id))


@bp.route("/console/competitions/<int:competition_id>/publish", methods=["POST"])
@staff
def competition_publish(competition_id: int):
    competition = run_competition(competition_id)
    return perform(lambda: cs.publish_results(current_user, competition), success=_("Results published."),
                   to=url_for("competitions.competition", competition_id=competition.id))


@bp.route("/console/competitions/<int:competition_id>/categories/new", methods=["GET", "POST"])
@bp.route("/console/categories/<int:category_id>/edit", methods=["GET", "POST"])
@staff
def category_form(competition_id: int | None = None, category_id: int | None = None):
    category = run_category(category_id) if category_id else None
    competition = category.competition if category else run_competition(competition_id)
    form = CategoryForm()
    if category is not None and not form.is_submitted():
        event = category.event
        form.name.data, form.venue.data, form.capacity.data = category.name, event.venue, event.capacity
        form.starts_at.data = to_local(event.starts_at).replace(tzinfo=None)
        form.ends_at.data = to_local(event.ends_at).replace(tzinfo=None)
        if event.registration_closes_at:
            form.registration_closes_at.data = to_local(event.registration_closes_at).replace(tzinfo=None)
        form.min_age.data, form.max_age.data = category.min_age, category.max_age
        form.occupations.data = "\n".join(category.occupations or [])
        form.team.data, form.team_min.data, form.team_max.data = category.team, category.team_min, category.team_max
        form.description.data = event.description
    if form.validate_on_submit() and (done := perform(
            lambda: cs.save_category(
                current_user, competition, name=form.name.data, venue=form.venue.data,
                starts_at=local_to_utc(form.starts_at.data), ends_at=local_to_utc(form.ends_at.data),
                capacity=form.capacity.data,
                min_age=form.min_age.data, max_age=form.max_age.data,
                occupations=cs.parse_occupations(form.occupations.data), team=form.team.data,
                team_min=form.team_min.data or 2, team_max=form.team_max.data or 2,
                registration_closes_at=local_to_utc(form.registration_closes_at.data),
                description=form.description.data or "", category=category),
            success=_("Category saved."), to=lambda c: url_for("competitions.category", category_id=c.id),
            form=form)):
        return done
    return render_template("competitions/category_form.html", form=form, competition=competition, category=category)


# -- console: a category -----------------------------------------------------------------------
@bp.route("/console/categories/<int:category_id>")
@staff
def category(category_id: int):
    category = run_category(category_id)
    people = cs.entries(category)
    return render_template("competitions/category.html", category=category, competition=category.competition,
                           entries=people)


@bp.route("/console/categories/<int:category_id>/entrants", methods=["POST"])
@staff
def entrants_action(category_id: int):
    category = run_category(category_id)
    ids = set(int_list(request.form.getlist("entry_id")))
    chosen = [e for e in cs.entries(category) if e.id in ids]
    to = url_for("competitions.category", category_id=category.id)
    if not chosen:
        flash(_("Choose at least one entrant."), "error")
        return redirect(to)
    if request.form.get("action") == "reject":
        reason = request.form.get("reason", "")
        return perform(lambda: cs.reject_entries(current_user, category, chosen, reason),
                       success=_("Entries rejected."), to=to)
    return perform(lambda: cs.approve_entries(current_user, category, chosen), success=_("Entries approved."), to=to)


@bp.route("/console/categories/<int:category_id>/judges", methods=["GET", "POST"])
@staff
def judges(category_id: int):
    category = run_category(category_id)
    accounts = cs.judge_accounts()
    form = JudgesForm()
    form.judge_ids.choices = [SelectChoice(j.id, f"{j.name}（{j.employer or '—'}）") for j in accounts]
    form.chief_id.choices = [SelectChoice(0, "—")] + [SelectChoice(j.id, j.name) for j in accounts]
    if not form.is_submitted():
        form.judge_ids.data = [j.id for j in category.judges]
        form.chief_id.data = category.chief_judge_id or 0
    if form.validate_on_submit():
        chosen = [j for j in accounts if j.id in (form.judge_ids.data or [])]
        chief = next((j for j in accounts if j.id == form.chief_id.data), None)
        if done := perform(lambda: cs.set_judges(current_user, category, chosen, chief), success=_("Judges saved."),
                           to=lambda c: url_for("competitions.judges", category_id=c.id), form=form):
            return done
    return render_template("competitions/judges.html", category=category, competition=category.competition,
                           form=form, conflicts=cs.conflict_map(category), panel=cs.panel(category),
                           linked=cs.judge_organisations(category))


@bp.route("/console/categories/<int:category_id>/judges/<int:judge_id>/employer", methods=["POST"])
@staff
def judge_employer(category_id: int, judge_id: int):
    category = cs.get_category(category_id)
    return perform(lambda: cs.set_judge_employer(current_user, category, judge_id, request.form.get("employer", "")),
                   success=_("The judge's employer for conflicts of interest is saved."),
                   to=url_for("competitions.judges", category_id=category.id))


@bp.route("/console/categories/<int:category_id>/judges/<int:judge_id>/organisation", methods=["POST"])
@staff
def judge_organisation(category_id: int, judge_id: int):
    category = cs.get_category(category_id)
    chosen = request.form.get("organisation")
    return perform(lambda: cs.set_judge_organisation(current_user, category, judge_id, chosen),
                   success=_("The judge's employer is linked to the registry."),
                   to=url_for("competitions.judges", category_id=category.id))
