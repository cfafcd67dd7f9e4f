"""The organisers' set-up pages of a pitch competition: creating it (with its eligibility rules),
editing those rules, adding, renaming and reordering rounds, and a round's rubric, advancement
rule and panel. Refusals (a round that has started, weights not adding up to 100) are the
services' messages beside the form, answered 422."""
from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.events.services import managed_departments
from app.pitch import services as ps
from app.pitch.bp import bp, run_competition, staff
from app.pitch.forms import EligibilityForm, PanelForm, PitchCompetitionForm, RenameForm, RoundForm, RubricForm, RuleForm
from app.timeutil import local_to_utc, local_today
from app.web import perform


def _page(template: str, **context):
    """A form page. A POST that gets here was refused (an accepted one redirects): 422, so a
    script or test sees the refusal; the messages are beside the fields or flashed."""
    return render_template(template, **context), 422 if request.method == "POST" else 200


@bp.route("/console/pitch/new", methods=["GET", "POST"])
@staff
def console_new():
    form = PitchCompetitionForm()
    form.department_id.choices = [SelectChoice(d.id, d.name) for d in managed_departments(current_user)]
    if not form.is_submitted():
        form.year.data, form.returnee.data = local_today().year, True
    if form.validate_on_submit() and (done := perform(
            lambda: ps.create_competition(
                current_user, name=form.name.data, year=form.year.data, department_id=form.department_id.data,
                venue=form.venue.data, starts_at=local_to_utc(form.starts_at.data),
                ends_at=local_to_utc(form.ends_at.data), capacity=form.capacity.data, eligibility=form.rules(),
                description=form.description.data or ""),
            success=_("Pitch competition created. Now add its rounds."),
            to=lambda c: url_for("pitch.console_competition", pitch_id=c.id), form=form)):
        return done
    return _page("pitch/console_new.html", form=form)


@bp.route("/console/pitch/<int:pitch_id>/setup", methods=["GET", "POST"])
@staff
def console_setup(pitch_id: int):
    competition = run_competition(pitch_id)
    eligibility_form, round_form = EligibilityForm(prefix="e"), RoundForm(prefix="r")
    rules = competition.eligibility or {}
    if request.form.get("form") != "eligibility":
        eligibility_form.returnee.data = rules.get("returnee")
        eligibility_form.max_years_since_return.data = rules.get("max_years_since_return")
        eligibility_form.degrees.data = list(rules.get("degrees") or [])
    to = url_for("pitch.console_setup", pitch_id=competition.id)
    which, done = request.form.get("form"), None
    if which == "eligibility" and eligibility_form.validate_on_submit():
        done = perform(lambda: ps.set_eligibility(current_user, competition, eligibility_form.rules()),
                       success=_("Eligibility rules saved."), to=to, form=eligibility_form)
    elif which == "round" and round_form.validate_on_submit():
        done = perform(lambda: ps.add_round(current_user, competition, name=round_form.name.data,
                                            kind=round_form.kind.data),
                       success=_("Round added."), to=lambda r: url_for("pitch.console_round_setup", round_id=r.id),
                       form=round_form)
    if done:
        return done
    return _page("pitch/console_setup.html", competition=competition, eligibility_form=eligibility_form,
                 round_form=round_form)


@bp.route("/console/pitch/rounds/<int:round_id>/move", methods=["POST"])
@staff
def console_round_move(round_id: int):
    round_ = ps.get_round(round_id)
    run_competition(round_.competition_id)
    return perform(lambda: ps.move_round(current_user, round_, request.form.get("direction", "")),
                   success=_("Round moved."), to=url_for("pitch.console_setup", pitch_id=round_.competition_id))


@bp.route("/console/pitch/rounds/<int:round_id>/setup", methods=["GET", "POST"])
@staff
def console_round_setup(round_id: int):
    round_ = ps.get_round(round_id)
    competition = run_competition(round_.competition_id)
    which = request.form.get("form")
    rename_form, rubric_form = RenameForm(prefix="n"), RubricForm(prefix="c")
    rule_form, panel_form = RuleForm(prefix="a"), PanelForm(prefix="j")
    rule_form.tie_break_criterion_id.choices = ([SelectChoice(0, "—")]
                                                + [SelectChoice(c.id, c.name) for c in round_.criteria])
    accounts = ps.judge_accounts()
    panel_form.judge_ids.choices = [SelectChoice(j.id, f"{j.name}（{j.employer or '—'}）") for j in accounts]
    panel_form.chief_id.choices = [SelectChoice(0, "—")] + [SelectChoice(j.id, j.name) for j in accounts]
    _fill(round_, which, rename_form, rubric_form, rule_form, panel_form)
    to = url_for("pitch.console_round_setup", round_id=round_.id)
    done = None
    if which == "name" and rename_form.validate_on_submit():
        done = perform(lambda: ps.rename_round(current_user, round_, rename_form.name.data),
                       success=_("Round renamed."), to=to, form=rename_form)
    elif which == "rubric" and rubric_form.validate_on_submit():
        done = perform(lambda: ps.set_rubric(current_user, round_, rubric_form.rows()),
                       success=_("Rubric saved."), to=to, form=rubric_form,
                       fields={"criteria": "rubric"})  # the rubric as a whole: shown under the table
    elif which == "rule" and rule_form.validate_on_submit():
        done = perform(lambda: ps.set_rule(
            current_user, round_, rule=rule_form.rule.data, advance_count=rule_form.advance_count.data,
            threshold=(rule_form.threshold.data or "").strip() or None,
            tie_break_criterion_id=rule_form.tie_break_criterion_id.data or None,
            unbroken_tie=rule_form.unbroken_tie.data), success=_("Advancement rule saved."), to=to, form=rule_form)
    elif which == "judges" and panel_form.validate_on_submit():
        chosen = [j for j in accounts if j.id in (panel_form.judge_ids.data or [])]
        chief = next((j for j in accounts if j.id == panel_form.chief_id.data), None)
        done = perform(lambda: ps.set_judges(current_user, round_, chosen, chief), success=_("Judges saved."),
                       to=to, form=panel_form)
    if done:
        return done
    return _page("pitch/console_round_setup.html", round=round_, competition=competition,
                 rename_form=rename_form, rubric_form=rubric_form, rule_form=rule_form, panel_form=panel_form)


def _fill(round_, which, rename_form, rubric_form, rule_form, panel_form) -> None:
    """The forms not being submitted show what is saved."""
    if which != "name":
        rename_form.name.data = round_.name
    if which != "rubric":
        for row, criterion in zip(rubric_form.criteria, round_.criteria):
            row.form.name.data, row.form.weight.data = criterion.name, criterion.weight
            row.form.max_score.data = criterion.max_score
    if which != "rule":
        rule_form.rule.data, rule_form.advance_count.data = round_.rule, round_.advance_count
        rule_form.threshold.data = f"{round_.threshold:g}" if round_.threshold is not None else ""
        rule_form.tie_break_criterion_id.data = round_.tie_break_criterion_id or 0
        rule_form.unbroken_tie.data = round_.unbroken_tie
    if which != "judges":
        panel_form.judge_ids.data = [j.user_id for j in round_.judges if not j.chief]
        panel_form.chief_id.data = next((j.user_id for j in round_.judges if j.chief), 0)
