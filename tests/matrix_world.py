"""One data set for the route × role matrix: the demo's departments are the *victims*, and every
attacker role lives beside them on its own side.

The demo loader builds, through the real services, series, events with sessions, questions,
checkpoints, registrations and tickets, a camp (cohorts, lessons, assessments, grades), studios,
a competition (categories, entries, judges, scores), certificates and outbox mail. On top of it
come what the demo leaves out (an application, a print job, scanner links, API tokens, a draft
event), and the attackers: a participant, a trainer of another cohort, a judge of another
category, an organiser of another department with an event of their own and a volunteer
scanner link for it, and an admin.

Everything private of the victims carries MARK (people's names, a draft event's title, an
application, a print job's and a scanner link's labels); their full mobile and ID numbers are
private strings too. An answer to somebody who does not own the object must contain none of them.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from app.timeutil import utcnow

MARK = "VICTIM7f3a"
PASSWORD = "Matrix#2026-pass"
ROLES = ("anonymous", "participant", "trainer", "judge", "organiser", "scanner", "admin")


@dataclass
class Actor:
    role: str
    client: object
    bearer: str | None = None
    user_id: int | None = None


@dataclass
class World:
    values: dict                      # converter argument -> a victim's object id (or value)
    by_endpoint: dict                 # (endpoint, argument) -> value where the name alone is ambiguous
    actors: dict[str, Actor]
    private: list[str]                # strings no foreign answer may contain
    own: dict = field(default_factory=dict)   # the attackers' own objects (checkpoint, event)


def _sign_up(name: str, mobile: str, roles: list[str], departments=()):
    from app.accounts import consents
    from app.accounts.services import sign_up

    user = sign_up(name=name, password=PASSWORD, mobile=mobile, email=None)
    consents.record(user)  # agreed, as on the sign-up form: the matrix probes pages, not the consent page
    if roles:
        user.set_roles(roles)
    if departments:
        user.departments = list(departments)
    return user


def build(app) -> World:
    """Load the world (inside a request context) and log every attacker in."""
    with app.test_request_context():
        world = _load(app)
    for actor in world.actors.values():
        actor.client = app.test_client()
        if actor.role not in ("anonymous", "scanner"):
            from app.extensions import db

            with app.app_context():
                from app.accounts.models import User

                mobile = db.session.get(User, actor.user_id).mobile
                db.session.remove()
            response = actor.client.post("/login", data={"login": mobile, "password": PASSWORD})
            assert response.status_code == 302, (actor.role, response.status_code)
    return world


def _load(app) -> World:  # noqa: C901 - one straight recipe
    from app.accounts.models import Department, User, UserRole
    from app.accounts.services import issue_api_token
    from app.certificates.models import Certificate, CertificateTemplate, PrintJob
    from app.checkin import links
    from app.checkin.models import Checkpoint
    from app.cohorts.camps.models import Cohort, Enrolment, cohort_trainers
    from app.cohorts.lessons.models import Lesson
    from app.cohorts.models import Application
    from app.competitions.models import Aspect, Category, Criterion, Entry, Result, category_judges
    from app.demo.loader import STAFF, load_demo
    from app.events.models import Event, EventSession, EventStatus, Question
    from app.extensions import db
    from app.notifications.models import InboxMessage, OutboxMessage
    from app.organisations import services as organisations
    from app.registrations.models import Registration
    from app.studios.models import Activity, Apprenticeship, Studio
    from app.tickets.services import ensure_event_key

    load_demo(participants=24, seed=11, echo=lambda *a, **k: None)
    s = db.session
    staff = {login: s.scalar(sa.select(User).where(User.email == login)) for login, *_ in STAFF}
    victim_organiser = staff["organiser@minhang.example"]

    # -- the attackers' side --------------------------------------------------
    side = Department(code="matrix_side", name="矩阵测试科")
    s.add(side)
    s.flush()
    admin = _sign_up("矩阵管理员", "19900000001", ["admin"])
    organiser = _sign_up("矩阵组织者", "19900000002", ["organiser"], [side])
    trainer = _sign_up("矩阵导师", "19900000003", ["trainer"])
    judge = _sign_up("矩阵评委", "19900000004", ["judge"])
    participant = _sign_up("矩阵学员", "19900000005", [])
    start = utcnow() + timedelta(days=10)
    own_event = Event(title="矩阵自己的活动", kind="policy_briefing", department=side, venue="会场", address="地址",
                      starts_at=start, ends_at=start + timedelta(hours=2), status=EventStatus.PUBLISHED.value,
                      published_at=utcnow(), created_by_id=organiser.id)
    s.add(own_event)
    s.flush()
    ensure_event_key(own_event)
    own_checkpoint = Checkpoint(event_id=own_event.id, name="矩阵入口")
    s.add(own_checkpoint)
    s.flush()
    _link, scanner_secret = links.issue_link(organiser, own_event, label="矩阵志愿者", hours=24)

    cohorts = list(s.scalars(sa.select(Cohort).order_by(Cohort.id)))
    taught = cohorts[0]
    s.execute(cohort_trainers.insert().values(cohort_id=taught.id, user_id=trainer.id))
    categories = list(s.scalars(sa.select(Category).order_by(Category.id)))
    judged = categories[0]
    s.execute(category_judges.insert().values(category_id=judged.id, user_id=judge.id))

    plain = sa.select(UserRole.user_id)
    # -- who is not a victim ---------------------------------------------------
    # People the attackers may legitimately see (the trainer's cohort, the judge's category) are
    # not victims; every other plain participant is.
    theirs = set(s.scalars(sa.select(Enrolment.user_id).where(Enrolment.cohort_id == taught.id)))
    theirs |= set(s.scalars(sa.select(Entry.user_id).where(Entry.category_id == judged.id)))
    masters = set(s.scalars(sa.select(Studio.master_id)))
    # Award winners are announced on the competition's public page, by name.
    theirs |= set(s.scalars(sa.select(Entry.user_id).join(Result, Result.entry_id == Entry.id)
                            .where(Result.award.is_not(None))))
    # -- the victims ----------------------------------------------------------
    def richness(event):
        return (len(event.sessions) + len(event.questions),
                s.scalar(sa.select(sa.func.count()).where(Registration.event_id == event.id)))

    published = s.scalars(sa.select(Event).where(Event.status == EventStatus.PUBLISHED.value,
                                                 Event.invitation_only.is_(False),
                                                 Event.department_id == victim_organiser.departments[0].id))
    event = max(published, key=richness)
    # A victim's confirmed registration, on this event if it has one.
    registration = s.scalar(sa.select(Registration).where(Registration.status == "confirmed",
                                                          Registration.user_id.not_in(plain),
                                                          Registration.user_id.not_in(theirs | masters))
                            .order_by((Registration.event_id == event.id).desc(), Registration.id))
    session = s.scalar(sa.select(EventSession).where(EventSession.event_id == event.id).order_by(EventSession.id))
    question = s.scalar(sa.select(Question).where(Question.event_id == event.id).order_by(Question.id))
    checkpoint = s.scalar(sa.select(Checkpoint).where(Checkpoint.event_id == event.id).order_by(Checkpoint.id))
    victim = registration.user
    victim.calendar_token = "matrix-victim-calendar-token"
    draft = Event(title=f"{MARK}-草稿活动", kind="forum", department=event.department, venue="场馆", address="地址",
                  starts_at=start, ends_at=start + timedelta(hours=1), status=EventStatus.DRAFT.value,
                  created_by_id=victim_organiser.id)
    s.add(draft)
    victim_link, _secret = links.issue_link(victim_organiser, event, label=f"{MARK}-志愿者", hours=24)
    issue_api_token(victim_organiser)
    issue_api_token(victim)
    from app.accounts.models import ApiToken

    victim_token = s.scalar(sa.select(ApiToken).where(ApiToken.user_id == victim.id).order_by(ApiToken.id.desc()))
    from app import base64url
    from app.tickets import phone_keys, tokens

    victim_phone = phone_keys.issue(victim, base64url.encode(tokens.new_key_pair()[1]), "matrix").phone_key

    cohort = next(c for c in cohorts if c.id != taught.id and c.lessons and c.enrolments)
    lesson = s.scalar(sa.select(Lesson).where(Lesson.cohort_id == cohort.id).order_by(Lesson.id))
    enrolment = s.scalar(sa.select(Enrolment).where(Enrolment.cohort_id == cohort.id).order_by(Enrolment.id))
    applicant = s.scalar(sa.select(User).where(User.id.not_in(plain),
                                               User.id.not_in(sa.select(Enrolment.user_id)),
                                               User.id.not_in([participant.id]), User.mobile.is_not(None))
                         .order_by(User.id))
    application = Application(cycle_id=cohort.cycle_id, tier_id=cohort.tier_id, user_id=applicant.id,
                              name=applicant.name, mobile=applicant.mobile or "13800000000",
                              company_name=f"{MARK}科技有限公司", uscc="91310112MA1G000000",
                              founded_on=date(2024, 5, 1), industry="ai", team_size=5, funding_stage="angel",
                              business_plan=f"{MARK} 商业计划", status="submitted", submitted_at=utcnow(),
                              updated_at=utcnow(), decision_note="")
    s.add(application)

    category = next(c for c in categories if c.id != judged.id
                    and s.scalar(sa.select(Entry.id).where(Entry.category_id == c.id).limit(1)))
    entry = s.scalar(sa.select(Entry).where(Entry.category_id == category.id).order_by(Entry.id))
    criterion = s.scalar(sa.select(Criterion).where(Criterion.category_id == category.id).order_by(Criterion.id))
    aspect = s.scalar(sa.select(Aspect).where(Aspect.criterion_id == criterion.id).order_by(Aspect.id))
    studio = s.scalar(sa.select(Studio).order_by(Studio.id))
    activity = s.scalar(sa.select(Activity).where(Activity.studio_id == studio.id).order_by(Activity.id))
    pair = s.scalar(sa.select(Apprenticeship).where(Apprenticeship.studio_id == studio.id)
                    .order_by(Apprenticeship.id))
    from app.certificates import services as certificates

    certificates.issue(victim_organiser, certificates.event_subject(event), "attendance",
                       [certificates.Recipient(user=victim)])
    certificate = s.scalar(sa.select(Certificate).where(Certificate.recipient_id == victim.id))
    template = s.scalar(sa.select(CertificateTemplate).order_by(CertificateTemplate.id))
    job = PrintJob(id="matrix0job0victim", status="done", certificate_ids=[certificate.id], done=1, total=1,
                   label=f"{MARK}-打印", created_by_id=victim_organiser.id)
    s.add(job)
    message = s.scalar(sa.select(OutboxMessage).where(OutboxMessage.user_id.is_not(None)).order_by(OutboxMessage.id))
    # The victim's own inbox holds their registration's notice (notices land there by themselves).
    inbox_message = s.scalar(sa.select(InboxMessage).where(InboxMessage.user_id == victim.id).order_by(InboxMessage.id))

    trainees = _traineeship(victim_organiser)
    # The victims' traineeship (tests/matrix_traineeships.py): a trainee and a host's contact.
    from tests.matrix_traineeships import victim_traineeship

    trainee, host_contact = _sign_up("见习学员", "19900000021", []), _sign_up("基地联系人", "19900000022", [])
    traineeship_values = victim_traineeship(s, victim_organiser, trainee, host_contact)
    # The victims' job fair (tests/matrix_jobfairs.py): a seeker who shared with an employer's contact.
    from tests.matrix_jobfairs import victim_job_fair

    seeker, fair_contact = _sign_up("求职者", "19900000023", []), _sign_up("招聘联系人", "19900000024", [])
    jobfair_values, jobfair_endpoints = victim_job_fair(s, victim_organiser, seeker, fair_contact)
    # The victims' plan (tests/matrix_plans.py): an entered target of their department with a figure.
    from tests.matrix_plans import victim_plan

    plan_values = victim_plan(s, victim_organiser, event)

    # -- marking what is private ----------------------------------------------
    own_people = {admin.id, organiser.id, trainer.id, judge.id, participant.id}
    victims = [u for u in s.scalars(sa.select(User).where(User.id.not_in(plain)).order_by(User.id))
               if u.id not in theirs | masters | own_people]
    private = [f"{MARK}-草稿活动", f"{MARK}科技有限公司", f"{MARK}-打印", f"{MARK}-志愿者"]
    for n, person in enumerate(victims, 1):
        person.name = f"{MARK}{n:03d}"
        private += [person.name, *(v for v in (person.mobile, person.id_number) if v)]
    s.flush()
    s.execute(sa.update(Certificate).where(Certificate.recipient_id == User.id)
              .values(recipient_name=User.name).execution_options(synchronize_session=False))
    application.name = applicant.name
    from app.jobfairs.models import Interest

    s.execute(sa.update(Interest).where(Interest.user_id == User.id).values(name=User.name)
              .execution_options(synchronize_session=False))  # the shared profile's copy of the name
    from app import file_store

    file_store.put("matrix.txt", b"public upload", file_store.IMAGE)  # /uploads/<name> serves it

    from app.checkin.venue_codes import screen_code
    from app.cohorts.lessons.attendance import lesson_checkpoint

    # The bureau's shared registry: two spellings of one university, nobody's private data.
    university = organisations.create_organisation(victim_organiser, kind="university", name="矩阵大学")
    # The demo's rosters: a mentor with a founder and a logged session, an ambassador's referral code.
    from app.mentoring.models import MentoringSession, Pairing
    from app.rosters.models import RosterMember

    mentor_pairing = s.scalar(sa.select(Pairing).order_by(Pairing.id))
    mentoring_session = s.scalar(sa.select(MentoringSession).order_by(MentoringSession.id))
    ambassador = s.scalar(sa.select(RosterMember).where(RosterMember.kind == "ambassador").order_by(RosterMember.id))
    duplicate = organisations.create_organisation(victim_organiser, kind="university", name="矩阵大学（闵行）")
    from app.events.organisations import add_organisation

    hosted = add_organisation(victim_organiser, event, university.id, "host_university")
    from app.online.invitations import invite_universities
    from app.registrations.join_links import join_token

    university_invitation, = invite_universities(victim_organiser, event, [university.id])
    # The demo's pitch competition (高服中心's): its first round and an entry of it.
    from app.pitch.models import PitchCompetition, RoundEntry

    pitch = s.scalar(sa.select(PitchCompetition).order_by(PitchCompetition.id))
    pitch_round = pitch.rounds[0]
    pitch_entry_id = s.scalar(sa.select(RoundEntry.entry_id).where(RoundEntry.round_id == pitch_round.id)
                              .order_by(RoundEntry.entry_id))

    # A follow-up survey of the demo's ended programmes (app/demo/followups.py), and its signed link.
    from app.followups.links import survey_token
    from app.followups.models import FollowupSurvey

    followup = s.scalar(sa.select(FollowupSurvey).order_by(FollowupSurvey.id))

    # A 感受度 survey of the demo's ended occasions (app/demo/satisfaction.py), and its signed link.
    from app.satisfaction.models import SatisfactionSurvey
    from app.satisfaction.sending import survey_token as satisfaction_token

    satisfaction = s.scalar(sa.select(SatisfactionSurvey).order_by(SatisfactionSurvey.id))

    # Two accounts of one person, merged by the bureau (the merge pages' undo); their names are private.
    from app.person.merge.services import merge_accounts

    account_merge = merge_accounts(admin, survivor_id=_sign_up(f"{MARK}合并", "19900000031", []).id,
                                   absorbed_id=_sign_up(f"{MARK}合并", "19900000032", []).id, reason=f"{MARK} 同一人")

    # A printed talent record of a victim (its contents: tests/person).
    from app.person.record.models import RecordStatement

    victim_statement = RecordStatement(user_id=victim.id, code="m" * 32, snapshot={
        "version": 1, "name": victim.name, "issued_on": "2026-12-01", "summary": {}, "items": []})
    s.add(victim_statement)
    s.flush()

    # A plan and a bureau-wide report of it, done (app/plans/reports): only readers of the plan get it.
    from app.plans.models import Plan
    from app.plans.reports.models import ReportRun

    report_plan = Plan(slug="matrix-report-plan", title="矩阵报告行动计划", starts_on=date(2022, 1, 1), ends_on=date(2024, 12, 31))
    report_run = ReportRun(plan=report_plan, kind="annual", fmt="pdf", department_ids=None,
                           first_day=date(2022, 1, 1), last_day=date(2022, 12, 31))
    report_run.transition("queued", actor=admin)
    report_run.transition("running")
    report_run.body, report_run.file_name, report_run.progress = b"%PDF-1.7 matrix", "matrix.pdf", 100
    report_run.transition("done")
    s.flush()
    plan_target = _plan_target(s, event)

    values = {
        "target_id": plan_target.id,
        "event_id": event.id, "session_id": session.id, "question_id": question.id,
        "registration_id": registration.id, "checkpoint_id": checkpoint.id, "link_id": victim_link.id,
        "series_id": event.series_id, "slug": event.series.slug, "fmt": "xlsx",
        "cohort_id": cohort.id, "lesson_id": lesson.id, "enrolment_id": enrolment.id, "cycle_id": cohort.cycle_id,
        "application_id": application.id,
        "competition_id": category.competition_id, "category_id": category.id, "entry_id": entry.id,
        "criterion_id": criterion.id, "aspect_id": aspect.id,
        "pitch_id": pitch.id, "round_id": pitch_round.id, "pitch_entry_id": pitch_entry_id,
        "studio_id": studio.id, "activity_id": activity.id, "pair_id": pair.id,
        "organisation_id": university.id, "duplicate_id": duplicate.id, "event_organisation_id": hosted.id,
        "member_id": mentor_pairing.mentor_id, "pairing_id": mentor_pairing.id,
        "cert_id": certificate.id, "template_id": template.id, "job_id": job.id,
        "message_id": message.id, "inbox_id": inbox_message.id, "user_id": victim.id, "token_id": victim_token.id,
        "phone_key_id": victim_phone.id,
        "statement_id": victim_statement.id,
        "judge_id": s.scalar(sa.select(category_judges.c.user_id).where(category_judges.c.category_id == category.id)
                             .order_by(category_judges.c.user_id)),
        "secret": registration.ticket_secret, "token": victim.calendar_token,
        "filename": "css/app.css", "name": "matrix.txt", "provider": "tencent",
        **traineeship_values, **trainees,  # part 1's batch is open with a pending choice
        **jobfair_values, **plan_values,
        "merge_id": account_merge.id,
        "run_id": report_run.id,
    }
    by_endpoint = {
        ("main.set_language", "code"): "en",
        ("checkin.self_check_in", "code"): screen_code(lesson_checkpoint(lesson)),
        ("cohorts.cycle_new", "code"): cohort.cycle.programme.code,
        ("verify.show", "code"): certificate.code,
        ("api.certificate_verify", "code"): certificate.code,
        ("record.verify", "code"): victim_statement.code,
        ("mentoring.rate", "session_id"): mentoring_session.id,
        ("rosters.referral", "code"): ambassador.referral_code,
        # Opening a university's link counts the opening (a write on a GET, which the matrix would blame
        # on the next refused POST): the GET gets a code of no invitation; tests/online covers the real one.
        ("online.invitation", "code"): "zzzzzzzz",
        ("online.register_by_invitation", "code"): university_invitation.code,
        ("online.join", "token"): join_token(registration),
        ("online_beat.heartbeat", "token"): join_token(registration),
        ("followups.answer", "token"): survey_token(followup),
        ("followups.organisation_suggestions", "token"): survey_token(followup),
        ("followups.programme", "kind"): followup.programme_kind,
        ("followups.programme", "programme_id"): followup.programme_id,
        ("followups.people", "kind"): followup.programme_kind,
        ("followups.people", "programme_id"): followup.programme_id,
        ("satisfaction.answer", "token"): satisfaction_token(satisfaction),
        ("satisfaction.template", "kind"): "event",
        **jobfair_endpoints,
    }
    actors = {
        "anonymous": Actor("anonymous", None),
        "participant": Actor("participant", None, issue_api_token(participant), participant.id),
        "trainer": Actor("trainer", None, issue_api_token(trainer), trainer.id),
        "judge": Actor("judge", None, issue_api_token(judge), judge.id),
        "organiser": Actor("organiser", None, issue_api_token(organiser), organiser.id),
        "scanner": Actor("scanner", None, scanner_secret),
        "admin": Actor("admin", None, issue_api_token(admin), admin.id),
    }
    from app.cohorts.models import Assessment

    own_assessment = s.scalar(sa.select(Assessment).where(Assessment.cohort_id == taught.id).order_by(Assessment.id))
    own_entry = s.scalar(sa.select(Entry).where(Entry.category_id == judged.id).order_by(Entry.id))
    s.flush()
    own = {"draft_event_id": draft.id, "taught_cohort_id": taught.id, "taught_assessment_id": own_assessment.id if own_assessment else 0,
           "judged_entry_id": own_entry.id, "checkpoint_id": own_checkpoint.id, "event_id": own_event.id, "victim_series_id": event.series_id,
           "victim_registration_id": registration.id, "victim_certificate_id": certificate.id,
           "department": side.code, "victim_enrolment_id": enrolment.id}
    db.session.commit()
    return World(values=values, by_endpoint=by_endpoint, actors=actors, private=private, own=own)


def _plan_target(s, event):
    """A target of a plan (the demo's first, else one made here) counting the victims who came to
    the victims' events: its dashboard pages list them, to the plan's readers only."""
    from app.plans.models import Plan, Target

    target = s.scalar(sa.select(Target).where(Target.measure == "computed").order_by(Target.id))
    if target is None:
        today = date.today()
        plan = Plan(slug="matrix-plan", title="矩阵三年行动计划", starts_on=today - timedelta(days=400),
                    ends_on=today + timedelta(days=700))
        target = Target(plan=plan, code="matrix_attendees", title="矩阵活动参与人数", number=100, unit="人",
                        rule={"counter": "attendees"}, departments=[event.department])
        s.add(target)
        s.flush()
    return target


def _traineeship(organiser) -> dict:
    """A victim department's traineeship batch, open now: a host company with its contact and a
    place, one applicant accepted (a proposed placement for the bureau), one still pending."""
    from app.organisations import contacts
    from app.organisations import services as organisations
    from app.traineeships import applying, batches, review
    from tests.fixtures.organisations import uscc_for

    start = date.today() + timedelta(days=40)
    batch = batches.create_batch(organiser, department=organiser.departments[0], kind="job_traineeship",
                                 year=start.year, season="summer", title="矩阵见习批次",
                                 applications_open_at=utcnow() - timedelta(days=1),
                                 applications_close_at=utcnow() + timedelta(days=30), starts_on=start,
                                 ends_on=start + timedelta(days=60))
    host = organisations.create_organisation(organiser, kind="host_company", name="矩阵见习基地有限公司",
                                             uscc=uscc_for(7707))
    place = batches.save_place(organiser, batch, host=host, position="矩阵岗位", openings=5, months=2)
    batches.move_batch(organiser, batch, "open")
    contact_user = _sign_up("矩阵基地联系人", "19900000011", [])
    contact = contacts.add_contact(organiser, host, contact_user.mobile)
    details = applying.Details(school_name="矩阵大学", major="管理", education="bachelor", graduation_year=2026,
                               birth_date=date(2003, 1, 1), in_shanghai_household=True, left_school_unemployed=True)
    accepted = applying.apply(_sign_up("矩阵见习生甲", "19900000012", []), batch, details, [place.id])
    pending = applying.apply(_sign_up("矩阵见习生乙", "19900000013", []), batch, details, [place.id])
    placement = review.accept(contact_user, accepted.choices[0])
    return {"batch_id": batch.id, "place_id": place.id, "choice_id": pending.choices[0].id,
            "placement_id": placement.id, "trainee_application_id": pending.id, "contact_id": contact.id}


# -- what changed ---------------------------------------------------------------
def fingerprint(app, skip=()) -> dict[str, str]:
    """A digest of every table's rows, so a refused POST can be shown to have changed nothing.

    The scan log is the one table a refused request may legitimately write to (failed scans are
    kept); for it, what must not change is whether a scan ties a registration to a checkpoint of
    another event, or admits anyone.
    """
    from app.extensions import db

    digests = {}
    with app.app_context():
        with db.engine.connect() as conn:
            for table in db.metadata.sorted_tables:
                if table.name in skip:
                    continue
                if table.name == "scans":
                    rows = conn.execute(sa.text(
                        "SELECT s.registration_id, s.checkpoint_id, s.result FROM scans s "
                        "JOIN checkpoints c ON c.id = s.checkpoint_id "
                        "LEFT JOIN registrations r ON r.id = s.registration_id "
                        "WHERE s.result = 'ok' OR (r.id IS NOT NULL AND r.event_id <> c.event_id) "
                        "ORDER BY s.id")).all()
                else:
                    # Raw rows (no type conversion): this runs around every POST of the matrix.
                    order = ", ".join(c.name for c in table.primary_key.columns)
                    rows = conn.exec_driver_sql(f'SELECT * FROM "{table.name}" ORDER BY {order}').all()
                digests[table.name] = hashlib.sha1(repr(rows).encode()).hexdigest()
        db.session.remove()
    return digests
