"""The judges' phone pages: their rounds, a round's entries, an entry's score sheet (scores per
criterion with comments), confirming, and round 1's private pitch decks (reading one is audited)."""
from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import private_files
from app.audit import services as audit
from app.errors import NotFound
from app.extensions import db
from app.pitch import services as ps
from app.pitch.bp import bp, judges_only
from app.web import FieldMessages, allowed, perform


@bp.route("/pitch/judge/")
@judges_only
def judge_home():
    return render_template("pitch/judge_home.html", rounds=ps.judged_by(current_user))


@bp.route("/pitch/judge/rounds/<int:round_id>")
@login_required
def judge_round(round_id: int):
    round_ = allowed(ps.get_round(round_id), ps.require_read_round)
    sheets = ps.round_sheets(round_)
    return render_template("pitch/judge_round.html", round=round_, sheets=sheets,
                           conflicted={s.entry.id for s in sheets if ps.conflicts(current_user, round_, s.entry)})


def _round_entry(round_id: int, pitch_entry_id: int):
    round_ = allowed(ps.get_round(round_id), ps.require_read_round)
    entry = ps.get_entry(pitch_entry_id)
    if entry.id not in {r.entry_id for r in ps.round_entries(round_)}:
        raise NotFound(_("This entry is not in this round."))
    return round_, entry


@bp.route("/pitch/judge/rounds/<int:round_id>/entries/<int:pitch_entry_id>", methods=["GET", "POST"])
@login_required
def judge_entry(round_id: int, pitch_entry_id: int):
    round_, entry = _round_entry(round_id, pitch_entry_id)
    errors = FieldMessages(summary=_("Some scores were not accepted; nothing was saved."))
    if request.method == "POST":  # CSRF checked by CSRFProtect for every POST
        values = {k[1:]: v for k, v in request.form.items() if k.startswith("c") and k[1:].isdigit()}
        notes = {k[1:]: v for k, v in request.form.items() if k.startswith("n") and k[1:].isdigit()}
        if done := perform(lambda: ps.enter_scores(current_user, round_, entry, values, notes),
                           success=lambda changed: _("%(n)s scores saved.", n=len(changed)),
                           to=url_for("pitch.judge_entry", round_id=round_.id, pitch_entry_id=entry.id),
                           form=errors):
            return done
    return render_template("pitch/judge_entry.html", round=round_, entry=entry, sheet=ps.sheet(round_, entry),
                           errors=errors, conflicted=ps.conflicts(current_user, round_, entry),
                           scorer=ps.is_scorer(current_user, round_), closed=ps.scoring_closed(round_),
                           confirmer=ps.can_confirm(current_user, round_))


@bp.route("/pitch/judge/rounds/<int:round_id>/entries/<int:pitch_entry_id>/confirm", methods=["POST"])
@login_required
def judge_confirm(round_id: int, pitch_entry_id: int):
    round_, entry = _round_entry(round_id, pitch_entry_id)
    return perform(lambda: ps.confirm(current_user, round_, entry), success=_("Scores confirmed."),
                   to=url_for("pitch.judge_entry", round_id=round_.id, pitch_entry_id=entry.id))


@bp.route("/pitch/judge/rounds/<int:round_id>/entries/<int:pitch_entry_id>/deck")
@login_required
def deck(round_id: int, pitch_entry_id: int):
    round_, entry = _round_entry(round_id, pitch_entry_id)
    name = ps.deck_name(entry)
    if name is None:
        raise NotFound(_("No pitch deck was uploaded."))
    audit.record(current_user, "pitch.deck_view", entry, round=round_.id)
    db.session.commit()
    return private_files.response(name, f"deck-{entry.code}.pdf", attachment=False)
