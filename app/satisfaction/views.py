"""The people's pages: a survey through its signed link (no login) and "My surveys"."""
from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.satisfaction import answering
from app.satisfaction.bp import bp
from app.satisfaction.sending import survey_token
from app.web import FieldMessages, perform


def _page(survey, errors, values, status=200):
    return render_template("satisfaction/answer.html", survey=survey, errors=errors, values=values,
                           questions=answering.questions(survey), field_name=answering.field_name,
                           open=survey.is_open()), status


@bp.route("/s/<token>", methods=["GET", "POST"])
def answer(token: str):
    survey = answering.survey_for_token(token)
    errors = FieldMessages(summary=_("Please check the answers marked below."))
    if request.method == "POST":
        here = url_for("satisfaction.answer", token=token)
        done = perform(lambda: answering.answer(survey, request.form.to_dict()),
                       success=_("Thank you: your answer is recorded."), to=here, form=errors, refused_to=here)
        if done is not None:
            return done
        return _page(survey, errors, request.form.to_dict(), 422)
    return _page(survey, errors, {})


@bp.route("/me/surveys")
@login_required
def mine():
    surveys = answering.surveys_of(current_user)
    return render_template("satisfaction/mine.html", surveys=surveys,
                           links={s.id: url_for("satisfaction.answer", token=survey_token(s)) for s in surveys
                                  if s.is_open()})
