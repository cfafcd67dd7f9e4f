"""Schema, error pages, language, health."""
import io

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db
from tests.conftest import login


def test_models_and_migrations_agree(app, db_session):
    with db.engine.connect() as conn:
        def include_object(obj, _name, type_, _reflected, _compare_to):
            # Indexes only PostgreSQL has (trigram search, app/accounts/models.py) are not on SQLite.
            return not (type_ == "index" and obj.info.get("postgresql_only") and conn.dialect.name != "postgresql")

        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include_object})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_error_pages_are_chinese(app, client, create_user):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and "您访问的页面不存在" in response.get_data(as_text=True)
    login(client, create_user())
    response = client.get("/console/events")
    assert response.status_code == 403 and "您没有权限" in response.get_data(as_text=True)


def test_unexpected_errors_give_a_chinese_500_and_are_logged(app, client, caplog, monkeypatch):
    from app.main import views

    def boom(*_a, **_k):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(views, "public_events", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = client.get("/")
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500 and "服务器" in response.get_data(as_text=True)
    assert "kaboom" in caplog.text


def test_english_is_available(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    assert "Stay in Minhang" in html and "留在闵行" not in html


@pytest.mark.parametrize("path", ["/", "/login", "/signup"])
def test_pages_render_with_viewport_for_phones(client, path):
    html = client.get(path).get_data(as_text=True)
    assert 'name="viewport"' in html and "/static/css/app.css" in html
    assert "cdn" not in html.lower() and "//" not in html.split("href=\"")[1][:2]


def test_favicon_is_served_and_linked(client):
    """Issue 12, defect 14: /favicon.ico was 404 on every page."""
    from PIL import Image

    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    assert Image.open(io.BytesIO(icon.data)).format == "ICO"
    assert '<link rel="icon" href="/static/favicon.ico"' in client.get("/").get_data(as_text=True)
