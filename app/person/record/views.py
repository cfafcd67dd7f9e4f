"""The person's own record: the timeline, its PDF (a new verifiable statement each time) and its
JSON; and the public check of a printed record."""
from __future__ import annotations

from flask import current_app, jsonify, render_template
from flask_login import current_user, login_required

from app import security_headers
from app.extensions import limiter
from app.person.record import document, export, statements, timeline
from app.person.record.bp import bp
from app.transaction import commit
from app.web import download


@bp.route("/me/record")
@login_required
def mine():
    return render_template("person/record.html", record=timeline.build(current_user))


@bp.route("/me/record.pdf")
@login_required
def mine_pdf():
    statement = statements.issue(current_user)
    body = document.pdf(statement)
    commit()  # the statement the QR points to, and its audit row
    return download(body, "record.pdf", "application/pdf")


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
