"""Skills competitions: categories on competition events, eligibility, approval and check-in through
the shared services, conflicts of interest, marking (measurement and judgement), the disagreement
flag, second-person confirmation, ranking with ties, award shares and rounding, publication, and
the marking scheme's XLSX round trip."""
from __future__ import annotations

import io
import re
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from app.competitions import schemes
from app.competitions import services as cs
from app.competitions.models import Aspect, Award, Entry, Score
from app.errors import Conflict, InvalidInput, PermissionDenied
from app.registrations import services as reg
from app.registrations.models import Registration
from app.timeutil import utcnow
from tests.fixtures.competitions import JUDGE_EMPLOYERS, fully_score, score

# -- categories, entrants, approval, check-in ---------------------------------------------------
def test_entrants_register_get_approved_and_check_in_through_the_shared_services(db_session, contest, create_user):
    from app.checkin import services as checkin
    from app.tickets.services import ticket_token

    category = contest.category
    event = category.event
    assert event.kind == "competition" and event.capacity == 10 and event.requires_approval and event.is_published
    user = create_user(name="陈静")
    with pytest.raises(Conflict) as bypass:  # the generic event registration would skip eligibility
        reg.register(user, event)
    assert bypass.value.code == "competition_entry"
    entry = cs.register_entry(user, category, employer="上海颐家养老服务有限公司", occupation="护士",
                              birth_date=date(1992, 3, 8))
    assert entry.registration.status == "pending" and entry.registration.event_id == event.id
    with pytest.raises(Conflict) as twice:
        cs.register_entry(user, category, employer="x", occupation="护士", birth_date=date(1992, 3, 8))
    assert twice.value.code == "already_registered"
    assert cs.approve_entries(contest.organiser, category, [entry])["confirmed"] == 1
    db_session.commit()
    assert [e.id for e in cs.approved_entries(category)] == [entry.id]

    checkpoint = checkin.event_checkpoint(event)
    first = checkin.scan(checkpoint, ticket_token(entry.registration))
    again = checkin.scan(checkpoint, ticket_token(entry.registration))
    db_session.commit()
    assert (first.result.value, again.result.value) == ("ok", "already_checked_in")
    assert cs.first_check_ins(category)[entry.registration_id] is not None

    rejected = cs.register_entry(create_user(name="李强"), category, employer="某公司", occupation="护士",
                                 birth_date=date(1990, 1, 1))
    assert cs.reject_entries(contest.organiser, category, [rejected], "材料不全") == 1
    assert rejected.registration.status == "rejected"


def test_only_organisers_of_the_department_run_it(db_session, contest, create_user):
    outsider = create_user("organiser", department="talent_center")
    with pytest.raises(PermissionDenied):
        cs.set_judges(outsider, contest.category, [])
    with pytest.raises(PermissionDenied):
        cs.add_criterion(outsider, contest.category, name="x")


def test_eligibility_is_checked_with_clear_messages_and_nothing_is_kept(db_session, contest, create_user,
                                                                        departments):
    category = contest.category
    user = create_user(name="周敏")
    with pytest.raises(InvalidInput) as error:
        cs.register_entry(user, category, employer="", occupation="厨师", birth_date=date(1960, 1, 1))
    fields = {k: str(v) for k, v in error.value.fields.items()}
    assert set(fields) == {"employer", "occupation", "birth_date"}
    assert "养老护理员、护士" in fields["occupation"] and "18" in fields["birth_date"] and "55" in fields["birth_date"]
    with pytest.raises(InvalidInput) as young:
        cs.register_entry(user, category, employer="x", occupation="护士", birth_date=date(2012, 1, 1))
    message = str(young.value.fields["birth_date"])
    assert "周敏" in message and "限 18 至 55 周岁" in message
    db_session.rollback()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Entry)) == 0
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0

    start = utcnow() + timedelta(days=3)
    team = cs.save_category(contest.organiser, contest.competition, name="电子竞技", venue="闵行体育馆",
                            starts_at=start, ends_at=start + timedelta(hours=6), capacity=8, min_age=16,
                            max_age=35, team=True, team_min=3, team_max=5)
    captain = create_user(name="林枫")
    ok_member = {"name": "黄磊", "employer": "上海电竞俱乐部", "occupation": "电子竞技员",
                 "birth_date": date(2000, 1, 1)}
    with pytest.raises(InvalidInput) as small:
        cs.register_entry(captain, team, employer="上海电竞俱乐部", occupation="电子竞技员",
                          birth_date=date(2001, 2, 2), team_name="闵行雷霆", members=[ok_member])
    assert "members" in small.value.fields and "3" in str(small.value.fields["members"])
    old_member = dict(ok_member, name="老张", birth_date=date(1970, 1, 1))
    with pytest.raises(InvalidInput) as old:
        cs.register_entry(captain, team, employer="上海电竞俱乐部", occupation="电子竞技员",
                          birth_date=date(2001, 2, 2), team_name="闵行雷霆", members=[ok_member, old_member])
    assert list(old.value.fields) == ["members.1.birth_date"]
    assert "老张" in str(old.value.fields["members.1.birth_date"])
    entry = cs.register_entry(captain, team, employer="上海电竞俱乐部", occupation="电子竞技员",
                              birth_date=date(2001, 2, 2), team_name="闵行雷霆",
                              members=[ok_member, dict(ok_member, name="吴昊")])
    assert [m.name for m in entry.members] == ["黄磊", "吴昊"] and entry.display_name == "闵行雷霆"

    cs.set_status(contest.organiser, contest.competition, "closed")
    with pytest.raises(reg.RegistrationClosed):
        cs.register_entry(create_user(), category, employer="x", occupation="护士", birth_date=date(1990, 1, 1))


# -- conflicts of interest ----------------------------------------------------------------------
def test_employer_names_are_compared_normalised():
    n = cs.normalise_employer
    same = ("上海紫竹芯联微电子有限公司", " 上海紫竹芯联微电子 有限公司 ", "上海紫竹芯联微电子（上海）有限公司")
    assert len({n(name) for name in same}) == 1
    assert n("ACME Co., Ltd.") == n("acme") and n("") == "" and n(None) == ""
    assert n("闵行区中心医院") != n("闵行区第二医院")


def test_a_judge_cannot_score_or_confirm_an_entrant_from_their_own_employer(db_session, contest, enter):
    judge = contest.judges[1]  # 闵行区中心医院
    own = enter("刘洋", employer="闵行区中心医院 ")
    team_member = enter("许诺", employer="上海颐家养老服务有限公司")
    team_member.members = [cs.TeamMember(name="何静", employer="闵行区中心医院（南院）", position=0)]
    db_session.commit()
    other = enter("孙倩", employer="上海颐家养老服务有限公司")
    for entry in (own, team_member):
        with pytest.raises(Conflict) as error:
            score(entry, judge, contest.judged, 2)
        assert error.value.code == "conflict_of_interest"
    assert score(other, judge, contest.judged, 2)
    flagged = cs.conflict_map(contest.category)
    assert {e.id for e in flagged[judge.id]} == {own.id, team_member.id}
    assert flagged[contest.judges[0].id] == []
    db_session.rollback()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Score).where(Score.entry_id == own.id)) == 0


# -- marking ------------------------------------------------------------------------------------
def test_measurement_and_judgement_marks(db_session, contest, enter):
    entry = enter()
    j1, j2, j3 = contest.judges
    score(entry, j1, contest.measured, "部分正确")
    for judge, value in ((j1, 3), (j2, 2), (j3, 2)):
        score(entry, judge, contest.judged, value)
    sheet = cs.sheet(entry)
    marks = {s.aspect.id: s.mark for s in sheet.states}
    assert marks[contest.measured.id] == Decimal("1.50")
    assert marks[contest.judged.id] == Decimal("4.67")  # 6 × (3 + 2 + 2) / 3 ÷ 3 = 4.666…
    assert sheet.total == Decimal("6.17") and sheet.complete and not sheet.flagged
    assert cs.judgement_mark(Decimal("5"), [Decimal(1), Decimal(2), Decimal(2)]) == Decimal("2.78")
    assert cs.judgement_mark(Decimal("3"), [Decimal(3)] * 3) == Decimal("3.00")

    for bad, aspect in (("4", contest.judged), ("2.5", contest.judged), ("大致正确", contest.measured)):
        with pytest.raises(InvalidInput) as error:
            score(entry, j1, aspect, bad)
        assert f"a{aspect.id}" in error.value.fields
    stranger = contest.chief  # chief judge, not a scoring judge of the category
    with pytest.raises(PermissionDenied):
        score(entry, stranger, contest.judged, 2)


def test_a_judgement_aspect_takes_three_judges(db_session, contest, enter, create_user):
    entry = enter()
    fourth = create_user("judge", name="裁判4", employer="上海开放大学")
    cs.set_judges(contest.organiser, contest.category, contest.judges + [fourth], contest.chief)
    fully_score(contest, entry)
    with pytest.raises(InvalidInput):
        score(entry, fourth, contest.judged, 3)


def test_judgement_scores_more_than_one_point_apart_are_flagged_until_rescored(db_session, contest, enter):
    entry = enter()
    j1, j2, j3 = contest.judges
    score(entry, j1, contest.judged, 3)
    score(entry, j2, contest.judged, 1)
    state = next(s for s in cs.sheet(entry).states if s.aspect.id == contest.judged.id)
    assert state.flagged and state.spread == (Decimal(1), Decimal(3)) and not state.complete
    score(entry, j3, contest.judged, 2)
    assert cs.sheet(entry).flagged  # still 3 vs 1
    score(entry, j2, contest.judged, 2)  # re-scored after the discussion
    state = next(s for s in cs.sheet(entry).states if s.aspect.id == contest.judged.id)
    assert not state.flagged and state.mark == Decimal("4.67")
    db_session.commit()
    history = [(s.judge.name, s.old_value, s.value) for s in cs.history(entry)]
    assert history[0] == ("裁判2", Decimal("1.00"), Decimal("2.00"))  # newest first: old → new
    assert len(history) == 4


def test_a_second_person_confirms_and_a_later_change_voids_it(db_session, contest, enter):
    entry = enter()
    j1, j2, j3 = contest.judges
    score(entry, j1, contest.measured, "完全正确")
    score(entry, j1, contest.judged, 3)
    score(entry, j2, contest.judged, 1)
    with pytest.raises(Conflict) as incomplete:
        cs.confirm(contest.chief, entry)
    assert incomplete.value.code == "incomplete"
    score(entry, j3, contest.judged, 3)
    with pytest.raises(Conflict) as flagged:
        cs.confirm(contest.chief, entry)
    assert flagged.value.code == "flagged"
    score(entry, j2, contest.judged, 2)
    for enterer in (j1, j2, j3):
        with pytest.raises(Conflict) as own:
            cs.confirm(enterer, entry)
        assert own.value.code == "own_scores"
    assert not cs.sheet(entry).confirmed and cs.results(contest.category) == []
    cs.confirm(contest.chief, entry)
    db_session.commit()
    assert cs.sheet(entry).confirmed
    assert [s.entry.id for s in cs.results(contest.category)] == [entry.id]
    score(entry, j1, contest.measured, "部分正确")  # a change after confirmation
    assert not cs.sheet(entry).confirmed and cs.results(contest.category) == []


# -- ranking and awards -------------------------------------------------------------------------
def _standing(entry_id, total, first, minutes=None):
    at = utcnow().replace(hour=1, minute=0) + timedelta(minutes=minutes) if minutes is not None else None
    return cs.Standing(SimpleNamespace(id=entry_id), Decimal(total), Decimal(first), at, [])


def test_ranking_applies_the_tie_break_rule_and_remaining_ties_share_the_rank():
    ordered = cs.rank([
        _standing(1, "80", "40"),
        _standing(2, "92", "50"),
        _standing(3, "85", "40", minutes=5),
        _standing(4, "85", "45", minutes=30),   # higher first criterion beats the earlier check-in
        _standing(5, "85", "40", minutes=2),    # equal total and first criterion: earlier check-in first
        _standing(6, "80", "40"),               # equal on everything with 1: they share the rank
        _standing(7, "70", "30"),
    ])
    assert [(s.entry.id, s.rank) for s in ordered] == [(2, 1), (4, 2), (5, 3), (3, 4), (1, 5), (6, 5), (7, 7)]


def test_award_cutoffs_by_share_round_half_up_and_by_count():
    rules = {"mode": "share", "first": 0.10, "second": 0.20, "third": 0.30, "merit_min_percent": 60}
    assert cs.award_cutoffs(rules, 10) == (1, 3, 6)
    assert cs.award_cutoffs(rules, 7) == (1, 2, 4)    # 0.7 → 1, 2.1 → 2, 4.2 → 4
    assert cs.award_cutoffs(rules, 5) == (1, 2, 3)    # 0.5 → 1, 1.5 → 2, 3.0 → 3 (half up)
    assert cs.award_cutoffs(rules, 15) == (2, 5, 9)   # 1.5 → 2, 4.5 → 5, 9
    assert cs.award_cutoffs(rules, 1) == (1, 1, 1)    # at least one 一等奖
    assert cs.award_cutoffs(rules, 0) == (0, 0, 0)
    assert cs.award_cutoffs({"mode": "count", "first": 1, "second": 2, "third": 3}, 4) == (1, 3, 6)


def test_awards_follow_ranks_so_a_shared_rank_gets_the_better_award():
    rules = {"mode": "share", "first": 0.10, "second": 0.20, "third": 0.30, "merit_min_percent": 60}
    totals = ["95", "90", "90", "88", "80", "75", "70", "62", "59", "40"]
    ordered = cs.rank([_standing(i, t, "0") for i, t in enumerate(totals, 1)])
    awarded = cs.allocate_awards(ordered, rules, Decimal(100))
    got = [(s.rank, s.award) for s in awarded]
    assert got == [(1, "first"), (2, "second"), (2, "second"), (4, "third"), (5, "third"), (6, "third"),
                   (7, "merit"), (8, "merit"), (9, None), (10, None)]


def test_publication_freezes_results_for_entrants_and_certificates(db_session, contest, enter, create_user):
    a, b, c = enter("甲"), enter("乙"), enter("丙")
    fully_score(contest, a, "完全正确", (3, 3, 3))   # 9
    fully_score(contest, b, "部分正确", (3, 3, 2))   # 1.5 + 5.33
    fully_score(contest, c, "错误", (1, 1, 1))       # 2
    absent = enter("丁")  # approved but never scored: not ranked
    for entry in (a, b):
        cs.confirm(contest.chief, entry)
    db_session.commit()
    with pytest.raises(Conflict) as open_:
        cs.publish_results(contest.organiser, contest.competition)
    assert open_.value.code == "not_closed"
    cs.set_status(contest.organiser, contest.competition, "closed")
    with pytest.raises(Conflict) as waiting:
        cs.publish_results(contest.organiser, contest.competition)
    assert waiting.value.code == "unconfirmed_scores" and "丙" in str(waiting.value.message)
    cs.confirm(contest.chief, c)
    cs.publish_results(contest.organiser, contest.competition)
    db_session.commit()
    assert contest.competition.is_published
    got = [(e.id, award, rank) for e, award, rank in cs.awards(contest.category)]
    # three ranked: 一等奖 round(0.3) → at least 1; 二等奖 up to round(0.9) = 1 (none); 三等奖 up to
    # round(1.8) = 2; 丙's 2 of 9 marks is below 60 %: no 优胜奖
    assert got == [(a.id, Award.FIRST, 1), (b.id, Award.THIRD, 2)]
    assert cs.result_of(c).rank == 3 and cs.result_of(c).award is None
    result = cs.result_of(b)
    assert result.total == Decimal("6.83") and [p["name"] for p in result.by_criterion] == ["技能操作", "职业素养"]
    assert cs.result_of(absent) is None
    with pytest.raises(Conflict) as frozen:
        score(a, contest.judges[0], contest.measured, "错误")
    assert frozen.value.code == "results_published"
    cs.set_recommended(contest.organiser, a, True)
    assert a.recommended
    with pytest.raises(Conflict):
        cs.set_recommended(contest.organiser, absent, True)


# -- the scheme as XLSX -------------------------------------------------------------------------
def _sheet(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["评分项", "评分细则", "类型", "满分", "结果选项"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _scheme(category):
    return [(c.name, a.description, a.kind, a.max_mark, a.outcomes) for c in category.criteria for a in c.aspects]


def test_scheme_xlsx_round_trip_and_a_broken_sheet_changes_nothing(db_session, contest):
    start = utcnow() + timedelta(days=5)
    other = cs.save_category(contest.organiser, contest.competition, name="幼儿公共营养", venue="南科创实训基地",
                             starts_at=start, ends_at=start + timedelta(hours=4), capacity=20)
    data = schemes.export_xlsx(contest.category)
    schemes.import_xlsx(contest.organiser, other, data)
    db_session.commit()
    assert _scheme(other) == _scheme(contest.category)
    assert other.max_marks == Decimal("9.00")

    typed = _sheet([["营养配餐", "食谱能量计算", "测量", 4, "正确=4；基本正确=2；错误=0"],
                    [None, "膳食搭配合理性", "评价", 6, None]])
    schemes.import_xlsx(contest.organiser, other, typed)
    db_session.commit()
    assert [(c, d, k, m) for c, d, k, m, _o in _scheme(other)] == [
        ("营养配餐", "食谱能量计算", "measurement", Decimal("4.00")),
        ("营养配餐", "膳食搭配合理性", "judgement", Decimal("6.00"))]
    before = _scheme(other)

    broken = _sheet([["营养配餐", "食谱能量计算", "测量", 4, "正确=4；错误=0"],
                     ["营养配餐", "", "打分", "x", None],
                     ["营养配餐", "色香味", "measurement", 3, "好=2；差=0"],
                     [None, None, None, None, None],
                     ["卫生", "操作卫生", "judgement", 2, "好=2"]])
    with pytest.raises(InvalidInput) as error:
        schemes.import_xlsx(contest.organiser, other, broken)
    fields = {k: str(v) for k, v in error.value.fields.items()}
    assert set(fields) == {"row3", "row4", "row6"}
    assert fields["row3"].startswith("Row 3") or fields["row3"].startswith("第 3 行")
    db_session.rollback()
    assert _scheme(other) == before
    with pytest.raises(InvalidInput) as junk:
        schemes.import_xlsx(contest.organiser, other, b"not a workbook")
    assert "file" in junk.value.fields


def test_the_scheme_is_fixed_once_scoring_begins(db_session, contest, enter):
    entry = enter()
    score(entry, contest.judges[0], contest.measured, "完全正确")
    with pytest.raises(Conflict) as error:
        cs.add_aspect(contest.organiser, contest.measured.criterion, description="x", kind="judgement", max_mark=1)
    assert error.value.code == "scheme_in_use"
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Aspect)) == 2


# -- pages --------------------------------------------------------------------------------------
def test_console_judge_and_entrant_pages(client, db_session, contest, enter, create_user):
    from tests.conftest import login

    entry = enter("王丽", employer="上海颐家养老服务有限公司")
    conflicted = enter("刘洋", employer=JUDGE_EMPLOYERS[0])
    category = contest.category
    login(client, contest.organiser)
    pages = ["/console/competitions", f"/console/competitions/{contest.competition.id}",
             f"/console/categories/{category.id}", f"/console/categories/{category.id}/judges",
             f"/console/categories/{category.id}/scheme", f"/console/categories/{category.id}/scores",
             f"/console/categories/{category.id}/results", f"/console/entries/{entry.id}",
             f"/console/categories/{category.id}/edit",
             f"/console/competitions/{contest.competition.id}/categories/new",
             "/console/competitions/new", f"/competitions/{contest.competition.id}", "/competitions/"]
    for url in pages:
        assert client.get(url).status_code == 200, url
    judges_page = client.get(f"/console/categories/{category.id}/judges").get_data(as_text=True)
    assert "⚠ 刘洋" in judges_page
    export = client.get(f"/console/categories/{category.id}/scheme.xlsx")
    assert export.status_code == 200 and export.data[:2] == b"PK"
    broken = _sheet([["护理", "", "打分", "x", None]])
    page = client.post(f"/console/categories/{category.id}/scheme",
                       data={"form": "import", "x-file": (io.BytesIO(broken), "s.xlsx")},
                       content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "第 2 行" in page and "满分" in page and len(cs.aspects(category)) == 2
    client.post("/logout")

    judge = contest.judges[0]
    login(client, judge)
    assert client.get("/judge/").status_code == 200
    listing = client.get(f"/judge/categories/{category.id}").get_data(as_text=True)
    assert "王丽" in listing and "利益冲突" in listing and f"/judge/entries/{conflicted.id}" not in listing
    response = client.post(f"/judge/entries/{entry.id}", data={f"a{contest.measured.id}": "完全正确",
                                                               f"a{contest.judged.id}": "3"})
    assert response.status_code == 302
    assert client.post(f"/judge/entries/{conflicted.id}", data={f"a{contest.judged.id}": "3"},
                       follow_redirects=True).status_code == 200
    assert cs.sheet(conflicted).last_score_id is None
    bad = client.post(f"/judge/entries/{entry.id}", data={f"a{contest.judged.id}": "7"})
    assert "0、1、2 或 3" in bad.get_data(as_text=True) or "0, 1, 2 or 3" in bad.get_data(as_text=True)
    client.post("/logout")

    login(client, entry.user)
    mine = client.get("/competitions/my").get_data(as_text=True)
    assert "养老健康照护" in mine
    newcomer = create_user(name="赵敏")
    client.post("/logout")
    login(client, newcomer)
    too_old = client.post(f"/competitions/categories/{category.id}/enter",
                          data={"employer": "颐家", "occupation": "护士", "birth_date": "1950-01-01"})
    assert too_old.status_code == 200 and "18" in too_old.get_data(as_text=True)
    ok = client.post(f"/competitions/categories/{category.id}/enter",
                     data={"employer": "颐家", "occupation": "护士", "birth_date": "1995-01-01"})
    assert ok.status_code == 302
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Entry).where(Entry.user_id == newcomer.id)) == 1


def test_award_rules_are_settings_of_the_competition(db_session, contest):
    competition = contest.competition
    cs.set_award_rules(contest.organiser, competition, mode="share", first="15", second="25", third="30",
                       merit_min_percent="70")
    assert competition.award_rules == {"mode": "share", "first": 0.15, "second": 0.25, "third": 0.30,
                                       "merit_min_percent": 70.0}
    assert cs.award_cutoffs(competition.award_rules, 20) == (3, 8, 14)
    with pytest.raises(InvalidInput) as error:
        cs.set_award_rules(contest.organiser, competition, mode="share", first="50", second="40", third="20",
                           merit_min_percent="x")
    assert set(error.value.fields) == {"third", "merit_min_percent"}
    cs.set_award_rules(contest.organiser, competition, mode="count", first="1", second="2", third="3",
                       merit_min_percent="60")
    assert cs.award_cutoffs(competition.award_rules, 20) == (1, 3, 6)
    with pytest.raises(InvalidInput):
        cs.set_award_rules(contest.organiser, competition, mode="count", first="1.5", second="2", third="3",
                           merit_min_percent="60")


def test_status_moves_one_way_to_publication(db_session, contest):
    with pytest.raises(Conflict) as error:
        cs.set_status(contest.organiser, contest.competition, "published")
    assert error.value.code == "bad_transition"
    cs.set_status(contest.organiser, contest.competition, "closed")
    cs.set_status(contest.organiser, contest.competition, "open")
    assert contest.competition.status == "open"


def test_award_certificates_follow_published_results(client, db_session, contest, enter):
    from app.certificates.models import Certificate
    from app.competitions.certificates import issue_awards
    from tests.conftest import login

    a, b = enter("甲"), enter("乙")
    fully_score(contest, a, "完全正确", (3, 3, 3))
    fully_score(contest, b, "部分正确", (3, 3, 2))
    for entry in (a, b):
        cs.confirm(contest.chief, entry)
    db_session.commit()
    with pytest.raises(Conflict) as early:
        issue_awards(contest.organiser, contest.competition)
    assert early.value.code == "not_published"
    cs.set_status(contest.organiser, contest.competition, "closed")
    cs.publish_results(contest.organiser, contest.competition)
    db_session.commit()
    login(client, contest.organiser)
    made = client.post(f"/console/competitions/{contest.competition.id}/certificates")
    assert made.status_code == 302 and f"competition={contest.competition.id}" in made.headers["Location"]
    certs = db_session.scalars(sa.select(Certificate).order_by(Certificate.id)).all()
    awards = {e.user_id: award for e, award, _rank in cs.awards(contest.category)}
    assert [(c.recipient_id, c.kind, c.subject_type) for c in certs] == [
        (uid, "award", "competition") for uid in awards]
    assert certs[0].award == "一等奖" and certs[0].tier == contest.category.name
    assert not issue_awards(contest.organiser, contest.competition).issued  # never twice


def test_a_judge_cannot_dodge_a_conflict_by_editing_their_profile(client, db_session, contest, enter):
    """Issue 11, finding 4: a judge changed their employer on /me/profile and then scored an
    entrant of their real employer. The employer is fixed on the assignment; the profile change
    is audited; only the organiser changes the assignment's employer, audited too."""
    from app.audit.models import AuditEntry
    from tests.conftest import login

    judge = contest.judges[1]  # 闵行区中心医院
    own = enter("刘洋", employer="闵行区中心医院")
    login(client, judge)
    saved = client.post("/me/profile", data={"name": judge.name, "mobile": judge.mobile,
                                             "employer": "自由职业", "language": "zh_CN"})
    assert saved.status_code == 302
    db_session.expire_all()
    assert judge.employer == "自由职业"
    change = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.employer"))
    assert change.actor_id == judge.id and change.detail == {"before": "闵行区中心医院", "after": "自由职业"}
    response = client.post(f"/judge/entries/{own.id}", data={f"a{contest.judged.id}": "3"})
    assert response.status_code == 200 and "闵行区中心医院" in response.get_data(as_text=True)
    with pytest.raises(Conflict) as error:
        score(own, judge, contest.judged, 3)
    assert error.value.code == "conflict_of_interest"
    db_session.rollback()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Score).where(Score.entry_id == own.id)) == 0
    client.post("/logout")

    # the organiser sees the assigned employer and corrects it (audited); the judge cannot
    login(client, contest.organiser)
    page = client.get(f"/console/categories/{contest.category.id}/judges").get_data(as_text=True)
    assert 'value="闵行区中心医院"' in page and "自由职业" in page
    url = f"/console/categories/{contest.category.id}/judges/{judge.id}/employer"
    assert client.post(url, data={"employer": "上海健康医学院附属医院"}).status_code == 302
    db_session.expire_all()
    assert cs.assigned_employer(judge, contest.category) == "上海健康医学院附属医院"
    audit = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "competition.judge_employer"))
    assert audit.actor_id == contest.organiser.id and audit.detail["before"] == "闵行区中心医院"
    assert not cs.conflicts(judge, own)
    assert client.post(f"/console/categories/{contest.category.id}/judges/999999/employer",
                       data={"employer": "x"}).status_code == 404
    client.post("/logout")
    login(client, judge)
    assert client.post(url, data={"employer": "闵行区中心医院"}).status_code == 403


def test_a_participants_employer_change_is_not_audited_and_reassignment_keeps_the_snapshot(db_session, contest,
                                                                                          create_user):
    from app.accounts import services as accounts
    from app.audit.models import AuditEntry

    person = create_user(employer="甲公司")
    accounts.update_profile(person, name=person.name, mobile=person.mobile, email=None, employer="乙公司",
                            id_number=None)
    judge = contest.judges[0]
    judge.employer = "别处"
    cs.set_judges(contest.organiser, contest.category, contest.judges, contest.chief)  # saved again, unchanged
    assert cs.assigned_employer(judge, contest.category) == JUDGE_EMPLOYERS[0]
    newcomer = create_user("judge", employer="新单位")
    cs.set_judges(contest.organiser, contest.category, contest.judges + [newcomer], contest.chief)
    db_session.commit()
    assert [(u.id, e) for u, e in cs.panel(contest.category)][-2:] == [(newcomer.id, "新单位"),
                                                                      (contest.chief.id, JUDGE_EMPLOYERS[3])]
    assert db_session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "user.employer")) == 0


def test_a_judge_cannot_score_an_entry_of_another_category_by_its_id(client, db_session, contest, enter,
                                                                     create_user):
    """Issue 11, finding 1 (ids from the client): a judge posting scores for the entry id of a
    category they do not sit on gets 403; an aspect id of another category's scheme is refused."""
    from tests.conftest import login

    start = utcnow() + timedelta(hours=1)
    other = cs.save_category(contest.organiser, contest.competition, name="幼儿公共营养", venue="实训楼",
                             starts_at=start, ends_at=start + timedelta(hours=8), capacity=10)
    foreign_aspect = cs.add_aspect(contest.organiser, cs.add_criterion(contest.organiser, other, name="配餐"),
                                   description="配餐方案", kind="judgement", max_mark="6")
    outsider = create_user("judge", name="别组裁判", employer="别处")
    cs.set_judges(contest.organiser, other, [outsider])
    db_session.commit()
    entry = enter("王丽", employer="上海颐家养老服务有限公司")
    login(client, outsider)
    assert client.post(f"/judge/entries/{entry.id}", data={f"a{contest.judged.id}": "3"}).status_code == 403
    assert client.post(f"/judge/entries/{entry.id}/confirm").status_code == 403
    with pytest.raises(PermissionDenied):
        score(entry, outsider, contest.judged, 3)
    with pytest.raises(InvalidInput):
        score(entry, contest.judges[0], foreign_aspect, 3)
    db_session.rollback()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Score)) == 0


def test_the_judge_page_is_read_only_and_says_why_once_results_are_published(client, db_session, contest, enter):
    """Issue 12, defect 3: after publication the score buttons still changed when tapped, saved
    nothing and said nothing."""
    import re

    from tests.conftest import login

    entry = enter("甲")
    judge = contest.judges[1]
    login(client, judge)
    open_page = client.get(f"/judge/entries/{entry.id}").get_data(as_text=True)
    assert 'data-testid="read-only"' not in open_page
    assert not re.search(r'<input type="radio"[^>]*disabled', open_page)

    fully_score(contest, entry)
    cs.confirm(contest.chief, entry)
    confirmed = client.get(f"/judge/entries/{entry.id}").get_data(as_text=True)
    assert 'data-testid="confirmed-note"' in confirmed  # still changeable, and the judge is told what that does

    cs.set_status(contest.organiser, contest.competition, "closed")
    cs.publish_results(contest.organiser, contest.competition)
    db_session.commit()
    page = client.get(f"/judge/entries/{entry.id}").get_data(as_text=True)
    assert 'data-testid="read-only"' in page and "成绩已公布，评分不能再修改。" in page
    radios = re.findall(r'<input type="radio"[^>]*>', page)
    assert radios and all("disabled" in r for r in radios)
    assert "保存我的评分" not in page and "Save my scores" not in page
    refused = client.post(f"/judge/entries/{entry.id}", data={f"a{contest.judged.id}": "0"})
    assert refused.status_code == 200 and "成绩已公布" in refused.get_data(as_text=True)
    assert cs.sheet(entry).confirmed  # nothing changed


# -- words (issue 12, defect 9) ------------------------------------------------------------------
def test_the_competition_name_field_says_competition_name_not_a_persons_name(client, db_session, contest):
    from tests.conftest import login

    login(client, contest.organiser)
    page = client.get("/console/competitions/new").get_data(as_text=True)
    label = re.search(r'<label for="name"[^>]*>([^<]*)(?:<span class="req">\*</span>)?</label>', page)
    assert label and label.group(1).strip() == "竞赛名称", label and label.group(0)
    assert "姓名" not in page


def test_competition_results_are_called_results_and_awards_never_camp_completion(client, db_session, contest,
                                                                                  enter):
    from tests.conftest import login

    a = enter("甲")
    fully_score(contest, a)
    cs.confirm(contest.chief, a)
    db_session.commit()
    login(client, contest.organiser)
    category = contest.category
    provisional = client.get(f"/console/categories/{category.id}/results").get_data(as_text=True)
    assert "<h1>成绩与获奖 · 养老健康照护</h1>" in provisional and "结业" not in provisional
    nav = client.get(f"/console/categories/{category.id}").get_data(as_text=True)
    assert ">成绩与获奖</a>" in nav and "结业" not in nav
    assert "已审核通过" in nav and "已确认" not in nav  # an approved entry, in the words of a competition
    scores = client.get(f"/console/categories/{category.id}/scores").get_data(as_text=True)
    assert "已复核" in scores and "已确认" not in scores  # a second person's check of scores is 复核
    cs.set_status(contest.organiser, contest.competition, "closed")
    cs.publish_results(contest.organiser, contest.competition)
    cs.set_recommended(contest.organiser, a, True)
    db_session.commit()
    published = client.get(f"/console/categories/{category.id}/results").get_data(as_text=True)
    assert "成绩与获奖" in published and "结业" not in published
    # withdrawing a recommendation is 撤回推荐, not 退出 (leaving)
    assert "撤回推荐" in published and ">退出<" not in published
