"""The demo's traineeship progress and finished batches, run on data this test builds."""
from datetime import date

import sqlalchemy as sa

from app.certificates.models import Certificate
from app.demo.context import DemoRun
from app.demo.traineeship_progress import load_finished_batch, load_traineeship_progress
from app.timeutil import utcnow
from app.traineeships import months, retention
from app.traineeships.models import Evaluation, MonthlyAttendance, Placement


def _run(admin, organiser, people, today):
    return DemoRun(seed=7, participants=len(people), echo=lambda *a, **k: None, now=utcnow(), today=today,
                   staff_ids={"admin@minhang.example": admin.id, "organiser@minhang.example": organiser.id},
                   pool=[(p.id, "student") for p in people])


def test_progress_on_the_running_batch(db_session, placed_batch, create_user):
    made = placed_batch(trainees=(4, 3, 3))
    ctx = _run(create_user("admin"), made.organiser, [], date(2026, 10, 20))
    done = load_traineeship_progress(ctx, made.batch, made.hosts)
    db_session.commit()
    assert done["withdrawn"] == 1 and done["mid_terms"] > 0 and done["unconfirmed"] > 0
    assert made.placements[-1].status == "withdrawn"
    missing = months.unconfirmed_months(Placement.batch_id == made.batch.id, first=made.batch.starts_on,
                                        today=ctx.today)
    assert len(missing) == done["unconfirmed"] and all(m.overdue for m in missing)  # September was due 5 October
    assert db_session.scalar(sa.select(sa.func.count()).select_from(MonthlyAttendance)) == done["months"]
    assert load_traineeship_progress(ctx, made.batch, made.hosts)["months"] == 0  # once only


def test_finished_batches_with_retention_and_certificates(db_session, placed_batch, create_user,
                                                          create_organisation):
    hosts_made = placed_batch(trainees=(0, 0, 0))
    universities = [create_organisation(kind="university", name=n) for n in ("上海交通大学", "华东师范大学")]
    people = [create_user(name=f"往届学员{n}") for n in range(12)]
    ctx = _run(create_user("admin"), hosts_made.organiser, people, date(2026, 10, 20))
    made = load_finished_batch(ctx, hosts_made.hosts, universities)
    db_session.commit()
    assert sorted(made) == [2024, 2025] and all(b.status == "finished" for b in made.values())
    placements = list(db_session.scalars(sa.select(Placement).where(Placement.batch_id.in_([b.id for b in
                                                                                            made.values()]))))
    assert placements and all(p.status == "completed" and p.retained is not None for p in placements)
    finals = db_session.scalar(sa.select(sa.func.count()).select_from(Evaluation).where(Evaluation.stage == "final"))
    assert finals == len(placements)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Certificate).where(
        Certificate.subject_type == "traineeship")) == len(placements)
    assert [f.host_id for f in retention.flagged()] == [hosts_made.hosts[-1].id]
    again = load_finished_batch(ctx, hosts_made.hosts, universities)
    assert {y: b.id for y, b in again.items()} == {y: b.id for y, b in made.items()}
