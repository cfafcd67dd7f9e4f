"""Demo applications for a camp cycle: believable companies applying to its tiers, a rubric, two
or three reviewers' scores each, and the selection made from the ranking (admitted up to the
places left, a few waitlisted, the rest not admitted). Call it from the demo loader once the
cycle and its cohorts exist: `load_applications(cycle, runner, applicants)`. Idempotent: a
cycle that already has applications is left alone."""
from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa

from app.accounts.models import User
from app.cohorts.camps.models import Cycle, Enrolment
from app.cohorts.models import FUNDING_STAGES, INDUSTRIES, Application, ApplicationHistory
from app.cohorts.selection import applications as apps
from app.extensions import db
from app.timeutil import local_today, utcnow

RUBRIC = (
    {"name": "商业模式与市场", "weight": 30, "max_score": 10},
    {"name": "团队能力", "weight": 25, "max_score": 10},
    {"name": "技术与创新", "weight": 25, "max_score": 10},
    {"name": "成长性与带动就业", "weight": 20, "max_score": 10},
)
NAME_PARTS = ("智造", "云启", "芯联", "博衍", "康宁", "绿源", "数智", "星河", "瑞华", "恒泰", "沐光", "锐思")
INDUSTRY_WORDS = {"ai": "人工智能", "ic": "微电子", "biomed": "生物医药", "it": "信息技术", "equipment": "智能装备",
                  "materials": "新材料", "energy": "新能源", "digital": "数字科技", "culture": "文化传媒",
                  "services": "企业服务", "consumer": "消费品", "other": "科技"}
PLANS = (
    "面向{industry}领域的中小企业，提供{product}。已签约{n}家客户，年营收约{rev}万元；"
    "本轮计划拓展长三角市场，建设闵行研发中心，新增就业岗位{jobs}个。",
    "团队核心成员来自高校与头部企业，专注{product}，已获得{patents}项专利。"
    "下一步将与闵行区制造企业开展试点，争取两年内实现规模化销售。",
)
STAGES = list(FUNDING_STAGES)  # 未融资 → B轮及以后: later tiers, later rounds
PRODUCTS = ("视觉质检SaaS", "工业数据中台", "细胞培养耗材", "储能管理系统", "低代码协同平台", "智慧养老服务",
            "跨境电商供应链服务", "新型复合材料", "AI辅助设计工具", "社区零售数字化方案")


def _uscc(rng: random.Random) -> str:
    body = "91310112" + "".join(rng.choice(apps.USCC_ALPHABET) for _ in range(9))
    return body + apps.uscc_check_character(body)


def load_applications(cycle: Cycle, runner: User, applicants: list[User], *, seed: int = 2026) -> dict[str, int]:
    """Applications from `applicants` (about 1.5 per place; those already in a cohort of the
    cycle are left out), scored and decided by `runner` and the cycle's trainers."""
    if db.session.scalar(sa.select(Application.id).where(Application.cycle_id == cycle.id).limit(1)):
        return {"applications": 0}
    rng = random.Random(seed)
    tiers = apps.tiers_for(cycle)
    places = {t.id: (apps.places_left(c) if (c := apps.cohort_for(cycle, t.id)) else 10) for t in tiers}
    enrolled = set(db.session.scalars(sa.select(Enrolment.user_id).where(Enrolment.cycle_id == cycle.id)))
    pool = [u for u in applicants if u.id not in enrolled and u.mobile]
    rng.shuffle(pool)
    opened = cycle.applications_open_at or (utcnow() - timedelta(days=30))
    created: list[Application] = []
    for tier in tiers:
        for _i in range(int(places[tier.id] * 1.5) + 2):
            if not pool:
                break
            user = pool.pop()
            industry = rng.choice(list(INDUSTRIES))
            company = f"上海{rng.choice(NAME_PARTS)}{INDUSTRY_WORDS[industry]}有限公司"
            plan = rng.choice(PLANS).format(industry=str(INDUSTRIES[industry]), product=rng.choice(PRODUCTS),
                                            n=rng.randint(3, 60), rev=rng.randint(50, 3000),
                                            jobs=rng.randint(5, 80), patents=rng.randint(1, 12))
            submitted = opened + timedelta(minutes=rng.randint(10, 60 * 24 * 20))
            application = Application(
                cycle=cycle, tier=tier, user=user, name=user.name, mobile=user.mobile, email=user.email,
                id_number=user.id_number, company_name=company[:200], uscc=_uscc(rng),
                founded_on=local_today() - timedelta(days=rng.randint(200, 365 * (2 + 2 * tier.rank))),
                industry=industry, team_size=rng.randint(2, 15 * tier.rank),
                funding_stage=STAGES[min(len(STAGES) - 1, max(0, tier.rank - 1 + rng.randint(-1, 1)))],
                business_plan=plan, submitted_at=submitted, updated_at=submitted, status=apps.SUBMITTED)
            application.history.append(ApplicationHistory(actor_id=user.id, old_status=None,
                                                          new_status=apps.SUBMITTED, created_at=submitted))
            db.session.add(application)
            created.append(application)
    db.session.flush()
    if not apps.rubric(cycle):
        apps.set_rubric(runner, cycle, [dict(c) for c in RUBRIC])
    criteria = apps.rubric(cycle)
    trainers = list({t.id: t for c in cycle.cohorts for t in c.trainers}.values())
    for application in created:
        quality = rng.uniform(0.35, 0.95)
        for reviewer in [runner] + rng.sample(trainers, min(len(trainers), rng.randint(1, 2))):
            scores = {c.id: max(0, min(c.max_score, round(rng.gauss(quality * c.max_score, 1.2) * 2) / 2))
                      for c in criteria}
            apps.score(reviewer, application, scores, rng.choice(("", "团队扎实", "市场验证不足", "技术亮点突出")))
    counts = {"applications": len(created), "admitted": 0, "waitlisted": 0, "rejected": 0}
    for tier in tiers:
        if apps.cohort_for(cycle, tier.id) is None:
            continue
        ranked = [r.application for r in apps.ranking(cycle, tier)]
        admit, rest = ranked[:places[tier.id]], ranked[places[tier.id]:]
        for status, chosen, note in ((apps.ADMITTED, admit, "欢迎加入，请留意开营通知。"),
                                     (apps.WAITLISTED, rest[:3], ""),
                                     (apps.REJECTED, rest[3:], "感谢申请，欢迎参加下一期。")):
            if chosen:
                counts[status] += apps.decide(runner, chosen, status, note)["changed"]
    db.session.flush()
    return counts
