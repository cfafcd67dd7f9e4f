"""The public results screen of the final (a projector page polling JSON; names only once the
organiser releases them) and the entrants' own page."""
from __future__ import annotations

from flask import jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.inputs import bounded_int
from app.pitch import services as ps
from app.pitch.bp import bp
from app.pitch.models import DEGREE_LABELS
from app.registrations.services import AlreadyRegistered, RegistrationClosed
from app.web import FieldMessages, allowed, perform

MEMBER_ROWS = 4


@bp.route("/pitch/")
def public_list():
    return render_template("pitch/public_list.html", competitions=ps.published_competitions())


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


@bp.route("/pitch/<int:pitch_id>/apply", methods=["GET", "POST"])
@login_required
def apply(pitch_id: int):
    competition = allowed(ps.get_competition(pitch_id), ps.require_public)
    errors = FieldMessages(summary=_("Please correct the marked fields; nothing was saved."))
    form = request.form
    if request.method == "POST":  # CSRF checked by CSRFProtect for every POST
        members = [{"name": form.get(f"member-{i}-name", ""), "employer": form.get(f"member-{i}-employer", "")}
                   for i in range(MEMBER_ROWS)]
        if done := perform(lambda: ps.apply(
                current_user, competition, project=form.get("project", ""), company_name=form.get("company_name", ""),
                uscc=form.get("uscc", ""), to_be_founded=form.get("to_be_founded") == "1",
                employer=form.get("employer", ""), country=form.get("country", ""), degree=form.get("degree", ""),
                return_year=bounded_int(form.get("return_year"), 0, 9999), business_plan=form.get("business_plan", ""),
                members=members, deck=request.files.get("pitch_deck")),
                success=_("Your entry is received and awaits the organisers' approval."),
                to=url_for("pitch.mine"), form=errors, refusals=(RegistrationClosed, AlreadyRegistered),
                refused_to=url_for("pitch.mine")):
            return done
    return render_template("pitch/apply.html", competition=competition, errors=errors, values=form,
                           degrees=DEGREE_LABELS, member_rows=MEMBER_ROWS)
