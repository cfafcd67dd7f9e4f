"""The public results screen of the final (a projector page polling JSON; names only once the
organiser releases them) and the entrants' own page."""
from __future__ import annotations

from flask import jsonify, render_template
from flask_login import current_user, login_required

from app.pitch import services as ps
from app.pitch.bp import bp
from app.web import allowed


@bp.route("/pitch/<int:pitch_id>/screen")
def screen(pitch_id: int):
    competition = allowed(ps.get_competition(pitch_id), ps.require_public)
    return render_template("pitch/screen.html", competition=competition, data=ps.screen(competition))


@bp.route("/pitch/<int:pitch_id>/screen.json")
def screen_json(pitch_id: int):
    competition = allowed(ps.get_competition(pitch_id), ps.require_public)
    response = jsonify(ps.screen(competition))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/pitch/mine")
@login_required
def mine():
    return render_template("pitch/mine.html", entries=ps.entries_of(current_user),
                           invitations=ps.invitations_of(current_user))
