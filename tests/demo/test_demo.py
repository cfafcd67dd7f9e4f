"""`flask demo`: the demo data set is believable, obeys the seat rules and loads only once."""
from __future__ import annotations

import re

import sqlalchemy as sa

from app.accounts.consents import PrivacyConsent, current_version
from app.accounts.models import User
from app.accounts.services import authenticate
from app.certificates.models import Certificate
from app.checkin import services as checkin
from app.checkin.models import Checkpoint, Scan, ScanResult
from app.cohorts import progression
from app.cohorts.camps import services as cohorts
from app.cohorts.camps.models import Cohort, Enrolment
from app.cohorts.grading import results
from app.cohorts.lessons import attendance
from app.cohorts.lessons.models import AttendanceMark, Lesson
from app.competitions import services as cs
from app.competitions.models import Competition, Entry, Score
from app.demo.catalogue import EVENTS, SERIES
from app.demo.duplicates import ACCOUNTS as DUPLICATE_ACCOUNTS
from app.demo.duplicates import BY_EMAIL as DUPLICATE_BY_EMAIL
from app.demo.jobfairs import NEW_CONTACTS
from app.demo.loader import STAFF, load_demo
from app.demo.plans import SYMPOSIUMS
from app.demo.organisations import HOSTS
from app.demo.studios import STUDIOS
from app.demo.traineeship_progress import FINISHED
from app.demo.traineeships import APPLICANTS
from app.events.models import Event, EventSession, Question, Series
from app.extensions import db
from app.notifications.models import OutboxMessage
from app.registrations.models import Registration, RegistrationHistory, SessionBooking
from app.studios import services as studios
from app.studios.models import Activity, Studio
from app.timeutil import utcnow

PARTICIPANTS = 60


def _counts(db):
    return {model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (User, Series, Event, EventSession, Question, Registration, RegistrationHistory,
                          SessionBooking, OutboxMessage, Scan, AttendanceMark, Enrolment, Lesson, Activity,
                          Entry, Score)}


def test_demo_loads_once_and_obeys_the_seat_rules(app, db_session, monkeypatch):
    decided = []  # every scan must be decided by the check-in service, none written by hand
    real_scan = checkin.scan

    def spy(*args, **kwargs):
        decision = real_scan(*args, **kwargs)
        decided.append(decision.scan.id)
        return decision

    monkeypatch.setattr(checkin, "scan", spy)
    lines = []
    summary = load_demo(participants=PARTICIPANTS, seed=2026, echo=lines.append)
    assert "registrations" in summary and lines
    first = _counts(db)
    assert first["Scan"] == len(decided) == len(set(decided)) > 0

    # + the demo participant, the masters, the host companies' contacts, the young applicants and the
    # job fair's companies' recruiters, and the two accounts of one person to merge
    assert first["User"] == (PARTICIPANTS + len(STAFF) + 1 + len(STUDIOS) + len(HOSTS) + APPLICANTS + NEW_CONTACTS
                             + DUPLICATE_ACCOUNTS)
    assert first["Event"] >= 18 and first["Registration"] > PARTICIPANTS

    # every account agreed to the privacy notice in force: demo logins are not asked first
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(~sa.exists().where(
        PrivacyConsent.user_id == User.id, PrivacyConsent.version == current_version()))) == 0

    again = load_demo(participants=PARTICIPANTS, seed=2026, echo=lambda *a, **k: None)
    assert _counts(db) == first
    assert again == summary

    # the catalogue is loaded whole: its series, events (+ 6 camp cohorts, the studios and the
    # competition's 3 categories, the traineeship batches and the pitch competition, each held on an
    # event, and the autumn job fair; the hybrid 直播带岗 needs a larger audience than this test loads),
    # questions and agenda sessions
    assert first["Series"] == len(SERIES)
    assert first["Event"] == len(EVENTS) + 6 + len(STUDIOS) + 3 + 1 + len(FINISHED) + 1 + 1 + len(SYMPOSIUMS)
    assert first["Question"] == sum(len(e.questions) for e in EVENTS) + len(SYMPOSIUMS)  # the plan's years' ones
    catalogue = {e.title for e in EVENTS}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EventSession).join(Event).where(
        Event.title.in_(catalogue))) == sum(len(e.sessions) for e in EVENTS)

    slugs = set(db.session.scalars(sa.select(Series.slug)))
    assert {"talent-week-2026", "haiju-yingcai", "campus-2026"} <= slugs

    now = utcnow()
    events = list(db.session.scalars(sa.select(Event)))
    assert any(e.ends_at < now and e.is_published for e in events)
    assert any(e.starts_at > now and e.is_published for e in events)

    def status_counts(event):
        rows = db.session.execute(sa.select(Registration.status, sa.func.count())
                                  .where(Registration.event_id == event.id).group_by(Registration.status))
        return dict(rows.all())

    full_with_queue = approval_pending = 0
    for event in events:
        counts = status_counts(event)
        if event.capacity is not None:
            assert counts.get("confirmed", 0) <= event.capacity, event.title
            if counts.get("confirmed", 0) == event.capacity and counts.get("waitlisted", 0) > 0:
                full_with_queue += 1
        else:
            assert not counts.get("waitlisted"), event.title
        if event.requires_approval and counts.get("pending", 0) > 0:
            approval_pending += 1
        if not event.is_published and not event.is_cancelled:
            assert not counts, "a draft has no registrations"
    assert full_with_queue >= 1
    assert approval_pending >= 1

    # the multi-day week: an agenda with one session that has its own, respected, capacity
    sessions = list(db.session.scalars(sa.select(EventSession)))
    assert len({s.event_id for s in sessions}) >= 1 and len(sessions) >= 3
    limited = [s for s in sessions if s.capacity is not None]
    assert limited
    for session in limited:
        seated = db.session.scalar(sa.select(sa.func.count()).select_from(SessionBooking).where(
            SessionBooking.session_id == session.id, SessionBooking.status == "confirmed"))
        assert seated <= session.capacity

    # a per-choice limit like "午餐 | 80" exists
    assert any(q.limited_choices for q in db.session.scalars(sa.select(Question)))

    # people look real: Chinese names, unique 13x/15x/18x mobiles (17x: the traineeships' young applicants
    # and host contacts), some e-mail addresses
    participants = list(db.session.scalars(sa.select(User).where(User.email.is_(None) | ~User.email.like(
        "%@minhang.example"))))
    # (one person signed up a second time by email alone: app/demo/duplicates.py, for staff to merge)
    mobiles = [u.mobile for u in participants if u.email != DUPLICATE_BY_EMAIL["email"]]
    assert len(mobiles) == len(set(mobiles))
    assert all(re.fullmatch(r"1[3578]\d{9}", m) for m in mobiles)
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", u.name) for u in participants)
    assert any(u.email for u in participants)

    # staff and the demo participant sign in with the documented passwords
    for login, password, role, _, departments in STAFF:
        user = authenticate(login, password)
        assert user.has_role(role)
        assert {d.code for d in user.departments} == set(departments)
    demo = authenticate("13800138000", "Demo#2026")
    mine = {r.status for r in db.session.scalars(
        sa.select(Registration).where(Registration.user_id == demo.id))}
    assert {"confirmed", "waitlisted"} <= mine

    # registrations of past events were taken before those events started
    for event in events:
        if event.ends_at < now and event.is_published:
            latest = db.session.scalar(sa.select(sa.func.max(Registration.created_at))
                                       .where(Registration.event_id == event.id))
            assert latest is None or latest.replace(tzinfo=None) < event.starts_at.replace(tzinfo=None)

    # past events have believable attendance: one accepted entry per person, inside the window,
    # only for confirmed registrants holding a seat
    attended = 0
    for event in events:
        if not (event.is_published and event.ends_at < now):
            continue
        for checkpoint in checkin.event_checkpoints(event):
            oks = db.session.scalars(sa.select(Scan).where(Scan.checkpoint_id == checkpoint.id,
                                                           Scan.result == "ok")).all()
            ids = [s.registration_id for s in oks]
            assert len(ids) == len(set(ids)) and set(ids) <= checkin.expected_ids(checkpoint)
            opens, closes = checkin.window(checkpoint)
            assert all(opens <= s.scanned_at <= closes for s in oks), checkpoint.name
            attended += len(ids)
    assert attended > 0

    # every scan (events, lessons, studio activities, the competition day) is the ledger's own:
    # a valid result code, received after it was scanned, an accepted one inside its checkpoint's
    # window and of someone expected there, a refused second scan only after an accepted one
    codes = {r.value for r in ScanResult}
    by_checkpoint: dict[int, list[Scan]] = {}
    for scan in db.session.scalars(sa.select(Scan).order_by(Scan.id)):
        assert scan.result in codes and scan.received_at >= scan.scanned_at
        by_checkpoint.setdefault(scan.checkpoint_id, []).append(scan)
    assert {s.result for scans in by_checkpoint.values() for s in scans} == {"ok", "already_checked_in"}
    for checkpoint_id, scans in by_checkpoint.items():
        checkpoint = db.session.get(Checkpoint, checkpoint_id)
        opens, closes = checkin.window(checkpoint)
        expected = checkin.expected_ids(checkpoint)
        seen = set()
        for scan in scans:
            assert scan.registration_id in expected, checkpoint.name
            if scan.result == "ok":
                assert opens <= scan.scanned_at <= closes and scan.registration_id not in seen, checkpoint.name
                seen.add(scan.registration_id)
            else:
                assert scan.registration_id in seen, checkpoint.name

    # the camp: a cycle with its three tier cohorts, lessons, and attendance of lessons held
    all_cohorts = db.session.scalars(sa.select(Cohort).order_by(Cohort.id)).all()
    assert [c.tier.code for c in all_cohorts] == ["incubation", "growth", "acceleration"] * 2
    past, camp = all_cohorts[:3], all_cohorts[3:]

    assert past[0].enrolments  # the small test data set may leave later cohorts empty
    for cohort in [c for c in past if c.enrolments]:  # finished: results and certificates published
        outcomes = results.outcomes(cohort)
        assert len(outcomes) == len(cohort.enrolments)
        passed = [e for e, o in outcomes if o in ("completed", "distinction")]
        issued = db.session.scalar(sa.select(sa.func.count()).select_from(Certificate).where(
            Certificate.subject_type == "cohort", Certificate.subject_id == cohort.id,
            Certificate.kind == "completion"))
        assert issued == len(passed) > 0
    moved = [e.user for e, _o in progression.graduates(past[0])[:3]]
    assert all(cohorts.enrolment_of(u, camp[1]) is not None for u in moved)  # incubation → growth
    assert sum(c.capacity for c in camp) == camp[0].cycle.intake == 60
    demo = db.session.scalar(sa.select(User).where(User.mobile == "13800138000"))
    assert cohorts.enrolment_of(demo, camp[0]) is not None
    for cohort in camp:
        assert cohorts.enrolled_count(cohort) <= cohort.capacity and cohort.lessons
        assert all(c.has_role("trainer") for c in cohort.trainers)
    rates = [r.rate for r in attendance.rates(camp[0]).values() if r.rate is not None]
    assert rates and 0.5 < sum(rates) / len(rates) <= 1.0
    # excused absences are the trainer's marks, made when the lesson was held, with a reason
    marks = db.session.scalars(sa.select(AttendanceMark)).all()
    assert marks
    for mark in marks:
        lesson = db.session.get(Lesson, mark.lesson_id)
        assert mark.status == "excused" and mark.reason and mark.marked_at == lesson.starts_at
        assert mark.marked_by_id in {t.id for t in lesson.cohort.trainers}

    # three studios with apprentices and activities; attendance only at activities held
    workshops = db.session.scalars(sa.select(Studio)).all()
    assert len(workshops) == 3
    for studio in workshops:
        assert studio.apprenticeships and studio.activities and studio.master.has_role("trainer")
    review = studios.yearly_review(workshops[0], now.year)
    assert review.activities_held > 0 and review.attendance_rate is not None


def test_demo_competition_has_marked_entrants_and_published_results(app, db_session):
    load_demo(participants=PARTICIPANTS, seed=2026, echo=lambda *a, **k: None)
    competition = db.session.scalar(sa.select(Competition))
    assert competition.is_published and competition.level == "district"
    assert [c.name for c in competition.categories] == ["幼儿公共营养", "养老健康照护", "电子竞技"]
    for category in competition.categories:
        assert len(category.judges) == 3 and category.chief_judge is not None
        sheets = cs.category_sheets(category)
        assert sheets and all(s.confirmed and not s.flagged for s in sheets)
        awarded = cs.awards(category)
        assert awarded and awarded[0][1].value == "first" and awarded[0][0].recommended
        assert len(cs.published_results(category)) == len(sheets)
        assert all(cs.first_check_ins(category).get(s.entry.registration_id) for s in sheets)
    assert any(s.old_value is not None for s in db.session.scalars(sa.select(Score)))  # a re-scored judgement
    care = competition.categories[1]
    flagged = cs.conflict_map(care)
    assert any(flagged.values())  # a pending entrant from a judge's employer
    team = competition.categories[2]
    assert all(e.team_name and e.members for e in cs.approved_entries(team))
    li = db.session.scalar(sa.select(cs.Entry).join(cs.Entry.user).where(cs.User.mobile == "13800138000"))
    assert li is not None and cs.result_of(li) is not None
