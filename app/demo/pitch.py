"""Demo pitch competition: 2026年闵行区留学人员创业大赛 (run by 高服中心) with 24 founders' teams
through its three rounds — 初赛 (online review of business plans: the best 12 advance, ties by
创新性, a tie that stands lets all tied through), 复赛 (roadshow: 80 points or more advance) and
决赛 (on stage) — every score confirmed by the chief judge, the results released with 一/二/三等奖,
优胜奖 and a special prize, award certificates issued and the finalists invited to apply to the
newest camp cycle. One team member works at a judge's employer, so that judge does not score
that entry. Built through the pitch services; the competition's day is then moved into the past.

Idempotent: nothing is done when the competition exists.
"""
from __future__ import annotations

import io
import random
from datetime import timedelta

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from app.accounts.models import User
from app.cohorts.camps.models import Cycle
from app.extensions import db
from app.organisations.uscc import uscc_check_character
from app.pitch import services as ps
from app.pitch.models import PitchCompetition
from app.timeutil import utcnow

NAME = "2026年闵行区留学人员创业大赛"
ORGANISER = "haiju@minhang.example"
JUDGES = ("judge@minhang.example", "judge2@minhang.example", "judge3@minhang.example")
CHIEF = "judge4@minhang.example"
COUNTRIES = ("英国", "美国", "德国", "日本", "澳大利亚", "新加坡", "法国", "加拿大")
FIELDS = (("智能传感", "芯感"), ("工业视觉检测", "睿视"), ("细胞治疗", "赛莱"), ("储能电池管理", "储芯"),
          ("医疗影像AI", "影智"), ("氢燃料电池", "氢途"), ("机器人关节", "关节"), ("合成生物", "合生"),
          ("碳足迹核算", "碳迹"), ("脑机接口", "脑联"), ("低空物流", "翼达"), ("光子芯片", "光芯"))
PDF = b"%PDF-1.4\n% demo pitch deck\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _uscc(n: int) -> str:
    first17 = f"91310112MA1P{n:05d}"
    return first17 + uscc_check_character(first17)


def _deck() -> FileStorage:
    return FileStorage(io.BytesIO(PDF), filename="deck.pdf", content_type="application/pdf")


def _score(rng: random.Random, quality: float, top: int) -> str:
    """One judge's score near `quality` (0–10) on a criterion of maximum `top`, one decimal."""
    value = max(0.0, min(float(top), quality * top / 10 + rng.uniform(-0.3, 0.3) * top / 10))
    return f"{value:.1f}"


def _judge_round(round_, entries, quality, judges, chief, rng) -> None:
    for entry in entries:
        for judge in judges:
            if ps.conflicts(judge, round_, entry):
                continue
            ps.enter_scores(judge, round_, entry, {c.id: _score(rng, quality[entry.id], c.max_score)
                                                  for c in round_.criteria},
                            {round_.criteria[0].id: rng.choice(("思路清晰", "市场分析扎实", "技术壁垒较高",
                                                                 "团队互补性强", "商业模式需进一步验证"))})
        ps.confirm(chief, round_, entry)


def _settle(rng: random.Random, competition: PitchCompetition) -> None:
    """The day of the final is over: the event moves three weeks into the past, the entries (and
    their registrations' history) to the weeks before it."""
    event = competition.event
    event.starts_at = utcnow() - timedelta(days=20)
    event.ends_at = event.starts_at + timedelta(hours=8)
    event.registration_closes_at = event.starts_at - timedelta(days=30)
    for entry in ps.entries(competition):
        entered = event.starts_at - timedelta(days=rng.uniform(35, 60))
        entry.created_at = entered
        registration = entry.registration
        registration.created_at = registration.queued_at = entered
        registration.status_changed_at = entered + timedelta(days=2)
        for n, row in enumerate(registration.history):
            row.at = entered + timedelta(days=2 * n)
    db.session.flush()


def load_pitch(seed: int, staff_ids: dict[str, int], pool: list[tuple[int, str]], demo_user_id: int | None,
               echo) -> None:
    if db.session.scalar(sa.select(PitchCompetition.id).where(PitchCompetition.name == NAME)):
        return
    rng = random.Random(f"{seed}:pitch")
    organiser = db.session.get(User, staff_ids[ORGANISER])
    judges = [db.session.get(User, staff_ids[login]) for login in JUDGES]
    chief = db.session.get(User, staff_ids[CHIEF])
    department = next(d for d in organiser.departments if d.code == "high_service")
    start = utcnow() + timedelta(days=1)
    competition = ps.create_competition(
        organiser, name=NAME, year=2026, department_id=department.id, venue="闵行区人才服务中心 报告厅",
        starts_at=start, ends_at=start + timedelta(hours=8), capacity=60,
        eligibility={"returnee": True, "max_years_since_return": 5, "degrees": ["master", "doctor"]},
        description="面向回国五年内、具有硕士及以上学位的留学人员创业团队：初赛网评商业计划书，复赛路演，决赛现场比拼。")
    rounds = [ps.add_round(organiser, competition, name=name, kind=kind)
              for name, kind in (("初赛", "online_review"), ("复赛", "roadshow"), ("决赛", "final"))]
    for round_ in rounds[:2]:
        ps.set_rubric(organiser, round_, [{"name": "创新性", "weight": 40, "max_score": 10},
                                          {"name": "商业模式", "weight": 30, "max_score": 10},
                                          {"name": "团队", "weight": 30, "max_score": 10}])
    ps.set_rubric(organiser, rounds[2], [{"name": "项目路演", "weight": 50, "max_score": 50},
                                         {"name": "现场答辩", "weight": 50, "max_score": 50}])
    ps.set_rule(organiser, rounds[0], rule="top_n", advance_count=12,
                tie_break_criterion_id=rounds[0].criteria[0].id, unbroken_tie="all_advance")
    ps.set_rule(organiser, rounds[1], rule="threshold", threshold="80")
    ps.set_judges(organiser, rounds[0], judges[:2], chief=chief)
    ps.set_judges(organiser, rounds[1], judges[1:], chief=chief)
    ps.set_judges(organiser, rounds[2], judges, chief=chief)
    ps.set_status(organiser, competition, "open")

    people = [uid for uid, _persona in pool if uid != demo_user_id][:24]
    entries, quality = [], {}
    this_year = utcnow().year
    for i, uid in enumerate(people):
        user = db.session.get(User, uid)
        field, brand = FIELDS[i % len(FIELDS)]
        founded = i % 5 != 4
        members = [{"name": f"{user.name[0]}{'伟芳娜敏静丽强磊'[i % 8]}", "employer": "上海交通大学"}]
        if i == 3:  # a member at a judge's employer: that judge does not score this entry
            members.append({"name": "何研究员", "employer": judges[0].employer or "上海健康医学院"})
        entry = ps.apply(
            user, competition, project=f"{brand}{field}", company_name=f"上海{brand}{'科技' if i % 2 else '智能'}有限公司",
            uscc=_uscc(i + 1) if founded else "", to_be_founded=not founded, country=COUNTRIES[i % len(COUNTRIES)],
            degree="doctor" if i % 3 == 0 else "master", return_year=this_year - i % 5,
            business_plan=f"{field}方向的留学归国团队，已完成样机与首批客户验证，计划三年内在闵行实现规模化量产。",
            members=members, deck=_deck())
        entries.append(entry)
        quality[entry.id] = 9.4 - 0.12 * i + rng.uniform(-0.4, 0.4)
    ps.approve_entries(organiser, competition, entries)
    ps.set_status(organiser, competition, "judging")
    db.session.commit()

    for position, round_ in enumerate(rounds):
        ps.open_round(organiser, round_)
        seated = [r.entry for r in ps.round_entries(round_)]
        scorers = [j.user for j in round_.judges if not j.chief]
        _judge_round(round_, seated, quality, scorers, chief, rng)
        ps.close_round(organiser, round_)
        db.session.commit()
    ps.release(organiser, competition)
    finalists = [r.entry for r in ps.outcomes(rounds[2])]
    ps.add_special_prize(organiser, competition, finalists[-1], "最具投资价值奖")
    ps.issue_certificates(organiser, competition)
    cycle = db.session.scalar(sa.select(Cycle).order_by(Cycle.starts_on.desc(), Cycle.id.desc()).limit(1))
    if cycle is not None:
        ps.invite_finalists(organiser, competition, cycle)
    _settle(rng, competition)
    db.session.commit()
    echo(f"demo: {NAME}: {len(entries)} entries, {len(finalists)} finalists")
