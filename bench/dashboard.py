#!/usr/bin/env python3
"""The plan's dashboard figures at 100,000 people: how long every target's figures take.

    .venv/bin/python bench/dashboard.py                  # 100,000 people, 9 runs
    .venv/bin/python bench/dashboard.py --people 20000 --runs 5 --explain

What it does:
  1. creates a scratch PostgreSQL database (minhang_bench_dash_<random>, postgres@127.0.0.1:5432,
     trust auth) and builds the schema with the app's migrations;
  2. builds a district's three years (2022–2024) in bulk SQL: --people people (four in five with
     an ID number, three in five linked to one of 2,000 employers across Shanghai's districts),
     ~300 public events of the brand kinds with ~80,000 registrations and ~60,000 accepted entry
     scans (plus re-scans and refusals), 12 traineeship batches with ~1,650 placements (~1,500
     started), 9 camp cohorts with ~140 seats of ~120 founders (some in two tiers), 15 studios
     and ~3,000 answered 留在闵行 follow-ups; then the seed plan from plans/liuzai-minhang-2022-2024.yaml;
  3. measures, --runs times after one warm-up, the dashboard's figures as of --as-of: progress()
     of every target (figure, even pace, status, monthly series) and the breakdowns (gender, age
     band, district) of each people-counting target, for a leader (all departments) and for a
     department head (区就促中心); then for a leader with each computed target's detail too
     (by_year() and by department); the queries of each run are counted;
  4. GETs /dashboard through the Flask test client as a leader;
  5. prints a table (per target, median ms) and the totals' median and p95, with --explain the
     EXPLAIN ANALYZE of the slowest target's figures; drops the database (--keep-db keeps it).

Timings are of the Python process and PostgreSQL on the same machine (the figures are SQL: the
database does the work), with the machine's other load shown before measuring."""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import secrets
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, background_load, create_database, drop_database, log, percentile, sa_url  # noqa: E402

PASSWORD = "Bench#2026-dashboard"
SEED_FILE = ROOT / "plans" / "liuzai-minhang-2022-2024.yaml"
BRAND_KINDS = ["forum", "job_fair", "campus_recruiting", "policy_briefing", "symposium", "salon", "lecture"]

# ---------------------------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------------------------
DATA_SQL = [
    # people: four in five with an ID number (born 1960–2004; the 17th digit's parity is the gender)
    ("people", """
     INSERT INTO users (name, mobile, password_hash, active, created_at, id_number)
     SELECT '压测人才' || n, '139' || lpad(n::text, 8, '0'), :hash, true, now(),
            CASE WHEN n % 5 <> 0 THEN '310112' || to_char(date '1960-01-01' + (random() * 16400)::int, 'YYYYMMDD')
                                      || lpad((n % 100)::text, 2, '0') || (n % 10)::text || 'X' END
     FROM generate_series(1, :people) AS n"""),
    ("employers", """
     INSERT INTO organisations (kind, name, name_key, district, in_minhang, industries, contact_name, contact_phone,
                                contact_email, station_contact, status, created_at, updated_at)
     SELECT 'company', '上海压测' || n || '号有限公司', '压测' || n,
            (ARRAY['闵行区','闵行区','闵行区','闵行区','闵行区','闵行区','徐汇区','浦东新区','松江区','长宁区',''])[1 + n % 11],
            n % 11 < 6, '[]', '', '', '', '', 'active', now(), now()
     FROM generate_series(1, 2000) AS n"""),
    ("employer links", """
     INSERT INTO organisation_employees (user_id, organisation_id, employer, linked_at)
     SELECT u.id, (SELECT min(id) FROM organisations) + (u.id * 7919) % 2000, '', now()
     FROM users u WHERE u.id % 5 IN (1, 2, 3)"""),
    # ~300 public events over the three years, of the brand kinds, in every department; 5 % cancelled
    ("events", """
     INSERT INTO events (title, kind, department_id, venue, address, starts_at, ends_at, description, status,
                         requires_approval, created_at, updated_at, invited_only)
     SELECT '压测活动' || n, (ARRAY['forum','job_fair','campus_recruiting','policy_briefing','salon','lecture',
                                   'job_fair','forum','training'])[1 + n % 9],
            (SELECT id FROM departments ORDER BY id OFFSET n % 6 LIMIT 1), '闵行区人才服务中心', '',
            s, s + interval '3 hours', '', CASE WHEN n % 20 = 0 THEN 'cancelled' ELSE 'published' END,
            false, now(), now(), false
     FROM (SELECT n, timestamp '2022-01-03 01:00' + (n * 3.6) * interval '1 day' AS s
           FROM generate_series(1, 300) AS n) AS x"""),
    ("symposiums", """
     INSERT INTO events (title, kind, department_id, venue, address, starts_at, ends_at, description, status,
                         requires_approval, created_at, updated_at, invited_only)
     SELECT '高技能人才座谈会' || y, 'symposium', (SELECT id FROM departments WHERE code = 'skills'), '闵行区', '',
            make_timestamp(y, 10, 15, 6, 0, 0), make_timestamp(y, 10, 15, 9, 0, 0), '', 'published', false, now(), now(),
            false
     FROM generate_series(2022, 2024) AS y"""),
    ("checkpoints", """
     INSERT INTO checkpoints (event_id, name, allow_reentry, admit_pending, created_at)
     SELECT id, '入口', true, false, now() FROM events"""),
    ("registrations", """
     INSERT INTO registrations (event_id, user_id, status, created_at, queued_at, status_changed_at, ticket_secret,
                                ticket_generation)
     SELECT DISTINCT ON (e, u) e, u, 'confirmed', now(), now(), now(), md5(random()::text || e || '-' || u), 1
     FROM (SELECT (SELECT min(id) FROM events) + (random() * 302)::int AS e,
                  1 + (random() * (:people - 1))::int AS u
           FROM generate_series(1, 80000)) AS pairs
     WHERE e IN (SELECT id FROM events)"""),
    # three in four registered came (an accepted entry scan); some came back in, some were refused
    ("scans", """
     INSERT INTO scans (checkpoint_id, registration_id, direction, result, scanned_at, received_at, device, detail)
     SELECT c.id, r.id, 'in', 'ok', e.starts_at + (r.id % 90) * interval '1 minute',
            e.starts_at + (r.id % 90) * interval '1 minute', 'bench', '{}'
     FROM registrations r JOIN events e ON e.id = r.event_id JOIN checkpoints c ON c.event_id = e.id
     WHERE r.id % 4 <> 0"""),
    ("re-scans and refusals", """
     INSERT INTO scans (checkpoint_id, registration_id, direction, result, scanned_at, received_at, device, detail)
     SELECT checkpoint_id, registration_id, 'in', CASE WHEN id % 2 = 0 THEN 'already_checked_in' ELSE 'ok' END,
            scanned_at + interval '40 minutes', scanned_at + interval '40 minutes', 'bench', '{}'
     FROM scans WHERE id % 10 = 0"""),
]


def build(people: int) -> dict:
    """The data set in bulk SQL (one transaction); returns the row counts."""
    import sqlalchemy as sa
    from werkzeug.security import generate_password_hash

    from app.accounts import services as accounts
    from app.cohorts.camps import services as cohorts
    from app.extensions import db

    accounts.ensure_departments()
    cohorts.ensure_programmes()
    db.session.flush()
    hash_ = generate_password_hash(PASSWORD)
    db.session.execute(sa.text("SELECT setseed(0.17)"))
    for label, sql in DATA_SQL:
        t0 = time.perf_counter()
        db.session.execute(sa.text(sql), {"people": people, "hash": hash_})
        log(f"    {label}: {time.perf_counter() - t0:.1f} s")
    _programmes(people)
    db.session.commit()
    counts = {}
    for table in ("users", "events", "registrations", "scans", "placements", "enrolments", "studios",
                  "followup_surveys"):
        counts[table] = db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))
    db.session.commit()
    # What autovacuum does on a live server: statistics, and the visibility map that lets the
    # ledger's counts read the indexes alone (bulk-loaded tables have none until vacuumed).
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE"))
    return counts


def _programmes(people: int) -> None:
    """Traineeship batches and placements, camp cohorts and seats, studios and follow-ups."""
    import sqlalchemy as sa

    from app.extensions import db

    def run(label, sql, **params):
        t0 = time.perf_counter()
        db.session.execute(sa.text(sql), {"people": people, **params})
        log(f"    {label}: {time.perf_counter() - t0:.1f} s")

    # invitation-only events that programmes run on: 12 batches, 9 cohorts, 15 studios
    run("programme events", """
        INSERT INTO events (title, kind, department_id, venue, address, starts_at, ends_at, description, status,
                            requires_approval, created_at, updated_at, invited_only, places)
        SELECT '压测项目' || n, 'training', (SELECT id FROM departments WHERE code = 'talent_center'), '闵行区', '',
               timestamp '2022-01-01' + n * interval '30 days', timestamp '2022-01-01' + n * interval '30 days'
               + interval '60 days', '', 'published', false, now(), now(), true, 'invitation'
        FROM generate_series(1, 36) AS n""")
    run("batches", """
        INSERT INTO traineeship_batches (event_id, kind, year, season, title, department_id, status,
                                         applications_open_at, applications_close_at, starts_on, ends_on, max_choices,
                                         eligibility, rubric, description, created_at)
        SELECT e.id, CASE WHEN k % 4 = 3 THEN 'social_practice' ELSE 'job_traineeship' END, 2022 + k / 4,
               (ARRAY['spring','summer','autumn','winter'])[1 + k % 4], '压测见习批次' || k,
               (SELECT id FROM departments WHERE code = CASE WHEN k % 2 = 0 THEN 'talent_center' ELSE 'employment' END),
               'finished', now(), now(), make_date(2022 + k / 4, 1 + 3 * (k % 4), 1),
               make_date(2022 + k / 4, 1 + 3 * (k % 4), 1) + 90, 3, '{}', '[]', '', now()
        FROM (SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS k FROM events WHERE title LIKE '压测项目%'
              ORDER BY id LIMIT 12) AS e(id, k)""")
    run("places", """
        INSERT INTO traineeship_places (batch_id, host_id, position, openings, months, monthly_allowance, description,
                                        requirements, status)
        SELECT b.id, (SELECT min(id) FROM organisations) + (b.id * 31 + h) % 2000, '行政助理', 10, 3, 0, '', '', 'open'
        FROM traineeship_batches b, generate_series(1, 15) AS h""")
    run("trainee applications", """
        INSERT INTO trainee_applications (batch_id, user_id, status, school_name, major, education, graduation_year,
                                          birth_date, in_shanghai_household, studies_in_shanghai,
                                          left_school_unemployed, created_at)
        SELECT DISTINCT ON (b, u) b, u, CASE WHEN n % 12 = 0 THEN 'not_placed' ELSE 'placed' END, '上海交通大学', '', '',
               2024, date '2001-05-01', false, true, false, now()
        FROM (SELECT n, (SELECT min(id) FROM traineeship_batches) + n % 12 AS b,
                     1 + (n * 104729) % (:people - 1) AS u FROM generate_series(1, 1800) AS n) AS x""")
    run("choices", """
        INSERT INTO application_choices (application_id, place_id, rank, status, reason)
        SELECT a.id, (SELECT min(p.id) FROM traineeship_places p WHERE p.batch_id = a.batch_id) + a.id % 15, 1,
               CASE WHEN a.status = 'placed' THEN 'accepted' ELSE 'declined' END, ''
        FROM trainee_applications a""")
    run("placements", """
        INSERT INTO placements (batch_id, user_id, application_id, choice_id, place_id, host_id, status, starts_on,
                                ends_on, created_at, withdrawn_reason, withdrawn_at)
        SELECT a.batch_id, a.user_id, a.id, c.id, c.place_id, p.host_id,
               CASE WHEN a.id % 25 = 0 THEN 'proposed' WHEN a.id % 23 = 0 THEN 'withdrawn' WHEN a.id % 3 = 0
                    THEN 'confirmed' ELSE 'completed' END,
               b.starts_on, b.ends_on, now(), '', CASE WHEN a.id % 23 = 0 THEN b.starts_on + 20 END
        FROM trainee_applications a JOIN application_choices c ON c.application_id = a.id
        JOIN traineeship_places p ON p.id = c.place_id JOIN traineeship_batches b ON b.id = a.batch_id
        WHERE a.status = 'placed'""")
    run("cycles and cohorts", """
        WITH camp AS (SELECT id FROM programmes WHERE code = 'startup-camp'),
        cyc AS (INSERT INTO cycles (programme_id, name, starts_on, ends_on, intake, created_at)
                SELECT (SELECT id FROM camp), y || '–' || (y + 1), make_date(y, 3, 1), make_date(y + 1, 2, 28), 60, now()
                FROM generate_series(2022, 2024) AS y RETURNING id, starts_on),
        ev AS (SELECT id, (row_number() OVER (ORDER BY id))::int AS k
               FROM (SELECT id FROM events WHERE title LIKE '压测项目%' ORDER BY id OFFSET 12 LIMIT 9) AS e),
        pairs AS (SELECT cyc.id AS cycle_id, cyc.starts_on, t.id AS tier_id, t.code,
                         row_number() OVER (ORDER BY cyc.id, t.rank) AS k
                  FROM cyc, tiers t WHERE t.programme_id = (SELECT id FROM camp))
        INSERT INTO cohorts (cycle_id, tier_id, event_id, name, capacity, venue, starts_on, ends_on, attendance_basis,
                             late_after_minutes, rules, created_at)
        SELECT p.cycle_id, p.tier_id, ev.id, '压测' || p.code || p.k, 25, '', p.starts_on, p.starts_on + 180, 'held',
               10, '{}', now()
        FROM pairs p JOIN ev ON ev.k = p.k""")
    # ~120 founders: 100 in one cohort, 20 of them again in the next cycle's higher tier, 20 others
    run("seats", """
        INSERT INTO registrations (event_id, user_id, status, created_at, queued_at, status_changed_at, ticket_secret,
                                   ticket_generation)
        SELECT c.event_id, f.u, 'confirmed', now(), now(), now(), md5('seat' || c.id || '-' || f.u), 1
        FROM (SELECT n, :people / 2 + n AS u, (n % 9) AS slot FROM generate_series(1, 120) AS n
              UNION ALL SELECT n, :people / 2 + n, (n % 2) * 3 + 4 FROM generate_series(1, 20) AS n) AS f
        JOIN (SELECT id, event_id, row_number() OVER (ORDER BY id) - 1 AS k FROM cohorts) AS c ON c.k = f.slot
        ON CONFLICT DO NOTHING""")
    run("enrolments", """
        INSERT INTO enrolments (cohort_id, cycle_id, user_id, status, company, enrolled_at, withdraw_reason,
                                registration_id, withdrawn_at)
        SELECT DISTINCT ON (c.cycle_id, r.user_id) c.id, c.cycle_id, r.user_id,
               CASE WHEN r.id % 17 = 0 THEN 'withdrawn' ELSE 'enrolled' END, '', now(), '', r.id,
               CASE WHEN r.id % 17 = 0 THEN timestamp '2022-02-01' END
        FROM registrations r JOIN cohorts c ON c.event_id = r.event_id""")
    run("studios", """
        INSERT INTO studios (name, master_id, trade, department_id, level, founded_on, status, description, event_id,
                             created_at)
        SELECT '压测技能大师工作室' || k, :people / 3 + k, '数控加工', (SELECT id FROM departments WHERE code = 'skills'),
               'district', make_date(2022 + (k - 1) / 5, 1 + ((k - 1) % 5) * 2, 10),
               CASE WHEN k = 7 THEN 'closed' ELSE 'active' END, '', e.id, now()
        FROM (SELECT id, (row_number() OVER (ORDER BY id))::int AS k
              FROM (SELECT id FROM events WHERE title LIKE '压测项目%' ORDER BY id OFFSET 21 LIMIT 15) AS x) AS e(id, k)""")
    run("follow-ups", """
        INSERT INTO followup_surveys (user_id, programme_kind, programme_id, event_id, label, founder, ended_on,
                                      months_after, due_on, status, created_at, organisation_name, note, working,
                                      answered_at, sent_at)
        SELECT p.user_id, 'traineeship', p.batch_id, b.event_id, b.title, false, p.ends_on, m, p.ends_on + m * 30,
               CASE WHEN p.id % 10 < 7 THEN 'answered' ELSE 'sent' END, now(), '', '',
               CASE WHEN p.id % 10 < 7 THEN (ARRAY['employed_minhang','own_company_minhang','employed_minhang',
                    'outside_minhang','studying','employed_minhang'])[1 + p.id % 6] END,
               CASE WHEN p.id % 10 < 7 THEN (p.ends_on + m * 30 + 3)::timestamp - interval '8 hours' END,
               (p.ends_on + m * 30)::timestamp
        FROM placements p JOIN traineeship_batches b ON b.id = p.batch_id, (VALUES (6), (12)) AS months(m)
        WHERE p.status IN ('completed', 'withdrawn', 'confirmed')""")


def seed_plan() -> list:
    """The seed plan, loaded from its file as `flask plans load` does (no figures entered: the
    entered targets read one row each, whatever their number)."""
    from app.extensions import db
    from app.plans import loading

    plan = loading.load_file(SEED_FILE).plan
    db.session.commit()  # the loader leaves the commit to its caller; the pages read it in their own session
    log("  plan: loaded from plans/liuzai-minhang-2022-2024.yaml")
    return list(plan.targets)


# ---------------------------------------------------------------------------------------------
# measuring
# ---------------------------------------------------------------------------------------------
class QueryCounter:
    def __init__(self, engine):
        import sqlalchemy as sa
        self.engine, self.n, self.sa = engine, 0, sa

    def __enter__(self):
        self.n = 0
        self.sa.event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        self.sa.event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, *_a, **_k):
        self.n += 1


def dashboard_figures(targets, scope, as_of, detail: bool) -> dict[str, float]:
    """Every figure the dashboard's overview shows for these targets — progress() (figure, even
    pace, status, monthly series) and, for people-counting targets, the breakdowns by gender, age
    band and district — and with `detail` each computed target's by_year() and by-department
    figures too (its own page); returns ms per target."""
    from app.plans.ledger import figures, people

    out = {}
    for target in targets:
        if not scope.sees_departments({d.id for d in target.departments}):
            continue  # not on this reader's dashboard
        t0 = time.perf_counter()
        progress = figures.progress(target, scope, as_of)
        if target.computed:
            people.breakdown(target, scope, progress.period.upto(as_of))
            if detail:
                figures.by_year(target, scope, as_of)
                figures.by_column(target, scope, progress.period.upto(as_of), "department_id")
        out[target.code] = (time.perf_counter() - t0) * 1000
    return out


def median_or_dash(values: list[float]) -> str:
    """A target's median ms, or — where it is not on that reader's dashboard."""
    return f"{statistics.median(values):.1f}" if values else "—"


def explain(target, scope, as_of) -> str:
    import sqlalchemy as sa

    from app.extensions import db
    from app.plans.ledger import figures

    period = figures.target_period(target, as_of).upto(as_of)
    first = figures.firsts(target, scope, period)
    query = sa.select(sa.func.count()).select_from(first)
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    rows = db.session.execute(sa.text(f"EXPLAIN (ANALYZE, BUFFERS) {compiled}"))
    return "\n".join(r[0] for r in rows)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--people", type=int, default=100_000)
    p.add_argument("--runs", type=int, default=9, help="measured runs after one warm-up [%(default)s]")
    p.add_argument("--as-of", default="2024-06-30", help="the day the figures stand at [%(default)s]")
    p.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432")
    p.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest target's count")
    p.add_argument("--keep-db", action="store_true")
    args = p.parse_args()
    as_of = date.fromisoformat(args.as_of)
    # Production settings (as bench/checkin.py): the site's address, the test client's Host allowed.
    os.environ.setdefault("PUBLIC_BASE_URL", "https://rencai.minhang.gov.cn")
    os.environ.setdefault("TRUSTED_HOSTS", "localhost,rencai.minhang.gov.cn")
    os.environ.update(APP_ENV="production", SECRET_KEY=os.environ.get("SECRET_KEY") or "bench-only",
                      RATELIMIT_ENABLED="0", LOG_LEVEL="WARNING")
    name = f"minhang_bench_dash_{secrets.token_hex(4)}"
    db_url = f"{args.pg_url}/{name}"
    log(f"database {name}")
    create_database(args.pg_url, name)
    try:
        return run(args, db_url, as_of)
    finally:
        if args.keep_db:
            log(f"kept {name}")
        else:
            drop_database(args.pg_url, name)


def run(args, db_url: str, as_of: date) -> int:
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from app import create_app
    from app.accounts import consents, services as accounts
    from app.accounts.models import Department
    from app.extensions import db
    from app.plans.scope import EVERYTHING, Scope

    app = create_app("production", SQLALCHEMY_DATABASE_URI=sa_url(db_url), WTF_CSRF_ENABLED=False,
                     SESSION_COOKIE_SECURE=False)
    with app.app_context():
        t0 = time.perf_counter()
        with contextlib.redirect_stderr(io.StringIO()):
            upgrade()
        log(f"  schema: migrations applied in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        counts = build(args.people)
        log(f"  data built in {time.perf_counter() - t0:.1f} s: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        leader = accounts.create_user(login="leader@bench.invalid", password=PASSWORD, role="leader", name="压测局领导")
        consents.record(leader)  # agreed to the privacy notice (else every page asks for it first)
        db.session.commit()
        targets = seed_plan()
        head_scope = Scope(frozenset({db.session.scalar(sa.select(Department.id).where(Department.code == "employment"))}))

        load = background_load(1.0)
        log(f"  other load on the machine before measuring: {load:.0%} of a core")
        results = {}
        runs = (("leader", EVERYTHING, False), ("head", head_scope, False), ("leader+detail", EVERYTHING, True))
        for label, scope, detail in runs:
            dashboard_figures(targets, scope, as_of, detail)  # warm-up
            totals, per_target, queries = [], {t.code: [] for t in targets}, 0
            for _ in range(args.runs):
                db.session.expire_all()
                with QueryCounter(db.engine) as qc:
                    t0 = time.perf_counter()
                    ms = dashboard_figures(targets, scope, as_of, detail)
                    totals.append((time.perf_counter() - t0) * 1000)
                queries = qc.n
                for code, v in ms.items():
                    per_target[code].append(v)
            results[label] = (sorted(totals), per_target, queries)
        load_after = background_load(1.0)

        from app.plans.ledger import figures
        values = {t.code: figures.progress(t, EVERYTHING, as_of) for t in targets}
        log()
        labels = [label for label, _s, _d in runs]
        log(f"as of {as_of}, {args.people:,} people, {args.runs} runs: median ms per target")
        log(f"{'target':<27}{'measure':>9}{'figure':>9}{'status':>11}" + "".join(f"{label:>15}" for label in labels))
        for t in targets:
            v = values[t.code]
            figure = "—" if v.actual is None else f"{v.actual:,.0f}"
            log(f"{t.code:<27}{t.measure:>9}{figure:>9}{v.status:>11}"
                + "".join(f"{median_or_dash(results[label][1][t.code]):>15}" for label in labels))
        for label in labels:
            totals, _per, queries = results[label]
            log(f"all targets ({label}): median {statistics.median(totals):.0f} ms, "
                f"p95 {percentile(totals, 0.95):.0f} ms, max {totals[-1]:.0f} ms, {queries} queries")
        log(f"other load on the machine: {load:.0%} of a core before, {load_after:.0%} after")

        client = app.test_client()
        response = client.post("/login", data={"login": "leader@bench.invalid", "password": PASSWORD})
        if response.status_code != 302:
            log(f"GET /dashboard: could not sign in ({response.status_code})")
        else:
            first = client.get("/dashboard")
            if first.status_code != 200:
                log(f"GET /dashboard: {first.status_code} {first.headers.get('Location', '')}")
            times = []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                response = client.get("/dashboard")
                times.append((time.perf_counter() - t0) * 1000)
            times.sort()
            log(f"GET /dashboard (test client, leader, figures as of today): {response.status_code}, median "
                f"{statistics.median(times):.0f} ms, p95 {percentile(times, 0.95):.0f} ms")

        if args.explain:
            slowest = max(targets, key=lambda t: statistics.median(results["leader"][1][t.code] or [0]))
            log(f"\nEXPLAIN ANALYZE, {slowest.code} (leader):\n{explain(slowest, EVERYTHING, as_of)}")
        db.session.remove()
        db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
