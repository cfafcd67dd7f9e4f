"""Registrations at Talent Week scale (issue 19): exports and people searches.

    python bench/registrations.py build   --db NAME   # 100,000 people; an event of 10,000 confirmed
                                                     # + 3,000 waitlisted, 3 answers and a booking each
    python bench/registrations.py export  --db NAME --fmt xlsx|csv [--runs 5]
    python bench/registrations.py search  --db NAME [--runs 7] [--explain]
    python bench/registrations.py search  --db NAME --without-indexes   # the indexes dropped in a
                                                     # transaction rolled back at the end: "before"

`export` runs the export as the route does (export_rows, then the XLSX file or the CSV chunks,
read to the end) and prints the median and range of the wall time, the peak of Python's
allocations (tracemalloc, a separate run) and how much the process's RSS grew. It runs against
whichever app is on PYTHONPATH (an older checkout's to_xlsx/to_csv too), so before and after
use the same data. PostgreSQL at --pg (default postgresql://postgres@127.0.0.1:5432)."""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩凯健俊帆帅旭宁瑶琳晨欣怡涵博文轩子睿思雨嘉梓豪一诺宸泽昊然玥喆堃赟〇"
EMPLOYERS = [f"{a}{b}{c}" for a in ("紫竹", "莘庄", "虹桥", "漕河泾", "马桥", "吴泾", "浦江", "颛桥")
             for b in ("高新", "智能", "生物", "新材料", "数字", "航天", "集成电路", "医药")
             for c in ("科技有限公司", "研究院", "股份有限公司")]
PEOPLE, CONFIRMED, WAITLISTED = 100_000, 10_000, 3_000


def _app(db: str, pg: str):
    from app import create_app

    url = "postgresql+psycopg://" + pg.split("://", 1)[1] + "/" + db
    return create_app("production", SQLALCHEMY_DATABASE_URI=url,
                      SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 2, "max_overflow": 0})


def build(args) -> None:
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from app.accounts import services as accounts
    from app.accounts.models import User
    from app.events import services as ev
    from app.events.models import Event, EventSession
    from app.extensions import db
    from app.registrations.models import Registration, RegistrationAnswer, SessionBooking
    from app.timeutil import utcnow

    admin = sa.create_engine("postgresql+psycopg://" + args.pg.split("://", 1)[1] + "/postgres",
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{args.db}"'))
    rng = random.Random(19)
    app = _app(args.db, args.pg)
    with app.app_context():
        with contextlib.redirect_stderr(io.StringIO()):
            upgrade()
        t0 = time.perf_counter()
        depts = {d.code: d for d in accounts.ensure_departments()}
        organiser = accounts.create_user(login="bench-organiser@bench.invalid", password="bench-pass-19",
                                         role="organiser", name="压测组织者", departments=["talent_center"])
        starts = utcnow().replace(microsecond=0) + timedelta(days=7)
        event = Event(title="人才闵行周 主论坛", kind="forum", department_id=depts["talent_center"].id,
                      venue="闵行区人才服务中心", address="上海市闵行区", starts_at=starts,
                      ends_at=starts + timedelta(hours=8), status="published", capacity=CONFIRMED,
                      confirmed_count=CONFIRMED)
        db.session.add(event)
        db.session.flush()
        topics = ev.save_question(organiser, event, label="关注议题", kind="multiple",
                                  choices=ev.parse_choices("落户\n住房\n创业\n子女教育"))
        degree = ev.save_question(organiser, event, label="学历", kind="single",
                                  choices=ev.parse_choices("本科\n硕士\n博士"))
        note = ev.save_question(organiser, event, label="备注", kind="text")
        session = EventSession(event_id=event.id, title="分论坛：集成电路", starts_at=starts,
                               ends_at=starts + timedelta(hours=2), capacity=CONFIRMED)
        db.session.add(session)
        db.session.flush()
        mobiles = rng.sample(range(13000000000, 19999999999), PEOPLE)
        users_t = User.__table__
        ids = []
        for start in range(0, PEOPLE, 5000):
            rows = []
            for i in range(start, min(PEOPLE, start + 5000)):
                name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
                rows.append({"name": name, "mobile": str(mobiles[i]), "password_hash": "x", "active": True,
                             "email": f"p{i}@example.cn" if i % 2 else None, "employer": rng.choice(EMPLOYERS),
                             "id_number": f"310112{1970 + i % 30}0101{i % 10000:04d}", "created_at": utcnow(),
                             "notify_mail": True, "notify_sms": True})
            ids += db.session.execute(users_t.insert().returning(users_t.c.id, sort_by_parameter_order=True),
                                      rows).scalars().all()
        now = utcnow()
        chosen = rng.sample(ids, CONFIRMED + WAITLISTED)
        regs_t = Registration.__table__
        for start in range(0, len(chosen), 5000):
            part = chosen[start:start + 5000]
            rows = []
            for k, uid in enumerate(part, start):
                status = "confirmed" if k < CONFIRMED else "waitlisted"
                at = now + timedelta(seconds=k)
                rows.append({"event_id": event.id, "user_id": uid, "status": status, "created_at": at,
                             "queued_at": at, "status_changed_at": at, "ticket_secret": f"bench-{uid}",
                             "ticket_generation": 1})
            reg_ids = db.session.execute(regs_t.insert().returning(regs_t.c.id, sort_by_parameter_order=True),
                                         rows).scalars().all()
            answers = []
            for rid in reg_ids:
                answers += [{"registration_id": rid, "question_id": topics.id,
                             "value": rng.sample(["落户", "住房", "创业", "子女教育"], 2)},
                            {"registration_id": rid, "question_id": degree.id, "value": rng.choice(["本科", "硕士"])},
                            {"registration_id": rid, "question_id": note.id, "value": "希望了解人才公寓申请"}]
            db.session.execute(RegistrationAnswer.__table__.insert(), answers)
            db.session.execute(SessionBooking.__table__.insert(), [
                {"registration_id": rid, "session_id": session.id, "status": row["status"],
                 "queued_at": row["queued_at"]} for rid, row in zip(reg_ids, rows)])
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        print(f"built {args.db}: {PEOPLE} people, event {event.id} with {CONFIRMED} + {WAITLISTED} registrations "
              f"in {time.perf_counter() - t0:.1f} s")


def _event_and_organiser():
    import sqlalchemy as sa

    from app.accounts.models import User
    from app.events.models import Event
    from app.extensions import db

    event = db.session.scalar(sa.select(Event).where(Event.title == "人才闵行周 主论坛"))
    organiser = db.session.scalar(sa.select(User).where(User.email == "bench-organiser@bench.invalid"))
    return event, organiser


def _export_once(fmt: str) -> int:
    from app.extensions import db
    from app.registrations import export

    event, organiser = _event_and_organiser()
    header, rows = export.export_rows(organiser, event, full=False)
    db.session.commit()
    size = 0
    if fmt == "xlsx" and hasattr(export, "xlsx_stream"):
        with export.xlsx_stream(event.title, header, rows) as out:
            while block := out.read(65536):
                size += len(block)
    elif fmt == "xlsx":
        size = len(export.to_xlsx(event.title, header, rows))
    elif hasattr(export, "csv_stream"):
        size = sum(len(chunk) for chunk in export.csv_stream(header, rows))
    else:
        size = len(export.to_csv(header, rows))
    db.session.rollback()
    db.session.expunge_all()
    return size


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def export_bench(args) -> None:
    app = _app(args.db, args.pg)
    with app.test_request_context():
        _export_once("csv")  # warm: imports, the connection, Babel's catalogue
        rss0, max0 = _rss_mb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            size = _export_once(args.fmt)
            times.append((time.perf_counter() - t0) * 1000)
        grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - max0
        tracemalloc.start()
        _export_once(args.fmt)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(f"{args.fmt}: {CONFIRMED + WAITLISTED} rows, {size / 1024:.0f} KB; median {statistics.median(times):.0f} ms "
          f"(range {min(times):.0f}–{max(times):.0f}, {args.runs} runs); peak RSS grew {grew:.0f} MB "
          f"(RSS at start {rss0:.0f} MB); tracemalloc peak {peak / 2**20:.1f} MB")


SEARCHES = [("name, 3 chars", "张伟明"), ("name, 2 chars", "张伟"), ("surname, 1 char", "陈"),
            ("mobile, last 4", "5678"), ("employer part", "集成电路科")]
INDEXES = ["ix_users_name_trgm", "ix_users_mobile_trgm", "ix_users_email_trgm", "ix_users_employer_trgm",
           "ix_users_name_prefix"]


def _old_condition(q: str):
    import sqlalchemy as sa

    from app.accounts.models import User

    like = f"%{q}%"
    return sa.or_(User.name.ilike(like), User.mobile.like(like), User.employer.ilike(like))


def search_bench(args) -> None:
    import sqlalchemy as sa

    from app.accounts.models import User
    from app.admin import queries as admin_queries
    from app.extensions import db
    from app.person.record import people
    from app.registrations import services as reg

    app = _app(args.db, args.pg)
    with app.test_request_context():
        event, organiser = _event_and_organiser()
        if args.without_indexes:
            for name in INDEXES:
                db.session.execute(sa.text(f"DROP INDEX IF EXISTS {name}"))

        def timed(label, q, run):
            run()
            times = []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                n = run()
                times.append((time.perf_counter() - t0) * 1000)
            print(f"  {label:<28} {q:<8} {statistics.median(times):7.1f} ms  (range {min(times):.1f}–"
                  f"{max(times):.1f}; {n} found)")

        for label, q in SEARCHES:
            def registrations(q=q):
                if args.without_indexes:  # the shape before issue 19: '%q%' on every column
                    query = reg.event_registrations(organiser, event).where(_old_condition(q))
                else:
                    query = reg.event_registrations(organiser, event, q=q)
                page = db.paginate(query, page=1, per_page=50, error_out=False)
                return page.total

            def admin_users(q=q):
                if args.without_indexes:
                    query = sa.select(User).order_by(User.id).where(sa.or_(
                        User.name.ilike(f"%{q}%"), User.mobile.like(f"%{q}%"), User.email.ilike(f"%{q}%"),
                        User.employer.ilike(f"%{q}%")))
                    return db.paginate(query, page=1, per_page=50, error_out=False).total
                return admin_queries.users_page(1, q=q).total

            def people_search(q=q):
                return len(people.search(organiser, q))

            timed("registrations search", q, registrations)
            timed("admin users search", q, admin_users)
            timed("console people search", q, people_search)
            if args.explain:
                query = reg.event_registrations(organiser, event, q=q).limit(50)
                sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
                plan = db.session.execute(sa.text("EXPLAIN ANALYZE " + sql)).scalars().all()
                print("    " + "\n    ".join(plan))
        db.session.rollback()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("action", choices=("build", "export", "search"))
    p.add_argument("--db", default="minhang_bench_regs")
    p.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    p.add_argument("--fmt", choices=("xlsx", "csv"), default="xlsx")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--explain", action="store_true")
    p.add_argument("--without-indexes", action="store_true")
    args = p.parse_args(argv)
    # Production settings, as bench/checkin.py: read when app.config is imported.
    os.environ.setdefault("PUBLIC_BASE_URL", "https://rencai.minhang.gov.cn")
    os.environ.setdefault("TRUSTED_HOSTS", "localhost,rencai.minhang.gov.cn")
    os.environ.setdefault("SECRET_KEY", "bench-" * 8)
    os.environ.setdefault("WEB_CONCURRENCY", "1")  # one process: rate limits in memory are fine
    {"build": build, "export": export_bench, "search": search_bench}[args.action](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
