"""The organisers' set-up forms of a pitch competition: created through the pages with three
rounds, rubrics, rules and judges it runs on the existing services (a judge sees the round);
editing is refused once a round has started; bad input is a 4xx with a message and changes
nothing; entries are approved and declined on their page; the exports are audited and defused."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.timeutil import utcnow
from tests.fixtures.pitch import JUDGE_EMPLOYERS


@pytest.fixture
def organiser(create_user):
    return create_user("organiser", department="talent_center", name="孙组织")


def _create(client, departments, **over):
    start = (utcnow() + timedelta(days=30)).strftime("%Y-%m-%dT09:00")
    end = (utcnow() + timedelta(days=30)).strftime("%Y-%m-%dT17:00")
    data = {"name": "2027年闵行区留学人员创业大赛", "year": "2027", "department_id": str(departments["talent_center"].id),
            "venue": "闵行区人才大厦", "starts_at": start, "ends_at": end, "capacity": "80",
            "description": "面向留学归国人员", "returnee": "y", "max_years_since_return": "5",
            "degrees": ["master", "doctor"]}
    data.update(over)
    return client.post("/console/pitch/new", data=data)


def _count(model) -> int:
    from app.extensions import db

    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _rubric(rows):
    data = {"form": "rubric"}
    for i, (name, weight, top) in enumerate(rows):
        data.update({f"c-criteria-{i}-name": name, f"c-criteria-{i}-weight": str(weight),
                     f"c-criteria-{i}-max_score": str(top)})
    return data


def test_an_organiser_sets_a_competition_up_through_the_forms_and_it_runs(client, db_session, departments,
                                                                          organiser, create_user, login_as):
    from app.pitch import services as ps
    from app.pitch.models import PitchCompetition

    judges = [create_user("judge", name=f"表单评委{i}", employer=e) for i, e in enumerate(JUDGE_EMPLOYERS[:4], 1)]
    login_as(organiser)
    assert client.get("/console/pitch/").get_data(as_text=True).count("/console/pitch/new") == 1
    assert client.get("/console/pitch/new").status_code == 200
    response = _create(client, departments)
    assert response.status_code == 302, response.data[:800]
    competition = db_session.scalar(sa.select(PitchCompetition).where(PitchCompetition.year == 2027))
    assert competition.eligibility == {"returnee": True, "max_years_since_return": 5, "degrees": ["master", "doctor"]}
    assert competition.event.venue == "闵行区人才大厦" and competition.event.capacity == 80
    setup = f"/console/pitch/{competition.id}/setup"
    for name, kind in (("复赛", "roadshow"), ("初赛", "online_review"), ("决赛", "final")):
        assert client.post(setup, data={"form": "round", "r-name": name, "r-kind": kind}).status_code == 302
    db_session.expire_all()
    first, second, final = competition.rounds
    # 初赛 was added second: moved up it is first; the final cannot move.
    assert client.post(f"/console/pitch/rounds/{second.id}/move", data={"direction": "up"}).status_code == 302
    db_session.expire_all()
    assert [r.name for r in competition.rounds] == ["初赛", "复赛", "决赛"]
    client.post(f"/console/pitch/rounds/{final.id}/move", data={"direction": "up"})
    db_session.expire_all()
    assert [r.name for r in competition.rounds] == ["初赛", "复赛", "决赛"]
    first, second, final = competition.rounds
    page = f"/console/pitch/rounds/{second.id}/setup"
    assert client.post(page, data={"form": "name", "n-name": "复赛路演"}).status_code == 302
    for r in (first, second):
        url = f"/console/pitch/rounds/{r.id}/setup"
        assert client.post(url, data=_rubric([("创新性", 60, 10), ("商业模式", 40, 10)])).status_code == 302
    assert client.post(f"/console/pitch/rounds/{final.id}/setup",
                       data=_rubric([("项目路演", 50, 50), ("答辩", 50, 50)])).status_code == 302
    db_session.expire_all()
    assert client.post(f"/console/pitch/rounds/{first.id}/setup", data={
        "form": "rule", "a-rule": "top_n", "a-advance_count": "4", "a-threshold": "",
        "a-tie_break_criterion_id": str(first.criteria[0].id), "a-unbroken_tie": "none_advance"}).status_code == 302
    assert client.post(f"/console/pitch/rounds/{second.id}/setup", data={
        "form": "rule", "a-rule": "threshold", "a-threshold": "70", "a-tie_break_criterion_id": "0",
        "a-unbroken_tie": "all_advance"}).status_code == 302
    for r, panel in ((first, judges[:2]), (second, judges[1:3]), (final, judges[:3])):
        assert client.post(f"/console/pitch/rounds/{r.id}/setup", data={
            "form": "judges", "j-judge_ids": [str(j.id) for j in panel], "j-chief_id": str(judges[3].id)}
        ).status_code == 302
    assert client.post(f"/console/pitch/{competition.id}/status", data={"status": "open"}).status_code == 302
    db_session.expire_all()
    assert competition.status == "open" and competition.event.status == "published"
    assert second.name == "复赛路演" and [c.weight for c in second.criteria] == [60, 40]
    assert first.rule == "top_n" and first.advance_count == 4 and first.unbroken_tie == "none_advance"
    assert first.tie_break_criterion_id == first.criteria[0].id and str(second.threshold) == "70.00"
    assert [(j.user_id, j.chief) for j in first.judges] == sorted(
        [(judges[0].id, False), (judges[1].id, False), (judges[3].id, True)])
    # The public list shows it with its apply link.
    client.post("/logout")
    public = client.get("/pitch/").get_data(as_text=True)
    assert competition.name in public and f"/pitch/{competition.id}/apply" in public
    # It runs: an approved entry, entries closed, round 1 open; its judge sees the round.
    from tests.fixtures.pitch import deck

    founder = create_user(name="创业者甲")
    entry = ps.apply(founder, competition, project="智能传感", company_name="上海甲科技有限公司", uscc="",
                     to_be_founded=True, country="英国", degree="master", return_year=utcnow().year - 1,
                     business_plan="面向长三角制造业的智能检测服务，已有三家试点客户。", deck=deck())
    ps.approve_entries(organiser, competition, [entry])
    ps.set_status(organiser, competition, "judging")
    ps.open_round(organiser, first)
    db_session.commit()
    login_as(judges[0])
    assert f"/pitch/judge/rounds/{first.id}" in client.get("/pitch/judge/").get_data(as_text=True)
    assert "智能传感" in client.get(f"/pitch/judge/rounds/{first.id}").get_data(as_text=True)
    # Once the round has started its set-up is refused with the service's message, nothing changed.
    login_as(organiser)
    refused = client.post(f"/console/pitch/rounds/{first.id}/setup", data=_rubric([("只有一项", 100, 10)]))
    assert refused.status_code == 422 and "已开始" in refused.get_data(as_text=True)
    db_session.expire_all()
    assert [c.name for c in first.criteria] == ["创新性", "商业模式"]
    moved = client.post(f"/console/pitch/rounds/{second.id}/move", data={"direction": "up"}, follow_redirects=True)
    db_session.expire_all()
    assert [r.name for r in competition.rounds] == ["初赛", "复赛路演", "决赛"] and "已开始" in moved.get_data(as_text=True)


@pytest.mark.parametrize("rows, message", [
    ([("创新性", 60, 10), ("商业模式", 30, 10)], "90"),  # weights add up to 90
    ([("创新性", "六十", 10), ("商业模式", 40, 10)], None),  # not a number
    ([("创新性", 100, 100000)], None),  # a maximum past the limit
    ([("创新性", 2 ** 40, 10)], None),  # a huge weight
    ([("创\x00新", 100, 10)], None),  # a NUL byte
])
def test_bad_rubrics_are_refused_with_a_message(client, db_session, pitch, login_as, rows, message):
    from app.pitch.models import PitchRound

    round_ = pitch.rounds[0]
    login_as(pitch.organiser)
    response = client.post(f"/console/pitch/rounds/{round_.id}/setup", data=_rubric(rows))
    assert 400 <= response.status_code < 500
    body = response.get_data(as_text=True)
    assert body.strip()
    if message:
        assert message in body and 'class="error"' in body
    db_session.expire_all()
    assert [c.weight for c in db_session.get(PitchRound, round_.id).criteria] == [60, 40]


@pytest.mark.parametrize("over", [{"year": "二〇二七"}, {"capacity": "-3"}, {"capacity": "99999999999999999999"},
                                  {"name": "大赛\x00"}, {"max_years_since_return": "500"}, {"degrees": ["phd"]},
                                  {"department_id": str(2 ** 40)}, {"starts_at": "not a date"}])
def test_bad_competitions_are_refused_with_a_message(client, db_session, departments, organiser, login_as, over):
    from app.pitch.models import PitchCompetition

    login_as(organiser)
    before = _count(PitchCompetition)
    response = _create(client, departments, **over)
    assert 400 <= response.status_code < 500 and response.get_data(as_text=True).strip()
    assert _count(PitchCompetition) == before


def test_bad_rules_judges_and_ids(client, db_session, pitch, login_as, create_user):
    round_ = pitch.rounds[0]
    login_as(pitch.organiser)
    url = f"/console/pitch/rounds/{round_.id}/setup"
    bad = [{"a-rule": "top_n", "a-advance_count": "", "a-tie_break_criterion_id": "0"},
           {"a-rule": "threshold", "a-threshold": "abc", "a-tie_break_criterion_id": "0"},
           {"a-rule": "threshold", "a-threshold": "NaN", "a-tie_break_criterion_id": "0"},
           {"a-rule": "top_n", "a-advance_count": "3", "a-tie_break_criterion_id": str(2 ** 40)}]
    for data in bad:
        response = client.post(url, data={"form": "rule", "a-unbroken_tie": "all_advance", **data})
        assert 400 <= response.status_code < 500, data
        assert 'class="error"' in response.get_data(as_text=True), data
    db_session.expire_all()
    assert round_.advance_count == 4 and round_.threshold is None
    outsider = create_user(name="并非评委")
    response = client.post(url, data={"form": "judges", "j-judge_ids": [str(outsider.id)], "j-chief_id": "0"})
    assert response.status_code == 422
    response = client.post(url, data={"form": "judges", "j-judge_ids": [str(pitch.judges[0].id)],
                                      "j-chief_id": str(pitch.judges[0].id)})
    assert response.status_code == 422 and "不参与评分" in response.get_data(as_text=True)
    db_session.expire_all()
    assert len(round_.judges) == 3
    for path in (f"/console/pitch/rounds/{2 ** 40}/setup", f"/console/pitch/{2 ** 40}/setup",
                 f"/console/pitch/{2 ** 40}/entries", f"/console/pitch/rounds/{2 ** 40}/standings.xlsx"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/console/pitch/rounds/{round_.id}/move", data={"direction": "sideways"},
                       follow_redirects=True).status_code == 200


def test_another_departments_organiser_cannot_set_it_up(client, db_session, pitch, create_user, login_as):
    other = create_user("organiser", department="employment", name="别处组织")
    login_as(other)
    round_ = pitch.rounds[0]
    for path in (f"/console/pitch/{pitch.competition.id}/setup", f"/console/pitch/rounds/{round_.id}/setup",
                 f"/console/pitch/{pitch.competition.id}/entries"):
        assert client.get(path).status_code in (403, 404), path
    response = client.post(f"/console/pitch/rounds/{round_.id}/setup", data=_rubric([("单项", 100, 10)]))
    assert response.status_code in (403, 404)
    db_session.expire_all()
    assert [c.weight for c in round_.criteria] == [60, 40]


def test_eligibility_edited_then_refused_once_entries_close(client, db_session, pitch, login_as):
    from app.pitch import services as ps

    login_as(pitch.organiser)
    url = f"/console/pitch/{pitch.competition.id}/setup"
    data = {"form": "eligibility", "e-returnee": "y", "e-max_years_since_return": "3", "e-degrees": ["doctor"]}
    assert client.post(url, data=data).status_code == 302
    db_session.expire_all()
    assert pitch.competition.eligibility == {"returnee": True, "max_years_since_return": 3, "degrees": ["doctor"]}
    ps.set_status(pitch.organiser, pitch.competition, "judging")
    db_session.commit()
    response = client.post(url, data={**data, "e-max_years_since_return": "9"})
    assert response.status_code == 422 and "资格" in response.get_data(as_text=True)
    db_session.expire_all()
    assert pitch.competition.eligibility["max_years_since_return"] == 3


def test_entries_page_approves_declines_and_exports(client, db_session, pitch, pitch_entry, login_as):
    from app.audit.models import AuditEntry

    from app.pitch import services as ps

    pending = pitch_entry(project="=HYPERLINK(\"http://x\")", approve=False)
    other = pitch_entry(project="待拒项目", approve=False)
    ps.set_eligibility(pitch.organiser, pitch.competition, {"returnee": True, "max_years_since_return": 0})
    db_session.commit()
    login_as(pitch.organiser)
    page = client.get(f"/console/pitch/{pitch.competition.id}/entries").get_data(as_text=True)
    assert pending.user.mobile not in page and pending.user.mobile_masked in page
    assert "⚠" in page  # returned last year: now none are accepted
    url = f"/console/pitch/{pitch.competition.id}/entries/decide"
    assert client.post(url, data={"entry_id": [str(pending.id)], "action": "approve"}).status_code == 302
    nul = client.post(url, data={"entry_id": [str(other.id), "x\x00"], "action": "decline"})
    assert 400 <= nul.status_code < 500
    db_session.expire_all()
    assert other.registration.status == "pending"
    assert client.post(url, data={"entry_id": [str(other.id), str(2 ** 40), "x"], "action": "decline",
                                  "reason": "材料不全"}).status_code == 302
    db_session.expire_all()
    assert pending.registration.status == "confirmed" and other.registration.status == "rejected"
    before = _count(AuditEntry)
    export = client.get(f"/console/pitch/{pitch.competition.id}/entries.xlsx")
    assert export.status_code == 200 and export.headers["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(export.data)).active
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert "'=HYPERLINK(\"http://x\")" in cells and pending.user.mobile not in cells
    standings = client.get(f"/console/pitch/rounds/{pitch.rounds[0].id}/standings.xlsx")
    assert standings.status_code == 200 and standings.data[:2] == b"PK"
    assert _count(AuditEntry) == before + 2
    assert db_session.scalar(sa.select(AuditEntry.action).order_by(AuditEntry.id.desc())) == "pitch.standings_export"
