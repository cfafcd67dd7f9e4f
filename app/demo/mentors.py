"""Demo rosters: six 海(境)外创业导师 paired with founders of the running camp cohorts, with the
mentoring sessions they logged (some rated by the founders) and their 聘书; three 引才大使 and two
引才专员 whose referral links brought registrations for upcoming events. All through the services;
people are drawn from the participant pool (not founders), so no account is added.

Idempotent: when a mentor is on the roster, this step has run.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

import sqlalchemy as sa

from app.accounts.models import Department, User
from app.cohorts.camps import services as cohorts
from app.cohorts.camps.models import Cohort, Enrolment
from app.errors import ServiceError
from app.events.models import Event, EventStatus, Places
from app.extensions import db
from app.mentoring import services as mentoring
from app.organisations.models import Organisation, OrganisationStatus
from app.registrations import services as reg
from app.registrations.models import Registration
from app.rosters import letters
from app.rosters import services as rosters
from app.rosters.models import RosterKind, RosterMember
from app.timeutil import utcnow

EXPERTISE = ("硬科技投融资（硅谷）", "跨境电商与出海合规", "生物医药产业化", "集成电路设计创业",
             "人工智能产品商业化", "新能源汽车供应链")
REFERRER_EXPERTISE = ("海外高校校友网络", "长三角企业人才对接", "留学人员创业服务", "高校就业指导", "企业招聘服务")
TOPICS = ("商业模式梳理", "股权结构与期权池设计", "天使轮融资路演辅导", "海外市场进入策略", "知识产权布局",
          "核心团队搭建", "财务模型与现金流", "政府扶持政策申报")
FOLLOW_UPS = ("两周内提交修改后的商业计划书", "对接两家投资机构", "整理专利清单并预约知识产权服务", "下次辅导前完成财务测算", "")
COMMENTS = ("导师经验丰富，建议非常具体", "帮助很大，解决了融资准备的困惑", "希望下次多讲海外市场", "")
PERSONAS = ("returnee", "academic", "institute", "public", "student", "company")


def load_mentors(seed: int, staff_ids: dict[str, int], pool: list[tuple[int, str]], today: date, echo) -> None:
    if db.session.scalar(sa.select(RosterMember.id).limit(1)):
        return
    rng = random.Random(f"{seed}:mentors")
    organiser = db.session.get(User, staff_ids["organiser@minhang.example"])
    department = db.session.scalar(sa.select(Department).where(Department.code == "talent_center"))
    busy = set(db.session.scalars(sa.select(Enrolment.user_id)))
    free = sorted((uid for uid, _persona in pool if uid not in busy),
                  key=lambda uid: PERSONAS.index(dict(pool)[uid]) if dict(pool)[uid] in PERSONAS else 99)
    if len(free) < 3:
        return
    # Six mentors, three ambassadors and two officers; fewer from a small pool (tests load one).
    n_mentors = min(6, max(1, len(free) * 6 // 11))
    n_ambassadors = min(3, max(1, (len(free) - n_mentors) // 2))
    n_officers = min(2, len(free) - n_mentors - n_ambassadors)
    chosen = free[:n_mentors + n_ambassadors + n_officers]
    companies = list(db.session.scalars(sa.select(Organisation.id).where(
        Organisation.status == OrganisationStatus.ACTIVE.value).order_by(Organisation.id).limit(20)))

    def appoint(kind: RosterKind, uid: int, expertise: str) -> RosterMember:
        return rosters.appoint(organiser, kind=kind, user=db.session.get(User, uid), department=department,
                               term_from=date(2026, 1, 1), term_to=date(2027, 12, 31), expertise=expertise,
                               organisation_id=rng.choice(companies) if companies else None)

    mentors = [appoint(RosterKind.MENTOR, uid, expertise) for uid, expertise in zip(chosen[:n_mentors], EXPERTISE)]
    for member in mentors:
        letters.issue_letter(organiser, member)
    sessions = _pair_and_log(rng, mentors, db.session.get(User, staff_ids["jiuye@minhang.example"]), today)
    referrers = [appoint(RosterKind.AMBASSADOR if n < n_ambassadors else RosterKind.OFFICER, uid,
                         rng.choice(REFERRER_EXPERTISE)) for n, uid in enumerate(chosen[n_mentors:])]
    credited = _referred_registrations(rng, referrers, [uid for uid, _p in pool if uid not in set(chosen)])
    db.session.commit()
    echo(f"demo: rosters — {len(mentors)} mentors ({sessions} mentoring sessions), "
         f"{len(referrers)} ambassadors and officers ({credited} referred registrations)")


def _pair_and_log(rng: random.Random, mentors: list[RosterMember], runner: User, today: date) -> int:
    """Each mentor takes up to three founders of the running cohorts (run by 区就促中心: `runner`)."""
    running = list(db.session.scalars(sa.select(Cohort).where(Cohort.starts_on <= today, Cohort.ends_on >= today)
                                      .order_by(Cohort.id)))
    founders = [(cohort, e.user) for cohort in running for e in cohorts.active_enrolments(cohort)]
    rng.shuffle(founders)
    logged = 0
    for n, (cohort, founder) in enumerate(founders[:len(mentors) * 3]):
        mentor = mentors[n % len(mentors)]
        started = min(today, cohort.starts_on + timedelta(days=7))
        pairing = mentoring.pair(runner, cohort, mentor, founder, started_on=started)
        day = started
        while day <= today and len(pairing.sessions) < 4:
            session = mentoring.log_session(mentor.user, pairing, held_on=day, topic=rng.choice(TOPICS),
                                            minutes="围绕企业当前阶段的关键问题逐项讨论，形成改进清单。",
                                            follow_up=rng.choice(FOLLOW_UPS))
            logged += 1
            if rng.random() < 0.6:
                mentoring.rate_session(founder, session, rating=rng.choice((5, 5, 4, 4, 3)),
                                       comment=rng.choice(COMMENTS))
            day += timedelta(days=rng.choice((14, 21, 28)))
    return logged


def _referred_registrations(rng: random.Random, referrers: list[RosterMember], people: list[int]) -> int:
    """People who opened a referrer's link and registered for an upcoming open event."""
    events = list(db.session.scalars(sa.select(Event).where(
        Event.status == EventStatus.PUBLISHED.value, Event.places == Places.OPEN.value,
        Event.starts_at > utcnow()).order_by(Event.starts_at, Event.id)))
    events = [e for e in events if e.registration_open() and not any(q.required for q in e.questions)]
    taken = {(r.event_id, r.user_id) for r in db.session.scalars(sa.select(Registration))}
    credited = 0
    rng.shuffle(people)
    for referrer, count in zip(referrers, (6, 4, 3, 2, 2)):
        for uid in people[:count]:
            event = rng.choice(events) if events else None
            if event is None or (event.id, uid) in taken or reg.seats_left(event) == 0:
                continue
            try:
                with db.session.begin_nested():
                    reg.register(db.session.get(User, uid), event, referral_code=referrer.referral_code)
            except ServiceError:
                continue
            taken.add((event.id, uid))
            credited += 1
        people = people[count:]
    return credited
