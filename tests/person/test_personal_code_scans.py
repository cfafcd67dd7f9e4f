"""The personal code (我的码) at checkpoints of every kind of occasion: accepted where the person
holds a place, `not_registered` elsewhere, the ticket's result codes after that, and the code's
own refusals (expired, forged, another phone's, revoked)."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app import base64url
from app.audit.models import AuditEntry
from app.checkin import services as checkin
from app.checkin.models import Scan, ScanResult
from app.cohorts.camps import services as cohorts
from app.cohorts.lessons import schedule
from app.errors import Conflict, InvalidInput, NotFound
from app.events.models import EventSession
from app.registrations import services as reg
from app.registrations.models import Registration
from app.studios import services as studios
from app.tickets import personal_codes, phone_keys
from app.tickets import services as tickets
from app.timeutil import utcnow
from app.traineeships import training_days


def _result(point, code, **kw):
    return checkin.scan(point, code, device="门口", **kw).result.value


@pytest.fixture
def places(db_session, create_user, create_event, create_cohort, create_studio, placed_batch):
    """张玥 holds a place at an event with an agenda session, a camp cohort (a lesson now), a studio
    (an activity now) and a traineeship batch (a training day now); 李喆 at none of them."""
    made = placed_batch(trainees=(1,))
    person = made.placements[0].registration.user
    now = utcnow()
    event = create_event(title="海聚英才宣讲会", starts_at=now + timedelta(minutes=30),
                         ends_at=now + timedelta(hours=3))
    talk = EventSession(event=event, title="政策解读", starts_at=now - timedelta(minutes=10),
                        ends_at=now + timedelta(hours=1), capacity=50)
    db_session.add(talk)
    db_session.flush()
    reg.register(person, event)
    cohort = create_cohort()
    cohorts.enrol(cohort.runner, cohort, person)
    lesson = schedule.save_lesson(cohort.runner, cohort, title="商业计划书写作", starts_at=now - timedelta(minutes=20),
                                  ends_at=now + timedelta(hours=2), kind="lecture", trainer=cohort.trainers[0])
    studio = create_studio()
    studios.add_apprentice(studio.organiser, studio, person, started_on=date(2026, 4, 1))
    activity = studios.save_activity(studio.organiser, studio, title="五轴联动加工", kind="problem_solving",
                                     starts_at=now - timedelta(minutes=20), ends_at=now + timedelta(hours=2))
    day = training_days.save_training_day(made.organiser, made.batch, title="岗前培训", kind="opening",
                                          starts_at=now - timedelta(minutes=20), ends_at=now + timedelta(hours=2))
    db_session.commit()
    points = {"event": checkin.event_checkpoint(event), "event session": checkin.session_checkpoint(talk),
              "camp lesson": checkin.session_checkpoint(lesson.session),
              "studio activity": checkin.session_checkpoint(activity.session),
              "training day": checkin.session_checkpoint(day.session)}
    db_session.commit()
    return {"person": person, "stranger": create_user(name="李喆"), "points": points, "event": event}


KINDS = ["event", "event session", "camp lesson", "studio activity", "training day"]


def test_accepted_at_every_kind_of_occasion_where_the_person_has_a_place(db_session, places, phone):
    mine, stranger = phone(places["person"]), phone(places["stranger"])
    for kind in KINDS:
        point = places["points"][kind]
        decision = checkin.scan(point, mine.code(utcnow()), device="门口")
        assert (kind, decision.result.value) == (kind, "ok")
        assert decision.registration.user_id == places["person"].id
        assert decision.scan.detail == {"method": "personal_code", "phone_key": mine.key_id}
        assert (kind, _result(point, stranger.code(utcnow()))) == (kind, "not_registered")
        assert (kind, _result(point, mine.code(utcnow()))) == (kind, "already_checked_in")
    db_session.commit()
    stored = db_session.scalars(sa.select(Scan).where(Scan.result == "ok")).all()
    assert len(stored) == len(KINDS) and all(s.registration.user_id == places["person"].id for s in stored)


def test_refused_at_an_occasion_where_the_person_holds_no_place(db_session, places, phone, create_cohort,
                                                                create_studio, create_event):
    """The person's code at occasions of the same kinds they have no place at."""
    mine = phone(places["person"])
    now = utcnow()
    other = create_event(starts_at=now + timedelta(minutes=10))
    cohort = create_cohort()
    lesson = schedule.save_lesson(cohort.runner, cohort, title="别班的课", starts_at=now - timedelta(minutes=5),
                                  ends_at=now + timedelta(hours=1), kind="lecture", trainer=cohort.trainers[0])
    db_session.commit()
    for point in (checkin.event_checkpoint(other), checkin.session_checkpoint(lesson.session)):
        assert _result(point, mine.code(now)) == "not_registered"


def test_the_ticket_path_after_the_person_is_found(db_session, create_event, create_user, phone):
    now = utcnow()
    event = create_event(capacity=1, starts_at=now + timedelta(minutes=30), ends_at=now + timedelta(hours=2))
    first, second = create_user(), create_user(name="王堃")
    reg.register(first, event)
    waiting = reg.register(second, event)
    db_session.commit()
    assert waiting.status == "waitlisted"
    point = checkin.event_checkpoint(event)
    assert _result(point, phone(second).code(now)) == "not_confirmed"
    late = create_event(starts_at=now + timedelta(days=2))
    reg.register(first, late)
    db_session.commit()
    assert _result(checkin.event_checkpoint(late), phone(first).code(now)) == "outside_window"


def test_a_61_second_old_code_is_expired_a_60_second_old_one_is_not(db_session, places, phone):
    mine = phone(places["person"])
    point = places["points"]["event"]
    now = utcnow()
    old = checkin.scan(point, mine.code(now - timedelta(seconds=61)), scanned_at=now)
    assert old.result.value == "expired" and old.scan.detail["reason"] == "code_too_old"
    assert old.registration.user_id == places["person"].id  # the log shows whose code it was
    assert old.message == ScanResult.EXPIRED.message != ScanResult.INVALID.message
    assert _result(point, mine.code(now - timedelta(seconds=60)), scanned_at=now) == "ok"
    # a code from a phone clock far ahead is not current either
    assert _result(point, mine.code(now + timedelta(minutes=5)), scanned_at=now) == "expired"


def test_an_offline_scan_is_judged_at_the_moment_the_scanner_saw_it(db_session, places, phone):
    mine = phone(places["person"])
    seen = utcnow() - timedelta(minutes=20)
    code = mine.code(seen - timedelta(seconds=5))
    decision = checkin.scan(places["points"]["event"], code, scanned_at=seen, nonce="offline-1")
    assert decision.result.value == "ok"


def test_forged_altered_and_foreign_codes_are_invalid(db_session, places, phone):
    mine, other = phone(places["person"]), phone(places["stranger"])
    point = places["points"]["event"]
    now = utcnow()
    raw = bytearray(base64url.decode(mine.code(now)))
    raw[-1] ^= 1  # the phone's signature
    assert _result(point, base64url.encode(bytes(raw))) == "invalid"
    raw = bytearray(base64url.decode(mine.code(now)))
    raw[100] ^= 1  # the authority's signature
    assert _result(point, base64url.encode(bytes(raw))) == "invalid"
    # a credential altered to another person: the authority's signature no longer matches
    raw = bytearray(base64url.decode(other.code(now)))
    raw[5:9] = places["person"].id.to_bytes(4, "big")
    assert _result(point, base64url.encode(bytes(raw))) == "invalid"
    # 张玥's credential signed with another phone's key
    thief = personal_codes.make_code(mine.credential, other.private, int(now.timestamp()))
    decision = checkin.scan(point, thief)
    assert decision.result.value == "invalid" and decision.registration is None
    # ids beyond the columns, junk of the right length, a huge token: refused, never a 500
    assert _result(point, "A" * personal_codes.CODE_CHARS) == "invalid"
    assert _result(point, "!" * personal_codes.CODE_CHARS) == "invalid"
    assert _result(point, mine.code(now) + "A") == "invalid"


def test_an_expired_credential_is_refused(db_session, places, phone):
    yesterday = utcnow() - timedelta(hours=25)
    mine = phone(places["person"], now=yesterday)
    decision = checkin.scan(places["points"]["event"], mine.code(utcnow()))
    assert decision.result.value == "expired" and decision.scan.detail["reason"] == "credential_expired"


def test_a_revoked_phone_is_refused_online_at_once(db_session, places, phone, admin):
    mine, spare = phone(places["person"]), phone(places["person"])
    point = places["points"]["event"]
    key = phone_keys.get_phone_key(places["person"], mine.key_id)
    phone_keys.revoke(places["person"], key)
    db_session.commit()
    decision = checkin.scan(point, mine.code(utcnow()))
    assert decision.result.value == "revoked" and decision.registration.user_id == places["person"].id
    assert _result(point, spare.code(utcnow())) == "ok"  # the person's other phone still works
    with pytest.raises(Conflict) as refused:  # no new credential for the revoked key
        mine.get_credential()
    assert refused.value.code == "revoked"
    with pytest.raises(Conflict):
        phone_keys.revoke(places["person"], key)
    # staff revoke with a reason; nobody else may
    spare_key = phone_keys.get_phone_key(admin, spare.key_id)
    with pytest.raises(NotFound):
        phone_keys.get_phone_key(places["stranger"], spare.key_id)
    with pytest.raises(InvalidInput):
        phone_keys.revoke(admin, spare_key, "")
    phone_keys.revoke(admin, spare_key, "本人来电挂失")
    db_session.commit()
    actions = db_session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.like("phone_key.%"))).all()
    assert actions.count("phone_key.revoke") == 2 and actions.count("phone_key.add") == 2


def test_a_phone_key_is_one_persons_and_a_sixth_phone_retires_the_oldest(db_session, create_user, phone):
    from tests.fixtures.person_codes import Phone

    person, other = create_user(), create_user()
    phones = [phone(person) for _ in range(phone_keys.MAX_PHONES + 1)]
    live = [p for p in phone_keys.phones(person) if p.revoked_at is None]
    assert len(live) == phone_keys.MAX_PHONES and phones[0].key_id not in {p.id for p in live}
    stolen = Phone(other)
    stolen.public, stolen.private = phones[1].public, phones[1].private
    with pytest.raises(Conflict) as refused:
        stolen.get_credential()
    assert refused.value.code == "key_taken"
    for junk in ("", "abc", base64url.encode(b"\x00" * 31), None, 5):
        with pytest.raises(InvalidInput):
            phone_keys.issue(person, junk)


def test_tickets_keep_working_beside_personal_codes(db_session, places, phone):
    registration = db_session.scalar(sa.select(Registration).where(Registration.event_id == places["event"].id))
    assert _result(places["points"]["event"], tickets.ticket_token(registration)) == "ok"
    assert _result(places["points"]["event"], phone(places["person"]).code(utcnow())) == "already_checked_in"


def test_a_competition_day_admits_approved_entrants_and_not_pending_ones(db_session, contest, enter, phone,
                                                                         create_user):
    approved, pending = enter(name="王丽"), enter(name="陈静", approve=False)
    point = checkin.event_checkpoint(contest.category.event)
    db_session.commit()
    assert _result(point, phone(approved.user).code(utcnow())) == "ok"
    assert _result(point, phone(pending.user).code(utcnow())) == "not_confirmed"
    assert _result(point, phone(create_user()).code(utcnow())) == "not_registered"
