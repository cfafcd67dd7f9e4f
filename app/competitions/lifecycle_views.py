"""Competition pages: the organisers' console, the judges' phone pages and the entrants' own page."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app.accounts.models import Role
from app.competitions import schemes
from app.competitions import services as cs
from app.competitions.certificates import issue_awards
from app.competitions.forms import (
    AspectForm,
    AwardRulesForm,
    CategoryForm,
    CompetitionForm,
    CriterionForm,
    EntryForm,
    ImportForm,
    JudgesForm,
)
from app.competitions.models import (
    ASPECT_KIND_LABELS,
    AWARD_LABELS,
    COMPETITION_STATUS_LABELS,
    LEVEL_LABELS,
    Category,
    CompetitionStatus,
)
from app.errors import CORRECTABLE, InvalidInput
from app.events.services import managed_departments
from app.extensions import db
from app.registrations.services import RegistrationClosed
from app.tickets.services import has_ticket, ticket_url
from app.timeutil import local_to_utc, local_today, to_local
from app.transaction import commit
from app.inputs import int_list
from app.web import apply_errors, download, form_action, posted_action, roles_required

bp = Blueprint("competitions", __name__)
staff = roles_required(Role.ADMIN, Role.ORGANISER)
judges_only = roles_required(Role.JUDGE)


def _run(competition_id: int):
    competition = cs.get_competition(competition_id)
    cs.require_run(current_user, competition)
    return competition


def _run_category(category_id: int) -> Category:
    category = cs.get_category(category_id)
    cs.require_run(current_user, category.competition)
    return category


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
    if form.validate_on_submit() and (done := form_action(
            form, lambda: cs.create_competition(
                current_user, name=form.name.data, year=form.year.data, level=form.level.data,
                department_id=form.department_id.data, description=form.description.data or ""),
            _("Competition created. Now add its categories."),
            lambda c: url_for("competitions.competition", competition_id=c.id))):
        return done
    return render_template("competitions/competition_form.html", form=form)


@bp.route("/console/competitions/<int:competition_id>", methods=["GET", "POST"])
@staff
def competition(competition_id: int):
    competition = _run(competition_id)
    form = AwardRulesForm()
    rules = competition.award_rules or {}
    if not form.is_submitted():
        form.mode.data = rules.get("mode", "share")
        scale = 100 if form.mode.data == "share" else 1
        for key in ("first", "second", "third"):
            form[key].data = f"{float(rules.get(key, 0)) * scale:g}"
        form.merit_min_percent.data = f"{float(rules.get('merit_min_percent', 60)):g}"
    if form.validate_on_submit() and (done := form_action(
            form, lambda: cs.set_award_rules(current_user, competition, mode=form.mode.data, first=form.first.data,
                                             second=form.second.data, third=form.third.data,
                                             merit_min_percent=form.merit_min_percent.data),
            _("Award rules saved."), lambda c: url_for("competitions.competition", competition_id=c.id))):
        return done
    counts = {c.id: len(cs.entries(c)) for c in competition.categories}
    return render_template("competitions/competition.html", competition=competition, form=form, counts=counts)


@bp.route("/console/competitions/<int:competition_id>/status", methods=["POST"])
@staff
def competition_status(competition_id: int):
    competition = _run(competition_id)
    status = request.form.get("status", "")
    labels = {CompetitionStatus.OPEN.value: _("The competition is open for entries."),
              CompetitionStatus.CLOSED.value: _("Entries are closed.")}
    return posted_action(lambda: cs.set_status(current_user, competition, status), labels.get(status, ""),
                         url_for("competitions.competition", competition_id=competition.id))


@bp.route("/console/competitions/<int:competition_id>/publish", methods=["POST"])
@staff
def competition_publish(competition_id: int):
    competition = _run(competition_id)
    return posted_action(lambda: cs.publish_results(current_user, competition), _("Results published."),
                         url_for("competitions.competition", competition_id=competition.id))


@bp.route("/console/competitions/<int:competition_id>/categories/new", methods=["GET", "POST"])
@bp.route("/console/categories/<int:category_id>/edit", methods=["GET", "POST"])
@staff
def category_form(competition_id: int | None = None, category_id: int | None = None):
    category = _run_category(category_id) if category_id else None
    competition = category.competition if category else _run(competition_id)
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
    if form.validate_on_submit() and (done := form_action(
            form, lambda: cs.save_category(
                current_user, competition, name=form.name.data, venue=form.venue.data,
                starts_at=local_to_utc(form.starts_at.data), ends_at=local_to_utc(form.ends_at.data),
                capacity=form.capacity.data,
                min_age=form.min_age.data, max_age=form.max_age.data,
                occupations=cs.parse_occupations(form.occupations.data), team=form.team.data,
                team_min=form.team_min.data or 2, team_max=form.team_max.data or 2,
                registration_closes_at=local_to_utc(form.registration_closes_at.data),
                description=form.description.data or "", category=category),
            _("Category saved."), lambda c: url_for("competitions.category", category_id=c.id))):
        return done
    return render_template("competitions/category_form.html", form=form, competition=competition, category=category)


# -- console: a category -----------------------------------------------------------------------
@bp.route("/console/categories/<int:category_id>")
@staff
def category(category_id: int):
    category = _run_category(category_id)
    people = cs.entries(category)
    return render_template("competitions/category.html", category=category, competition=category.competition,
                           entries=people)


@bp.route("/console/categories/<int:category_id>/entrants", methods=["POST"])
@staff
def entrants_action(category_id: int):
    category = _run_category(category_id)
    ids = set(int_list(request.form.getlist("entry_id")))
    chosen = [e for e in cs.entries(category) if e.id in ids]
    to = url_for("competitions.category", category_id=category.id)
    if not chosen:
        flash(_("Choose at least one entrant."), "error")
        return redirect(to)
    if request.form.get("action") == "reject":
        reason = request.form.get("reason", "")
        return posted_action(lambda: cs.reject_entries(current_user, category, chosen, reason),
                             _("Entries rejected."), to)
    return posted_action(lambda: cs.approve_entries(current_user, category, chosen), _("Entries approved."), to)


@bp.route("/console/categories/<int:category_id>/judges", methods=["GET", "POST"])
@staff
def judges(category_id: int):
    category = _run_category(category_id)
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
        if done := form_action(form, lambda: cs.set_judges(current_user, category, chosen, chief),
                               _("Judges saved."), lambda c: url_for("competitions.judges", category_id=c.id)):
            return done
    return render_template("competitions/judges.html", category=category, competition=category.competition,
                           form=form, conflicts=cs.conflict_map(category), panel=cs.panel(category))


@bp.route("/console/categories/<int:category_id>/judges/<int:judge_id>/employer", methods=["POST"])
@staff
def judge_employer(category_id: int, judge_id: int):
    category = cs.get_category(category_id)
    return posted_action(lambda: cs.set_judge_employer(current_user, category, judge_id,
                                                       request.form.get("employer", "")),
                         _("The judge's employer for conflicts of interest is saved."),
                         url_for("competitions.judges", category_id=category.id))


# -- console: marking scheme -------------------------------------------------------------------
@bp.route("/console/categories/<int:category_id>/scheme", methods=["GET", "POST"])
@staff
def scheme(category_id: int):
    category = _run_category(category_id)
    criterion_form, aspect_form, import_form = CriterionForm(prefix="c"), AspectForm(prefix="a"), ImportForm(prefix="x")
    aspect_form.criterion_id.choices = [SelectChoice(c.id, c.name) for c in category.criteria]
    to = url_for("competitions.scheme", category_id=category.id)
    which = request.form.get("form")
    try:
        if which == "criterion" and criterion_form.validate_on_submit():
            if done := form_action(criterion_form, lambda: cs.add_criterion(current_user, category,
                                                                            name=criterion_form.name.data),
                                   _("Criterion added."), lambda _c: to):
                return done
        elif which == "aspect" and aspect_form.validate_on_submit():
            criterion = next((c for c in category.criteria if c.id == aspect_form.criterion_id.data), None)
            if criterion is None:
                abort(404)
            if done := form_action(aspect_form, lambda: cs.add_aspect(
                    current_user, criterion, description=aspect_form.description.data, kind=aspect_form.kind.data,
                    max_mark=aspect_form.max_mark.data, outcomes=aspect_form.outcomes.data or ""),
                    _("Aspect added."), lambda _a: to):
                return done
        elif which == "import" and import_form.validate_on_submit():
            data = import_form.file.data.read()
            try:
                schemes.import_xlsx(current_user, category, data)
            except InvalidInput as exc:
                db.session.rollback()
                for message in exc.fields.values():
                    flash(str(message), "error")
                flash(_("Nothing was imported: correct the sheet and try again."), "error")
            else:
                commit()
                flash(_("Marking scheme imported."), "success")
                return redirect(to)
    except CORRECTABLE as exc:  # the scheme is in use
        db.session.rollback()
        flash(str(exc.message), "error")
    return render_template("competitions/scheme.html", category=category, competition=category.competition,
                           criterion_form=criterion_form, aspect_form=aspect_form, import_form=import_form,
                           columns=schemes.header())


@bp.route("/console/aspects/<int:aspect_id>/delete", methods=["POST"])
@staff
def aspect_delete(aspect_id: int):
    aspect = schemes.find_aspect(aspect_id) or abort(404)
    category = _run_category(aspect.criterion.category_id)
    return posted_action(lambda: cs.delete_aspect(current_user, aspect), _("Aspect deleted."),
                         url_for("competitions.scheme", category_id=category.id))


@bp.route("/console/criteria/<int:criterion_id>/delete", methods=["POST"])
@staff
def criterion_delete(criterion_id: int):
    criterion = schemes.find_criterion(criterion_id) or abort(404)
    category = _run_category(criterion.category_id)
    return posted_action(lambda: cs.delete_criterion(current_user, criterion), _("Criterion deleted."),
                         url_for("competitions.scheme", category_id=category.id))


@bp.route("/console/categories/<int:category_id>/scheme.xlsx")
@staff
def scheme_export(category_id: int):
    category = _run_category(category_id)
    return download(schemes.export_xlsx(category), f"scheme-{category.id}.xlsx")


# -- console: scores and results ---------------------------------------------------------------
def _viewable(category_id: int) -> Category:
    """Organisers of the competition and the category's judges."""
    category = cs.get_category(category_id)
    if not cs.can_read_scores(current_user, category):
        abort(403)
    return category


@bp.route("/console/categories/<int:category_id>/scores")
@login_required
def scores(category_id: int):
    category = _viewable(category_id)
    return render_template("competitions/scores.html", category=category, competition=category.competition,
                           sheets=cs.category_sheets(category), aspects=cs.aspects(category))


@bp.route("/console/entries/<int:entry_id>")
@login_required
def entry(entry_id: int):
    entry = cs.get_entry(entry_id)
    category = _viewable(entry.category_id)
    return render_template("competitions/entry.html", entry=entry, category=category,
                           competition=category.competition, sheet=cs.sheet(entry), history=cs.history(entry))


@bp.route("/console/categories/<int:category_id>/results")
@login_required
def results(category_id: int):
    category = _viewable(category_id)
    competition = category.competition
    published = cs.published_results(category) if competition.is_published else None
    standings = None if published is not None else cs.results(category)
    return render_template("competitions/results.html", category=category, competition=competition,
                           standings=standings, published=published, runs=cs.can_run(current_user, competition))


@bp.route("/console/competitions/<int:competition_id>/certificates", methods=["POST"])
@staff
def award_certificates(competition_id: int):
    competition = cs.get_competition(competition_id)
    made = issue_awards(current_user, competition)
    commit()
    flash(_("%(n)s award certificates issued (already issued: %(skipped)s).", n=len(made.issued),
            skipped=len(made.skipped)), "success")
    return redirect(url_for("certificates.index", competition=competition.id))


@bp.route("/console/entries/<int:entry_id>/recommend", methods=["POST"])
@staff
def recommend(entry_id: int):
    entry = cs.get_entry(entry_id)
    wanted = request.form.get("recommended") == "1"
    done = _("Recommended to the city-level competition.") if wanted else _("Recommendation withdrawn.")
    return posted_action(lambda: cs.set_recommended(current_user, entry, wanted), done,
                         url_for("competitions.results", category_id=entry.category_id))


# -- judges ------------------------------------------------------------------------------------
@bp.route("/judge/")
@judges_only
def judge_home():
    return render_template("competitions/judge_home.html", categories=cs.judged_by(current_user))


@bp.route("/judge/categories/<int:category_id>")
@judges_only
def judge_category(category_id: int):
    category = cs.get_category(category_id)
    cs.require_panel(current_user, category)
    sheets = cs.category_sheets(category)
    return render_template("competitions/judge_category.html", category=category, sheets=sheets,
                           conflicted={s.entry.id for s in sheets if cs.conflicts(current_user, s.entry)})


@bp.route("/judge/entries/<int:entry_id>", methods=["GET", "POST"])
@judges_only
def judge_entry(entry_id: int):
    entry = cs.get_entry(entry_id)
    category = entry.category
    cs.require_panel(current_user, category)
    errors = {}
    if request.method == "POST":  # CSRF checked by CSRFProtect for every POST
        values = {key[1:]: value for key, value in request.form.items() if key.startswith("a") and key[1:].isdigit()}
        try:
            changed = cs.enter_scores(current_user, entry, values)
        except InvalidInput as exc:
            db.session.rollback()
            errors = {k: str(v) for k, v in exc.fields.items()}
            flash(_("Some scores were not accepted; nothing was saved."), "error")
        except CORRECTABLE as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            commit()
            flash(_("%(n)s scores saved.", n=len(changed)), "success")
            return redirect(url_for("competitions.judge_entry", entry_id=entry.id))
    return render_template("competitions/judge_entry.html", entry=entry, category=category, sheet=cs.sheet(entry),
                           errors=errors, conflicted=cs.conflicts(current_user, entry),
                           scorer=cs.is_judge(current_user, category), closed=cs.scoring_closed(category))


@bp.route("/judge/entries/<int:entry_id>/confirm", methods=["POST"])
@judges_only
def judge_confirm(entry_id: int):
    entry = cs.get_entry(entry_id)
    return posted_action(lambda: cs.confirm(current_user, entry), _("Scores confirmed."),
                         url_for("competitions.judge_entry", entry_id=entry.id))


# -- entrants ----------------------------------------------------------------------------------
@bp.route("/competitions/")
def public_list():
    return render_template("competitions/public_list.html", competitions=cs.public_competitions())


@bp.route("/competitions/<int:competition_id>")
def public_detail(competition_id: int):
    competition = cs.get_competition(competition_id)
    if not cs.is_public(current_user, competition):
        abort(404)
    published = {c.id: cs.published_results(c) for c in competition.categories} if competition.is_published else {}
    return render_template("competitions/public_detail.html", competition=competition, published=published)


def _members_from_form(category: Category) -> list[dict]:
    members = []
    for i in range(max(0, category.team_max - 1)):
        raw = {k: (request.form.get(f"member-{i}-{k}") or "").strip()
               for k in ("name", "employer", "occupation", "birth_date")}
        try:
            raw["birth_date"] = date.fromisoformat(raw["birth_date"]) if raw["birth_date"] else None
        except ValueError:
            raw["birth_date"] = None
        members.append(raw)
    return members


@bp.route("/competitions/categories/<int:category_id>/enter", methods=["GET", "POST"])
@login_required
def enter(category_id: int):
    category = cs.get_category(category_id)
    if category.competition.status == CompetitionStatus.DRAFT.value:
        abort(404)
    form = EntryForm()
    if not form.is_submitted():
        form.employer.data = current_user.employer
        form.birth_date.data = cs.birth_date_from_id(current_user.id_number)
    member_errors = {}
    if form.validate_on_submit():
        try:
            cs.register_entry(current_user, category, employer=form.employer.data, occupation=form.occupation.data,
                              birth_date=form.birth_date.data, team_name=form.team_name.data or "",
                              members=_members_from_form(category) if category.team else [])
        except InvalidInput as exc:
            db.session.rollback()
            member_errors = {k: str(v) for k, v in exc.fields.items() if k.startswith("members")}
            apply_errors(form, exc, {k: "_none" for k in member_errors})
        except (*CORRECTABLE, RegistrationClosed) as exc:  # closed for entries: a state, told on its page
            db.session.rollback()
            flash(str(exc.message), "error")
            return redirect(url_for("competitions.public_detail", competition_id=category.competition_id))
        else:
            commit()
            flash(_("Your entry is received and awaits the organisers' approval."), "success")
            return redirect(url_for("competitions.mine"))
    return render_template("competitions/enter.html", category=category, form=form, member_errors=member_errors,
                           members=request.form if request.method == "POST" else {})


@bp.route("/competitions/my")
@login_required
def mine():
    rows = []
    for e in cs.entries_of(current_user):
        published = e.category.competition.is_published
        rows.append({"entry": e, "result": cs.result_of(e) if published else None,
                     "ticket": ticket_url(e.registration) if has_ticket(e.registration) else None})
    return render_template("competitions/my.html", rows=rows)


@bp.app_context_processor
def _competition_labels():
    return {"AWARD_LABELS": AWARD_LABELS, "COMPETITION_STATUS_LABELS": COMPETITION_STATUS_LABELS,
            "LEVEL_LABELS": LEVEL_LABELS, "ASPECT_KIND_LABELS": ASPECT_KIND_LABELS}
