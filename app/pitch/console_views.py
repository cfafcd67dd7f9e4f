"""The organisers' pages: their pitch competitions, one competition's rounds and entries, a
round's standings with the proposal of who advances (closing confirms it), the release of the
final's results, special prizes, certificates and the finalists' camp invitation."""
from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.cohorts.camps.models import Cycle
from app.extensions import db
from app.inputs import bounded_int
from app.pitch import services as ps
from app.pitch.bp import bp, run_competition, staff
from app.web import allowed, perform


@bp.route("/console/pitch/")
@staff
def console_list():
    return render_template("pitch/console_list.html", competitions=ps.competitions_for(current_user))


@bp.route("/console/pitch/<int:pitch_id>")
@staff
def console_competition(pitch_id: int):
    competition = run_competition(pitch_id)
    return render_template("pitch/console_competition.html", competition=competition,
                           entries=ps.entries(competition), awards=ps.awards_of(competition),
                           cycles=list(db.session.scalars(db.select(Cycle).order_by(Cycle.id.desc()))))


@bp.route("/console/pitch/<int:pitch_id>/status", methods=["POST"])
@staff
def console_status(pitch_id: int):
    competition = run_competition(pitch_id)
    return perform(lambda: ps.set_status(current_user, competition, request.form.get("status", "")),
                   success=_("Status changed."), to=url_for("pitch.console_competition", pitch_id=competition.id))


@bp.route("/console/pitch/rounds/<int:round_id>")
@staff
def console_round(round_id: int):
    round_ = ps.get_round(round_id)
    run_competition(round_.competition_id)
    return render_template("pitch/console_round.html", round=round_, competition=round_.competition,
                           sheets=ps.round_sheets(round_), standings=ps.standings(round_),
                           outcomes=ps.outcomes(round_) if round_.status == "closed" else None, reasons=ps.REASONS)


@bp.route("/console/pitch/rounds/<int:round_id>/open", methods=["POST"])
@staff
def console_round_open(round_id: int):
    round_ = ps.get_round(round_id)
    run_competition(round_.competition_id)
    return perform(lambda: ps.open_round(current_user, round_), success=_("The round is open for scoring."),
                   to=url_for("pitch.console_round", round_id=round_.id))


@bp.route("/console/pitch/rounds/<int:round_id>/close", methods=["POST"])
@staff
def console_round_close(round_id: int):
    round_ = ps.get_round(round_id)
    run_competition(round_.competition_id)
    return perform(lambda: ps.close_round(current_user, round_),
                   success=lambda ordered: _("The round is closed: %(n)s entries advance.",
                                             n=sum(1 for s in ordered if s.advanced)),
                   to=url_for("pitch.console_round", round_id=round_.id))


@bp.route("/console/pitch/<int:pitch_id>/release", methods=["POST"])
@staff
def console_release(pitch_id: int):
    competition = run_competition(pitch_id)
    return perform(lambda: ps.release(current_user, competition), success=_("The results are released."),
                   to=url_for("pitch.console_competition", pitch_id=competition.id))


@bp.route("/console/pitch/<int:pitch_id>/special", methods=["POST"])
@staff
def console_special(pitch_id: int):
    competition = run_competition(pitch_id)
    entry = allowed(ps.get_entry(bounded_int(request.form.get("entry")) or 0), ps.require_run,
                    lambda e: e.competition)
    return perform(lambda: ps.add_special_prize(current_user, competition, entry, request.form.get("special_name")),
                   success=_("Special prize added."), to=url_for("pitch.console_competition", pitch_id=competition.id))


@bp.route("/console/pitch/<int:pitch_id>/certificates", methods=["POST"])
@staff
def console_certificates(pitch_id: int):
    competition = run_competition(pitch_id)
    return perform(lambda: ps.issue_certificates(current_user, competition),
                   success=lambda made: _("%(n)s award certificates issued (already issued: %(skipped)s).",
                                          n=len(made.issued), skipped=len(made.skipped)),
                   to=url_for("certificates.index", pitch=competition.id))


@bp.route("/console/pitch/<int:pitch_id>/invite", methods=["POST"])
@staff
def console_invite(pitch_id: int):
    competition = run_competition(pitch_id)
    cycle = db.session.get(Cycle, bounded_int(request.form.get("cycle_id")) or 0)
    return perform(lambda: ps.invite_finalists(current_user, competition, cycle),
                   success=lambda made: _("%(n)s finalists invited.", n=len(made)),
                   to=url_for("pitch.console_competition", pitch_id=competition.id))
