"""Demo people and departments: the bureau's departments, its staff (README.md lists their
logins), the demo participant 李玥, and the participant pool — believable Chinese names, mobiles,
e-mail addresses, employers and ID numbers, the same for the same seed.

Staff and the demo participant are made through the account services. The bulk participants
are inserted one statement per thousand rows with one shared password hash (scrypt takes tens of
milliseconds per hash, and `--participants 10000` must stay quick). Idempotent: people that
exist (by login or mobile) are left alone.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from app.accounts import services as accounts
from app.accounts.models import Department, User
from app.demo import data, post_dating
from app.demo.context import DemoRun, chunks
from app.extensions import db

DEMO_PASSWORD = "Demo#2026"

# login, password, role, name, departments (codes) — README.md lists these.
STAFF = (
    ("admin@minhang.example", "Admin#2026", "admin", "陈立群", ()),
    ("organiser@minhang.example", "Organiser#2026", "organiser", "王思远", ("talent_center",)),
    ("haiju@minhang.example", "Organiser#2026", "organiser", "林嘉怡", ("high_service", "talent_dev")),
    ("jiuye@minhang.example", "Organiser#2026", "organiser", "周晓梅", ("employment",)),
    ("skills@minhang.example", "Organiser#2026", "organiser", "赵建国", ("skills", "nkc_base")),
    ("trainer@minhang.example", "Trainer#2026", "trainer", "孙赟", ()),
    ("trainer2@minhang.example", "Trainer#2026", "trainer", "吴俊峰", ()),
    ("trainer3@minhang.example", "Trainer#2026", "trainer", "郑雅文", ()),
    ("judge@minhang.example", "Judge#2026", "judge", "钱喆", ()),
    ("judge2@minhang.example", "Judge#2026", "judge", "许文澜", ()),
    ("judge3@minhang.example", "Judge#2026", "judge", "何建平", ()),
    ("judge4@minhang.example", "Judge#2026", "judge", "吕国栋", ()),
    # the plan's readers: a bureau leader (every department) and a department head (their own)
    ("leader@minhang.example", "Leader#2026", "leader", "陈志远", ()),
    ("head@minhang.example", "Head#2026", "head", "刘建华", ("skills", "employment")),
)
ADMIN = "admin@minhang.example"
DEMO_PARTICIPANT = {"mobile": "13800138000", "name": "李玥", "employer": "上海紫竹芯联微电子有限公司",
                    "email": None}

MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
                   "153", "155", "156", "157", "158", "159", "180", "181", "182", "183", "185", "186",
                   "187", "188", "189")
PERSONAS = (("company", 50), ("student", 18), ("returnee", 8), ("institute", 8), ("technician", 8),
            ("academic", 4), ("public", 4))
BIRTH_REFERENCE_YEAR = 2026


@dataclass
class Person:
    name: str
    mobile: str
    email: str | None
    employer: str | None
    id_number: str | None
    persona: str
    age_days: float


def _id_number(rng: random.Random, age: int) -> str:
    year = BIRTH_REFERENCE_YEAR - age
    born = date(year, 1, 1) + timedelta(days=rng.randrange(365))
    body = f"{rng.choice(data.ID_AREAS)}{born:%Y%m%d}{rng.randrange(1000):03d}"
    total = sum(int(d) * w for d, w in zip(body, accounts.ID_WEIGHTS))
    return body + accounts.ID_CHECK[total % 11]


def make_people(count: int, seed: int, reserved_mobiles=()) -> list[Person]:
    """The same seed gives the same people; a larger count only appends to the list."""
    rng = random.Random(f"{seed}:people")
    surnames = [s for s in data.SURNAMES]
    weights = [s[2] for s in surnames]
    given, rare = list(data.GIVEN.items()), list(data.RARE_GIVEN.items())
    personas, persona_weights = zip(*PERSONAS)
    mobiles, emails = set(reserved_mobiles), set()
    people = []
    for i in range(count):
        surname, surname_py, _ = rng.choices(surnames, weights)[0]
        chars = [rng.choice(given) for _ in range(2 if rng.random() < 0.72 else 1)]
        if i % 9 == 4:  # about one in nine has a rare character
            chars[rng.randrange(len(chars))] = rng.choice(rare)
        name = surname + "".join(c for c, _ in chars)
        given_py = "".join(p for _, p in chars)

        mobile = None
        while mobile is None or mobile in mobiles:
            mobile = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"
        mobiles.add(mobile)

        persona = rng.choices(personas, persona_weights)[0]
        employer, age = _employer(rng, persona)

        email = None
        if rng.random() < (0.6 if persona in ("student", "academic", "returnee") else 0.4):
            local = rng.choice((f"{surname_py}{given_py}", f"{given_py}.{surname_py}",
                                f"{surname_py}{given_py}{rng.randrange(1, 100)}",
                                f"{surname_py}_{given_py[0]}{(BIRTH_REFERENCE_YEAR - age) % 100:02d}"))
            email = f"{local}@{rng.choice(data.EMAIL_DOMAINS)}"
            while email in emails:
                email = f"{local}{rng.randrange(10, 1000)}@{rng.choice(data.EMAIL_DOMAINS)}"
            emails.add(email)
        id_number = _id_number(rng, age) if rng.random() < 0.35 else None
        people.append(Person(name, mobile, email, employer, id_number, persona, rng.uniform(1, 700)))
    return people


def _employer(rng: random.Random, persona: str) -> tuple[str | None, int]:
    if persona == "student":
        return rng.choice(data.UNIVERSITIES[:2]) + rng.choice(data.STUDENT_SUFFIXES), rng.randint(20, 28)
    if persona == "returnee":
        return (rng.choice(data.COMPANIES) if rng.random() < 0.8 else None), rng.randint(26, 45)
    if persona == "institute":
        return rng.choice(data.INSTITUTES), rng.randint(26, 55)
    if persona == "academic":
        return rng.choice(data.UNIVERSITIES), rng.randint(30, 58)
    if persona == "public":
        return rng.choice(data.PUBLIC_BODIES), rng.randint(25, 55)
    employer = rng.choice(data.COMPANIES) if rng.random() < 0.93 else None
    return employer, rng.randint(22, 55)


# -- loading ------------------------------------------------------------------------
def load_departments(run: DemoRun) -> None:
    accounts.ensure_departments()
    db.session.commit()
    run.departments = {d.code: d.id for d in db.session.scalars(sa.select(Department))}


def load_staff(run: DemoRun) -> None:
    admin = None
    staff = {}
    for login, password, role, name, departments in STAFF:
        user = db.session.scalar(sa.select(User).where(User.email == login))
        if user is None:
            user = accounts.create_user(login=login, password=password, role=role, name=name,
                                        departments=list(departments), actor=admin)
            post_dating.date_account(user, created_at=run.now - timedelta(days=400))
            run.created["users"] += 1
            run.echo(f"demo: staff {role} {login}")
        if role == "admin" and admin is None:
            admin = user
        staff[login] = user
    db.session.commit()
    run.staff_ids = {login: user.id for login, user in staff.items()}


def organiser_of(run: DemoRun, dept_code: str) -> User:
    """The organiser of the owning department creates its events; the admin otherwise."""
    for login, _, role, _, departments in STAFF:
        if role == "organiser" and dept_code in departments:
            return db.session.get(User, run.staff_ids[login])
    return db.session.get(User, run.staff_ids[ADMIN])


def load_demo_participant(run: DemoRun) -> None:
    info = DEMO_PARTICIPANT
    user = accounts.find_by_mobile(info["mobile"])
    if user is None:
        user = accounts.sign_up(name=info["name"], password=DEMO_PASSWORD, mobile=info["mobile"],
                                email=info["email"], employer=info["employer"])
        post_dating.date_account(user, created_at=run.now - timedelta(days=120))
        db.session.commit()
        run.created["users"] += 1
        run.echo(f"demo: participant {info['mobile']}")
    run.demo_user_id = user.id


def load_participants(run: DemoRun) -> None:
    people = make_people(run.participants, run.seed, reserved_mobiles={DEMO_PARTICIPANT["mobile"]})
    existing_mobiles, existing_emails = set(), set()
    for chunk in chunks([p.mobile for p in people], 500):
        existing_mobiles |= set(db.session.scalars(sa.select(User.mobile).where(User.mobile.in_(chunk))))
    for chunk in chunks([p.email for p in people if p.email], 500):
        existing_emails |= set(db.session.scalars(sa.select(User.email).where(User.email.in_(chunk))))
    new = [p for p in people if p.mobile not in existing_mobiles]
    if new:
        # Demo participants all share the password Demo#2026. Hashing it once and reusing the
        # hash keeps `--participants 10000` fast: scrypt is deliberately slow (tens of ms each).
        shared_hash = generate_password_hash(DEMO_PASSWORD)
        done = 0
        for chunk in chunks(new, 1000):
            rows = [{"name": p.name, "mobile": p.mobile,
                     "email": p.email if p.email not in existing_emails else None,
                     "password_hash": shared_hash, "employer": p.employer, "id_number": p.id_number,
                     "active": True, "created_at": run.now - timedelta(days=p.age_days)}
                    for p in chunk]
            db.session.execute(sa.insert(User), rows)
            db.session.commit()
            done += len(chunk)
            run.echo(f"demo: participants {done}/{len(new)}")
        run.created["users"] += len(new)
    persona = {p.mobile: p.persona for p in people}
    for chunk in chunks([p.mobile for p in people], 500):
        for user_id, mobile in db.session.execute(
                sa.select(User.id, User.mobile).where(User.mobile.in_(chunk))):
            run.pool.append((user_id, persona[mobile]))
    run.pool.sort()


def load_users(ids) -> dict[int, User]:
    users = {}
    for chunk in chunks(sorted(set(ids)), 500):
        for user in db.session.scalars(sa.select(User).where(User.id.in_(chunk))):
            users[user.id] = user
    return users
