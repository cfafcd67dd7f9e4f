"""The organisers' entries page of a pitch competition (eligibility shown, the lead's phone
masked), approving and declining entries, and the XLSX exports of the entries and of a round's
standings (audited)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.inputs import int_list
from app.pitch import services as ps
from app.pitch.bp import bp, run_competition, staff
from app.pitch.models import DEGREE_LABELS
from app.transaction import commit
from app.web import download, perform


@bp.route("/console/pitch/<int:pitch_id>/entries")
@staff
def console_entries(pitch_id: int):
    competition = run_competition(pitch_id)
    rows = [(e, ps.eligibility_problems(competition, country=e.country, degree=e.degree, return_year=e.return_year))
            for e in ps.entries(competition)]
    return render_template("pitch/console_entries.html", competition=competition, rows=rows, degrees=DEGREE_LABELS)


@bp.route("/console/pitch/<int:pitch_id>/entries/decide", methods=["POST"])
@staff
def console_entries_decide(pitch_id: int):
    competition = run_competition(pitch_id)
    ids = set(int_list(request.form.getlist("entry_id")))
    chosen = [e for e in ps.entries(competition) if e.id in ids]
    to = url_for("pitch.console_entries", pitch_id=competition.id)
    if not chosen:
        flash(_("Choose at least one entry."), "error")
        return redirect(to)
    if request.form.get("action") == "decline":
        return perform(lambda: ps.decline_entries(current_user, competition, chosen, request.form.get("reason", "")),
                       success=lambda n: _("%(n)s entries declined.", n=n), to=to)
    return perform(lambda: ps.approve_entries(current_user, competition, chosen),
                   success=_("Entries approved."), to=to)


@bp.route("/console/pitch/<int:pitch_id>/entries.xlsx")
@staff
def console_entries_export(pitch_id: int):
    competition = run_competition(pitch_id)
    body = ps.entries_xlsx(current_user, competition)
    commit()  # the export's audit row is kept
    return download(body, f"pitch-{competition.id}-entries.xlsx")


@bp.route("/console/pitch/rounds/<int:round_id>/standings.xlsx")
@staff
def console_standings_export(round_id: int):
    round_ = ps.get_round(round_id)
    run_competition(round_.competition_id)
    body = ps.standings_xlsx(current_user, round_)
    commit()  # the export's audit row is kept
    return download(body, f"pitch-round-{round_.id}-standings.xlsx")
