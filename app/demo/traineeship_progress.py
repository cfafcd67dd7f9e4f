"""Demo traineeships during and after the placement.

`load_traineeship_progress(ctx, batch_2026, hosts)`: on the 2026 summer batch (made by
app/demo/traineeships.py) the hosts' contacts confirm the months that are over (a few left
unconfirmed, overdue once the 5th of the next month has passed), give some mid-term evaluations,
and the bureau withdraws one trainee at their request.

`load_finished_batch(ctx, hosts, universities)`: finished batches of 2024 (students' social
practice) and 2025 (job traineeship) with completed placements, both evaluations, 留用 decisions,
some trainees' feedback and the certificates; the last host keeps nobody on in either year, so
it is flagged on the retention page (under 20 % two years running).

Everything goes through the services (with the demo's clock as "today"); the placements of the
finished batches are built from the models, as the applying and review story is part 1's.
Idempotent: a batch with months confirmed or its withdrawal, or a finished batch of that title, is left alone.
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
from app.occasions import services as occasions
from app.organisations.models import Organisation, OrganisationContact
from app.timeutil import LOCAL_TZ, utcnow
from app.traineeships import certificates, endings, evaluations, months, retention
from app.traineeships.defaults import default_rubric
from app.traineeships.models import (
    ApplicationChoice,
    BatchStatus,
    MonthlyAttendance,
    Placement,
    PlacementStatus,
    TraineeApplication,
    TraineeshipBatch,
    TraineeshipPlace,
)

CONTACT_PASSWORD = "Host#2026"
POSITIONS = ("行政助理", "人力资源助理", "软件测试", "市场推广", "财务助理", "技术支持")
FEEDBACK = ("带教老师很耐心，学到了很多实际工作方法。", "岗位内容和专业对口，收获很大。", "希望能多一些轮岗机会。")
# (year, kind, season, title, first day, last day, trainees per host)
FINISHED = (
    (2024, "social_practice", "summer", "2024年闵行区大学生暑期社会实践", date(2024, 7, 8), date(2024, 8, 30), 3),
    (2025, "job_traineeship", "summer", "2025年闵行区青年职业见习（夏季批）", date(2025, 7, 1), date(2025, 9, 30), 4),
)


def _bureau(ctx: DemoRun, department_id: int) -> User:
    """An organiser of the department among the demo's staff, else the administrator."""
    staff = [db.session.get(User, uid) for uid in ctx.staff_ids.values()]
    organisers = [u for u in staff if u is not None and not u.is_admin and u.organises(department_id)]
    return organisers[0] if organisers else db.session.get(User, ctx.staff_ids["admin@minhang.example"])


def _contact(ctx: DemoRun, host: Organisation) -> User:
    """The host's first contact; a host without one gets a contact account of its own."""
    user = db.session.scalar(sa.select(User).join(OrganisationContact, OrganisationContact.user_id == User.id)
                             .where(OrganisationContact.organisation_id == host.id).order_by(OrganisationContact.id))
    if user is None:
        admin = db.session.get(User, ctx.staff_ids["admin@minhang.example"])
        user = accounts.create_user(login=f"host{host.id}@minhang.example", password=CONTACT_PASSWORD,
                                    role="participant", name=f"{host.name[:20]}联系人", actor=admin)
        db.session.add(OrganisationContact(organisation=host, user=user, added_by_id=admin.id))
        db.session.flush()
    return user


def _scores(rng: random.Random, rubric: list[dict], low: bool = False) -> dict[str, int]:
    return {c["key"]: rng.randint(int(c["max"]) // 2 if low else int(c["max"]) * 7 // 10, int(c["max"]))
            for c in rubric}


# -- the 2026 batch under way ------------------------------------------------------------
def load_traineeship_progress(ctx: DemoRun, batch_2026: TraineeshipBatch, hosts: list[Organisation]) -> dict:
    """Months, mid-term evaluations and one withdrawal on the running batch; returns what it did."""
    rng = random.Random(f"{ctx.seed}:traineeship-progress")
    done = {"months": 0, "unconfirmed": 0, "mid_terms": 0, "withdrawn": 0}
    placements = list(db.session.scalars(sa.select(Placement).where(
        Placement.batch_id == batch_2026.id, Placement.status == PlacementStatus.CONFIRMED.value,
        Placement.host_id.in_([h.id for h in hosts])).order_by(Placement.id)))
    if not placements or db.session.scalar(sa.select(MonthlyAttendance.id).join(Placement).where(
            Placement.batch_id == batch_2026.id).limit(1)) or db.session.scalar(sa.select(Placement.id).where(
            Placement.batch_id == batch_2026.id, Placement.status == PlacementStatus.WITHDRAWN.value).limit(1)):
        return done  # loaded before (a batch with no month over yet is known by its withdrawal)
    leaving = placements.pop()
    endings.withdraw(_bureau(ctx, batch_2026.department_id), leaving, reason="已找到正式工作，本人申请退出见习",
                     by_trainee=True)
    done["withdrawn"] = 1
    contacts = {h.id: _contact(ctx, h) for h in hosts}
    for n, placement in enumerate(placements):
        contact = contacts[placement.host_id]
        due = [m for m in months.months_of(placement) if months.confirmable(placement, m, ctx.today)]
        for month in due:
            if n % 6 == 0 and month == due[-1]:  # this host has not confirmed its latest month yet
                done["unconfirmed"] += 1
                continue
            working = months.working_days(placement, month)
            absent = min(working, rng.choice((0, 0, 0, 1, 2)))
            months.confirm_month(contact, placement, month, present_days=working - absent, absent_days=absent,
                                 note="病假" if absent else "", today=ctx.today)
            done["months"] += 1
        halfway = placement.starts_on + (placement.ends_on - placement.starts_on) / 2
        if n % 3 != 2 and halfway <= ctx.today:
            evaluations.evaluate(contact, placement, "mid", _scores(rng, batch_2026.rubric or []),
                                 comment="工作认真，进步明显。", today=ctx.today)
            done["mid_terms"] += 1
    db.session.flush()
    ctx.echo(f"traineeship progress: {done}")
    return done


# -- finished batches ---------------------------------------------------------------------
def _finished_batch(ctx: DemoRun, bureau: User, department: Department, year: int, kind: str, season: str,
                    title: str, first: date, last: date) -> TraineeshipBatch:
    event = occasions.open_occasion(
        bureau, title=title, kind="training", department_id=department.id, venue=department.name,
        starts_at=datetime.combine(first, time(9), tzinfo=LOCAL_TZ),
        ends_at=datetime.combine(last, time(18), tzinfo=LOCAL_TZ))
    opened = datetime.combine(first - timedelta(days=45), time(9), tzinfo=LOCAL_TZ)
    batch = TraineeshipBatch(event=event, department=department, kind=kind, year=year, season=season, title=title,
                             status=None, applications_open_at=opened, applications_close_at=opened + timedelta(days=21),
                             starts_on=first, ends_on=last, eligibility={}, rubric=default_rubric(kind))
    for status in (BatchStatus.DRAFT, BatchStatus.OPEN, BatchStatus.CLOSED, BatchStatus.RUNNING):
        batch.transition(status, actor=bureau)
    return batch


def _place(ctx, batch, host, position, person: User, university: Organisation | None, bureau: User) -> Placement:
    place = db.session.scalar(sa.select(TraineeshipPlace).where(TraineeshipPlace.batch_id == batch.id,
                                                                TraineeshipPlace.host_id == host.id))
    if place is None:
        place = TraineeshipPlace(batch=batch, host=host, position=position, openings=5,
                                 months=max(1, round((batch.ends_on - batch.starts_on).days / 30)),
                                 monthly_allowance=2690)
        db.session.add(place)
    application = TraineeApplication(batch=batch, user=person, status="placed", university=university,
                                     school_name=university.name if university else "上海大学", major="工商管理",
                                     education="bachelor", graduation_year=batch.year, birth_date=date(2002, 3, 1),
                                     studies_in_shanghai=True)
    choice = ApplicationChoice(application=application, place=place, rank=1, status="accepted")
    db.session.add_all([application, choice])
    db.session.flush()
    placement = Placement(batch=batch, user=person, application=application, choice=choice, place=place, host=host,
                          status=PlacementStatus.CONFIRMED.value, starts_on=batch.starts_on, ends_on=batch.ends_on,
                          registration=occasions.seat(bureau, batch.event, person, note="trainee"))
    db.session.add(placement)
    db.session.flush()
    return placement


def load_finished_batch(ctx: DemoRun, hosts: list[Organisation], universities: list[Organisation]) -> dict:
    """The 2024 and 2025 batches, finished; returns {year: batch}."""
    rng = random.Random(f"{ctx.seed}:traineeship-finished")
    department = db.session.scalar(sa.select(Department).where(Department.code == "talent_center")) \
        or db.session.scalar(sa.select(Department).order_by(Department.id))
    bureau = _bureau(ctx, department.id)
    people = [db.session.get(User, uid) for uid, _persona in ctx.pool]
    people = [p for p in people if p is not None]
    made = {}
    for year, kind, season, title, first, last, per_host in FINISHED:
        existing = db.session.scalar(sa.select(TraineeshipBatch).where(TraineeshipBatch.title == title))
        if existing is not None:
            made[year] = existing
            continue
        batch = _finished_batch(ctx, bureau, department, year, kind, season, title, first, last)
        chosen = rng.sample(people, min(len(people), per_host * len(hosts)))
        placements, seating = [], utcnow()
        for n, person in enumerate(chosen):
            host = hosts[n % len(hosts)]
            university = universities[n % len(universities)] if universities else None
            placements.append(_place(ctx, batch, host, POSITIONS[hosts.index(host) % len(POSITIONS)], person,
                                     university, bureau))
        # the trainees were seated between the close of applications and the first day
        spread_registrations(batch.event_id, seating, utcnow(), batch.applications_close_at,
                             datetime.combine(first - timedelta(days=1), time(17), tzinfo=LOCAL_TZ))
        _finish(ctx, rng, batch, placements, hosts, bureau)
        made[year] = batch
    db.session.flush()
    ctx.echo(f"finished traineeship batches: {sorted(made)}")
    return made


def _finish(ctx, rng, batch: TraineeshipBatch, placements: list[Placement], hosts, bureau: User) -> None:
    """Evaluations, completion, 留用 (the last host keeps nobody on), feedback and certificates."""
    mid_day = batch.starts_on + (batch.ends_on - batch.starts_on) / 2
    stingy = hosts[-1].id if len(hosts) > 1 else None
    for n, placement in enumerate(placements):
        contact = _contact(ctx, placement.host)
        evaluations.evaluate(contact, placement, "mid", _scores(rng, batch.rubric), today=mid_day)
        evaluations.evaluate(contact, placement, "final", _scores(rng, batch.rubric), comment="圆满完成见习任务。",
                             today=batch.ends_on)
        endings.complete(bureau, placement, today=max(ctx.today, batch.ends_on))
        keep = placement.host_id != stingy and (n // len(hosts)) % 2 == 0  # every other trainee of a host
        retention.decide(contact, placement, retained=keep,
                         retained_from=batch.ends_on + timedelta(days=1) if keep else None,
                         today=max(ctx.today, batch.ends_on))
        if n % 2 == 0:
            evaluations.give_feedback(placement.user, placement, rating=rng.choice((4, 5, 5)),
                                      text=rng.choice(FEEDBACK), today=batch.ends_on)
    certificates.issue_for_batch(bureau, batch, placements, issued_on=batch.ends_on + timedelta(days=10))
    batch.transition(BatchStatus.FINISHED, actor=bureau, at=utcnow())
