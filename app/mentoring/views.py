"""Mentoring pages: a cohort's pairings with session counts (its trainers and organisers; organisers
pair and end), logging a session (the mentor or the cohort's trainers), and /me/mentoring, where a
mentor sees their founders and sessions and a founder rates their own sessions."""
from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app.accounts.models import User
from app.cohorts.camps import services as cohorts
from app.errors import PermissionDenied
from app.extensions import db
from app.mentoring import queries, services
from app.mentoring.bp import bp
from app.mentoring.forms import PairForm, RatingForm, SessionForm
from app.rosters.models import RosterMember
from app.timeutil import local_today
from app.web import perform


@bp.route("/console/cohorts/<int:cohort_id>/mentoring", methods=["GET", "POST"])
@login_required
def cohort(cohort_id: int):
    cohort = cohorts.taught_cohort(current_user, cohort_id)
    runs = cohorts.can_run(current_user, cohort.cycle.programme)
    form = PairForm()
    enrolments = cohorts.active_enrolments(cohort)
    form.mentor_id.choices = [SelectChoice(m.id, f"{m.user.name} · {m.expertise}") for m in services.serving_mentors()]
    form.founder_id.choices = [SelectChoice(e.user_id, e.user.name) for e in enrolments]
    if runs and form.validate_on_submit() and (done := perform(
            lambda: services.pair(current_user, cohort, db.session.get(RosterMember, form.mentor_id.data),
                                  db.session.get(User, form.founder_id.data)),
            success=_("Mentor paired."), form=form, to=url_for("mentoring.cohort", cohort_id=cohort.id))):
        return done
    pairings = queries.cohort_pairings(cohort)
    per_pairing, per_founder, per_mentor = queries.tallies(pairings)
    mentors = {p.mentor_id: p.mentor for p in pairings}
    return render_template("mentoring/cohort.html", cohort=cohort, runs=runs, form=form, pairings=pairings,
                           per_pairing=per_pairing, per_founder=per_founder, per_mentor=per_mentor, mentors=mentors)


@bp.route("/console/mentoring/pairings/<int:pairing_id>/end", methods=["POST"])
@login_required
def end(pairing_id: int):
    pairing = services.visible_pairing(current_user, pairing_id)
    return perform(lambda: services.end_pairing(current_user, pairing, note=request.form.get("note", "")),
                   success=_("The pairing has ended."), to=url_for("mentoring.cohort", cohort_id=pairing.cohort_id))


@bp.route("/mentoring/pairings/<int:pairing_id>/sessions/new", methods=["GET", "POST"])
@login_required
def log(pairing_id: int):
    pairing = services.visible_pairing(current_user, pairing_id)
    if not services.can_log(current_user, pairing):
        raise PermissionDenied()
    form = SessionForm()
    if not form.is_submitted():
        form.held_on.data = local_today()
    back = url_for("mentoring.mine") if services.is_mentor_of(current_user, pairing) \
        else url_for("mentoring.cohort", cohort_id=pairing.cohort_id)
    if form.validate_on_submit() and (done := perform(
            lambda: services.log_session(current_user, pairing, held_on=form.held_on.data, topic=form.topic.data,
                                         minutes=form.minutes.data or "", follow_up=form.follow_up.data or ""),
            success=_("Session logged."), form=form, to=back)):
        return done
    return render_template("mentoring/log.html", form=form, pairing=pairing, back=back)


@bp.route("/me/mentoring")
@login_required
def mine():
    mentoring = queries.pairings_of_mentor(current_user)
    mentored = queries.pairings_of_founder(current_user)
    per_pairing, per_founder, _per_mentor = queries.tallies(mentoring + mentored)
    return render_template("mentoring/mine.html", mentoring=mentoring, mentored=mentored, per_pairing=per_pairing,
                           per_founder=per_founder, rating_form=RatingForm())


@bp.route("/me/mentoring/sessions/<int:session_id>/rate", methods=["POST"])
@login_required
def rate(session_id: int):
    session = services.get_session(session_id)
    form = RatingForm()
    return perform(lambda: services.rate_session(current_user, session, rating=form.rating.data,
                                                 comment=form.comment.data or ""),
                   success=_("Thank you for your rating."), to=url_for("mentoring.mine"))
