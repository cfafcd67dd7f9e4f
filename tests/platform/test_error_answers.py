"""Error answers: 405 says what is allowed, and a database error in the log carries no personal data
(a database outage's 503: tests/platform/test_database_down.py)."""
from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from app.extensions import db


def test_method_not_allowed_says_which_methods_are(client):
    response = client.post("/")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD", "OPTIONS"}
    api = client.delete("/api/v1/events")
    assert api.status_code == 405 and "GET" in api.headers["Allow"]
    assert api.json["code"] == "method_not_allowed"


def test_a_database_error_in_the_log_names_no_person(app, client, create_user, caplog, monkeypatch):
    """An IntegrityError with a mobile number, an ID number and a password hash bound reaches the
    unhandled-error logger: the log has the statement, not the values (nor PostgreSQL's DETAIL)."""
    from app.main import views

    taken = create_user(mobile="13912345678")

    def duplicate(*_a, **_k):
        db.session.execute(
            sa.text("INSERT INTO users (name, mobile, id_number, password_hash, active, locale, created_at) "
                    "VALUES (:name, :mobile, :id_number, :hash, :active, 'zh_CN', CURRENT_TIMESTAMP)"),
            {"name": "王小明", "mobile": taken.mobile, "id_number": "310101199001011234",
             "hash": "scrypt:32768:8:1$secretsalt$abcdef", "active": True})

    monkeypatch.setattr(views, "public_events", duplicate)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        with caplog.at_level(logging.INFO):
            response = client.get("/")
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    assert "IntegrityError" in caplog.text and "INSERT INTO users" in caplog.text
    for secret in ("13912345678", "310101199001011234", "secretsalt", "王小明"):
        assert secret not in caplog.text


def test_the_engine_hides_bound_parameters(app):
    with app.app_context():
        assert db.engine.hide_parameters
        assert not db.engine.echo
