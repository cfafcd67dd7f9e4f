"""The bureau's pages: every occasion's figures with a chart and the XLSX export, one occasion's
results per question with its comments (anonymous) and its "send now", and the templates (admins)."""
from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.services import organised_departments
from app.satisfaction import figures, questionnaires, sending, sheets
from app.satisfaction.bp import admins, bp, staff
from app.satisfaction.models import AskedKind
from app.satisfaction.occasions import occasion_of
from app.transaction import commit
from app.web import FieldMessages, download, perform


@bp.route("/console/satisfaction/")
@staff
def overview():
    scope = organised_departments(current_user)
    rows = figures.rows(scope, by="occasion")
    return render_template("satisfaction/overview.html", rows=rows, chart=figures.chart(rows),
                           kinds=figures.rows(scope, by="kind"), departments=figures.rows(scope, by="department"),
                           total=figures.summary(scope), percent=figures.percent, score=figures.score,
                           template_kinds=questionnaires.KINDS)


@bp.route("/console/satisfaction/export.xlsx")
@staff
def export():
    body = sheets.export_xlsx(current_user)
    commit()  # the audit row of who took the figures
    return download(body, "satisfaction-surveys.xlsx")


def _occasion(event_id: int):
    found = occasion_of(event_id)
    sending.require_organiser(current_user, found)
    return found


@bp.route("/console/satisfaction/<int:event_id>")
@staff
def occasion(event_id: int):
    found = _occasion(event_id)
    total = figures.summary(None, event_ids=[found.event_id])
    results = figures.question_results(current_user, found)
    said = figures.comments(current_user, found)
    commit()  # the audit row of who read the comments
    return render_template("satisfaction/occasion.html", occasion=found, total=total, results=results,
                           comments=said, percent=figures.percent, score=figures.score, RATING=AskedKind.RATING.value)


@bp.route("/console/satisfaction/<int:event_id>/send", methods=["POST"])
@staff
def send_now(event_id: int):
    found = _occasion(event_id)
    here = url_for("satisfaction.occasion", event_id=found.event_id)
    return perform(lambda: sending.send_now(current_user, found),
                   success=lambda sent: _("%(n)s surveys sent.", n=sent), to=here)


@bp.route("/console/satisfaction/templates/<kind>", methods=["GET", "POST"])
@admins
def template(kind: str):
    kind = questionnaires.kind_or_404(kind)
    errors = FieldMessages(summary=_("Please check the questions marked below."))
    here = url_for("satisfaction.template", kind=kind)
    questions = questionnaires.current_questions(kind)
    if request.method == "POST":
        done = perform(lambda: questionnaires.edit(current_user, kind, request.form.to_dict()),
                       success=_("The questions are saved; they are asked in surveys sent from now on."),
                       to=here, form=errors)
        if done is not None:
            return done
    found = questionnaires.latest(kind)
    rows = [dict(q, choices="；".join(q.get("choices") or ())) for q in questions]
    rows += [{"key": "", "kind": AskedKind.RATING.value, "label": "", "required": True, "choices": ""}] \
        * (questionnaires.MAX_QUESTIONS - len(rows))
    if request.method == "POST":  # show what was typed again beside the messages
        form = request.form
        rows = [{"key": form.get(f"key_{i}", ""), "kind": form.get(f"kind_{i}", ""), "label": form.get(f"label_{i}", ""),
                 "required": bool(form.get(f"required_{i}")), "choices": form.get(f"choices_{i}", "")}
                for i in range(questionnaires.MAX_QUESTIONS)]
    page = render_template("satisfaction/template.html", kind=kind, rows=rows, errors=errors,
                           version=found.version if found is not None else None)
    return page, (422 if errors else 200)
