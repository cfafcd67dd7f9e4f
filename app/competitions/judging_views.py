"""The judges' phone pages: their categories, an entry's score sheet, entering and confirming scores."""
from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.competitions import services as cs
from app.competitions.bp import bp, judges_only
from app.web import FieldMessages, allowed, perform


@bp.route("/judge/")
@judges_only
def judge_home():
    return render_template("competitions/judge_home.html", categories=cs.judged_by(current_user))


@bp.route("/judge/categories/<int:category_id>")
@judges_only
def judge_category(category_id: int):
    category = allowed(cs.get_category(category_id), cs.require_panel)
    sheets = cs.category_sheets(category)
    return render_template("competitions/judge_category.html", category=category, sheets=sheets,
                           conflicted={s.entry.id for s in sheets if cs.conflicts(current_user, s.entry)})


@bp.route("/judge/entries/<int:entry_id>", methods=["GET", "POST"])
@judges_only
def judge_entry(entry_id: int):
    entry = cs.get_entry(entry_id)
    category = entry.category
    cs.require_panel(current_user, category)
    errors = FieldMessages(summary=_("Some scores were not accepted; nothing was saved."))
    if request.method == "POST":  # CSRF checked by CSRFProtect for every POST
        values = {key[1:]: value for key, value in request.form.items() if key.startswith("a") and key[1:].isdigit()}
        if done := perform(lambda: cs.enter_scores(current_user, entry, values),
                           success=lambda changed: _("%(n)s scores saved.", n=len(changed)),
                           to=url_for("competitions.judge_entry", entry_id=entry.id), form=errors):
            return done
    return render_template("competitions/judge_entry.html", entry=entry, category=category, sheet=cs.sheet(entry),
                           errors=errors, conflicted=cs.conflicts(current_user, entry),
                           scorer=cs.is_judge(current_user, category), closed=cs.scoring_closed(category))


@bp.route("/judge/entries/<int:entry_id>/confirm", methods=["POST"])
@judges_only
def judge_confirm(entry_id: int):
    entry = cs.get_entry(entry_id)
    return perform(lambda: cs.confirm(current_user, entry), success=_("Scores confirmed."),
                   to=url_for("competitions.judge_entry", entry_id=entry.id))
