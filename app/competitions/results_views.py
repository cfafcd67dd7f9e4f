"""Scores and results in the organisers' console (also open to the category's judges): score
sheets, an entry's history, standings, award certificates and recommendations."""
from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.competitions import services as cs
from app.competitions.bp import bp, staff
from app.competitions.certificates import issue_awards
from app.web import allowed, perform


@bp.route("/console/categories/<int:category_id>/scores")
@login_required
def scores(category_id: int):
    category = allowed(cs.get_category(category_id), cs.require_read_scores)
    return render_template("competitions/scores.html", category=category, competition=category.competition,
                           sheets=cs.category_sheets(category), aspects=cs.aspects(category))


@bp.route("/console/entries/<int:entry_id>")
@login_required
def entry(entry_id: int):
    entry = cs.get_entry(entry_id)
    category = allowed(entry.category, cs.require_read_scores)
    return render_template("competitions/entry.html", entry=entry, category=category,
                           competition=category.competition, sheet=cs.sheet(entry), history=cs.history(entry))


@bp.route("/console/categories/<int:category_id>/results")
@login_required
def results(category_id: int):
    category = allowed(cs.get_category(category_id), cs.require_read_scores)
    competition = category.competition
    published = cs.published_results(category) if competition.is_published else None
    standings = None if published is not None else cs.results(category)
    return render_template("competitions/results.html", category=category, competition=competition,
                           standings=standings, published=published, runs=cs.can_run(current_user, competition))


@bp.route("/console/competitions/<int:competition_id>/certificates", methods=["POST"])
@staff
def award_certificates(competition_id: int):
    competition = cs.get_competition(competition_id)
    return perform(lambda: issue_awards(current_user, competition),
                   success=lambda made: _("%(n)s award certificates issued (already issued: %(skipped)s).",
                                          n=len(made.issued), skipped=len(made.skipped)),
                   to=url_for("certificates.index", competition=competition.id))


@bp.route("/console/entries/<int:entry_id>/recommend", methods=["POST"])
@staff
def recommend(entry_id: int):
    entry = cs.get_entry(entry_id)
    wanted = request.form.get("recommended") == "1"
    done = _("Recommended to the city-level competition.") if wanted else _("Recommendation withdrawn.")
    return perform(lambda: cs.set_recommended(current_user, entry, wanted), success=done,
                   to=url_for("competitions.results", category_id=entry.category_id))
