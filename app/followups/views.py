"""The people's pages: a survey through its signed link (no login), its registry suggestions, and
"My follow-up surveys"."""
from __future__ import annotations

from flask import jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.followups import answering
from app.followups.bp import bp
from app.followups.links import survey_token
from app.followups.sending import deadline
from app.web import FieldMessages, perform


def _page(survey, errors, values, status=200):
    return render_template("followups/answer.html", survey=survey, errors=errors, values=values,
                           open=answering.can_answer(survey), deadline=deadline(survey),
                           editable_until=answering.editable_until(survey)), status


def _values(survey) -> dict:
    return {"working": survey.working or "", "organisation": survey.employer_text or "",
            "organisation_id": survey.organisation_id or "", "funding_wan": survey.funding_wan,
            "team_size": survey.team_size, "note": survey.note or ""}


@bp.route("/f/<token>", methods=["GET", "POST"])
def answer(token: str):
    survey = answering.survey_for_token(token)
    errors = FieldMessages(summary=_("Please check the answers marked below."))
    if request.method == "POST":
        here = url_for("followups.answer", token=token)
        done = perform(lambda: answering.answer(survey, request.form.to_dict()),
                       success=_("Thank you: your answer is recorded."), to=here, form=errors, refused_to=here)
        if done is not None:
            return done
        return _page(survey, errors, request.form.to_dict(), 422)
    return _page(survey, errors, _values(survey))


@bp.route("/f/<token>/organisations")
def organisation_suggestions(token: str):
    survey = answering.survey_for_token(token)
    return jsonify(answering.organisation_suggestions(survey, request.args.get("q")))


@bp.route("/me/followups")
@login_required
def mine():
    surveys = answering.surveys_of(current_user)
    return render_template("followups/mine.html", surveys=surveys,
                           links={s.id: url_for("followups.answer", token=survey_token(s)) for s in surveys
                                  if answering.can_answer(s)})
