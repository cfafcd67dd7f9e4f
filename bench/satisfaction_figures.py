"""感受度 figures at the dashboard's size: how long `app.satisfaction.figures.summary` and `rows` take
with 100,000 people asked about ~3 occasions each (300,000 surveys, 60% answered).

Builds a scratch SQLite database with the migrations (or uses --database, e.g. a scratch PostgreSQL
database), inserts the people, 600 events across the departments and the surveys in bulk, then
times each call (the median of --repeat runs):

    .venv/bin/python bench/satisfaction_figures.py [--people 100000] [--database postgresql://…]
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def build(people: int, per_person: int, seed: int = 17) -> None:
    import sqlalchemy as sa

    from app.accounts.models import User
    from app.accounts.services import ensure_departments
    from app.events.models import Event
    from app.extensions import db
    from app.satisfaction import questionnaires
    from app.satisfaction.models import SatisfactionSurvey

    rng = random.Random(seed)
    departments = [d.id for d in ensure_departments()]
    template = questionnaires.current("event")
    db.session.commit()
    first = datetime(2024, 1, 1, tzinfo=timezone.utc)
    events = []
    for n in range(600):
        ends = first + timedelta(days=rng.randint(0, 3 * 365), hours=rng.randint(0, 12))
        events.append({"title": f"活动 {n}", "department_id": rng.choice(departments), "venue": "会场",
                       "starts_at": ends - timedelta(hours=3), "ends_at": ends, "status": "published"})
    db.session.execute(sa.insert(Event), events)
    event_rows = db.session.execute(sa.select(Event.id, Event.ends_at)).all()
    for start in range(0, people, 10_000):
        db.session.execute(sa.insert(User), [{"name": f"人员{n}", "password_hash": "x"}
                                             for n in range(start, min(people, start + 10_000))])
    user_ids = list(db.session.scalars(sa.select(User.id)))
    batch = []
    for user_id in user_ids:
        for event_id, ends in rng.sample(event_rows, per_person):
            answered = rng.random() < 0.6
            ratings = [rng.randint(3, 5) for _ in range(4)] if answered else []
            batch.append({"user_id": user_id, "event_id": event_id, "kind": "event", "label": "活动",
                          "ended_at": ends, "template_id": template.id, "sent_at": ends + timedelta(days=1),
                          "closes_at": ends + timedelta(days=15),
                          "answered_at": ends + timedelta(days=2) if answered else None,
                          "rating_sum": sum(ratings), "rating_count": len(ratings)})
        if len(batch) >= 20_000:
            db.session.execute(sa.insert(SatisfactionSurvey), batch)
            batch = []
    if batch:
        db.session.execute(sa.insert(SatisfactionSurvey), batch)
    from app.satisfaction import tallies

    tallies.recount()  # the bulk insert went around the services that keep them
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    else:
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()


def timed(call, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--per-person", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database", help="a scratch database URL (default: a new SQLite file)")
    args = parser.parse_args()

    os.environ.setdefault("APP_ENV", "testing")
    from flask_migrate import upgrade

    from app import create_app

    url = args.database or f"sqlite:///{Path(tempfile.mkdtemp(prefix='bench-sat-')) / 'bench.sqlite3'}"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        from app.extensions import db
        from app.satisfaction import figures

        upgrade()
        started = time.perf_counter()
        build(args.people, args.per_person)
        departments = {1, 2}
        some_events = list(range(1, 51))
        year = (datetime(2025, 1, 1, tzinfo=timezone.utc) - timedelta(hours=8),
                datetime(2026, 1, 1, tzinfo=timezone.utc) - timedelta(hours=8))
        total = figures.summary(None)
        print(f"{db.engine.dialect.name}: {args.people} people, {total.sent} surveys, {total.answered} answered, "
              f"built in {time.perf_counter() - started:.0f}s; median of {args.repeat} runs:")
        calls = {
            "summary(None)": lambda: figures.summary(None),
            "summary(2 departments)": lambda: figures.summary(departments),
            "summary(None, a year)": lambda: figures.summary(None, start=year[0], end=year[1]),
            "summary(2 departments, a year)": lambda: figures.summary(departments, start=year[0], end=year[1]),
            "summary(None, event_ids=50)": lambda: figures.summary(None, event_ids=some_events),
            "rows(by=occasion)": lambda: figures.rows(None, by="occasion"),
            "rows(by=kind, a year)": lambda: figures.rows(None, by="kind", start=year[0], end=year[1]),
            "rows(by=department)": lambda: figures.rows(None, by="department"),
        }
        with app.test_request_context():
            for name, call in calls.items():
                print(f"  {name:<34} {timed(call, args.repeat):8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
