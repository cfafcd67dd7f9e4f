"""Demo studios: three skills master studios of 职业能力建设科 with masters, 传帮带 pairs,
activities over the year (those held with attendance) and a few achievements. Built through
the studio services; the scans of activities held go through the check-in service, at the time
they happened.

Idempotent: a studio that exists is left alone.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from app.accounts import services as accounts
from app.accounts.models import Department, User
from app.checkin import services as checkin
from app.checkin.models import ScanResult
from app.demo.attendance import expect, ticket_scan
from app.extensions import db
from app.studios import services as studios
from app.studios.models import Studio
from app.timeutil import LOCAL_TZ, utcnow

MASTER_PASSWORD = "Master#2026"
# The masters' employers (companies of the demo registry, app/demo/organisations.py).
MASTER_EMPLOYERS = {"master1@minhang.example": "上海莘科精密机械有限公司",
                    "master2@minhang.example": "上海古美智慧养老服务有限公司",
                    "master3@minhang.example": "上海马桥人工智能创新试验区运营有限公司"}
# name, master (login, name), trade, level, founded, activities (title, kind)
STUDIOS = (
    ("顾国华数控技能大师工作室", ("master1@minhang.example", "顾国华"), "数控加工", "city", date(2024, 5, 16),
     (("五轴联动加工工艺", "training"), ("航空零件薄壁件变形技能攻关", "problem_solving"), ("企业现场走访", "visit"))),
    ("沈雪芳养老护理技能大师工作室", ("master2@minhang.example", "沈雪芳"), "养老护理", "district", date(2026, 3, 28),
     (("失能老人照护实操", "training"), ("认知症照护案例研讨", "problem_solving"), ("社区长者照护中心观摩", "visit"))),
    ("陆明电子竞技技能大师工作室", ("master3@minhang.example", "陆明"), "电子竞技运营", "district", date(2026, 9, 10),
     (("赛事运营与裁判规则", "training"), ("直播导播技术攻关", "problem_solving"),)),
)
GOALS = ("一年内取得高级工（三级）证书", "参加区级职业技能竞赛并获奖", "独立承担一项技术改进项目", "三年内晋升技师")
ACHIEVEMENTS = (("skill_level", "取得高级工（三级）职业技能等级证书"),
                ("competition_award", "2026年闵行区职业技能竞赛 三等奖"))


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=LOCAL_TZ)


def load_studios(seed: int, staff_ids: dict[str, int], pool: list[tuple[int, str]], echo) -> None:
    rng = random.Random(f"{seed}:studios")
    organiser = db.session.get(User, staff_ids["skills@minhang.example"])
    department = db.session.scalar(sa.select(Department).where(Department.code == "skills"))
    apprentices = [uid for uid, persona in pool if persona in ("technician", "company")]
    rng.shuffle(apprentices)
    now = utcnow()
    for name, (login, master_name), trade, level, founded, plan in STUDIOS:
        if db.session.scalar(sa.select(Studio.id).where(Studio.name == name)):
            continue
        master = db.session.scalar(sa.select(User).where(User.email == login)) or accounts.create_user(
            login=login, password=MASTER_PASSWORD, role="trainer", name=master_name, departments=[],
            actor=db.session.get(User, staff_ids["admin@minhang.example"]))
        master.employer = master.employer or MASTER_EMPLOYERS.get(login)  # linked to the registry on creation
        studio = studios.create_studio(organiser, name=name, master=master, trade=trade, department=department,
                                       founded_on=founded, level=level,
                                       description=f"{trade}领域技能大师工作室，开展传帮带、技能攻关和技艺传承。")
        pairs = []
        for uid in apprentices[:rng.randint(4, 6)]:
            started = max(founded, date(2026, 1, 1)) + timedelta(days=rng.randint(0, 60))
            pairs.append(studios.add_apprentice(organiser, studio, db.session.get(User, uid), started_on=started,
                                                goals=rng.choice(GOALS)))
        apprentices = apprentices[len(pairs):]
        day = max(founded, date(2026, 3, 1)) + timedelta(days=14)
        n = 0
        while day < date(2027, 1, 31):
            title, kind = plan[n % len(plan)]
            activity = studios.save_activity(organiser, studio, title=title, kind=kind, starts_at=_at(day, 14),
                                             ends_at=_at(day, 17), place=f"{trade}实训室")
            if activity.starts_at < now:
                _scans(rng, activity, pairs)
            day += timedelta(days=rng.choice((21, 28, 35)))
            n += 1
        for pair in pairs[:2]:
            kind, title = rng.choice(ACHIEVEMENTS)
            studios.record_achievement(organiser, pair, kind=kind, title=title,
                                       achieved_on=min(now.date(), pair.started_on + timedelta(days=150)))
        db.session.commit()
        echo(f"demo: studio {name} — {len(pairs)} apprentices, {n} activities")


def _scans(rng: random.Random, activity, pairs) -> None:
    """Apprentices who had started by then came, most of them; their tickets read at the door."""
    point = checkin.session_checkpoint(activity.session)
    for pair in pairs:
        if pair.started_on > activity.starts_at.date() or rng.random() > 0.85:
            continue
        at = activity.starts_at + timedelta(minutes=rng.gauss(-5, 6))
        expect(ticket_scan(point, pair.registration_id, at, "工作室门口 · 9e2b71"), ScanResult.OK)
