"""The competitions' public pages and the entrants' own: entering a category, one's entries and results."""
from __future__ import annotations

from datetime import date

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.competitions import services as cs
from app.competitions.bp import bp
from app.competitions.forms import EntryForm
from app.competitions.models import Category, CompetitionStatus
from app.registrations.services import RegistrationClosed
from app.tickets.services import has_ticket, ticket_url
from app.web import allowed, perform


@bp.route("/competitions/")
def public_list():
    return render_template("competitions/public_list.html", competitions=cs.public_competitions())


@bp.route("/competitions/<int:competition_id>")
def public_detail(competition_id: int):
    competition = allowed(cs.get_competition(competition_id), cs.require_public)
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
    if form.validate_on_submit() and (done := perform(
            lambda: cs.register_entry(current_user, category, employer=form.employer.data,
                                      occupation=form.occupation.data, birth_date=form.birth_date.data,
                                      team_name=form.team_name.data or "",
                                      members=_members_from_form(category) if category.team else []),
            success=_("Your entry is received and awaits the organisers' approval."),
            to=url_for("competitions.mine"), form=form,
            # closed for entries: a state, told on the competition's page
            refused_to=url_for("competitions.public_detail", competition_id=category.competition_id),
            refusals=(RegistrationClosed,))):
        return done
    member_errors = {k: v for k, v in getattr(form, "other_errors", {}).items() if k.startswith("members")}
    return render_template("competitions/enter.html", category=category, form=form, member_errors=member_errors,
                           members=request.form if request.method == "POST" else {})


@bp.route("/competitions/my")
@login_required
def mine():
    rows = []
    entries = cs.entries_of(current_user)
    results = cs.results_of(entries)
    for e in entries:
        published = e.category.competition.is_published
        rows.append({"entry": e, "result": results.get(e.id) if published else None,
                     "ticket": ticket_url(e.registration) if has_ticket(e.registration) else None})
    return render_template("competitions/my.html", rows=rows)
