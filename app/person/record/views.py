"""The person's own record: the timeline, its PDF (printing makes a verifiable statement, whose
PDF is then downloaded) and its JSON; and the public check of a printed record."""
from __future__ import annotations

from flask import current_app, jsonify, render_template, url_for
from flask_login import current_user, login_required

from app import security_headers
from app.extensions import limiter
from app.person.record import document, export, statements, timeline
from app.person.record.bp import bp
from app.web import download, perform


@bp.route("/me/record")
@login_required
def mine():
    return render_template("person/record.html", record=timeline.build(current_user))


@bp.route("/me/record.pdf", methods=["POST"])
@login_required
def mine_pdf():
    """Printing makes a statement (what the QR will vouch for): a POST, then the PDF of it."""
    return perform(lambda: statements.issue(current_user), success=None,
                   to=lambda statement: url_for("record.statement_pdf", statement_id=statement.id))


@bp.route("/me/record/statements/<int:statement_id>.pdf")
@login_required
def statement_pdf(statement_id: int):
    statement = statements.own_statement(current_user, statement_id)
    return download(document.pdf(statement), f"record-{statement.issued_at:%Y%m%d}.pdf", "application/pdf")


@bp.route("/me/record.json")
@login_required
def mine_json():
    response = jsonify(export.as_json(current_user, timeline.build(current_user)))
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


@bp.route("/verify/record/<code>")
@security_headers.private_link
@limiter.limit(_verify_limit)
def verify(code: str):
    result = statements.public_view(statements.find(code))
    return render_template("person/record_verify.html", result=result), (404 if result["state"] == "not_found" else 200)
