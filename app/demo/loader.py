"""`flask demo`: a believable, reproducible Chinese data set, built through the real services.

This module only orders the steps; each lives in its own module:

1. `people`                   departments, staff, the demo participant, the participant pool
2. `events_and_registrations` series, events, registrations (and the attendance of past events,
                              scanned through the check-in service: `attendance`)
3. `cohorts`                  the startup camp: cycles, cohorts, lessons, grades, applications
4. `studios`                  skills master studios, apprentices, activities
5. `competitions`             the district skills competition, marked and awarded; `pitch` the
                              留学人员创业大赛 through its three rounds, released
6. `organisations`            the registry (loaded first, so the programmes' rows link as they are
                              made), then people's and events' links to it
7. `mentors`                  mentors paired with running cohorts and their sessions; ambassadors and
                              officers with the registrations their referral links brought
8. `traineeships`             the 2026 summer batch: 60 openings at the host companies, 45 confirmed
                              placements (and applicants still waiting or declined)
9. `traineeship_progress`     that batch under way (months confirmed by the hosts, some overdue, mid-term
                              evaluations, one withdrawal) and the finished 2024 and 2025 batches with
                              their 留用 decisions and certificates
10. `online`                  a hybrid 直播带岗 for two invited partner universities, with online
                              attendance (loaded after the mentors, before the traineeships)
11. `jobfairs`                the 2026 autumn job fair: 12 employers' booths, 40 positions, 150 interests
                              shared by consent (some withdrawn), outcomes marked by the employers
12. `venue_codes`             self check-in at the doors of the next two open events: a screen's
                              rotating code, and a printed poster
13. `duplicates`              two accounts of one person (by mobile, by email) for staff to merge
14. `personal_codes`          我的码: the code authority's key; the demo participant's code works at once
15. `consents`                every account's agreement to the privacy notice in force

Idempotent: what exists is left alone, so a second run creates nothing; every event is
committed on its own, so an interrupted run can simply be repeated.
"""
from __future__ import annotations

import time

import sqlalchemy as sa
from flask import current_app, has_request_context

from app.accounts.models import User, UserRole
from app.checkin.models import Scan
from app.demo.cohorts import load_camp
from app.demo.competitions import load_competition
from app.demo.consents import load_consents
from app.demo.context import DemoRun
from app.demo.duplicates import load_duplicate_person
from app.demo.events_and_registrations import load_events
from app.demo.followups import load_followups
from app.demo.satisfaction import load_satisfaction
from app.demo.jobfairs import load_job_fair
from app.demo.mentors import load_mentors
from app.demo.online import load_online
from app.demo.organisations import demo_hosts, demo_universities, load_links, load_organisations
from app.demo.people import STAFF, load_demo_participant, load_departments, load_participants, load_staff
from app.demo.personal_codes import load_personal_codes
from app.demo.pitch import load_pitch
from app.demo.studios import load_studios
from app.demo.traineeship_progress import load_finished_batch, load_traineeship_progress
from app.demo.traineeships import load_traineeships
from app.demo.venue_codes import load_venue_codes
from app.events.models import Event, EventSession, EventStatus, Question, Series
from app.extensions import db
from app.notifications.models import OutboxMessage
from app.registrations.models import Registration, RegStatus
from app.timeutil import local_today, utcnow
from app.traineeships.models import Placement, TraineeshipBatch
from app.urls import public_base_url

__all__ = ["STAFF", "load_demo"]  # STAFF: the logins README.md lists (tests sign in with them)


def load_demo(participants: int = 300, seed: int = 2026, echo=print) -> str:
    """Load the demo data set and return a one-paragraph summary.

    The services render mail templates and build ticket links, which needs a request context;
    under `flask demo` there is only an application context, so one is made here.
    """
    if has_request_context():
        return _load(participants, seed, echo)
    with current_app.test_request_context(base_url=public_base_url()):
        return _load(participants, seed, echo)


def _load(participants: int, seed: int, echo) -> str:
    started = time.monotonic()
    run = DemoRun(seed=seed, participants=max(0, int(participants)), echo=echo, now=utcnow(), today=local_today())
    load_departments(run)
    load_staff(run)
    load_demo_participant(run)
    load_participants(run)
    load_organisations(run.staff_ids[STAFF[0][0]], run.echo)  # before the programmes: their rows link as made
    load_events(run)
    load_camp(run.seed, run.staff_ids, run.pool, run.demo_user_id, run.echo)
    load_studios(run.seed, run.staff_ids, run.pool, run.echo)
    load_competition(run.seed, run.staff_ids, run.pool, run.demo_user_id, run.echo)
    load_pitch(run.seed, run.staff_ids, run.pool, run.demo_user_id, run.echo)
    load_links(run.staff_ids[STAFF[0][0]], run.echo)
    load_mentors(run.seed, run.staff_ids, run.pool, run.today, run.echo)
    load_online(run)
    _load_traineeships(run)
    load_job_fair(run)  # after the traineeships: their hosts' contacts serve the fair too
    load_venue_codes(run)
    load_followups(run)  # after every programme: the ended ones' people are asked
    load_satisfaction(run)  # after every programme: those who attended an ended occasion are asked
    load_duplicate_person(run)  # after the programmes: her registrations take places the catalogue's people left
    load_personal_codes(run)
    load_consents(run.echo)  # last: every account made above agrees to the notice in force
    text = summary(run)
    created = run.created
    echo(f"demo: done in {time.monotonic() - started:.1f}s "
         f"(new: {created['users']} users, {created['series']} series, "
         f"{created['events']} events, {created['registrations']} registrations)")
    return text


def _load_traineeships(run: DemoRun) -> None:
    hosts, universities = demo_hosts(), demo_universities()
    batch = load_traineeships(run, hosts, universities)
    if batch is not None:
        load_traineeship_progress(run, batch, hosts)
    load_finished_batch(run, hosts, universities)
    db.session.commit()


def summary(run: DemoRun) -> str:
    def count(query):
        return db.session.scalar(query) or 0

    users = count(sa.select(sa.func.count()).select_from(User))
    staff = count(sa.select(sa.func.count(sa.distinct(UserRole.user_id))))
    series = count(sa.select(sa.func.count()).select_from(Series))
    by_status = dict(db.session.execute(
        sa.select(Event.status, sa.func.count()).group_by(Event.status)).all())
    past = count(sa.select(sa.func.count()).select_from(Event).where(
        Event.status == EventStatus.PUBLISHED.value, Event.ends_at < run.now))
    sessions = count(sa.select(sa.func.count()).select_from(EventSession))
    questions = count(sa.select(sa.func.count()).select_from(Question))
    regs = dict(db.session.execute(
        sa.select(Registration.status, sa.func.count()).group_by(Registration.status)).all())
    outbox = count(sa.select(sa.func.count()).select_from(OutboxMessage))
    scans = count(sa.select(sa.func.count()).select_from(Scan))
    batches = count(sa.select(sa.func.count()).select_from(TraineeshipBatch))
    placed = dict(db.session.execute(sa.select(Placement.status, sa.func.count()).group_by(Placement.status)).all())
    published = by_status.get(EventStatus.PUBLISHED.value, 0)
    reg_text = ", ".join(f"{s.value} {regs.get(s.value, 0)}" for s in RegStatus)
    return (f"Demo data: {users} users ({staff} staff, {users - staff} participants); "
            f"{series} series; {sum(by_status.values())} events ({published} published: {past} past, "
            f"{published - past} upcoming; {by_status.get(EventStatus.DRAFT.value, 0)} draft; "
            f"{by_status.get(EventStatus.CANCELLED.value, 0)} cancelled) with {sessions} agenda sessions "
            f"and {questions} questions; {sum(regs.values())} registrations ({reg_text}); "
            f"{scans} check-in scans; {batches} traineeship batches with {placed.get('confirmed', 0)} trainees "
            f"placed now, {placed.get('completed', 0)} completed and {placed.get('withdrawn', 0)} withdrawn; "
            f"{outbox} notifications in the outbox.")
