"""Demo job fair: the 2026 autumn job fair of 就业促进科 (a job_fair event on 17 October 2026) with
12 employers of the registry at booths A01–A12, 40 positions and 150 job seekers' interests shared
by consent (a few withdrawn afterwards), some marked interviewed, offered and hired by the
employers' contacts. Each employer has a contact account for the employer portal (the traineeship
hosts' contacts serve their companies here too). Built through the job fair services.
Idempotent: a fair of the same title is left alone."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.accounts import services as accounts
from app.accounts.models import User
from app.demo.context import DemoRun
from app.demo.organisations import COMPANIES, HOSTS
from app.demo.people import ADMIN
from app.events.models import Event
from app.extensions import db
from app.jobfairs import fairs, interests, portal
from app.jobfairs.models import Consent
from app.lifecycle import services as lifecycle
from app.organisations import contacts
from app.organisations.models import Organisation, OrganisationContact, OrganisationKind, OrganisationStatus
from app.timeutil import LOCAL_TZ

TITLE = "2026年闵行区秋季大型招聘会"
EMPLOYERS, POSITIONS, INTERESTS = 12, 40, 150
WITHDRAWN = 6
NEW_CONTACTS = len(COMPANIES)  # the companies' recruiters (the host companies have their contacts already)
EMPLOYER_PASSWORD = "Employer#2026"
ORGANISER = "jiuye@minhang.example"
STARTS = datetime(2026, 10, 17, 9, 0, tzinfo=LOCAL_TZ)
JOBS = (("软件工程师", "bachelor", "计算机科学与技术", 12000, 20000), ("数据分析师", "bachelor", "统计学", 10000, 16000),
        ("电气工程师", "bachelor", "电气工程及其自动化", 9000, 15000), ("销售代表", "associate", "", 6000, 12000),
        ("行政专员", "associate", "", 5500, 8000), ("芯片验证工程师", "master", "微电子学", 18000, 30000),
        ("护理员", "vocational", "护理", 5500, 7500), ("数控操作工", "vocational", "数控技术", 6500, 9000),
        ("人力资源专员", "bachelor", "人力资源管理", 7000, 10000), ("算法研究员", "doctorate", "人工智能", 30000, 50000))
SCHOOLS = ("上海交通大学", "华东师范大学", "上海大学", "同济大学", "华东理工大学", "上海应用技术大学", "上海电机学院")
RECRUITERS = ("许文静", "邵嘉豪", "蒋丽娟", "韩志强", "曹雅琴", "彭晓东", "吕佳慧", "袁海涛", "魏倩", "谢振宇", "潘婷",
              "丁国栋")  # the companies' HR people: contacts in the employer portal
EDUCATIONS = ("associate", "bachelor", "bachelor", "master", "vocational")


def _employers() -> list[Organisation]:
    """The registry's companies and the first host companies (whose traineeship contacts serve here)."""
    names = [row[0] for row in COMPANIES] + [row[0] for row in HOSTS][:EMPLOYERS - len(COMPANIES)]
    found = {o.name: o for o in db.session.scalars(sa.select(Organisation).where(
        Organisation.name.in_(names), Organisation.kind.in_((OrganisationKind.COMPANY.value,
                                                             OrganisationKind.HOST_COMPANY.value)),
        Organisation.status == OrganisationStatus.ACTIVE.value))}
    return [found[name] for name in names if name in found]


def _contact(actor: User, organisation: Organisation, n: int) -> User:
    existing = db.session.scalar(sa.select(OrganisationContact).where(
        OrganisationContact.organisation_id == organisation.id).order_by(OrganisationContact.id).limit(1))
    if existing is not None:
        return existing.user
    mobile = f"1771000{n:04d}"
    person = accounts.find_by_mobile(mobile) or accounts.sign_up(name=RECRUITERS[n % len(RECRUITERS)],
                                                                 password=EMPLOYER_PASSWORD, mobile=mobile)
    contacts.add_contact(actor, organisation, mobile)
    return person


def load_job_fair(run: DemoRun) -> Event | None:
    if db.session.scalar(sa.select(Event.id).where(Event.title == TITLE)):
        return None
    organiser = db.session.get(User, run.staff_ids[ORGANISER])
    admin = db.session.get(User, run.staff_ids[ADMIN])
    employers, seekers = _employers(), [user_id for user_id, _persona in run.pool]
    if len(employers) < EMPLOYERS or not seekers:
        run.echo("demo: job fair skipped (too few employers or participants)")
        return None
    rng = random.Random(run.seed + 15)
    event = lifecycle.create_event(
        organiser, title=TITLE, kind="job_fair", department_id=run.departments["employment"],
        venue="闵行区体育馆", address="上海市闵行区沪闵路6258号", starts_at=STARTS,
        ends_at=STARTS + timedelta(hours=7), status="published",
        description="12家重点企业现场招聘，扫展位二维码即可投递简历（扫码投递）。")
    booths = [fairs.add_employer(organiser, event, organisation, f"A{n + 1:02d}")
              for n, organisation in enumerate(employers)]
    for n in range(POSITIONS):
        booth = booths[n % EMPLOYERS]
        title, education, major, low, high = JOBS[rng.randrange(len(JOBS))]
        while title in {p.title for p in booth.positions}:
            title, education, major, low, high = JOBS[rng.randrange(len(JOBS))]
        fairs.add_position(organiser, booth, title=title, openings=rng.choice((1, 2, 3, 5, 8)), education=education,
                           major=major, salary_min=low, salary_max=high, location="闵行区")
        db.session.expire(booth, ["positions"])
    people = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(seekers)))}
    pairs = rng.sample([(u, b) for u in sorted(people) for b in range(EMPLOYERS)],
                       min(INTERESTS, len(people) * EMPLOYERS))
    contact_of = {b.id: _contact(admin, b.organisation, n) for n, b in enumerate(booths)}
    made = []
    for user_id, b in pairs:
        booth, seeker = booths[b], people[user_id]
        interests.record_visit(seeker, booth)
        chosen = rng.sample(booth.positions, rng.choice((1, 1, 2)) if len(booth.positions) > 1 else 1)
        made.append(interests.share(
            seeker, booth, position_ids=[p.id for p in chosen],
            profile=interests.Profile(name=seeker.name, education=rng.choice(EDUCATIONS), school=rng.choice(SCHOOLS),
                                      major=rng.choice(chosen).major or "工商管理"),
            agreed=True, include_mobile=rng.random() < 0.6))
    for interest in made:  # the interests were sent during the fair's day
        at = STARTS + timedelta(minutes=rng.randrange(7 * 60))
        interest.created_at = at
        db.session.execute(sa.update(Consent).where(Consent.interest_id == interest.id).values(given_at=at))
    for interest in made[:WITHDRAWN]:
        interests.withdraw(interest.user, interest)
    for n, interest in enumerate(made[WITHDRAWN:]):
        contact = contact_of[interest.fair_employer_id]
        steps = ("interviewed", "offer", "hired")[:(3 if n % 10 == 0 else 2 if n % 6 == 0 else 1 if n % 3 == 0 else 0)]
        for step in steps:
            portal.mark(contact, interest, step)
    db.session.commit()
    run.echo(f"demo: job fair with {len(booths)} employers, {POSITIONS} positions and {len(made)} interests")
    return event



