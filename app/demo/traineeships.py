"""Demo traineeships: the 2026 summer batch of 职业见习 run by 就业促进科: places totalling 60
openings at the demo's host companies and young applicants with ranked choices: 45 accepted by a
host and confirmed by the bureau, three accepted and waiting for the bureau, two declined by the
hosts and a few the hosts have not answered yet; each host company has a contact account for its
portal. Built through the traineeship services.

The services take applications only inside the window, so the batch is loaded with its window
open now and then given its real dates (May–June 2026), as app/demo/post_dating.py does for
events. Likewise a host takes its trainees on from the batch's first day; the demo's hosts took
theirs on from July to October (all to the end of December), so that on a given day the trainees
are in different months of their placement.
Idempotent: a batch of the same title is left alone.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from app.accounts import services as accounts
from app.accounts.models import Department, User
from app.demo.context import DemoRun
from app.demo.post_dating import spread_registrations
from app.extensions import db
from app.organisations import contacts
from app.organisations.models import Organisation
from app.timeutil import LOCAL_TZ, utcnow
from app.traineeships import applying, batches, placements, review
from app.traineeships.models import TraineeshipBatch

TITLE = "2026年闵行区青年职业见习（夏季批）"
OPENINGS = 60
APPLICANTS = 54
PLACED, AWAITING, DECLINED = 45, 3, 2  # confirmed by the bureau, waiting for it, turned down by the hosts
HOST_PASSWORD = "Host#2026"
TRAINEE_PASSWORD = "Trainee#2026"
ORGANISER = "jiuye@minhang.example"
POSITIONS = ("行政助理", "人力资源助理", "软件测试", "市场推广", "财务助理", "数据分析", "生产管理", "客户服务",
             "新媒体运营", "质量检验", "电气工程助理", "采购助理")
MAJORS = ("计算机科学与技术", "工商管理", "会计学", "机械工程", "市场营销", "汉语言文学", "电子信息工程", "人力资源管理")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("子涵", "欣怡", "浩然", "梓萱", "宇轩", "思彤", "俊杰", "雨桐", "一诺", "佳怡", "明轩", "诗涵", "天佑", "若曦")
# How the loaded window is dated afterwards (Shanghai times).
OPENS, CLOSES = datetime(2026, 5, 6, 9, 0, tzinfo=LOCAL_TZ), datetime(2026, 6, 10, 17, 0, tzinfo=LOCAL_TZ)
STARTS, ENDS = date(2026, 7, 1), date(2026, 12, 31)
FIRST_DAYS = (date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1))  # placements start in turn


def _openings(hosts: list, rng: random.Random) -> list[tuple[Organisation, str, int]]:
    """Two places per host, openings shared out so that they total OPENINGS."""
    slots = [(host, position) for host in hosts for position in rng.sample(POSITIONS, 2)]
    base, extra = divmod(OPENINGS, len(slots))
    return [(host, position, base + (1 if n < extra else 0)) for n, (host, position) in enumerate(slots)]


def _contact(n: int, host: Organisation) -> User:
    mobile = f"1770000{n:04d}"
    return accounts.find_by_mobile(mobile) or accounts.sign_up(
        name=SURNAMES[-n] + GIVEN[-n], password=HOST_PASSWORD, mobile=mobile)  # the host's HR person


def _applicant(n: int, rng: random.Random) -> User:
    mobile = f"1760000{n:04d}"
    return accounts.find_by_mobile(mobile) or accounts.sign_up(
        name=rng.choice(SURNAMES) + rng.choice(GIVEN), password=TRAINEE_PASSWORD, mobile=mobile)


def load_traineeships(ctx: DemoRun, hosts: list[Organisation], universities: list[Organisation]) -> TraineeshipBatch:
    """The batch (the existing one if loaded before). `hosts`: host companies; `universities`:
    where applicants study."""
    existing = db.session.scalar(sa.select(TraineeshipBatch).where(TraineeshipBatch.title == TITLE))
    if existing is not None or not hosts:
        return existing
    rng = random.Random(f"{ctx.seed}:traineeships")
    organiser = db.session.get(User, ctx.staff_ids[ORGANISER])
    department = db.session.scalar(sa.select(Department).where(Department.code == "employment"))
    now = utcnow()
    batch = batches.create_batch(
        organiser, department=department, kind="job_traineeship", year=2026, season="summer", title=TITLE,
        applications_open_at=now - timedelta(hours=1), applications_close_at=now + timedelta(hours=1),
        starts_on=STARTS, ends_on=ENDS,
        description="面向离校未就业高校毕业生和16–35周岁失业青年，见习期间由见习基地按月发放见习补贴。")
    places = [batches.save_place(organiser, batch, host=host, position=position, openings=openings, months=6,
                                 monthly_allowance=2690, description=f"{host.name}{position}岗位见习，配备带教老师。",
                                 requirements="大专及以上学历，专业不限")
              for host, position, openings in _openings(hosts, rng)]
    batches.move_batch(organiser, batch, "open")
    host_contact = {}
    for n, host in enumerate(hosts, 1):
        host_contact[host.id] = _contact(n, host)
        contacts.add_contact(organiser, host, host_contact[host.id].mobile)
    applications = []
    for n in range(1, APPLICANTS + 1):
        university = rng.choice(universities) if universities else None
        details = applying.Details(
            school_name=university.name if university else "上海某职业技术学院", major=rng.choice(MAJORS),
            education=rng.choice(("associate", "bachelor", "bachelor", "master")),
            graduation_year=rng.choice((2025, 2026, 2026)), birth_date=date(rng.randint(1999, 2004), rng.randint(1, 12),
                                                                            rng.randint(1, 28)),
            in_shanghai_household=rng.random() < 0.6, studies_in_shanghai=True, left_school_unemployed=True,
            university_id=university.id if university else None)
        chosen = rng.sample(places, rng.choice((2, 3)))
        applications.append(applying.apply(_applicant(n, rng), batch, details, [p.id for p in chosen]))
    # Hosts take applicants by their first choice with room, until PLACED + AWAITING are taken; the
    # rest of those before the last DECLINED wait for an answer.
    proposed = []
    for application in applications[:-DECLINED]:
        if len(proposed) == PLACED + AWAITING:
            break
        for choice in application.choices:
            if review.taken(choice.place) < choice.place.openings:
                placement = review.accept(host_contact[choice.place.host_id], choice)
                placement.starts_on = FIRST_DAYS[len(proposed) % len(FIRST_DAYS)]
                proposed.append(placement)
                break
    for application in applications[-DECLINED:]:
        for choice in application.choices:
            review.decline(host_contact[choice.place.host_id], choice, reason="岗位要求相关专业背景")
    seating = utcnow()
    for placement in proposed[:PLACED]:  # the last AWAITING still wait for the bureau
        placements.confirm(organiser, placement)
    spread_registrations(batch.event_id, seating, utcnow(), CLOSES, datetime.combine(STARTS, time(9), tzinfo=LOCAL_TZ)
                         - timedelta(days=5))  # seated (confirmed) after applications closed
    batches.move_batch(organiser, batch, "closed")
    batches.move_batch(organiser, batch, "running")
    # The real window: applications came in over it, in the order they were made.
    batch.applications_open_at, batch.applications_close_at = OPENS, CLOSES
    span = (CLOSES - OPENS) / (len(applications) + 1)
    for n, application in enumerate(applications, 1):
        application.created_at = OPENS + span * n
    batch.created_at = datetime.combine(OPENS.date() - timedelta(days=14), time(10), tzinfo=LOCAL_TZ)
    db.session.commit()
    ctx.echo(f"demo: traineeship batch with {len(places)} places, {len(applications)} applicants, "
             f"{min(len(proposed), PLACED)} placements confirmed")
    return batch
