def test_home_lists_published_events_in_chinese(client, create_event):
    create_event(title="2026人才闵行周开幕论坛")
    create_event(title="草稿活动不应出现", status="draft")
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2026人才闵行周开幕论坛" in html
    assert "草稿活动不应出现" not in html


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}  # alive; the database is /readyz's (tests/platform/test_operations.py)
