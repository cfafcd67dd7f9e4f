"""Demo competition: 2026年闵行区职业技能竞赛 (district level, run by 职业能力建设科) with three
categories — 幼儿公共营养 and 养老健康照护 (individual) and 电子竞技 (teams of 3–5) — their marking
schemes, judges and a chief judge, approved entrants who checked in, confirmed scores (one
judgement re-scored after a disagreement), published results and awards, and the first-prize
winners recommended to the city-level competition. The demo participant 李玥 captains a team.

Built through the competition services; the day's check-in scans go through the check-in
service at the time they happened. The competition services read the present from the clock, so
afterwards the categories' registration deadline, and the times of entries, scores,
confirmations and results, are moved to the competition days (`post_dating.settle_competition`).

Idempotent: nothing is done when the competition exists.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from app.accounts.models import User
from app.checkin import services as checkin
from app.checkin.models import ScanResult
from app.competitions import services as cs
from app.competitions.certificates import issue_awards
from app.competitions.models import Competition, Entry
from app.demo import post_dating
from app.demo.attendance import expect, ticket_scan
from app.extensions import db
from app.timeutil import LOCAL_TZ, local_today, utcnow

NAME = "2026年闵行区职业技能竞赛"
ORGANISER = "skills@minhang.example"
# login → employer of the judges (conflicts of interest are decided on employers)
JUDGES = {"judge@minhang.example": "上海健康医学院", "judge2@minhang.example": "闵行区中心医院",
          "judge3@minhang.example": "上海市第五社会福利院"}
CHIEF = ("judge4@minhang.example", "闵行区职业技能鉴定所")
CARE_HOMES = ("上海颐家养老服务有限公司", "闵行区社会福利院", "上海福苑养老院", "闵行区江川路街道综合为老服务中心",
              "上海爱照护养老服务有限公司", "上海九如城养老服务有限公司")
NURSERIES = ("闵行区实验幼儿园", "上海市闵行区七宝幼儿园", "闵行区莘城幼儿园", "上海紫竹双语幼儿园",
             "闵行区梅陇镇托育服务中心", "上海宝宝树托育有限公司")
TEAMS = (("紫竹芯联战队", "上海紫竹芯联微电子有限公司"), ("马桥雷霆", "上海马桥人工智能创新试验区运营有限公司"),
         ("交大闵行电竞社", "上海交通大学闵行校区"), ("莘庄青年队", "上海莘庄工业区经济技术发展有限公司"))
# name, day offset from today, start hour, hours, places, ages, occupations, team size, entrants, scheme
# scheme: (criterion, [(aspect, kind, max, outcomes)])
CATEGORIES = (
    ("幼儿公共营养", -40, 9, 6, 30, (18, 50), ("保育员", "营养配餐员", "公共营养师", "幼儿园教师"), None, 10, (
        ("营养配餐设计", (("食谱能量计算", "measurement", 10, "完全正确=10; 部分正确=5; 错误=0"),
                      ("营养素供给量核算", "measurement", 10, "正确=10; 基本正确=6; 错误=0"),
                      ("膳食搭配合理性", "judgement", 15, ""))),
        ("实操与讲解", (("幼儿膳食制作规范", "judgement", 15, ""),
                    ("营养宣教讲解", "judgement", 10, ""))),
    )),
    ("养老健康照护", -39, 9, 7, 30, (18, 55), ("养老护理员", "健康照护师", "护士"), None, 12, (
        ("生活照护", (("协助进食体位", "measurement", 5, "正确=5; 部分正确=2.5; 错误=0"),
                  ("助浴与更衣操作", "judgement", 15, ""))),
        ("基础护理", (("血压测量读数", "measurement", 10, "完全正确=10; 误差不超过5mmHg=6; 错误=0"),
                  ("压疮预防与翻身", "judgement", 15, ""))),
        ("沟通与人文关怀", (("与老人沟通", "judgement", 10, ""),)),
    )),
    ("电子竞技", -33, 13, 6, 16, (16, 35), (), (3, 5), 4, (
        ("战术执行", (("小组赛成绩", "measurement", 20, "全胜=20; 胜二负一=14; 胜一负二=8; 全负=2"),
                  ("战术执行与临场应变", "judgement", 15, ""))),
        ("团队与规范", (("团队协作", "judgement", 10, ""),
                   ("赛事礼仪与体育精神", "judgement", 5, ""))),
    )),
)
MEMBER_NAMES = ("陈昊", "周宇轩", "吴子豪", "郑博文", "王一鸣", "冯俊杰", "褚天宇", "卫浩然", "蒋明哲", "沈嘉树",
                "韩睿", "杨思远")


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ)


def load_competition(seed: int, staff_ids: dict[str, int], pool: list[tuple[int, str]], demo_user_id: int | None,
                     echo) -> None:
    if db.session.scalar(sa.select(Competition.id).where(Competition.name == NAME, Competition.year == 2026)):
        return
    rng = random.Random(f"{seed}:competition")
    organiser = db.session.get(User, staff_ids[ORGANISER])
    judges = []
    for login, employer in JUDGES.items():
        judge = db.session.get(User, staff_ids[login])
        judge.employer = judge.employer or employer
        judges.append(judge)
    chief = db.session.get(User, staff_ids[CHIEF[0]])
    chief.employer = chief.employer or CHIEF[1]
    skills = next(d for d in organiser.departments if d.code == "skills")
    competition = cs.create_competition(
        organiser, name=NAME, year=2026, level="district", department_id=skills.id,
        description="以赛代训、以赛促学：围绕民生保障和数字经济重点领域，设幼儿公共营养、养老健康照护、电子竞技三个赛项。"
                    "各赛项一等奖获得者推荐参加上海市职业技能竞赛。")
    today, now = local_today(), utcnow()
    categories = []
    for name, offset, hour, hours, places, (low, high), occupations, team, _n, scheme in CATEGORIES:
        day = today + timedelta(days=offset)
        category = cs.save_category(
            organiser, competition, name=name, venue="南科创实训基地（闵行区紫星路588号）", starts_at=_at(day, hour),
            ends_at=_at(day, hour + hours), capacity=places, min_age=low, max_age=high, occupations=list(occupations),
            team=team is not None, team_min=team[0] if team else 1, team_max=team[1] if team else 1,
            registration_closes_at=now + timedelta(hours=1))  # moved into the past once the entries are in
        for criterion_name, aspects in scheme:
            criterion = cs.add_criterion(organiser, category, name=criterion_name)
            for description, kind, maximum, outcomes in aspects:
                cs.add_aspect(organiser, criterion, description=description, kind=kind, max_mark=str(maximum),
                              outcomes=outcomes)
        cs.set_judges(organiser, category, judges, chief)
        categories.append(category)
    cs.set_status(organiser, competition, "open")

    people = [uid for uid, _persona in pool if uid != demo_user_id]
    rng.shuffle(people)
    entries: dict[int, list[Entry]] = {}
    for category, spec in zip(categories, CATEGORIES):
        name, _o, _h, _hs, _p, (low, high), occupations, team, count, _s = spec
        day = _at(today + timedelta(days=spec[1]), 9).date()
        chosen, people = people[:count], people[count:]
        if team and demo_user_id is not None:
            chosen = [demo_user_id] + chosen[:count - 1]
        made = []
        for i, uid in enumerate(chosen):
            user = db.session.get(User, uid)
            birth = _birth(rng, user, day, low, high)
            if team:
                team_name, employer = TEAMS[i % len(TEAMS)]
                size = rng.randint(team[0], team[1])
                members = [{"name": member, "employer": employer, "occupation": "电子竞技员",
                            "birth_date": _birth(rng, None, day, low, high)}
                           for member in rng.sample(MEMBER_NAMES, size - 1)]
                entry = cs.register_entry(user, category, employer=employer, occupation="电子竞技员", birth_date=birth,
                                          team_name=team_name, members=members)
            else:
                employer = rng.choice(NURSERIES if name == "幼儿公共营养" else CARE_HOMES)
                entry = cs.register_entry(user, category, employer=employer, occupation=rng.choice(occupations),
                                          birth_date=birth)
            made.append(entry)
        cs.approve_entries(organiser, category, made)
        if name == "养老健康照护" and people:  # a late entry from a judge's employer, flagged on the judges page
            user = db.session.get(User, people.pop(0))
            cs.register_entry(user, category, employer="上海市第五社会福利院", occupation="护士",
                              birth_date=_birth(rng, user, day, low, high))
        entries[category.id] = made
    cs.set_status(organiser, competition, "closed")

    for category in categories:
        _check_ins(rng, category)
        _score(rng, category, entries[category.id], judges, chief)
    cs.publish_results(organiser, competition)
    for category in categories:
        for entry, award, _rank in cs.awards(category):
            if award.value == "first":
                cs.set_recommended(organiser, entry, True)
    issue_awards(organiser, competition)  # 获奖证书 for the winners
    post_dating.settle_competition(rng, competition, categories)
    db.session.commit()
    echo(f"demo: competition {NAME} — {sum(len(v) for v in entries.values())} entries, results published")


def _birth(rng: random.Random, user: User | None, day: date, low: int, high: int) -> date:
    born = cs.birth_date_from_id(user.id_number) if user is not None else None
    if born is not None and low <= cs.age_on(born, day) <= high:
        return born
    age = rng.randint(low + 1, min(high - 1, low + 22))
    return date(day.year - age, rng.randint(1, 12), rng.randint(1, 28))


def _score(rng: random.Random, category, entries: list[Entry], judges: list[User], chief: User) -> None:
    """Every approved entrant scored by the three judges (within a point of each other; one
    disagreement discussed and re-scored) and confirmed by the chief judge."""
    aspects = cs.aspects(category)
    disagreed = False
    for entry in entries:
        ability = rng.uniform(0.35, 0.98)
        measured, judged = {}, {j.id: {} for j in judges}
        for aspect in aspects:
            if aspect.is_judgement:
                base = min(3, max(0, round(3 * ability + rng.gauss(0, 0.35))))
                shift = rng.choice((-1, 1))  # the three stay within one point of each other
                for judge in judges:
                    judged[judge.id][aspect.id] = str(min(3, max(0, base + rng.choice((0, 0, shift)))))
            else:
                ranked = sorted(aspect.outcomes, key=lambda o: -float(o["mark"]))
                pick = min(len(ranked) - 1, int((1 - ability) * len(ranked) + rng.random() * 0.8))
                measured[aspect.id] = ranked[pick]["label"]
        cs.enter_scores(judges[0], entry, measured)
        for judge in judges:
            cs.enter_scores(judge, entry, judged[judge.id])
        if not disagreed:  # the first entrant: judge 2 was two points off, then re-scored after discussion
            aspect = next(a for a in aspects if a.is_judgement)
            first = int(judged[judges[0].id][aspect.id])
            cs.enter_scores(judges[1], entry, {aspect.id: str(first - 2 if first >= 2 else first + 2)})
            cs.enter_scores(judges[1], entry, {aspect.id: str(first)})
            disagreed = True
        cs.confirm(chief, entry)


def _check_ins(rng: random.Random, category) -> None:
    """The approved checked in at the door before the start (the tie-break's last key)."""
    event = category.event
    point = checkin.event_checkpoint(event)
    for entry in cs.approved_entries(category):
        at = event.starts_at - timedelta(minutes=rng.uniform(5, 50))
        expect(ticket_scan(point, entry.registration_id, at, "赛场检录处 · 7a2f"), ScanResult.OK)
