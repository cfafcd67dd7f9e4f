"""Bad input on the pages and API of placements under way: huge ids, NUL bytes, wrong JSON types
and over-long text are a 4xx with a message and change nothing."""
from datetime import timedelta

import sqlalchemy as sa

from app.timeutil import local_today
from app.traineeships.models import Evaluation, MonthlyAttendance, Placement
from tests.conftest import login
from tests.fixtures.accounts import api_token

HUGE = (2 ** 31, 99999999999, 24018411884370006016)


def _ended(placed_batch):
    last = local_today().replace(day=1) - timedelta(days=1)
    return placed_batch(trainees=(1,), starts_on=(last.replace(day=1) - timedelta(days=40)).replace(day=1),
                        ends_on=last)


def _rows(db_session):
    return [db_session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (MonthlyAttendance, Evaluation)] + [
        db_session.scalar(sa.select(sa.func.count()).where(Placement.retained.is_not(None)))]


def test_bad_input_changes_nothing(app, db_session, placed_batch):
    made = _ended(placed_batch)
    p, contact = made.placements[0], made.contacts[0]
    before = _rows(db_session)
    pages, api = app.test_client(), app.test_client()
    login(pages, contact)
    headers = {"Authorization": f"Bearer {api_token(api, contact)}"}
    for n in HUGE:
        assert pages.get(f"/host/trainees/{n}").status_code == 404
        assert pages.post(f"/host/trainees/{n}/months", data={"month": "2026-07"}).status_code == 404
        assert api.post(f"/api/v1/host/placements/{n}/evaluations", json={}, headers=headers).status_code == 404
    month = p.starts_on.strftime("%Y-%m")
    for body in ({"month": "2026\x00-07", "present_days": 1}, {"month": month, "present_days": 1, "note": "x" * 301},
                 {"month": month, "present_days": [1]}, {"month": month, "present_days": 2 ** 40},
                 {"month": month, "present_days": 1, "absent_days": -3}, ["not", "an", "object"]):
        answer = api.post(f"/api/v1/host/placements/{p.id}/months", json=body, headers=headers)
        assert answer.status_code in (400, 422) and (answer.json.get("message") or answer.json.get("fields")), body
    for body in ({"stage": "mid", "scores": {"discipline": "\x00"}}, {"stage": "mid", "scores": [1, 2]},
                 {"stage": "mid\x00", "scores": {}}, {"stage": "mid", "scores": {"skills": 2 ** 40}}):
        assert api.post(f"/api/v1/host/placements/{p.id}/evaluations", json=body,
                        headers=headers).status_code in (400, 422), body
    assert api.post(f"/api/v1/host/placements/{p.id}/retention", json={"retained": True, "retained_from": "9" * 10},
                    headers=headers).status_code == 422
    for form in ({"month": month, "present_days": "1", "note": "坏\x00"}, {"month": month, "present_days": "1e9"}):
        assert pages.post(f"/host/trainees/{p.id}/months", data=form).status_code in (302, 400, 422)
    for form in ({"stage": "mid", "score_skills": "9" * 30}, {"stage": "mid", "comment": "\x00"}):
        assert pages.post(f"/host/trainees/{p.id}/evaluations", data=form).status_code in (302, 400, 422)
    assert pages.post(f"/host/trainees/{p.id}/retention", data={"retained": "yes",
                                                                 "retained_from": "99999-01-01"}).status_code in (
        302, 400, 422)
    db_session.rollback()
    assert _rows(db_session) == before
