"""Master studios: 传帮带 pairs with QR credentials, activities checked in through the shared
check-in service, achievements, the yearly review and this year's openings against the target."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.checkin import links
from app.checkin import services as checkin
from app.checkin.models import Scan
from app.errors import Conflict, InvalidInput, PermissionDenied
from app.registrations import services as reg
from app.studios import services as studios
from app.studios.models import YEARLY_TARGET
from app.tickets import services as tickets
from app.timeutil import local_today, utcnow
from tests.conftest import login


def test_studio_runs_on_an_invitation_only_event(db_session, studio, create_user, departments):
    assert studio.event.invitation_only and studio.event.is_published
    with pytest.raises(Conflict):
        reg.register(create_user(), studio.event)
    with pytest.raises(PermissionDenied):
        studios.create_studio(create_user("organiser", department="talent_center"), name="别的工作室",
                              master=studio.master, trade="焊接", department=departments["skills"],
                              founded_on=date(2026, 5, 1))
    with pytest.raises(InvalidInput) as error:
        studios.create_studio(studio.organiser, name=studio.name, master=None, trade="", level="province",
                              department=departments["skills"], founded_on=date(2026, 5, 1))
    assert {"name", "master_id", "trade", "level"} <= set(error.value.fields)


def test_apprentices_and_activity_attendance_through_the_check_in_service(db_session, studio, create_user,
                                                                        create_event):
    a, b = create_user(name="钱喆"), create_user(name="王堃")
    pair_a = studios.add_apprentice(studio.organiser, studio, a, started_on=date(2026, 4, 1),
                                    goals="三年内取得技师资格")
    pair_b = studios.add_apprentice(studio.organiser, studio, b, started_on=date(2026, 4, 1))
    with pytest.raises(Conflict):
        studios.add_apprentice(studio.organiser, studio, a, started_on=date(2026, 4, 2))
    with pytest.raises(InvalidInput):
        studios.add_apprentice(studio.organiser, studio, studio.master, started_on=date(2026, 4, 2))
    start = utcnow() - timedelta(minutes=30)
    activity = studios.save_activity(studio.organiser, studio, title="五轴联动加工技能攻关", kind="problem_solving",
                                     starts_at=start, ends_at=start + timedelta(hours=3), place="实训车间")
    db_session.commit()
    point = checkin.session_checkpoint(activity.session)
    ok = checkin.scan(point, tickets.ticket_token(pair_a.registration), device="车间门口")
    assert ok.result.value == "ok" and ok.registration.user.name == "钱喆"
    stranger = reg.register(create_user(), create_event())
    assert checkin.scan(point, tickets.ticket_token(stranger)).result.value == "not_registered"
    db_session.commit()
    seen = studios.activity_attendance(activity)
    assert seen[pair_a.id] is not None and seen[pair_b.id] is None
    # the master takes attendance with a scanner link limited to this activity
    secret = studios.activity_scanner(studio.master, activity)
    db_session.commit()
    link = links.link_for_secret(secret)
    assert link.checkpoint_id == point.id
    with pytest.raises(PermissionDenied):
        studios.activity_scanner(create_user("trainer"), activity)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Scan)) == 2


def test_yearly_review_and_the_target(db_session, studio, create_user, departments):
    a, b = create_user(name="张玥"), create_user(name="赵赟")
    pair_a = studios.add_apprentice(studio.organiser, studio, a, started_on=date(2026, 4, 1))
    pair_b = studios.add_apprentice(studio.organiser, studio, b, started_on=date(2025, 1, 1))
    studios.end_apprenticeship(studio.organiser, pair_b, ended_on=date(2025, 12, 31), note="已出师")
    held = []
    for hours in (30, 6):
        start = utcnow() - timedelta(hours=hours)
        held.append(studios.save_activity(studio.organiser, studio, title=f"培训 {hours}", starts_at=start,
                                          ends_at=start + timedelta(hours=2)))
    future = utcnow() + timedelta(days=3)
    studios.save_activity(studio.organiser, studio, title="参观", kind="visit", starts_at=future,
                          ends_at=future + timedelta(hours=2))
    db_session.commit()
    checkin.scan(checkin.session_checkpoint(held[1].session), tickets.ticket_token(pair_a.registration),
                 scanned_at=held[1].starts_at)
    studios.record_achievement(studio.master, pair_a, kind="skill_level", title="高级工（三级）证书",
                               achieved_on=local_today())
    with pytest.raises(InvalidInput):
        studios.record_achievement(studio.master, pair_a, kind="skill_level", title="未来",
                                   achieved_on=local_today() + timedelta(days=1))
    db_session.commit()
    review = studios.yearly_review(studio, local_today().year)
    if all(h.starts_at.year == local_today().year for h in held):
        assert review.activities_held == 2 and review.attendance_rate == 0.5
    assert [p.apprentice.name for p in review.apprentices] == ["张玥"]  # 赵赟 finished last year
    assert [x.title for x in review.achievements] == ["高级工（三级）证书"]
    assert studios.yearly_review(studio, 2025).apprentices == [pair_b]
    target = studios.opened_in(2026)
    assert target.opened == 1 and target.target == YEARLY_TARGET == 5 and target.share == 0.2


def test_studio_pages(client, db_session, studio, create_user):
    studios.add_apprentice(studio.organiser, studio, create_user(name="钱喆", mobile="13922223333"),
                           started_on=date(2026, 4, 1))
    db_session.commit()
    login(client, studio.organiser)
    listing = client.get("/console/studios/?year=2026").get_data(as_text=True)
    assert studio.name in listing and 'aria-valuenow="1"' in listing
    page = client.get(f"/console/studios/{studio.id}").get_data(as_text=True)
    assert "钱喆" in page and "139****3333" in page and "13922223333" not in page
    added = client.post(f"/console/studios/{studio.id}", data={"mobile": "13900009999", "started_on": "2026-05-01"})
    assert added.status_code == 200  # no such account: the form says so and nothing changes
    new = client.post("/console/studios/new", data={
        "name": "沈雪芳养老护理技能大师工作室", "master_mobile": studio.master.mobile, "trade": "养老护理",
        "department_id": studio.department_id, "level": "city", "status": "active", "founded_on": "2026-06-01"})
    assert new.status_code == 302
    client.post("/logout")
    login(client, studio.master)
    assert client.get(f"/console/studios/{studio.id}").status_code == 200
    other = create_user("trainer")
    client.post("/logout")
    login(client, other)
    assert client.get(f"/console/studios/{studio.id}").status_code == 403


def test_another_studios_activity_and_apprentices_are_refused_with_their_ids(client, db_session, studio,
                                                                               create_studio, create_user,
                                                                               departments):
    """Issue 11, finding 1 (ids from the client): an organiser opening their own studio's
    activity form with the id of another department's activity saw its title and summary; a
    manual check-in at one's own activity with an apprentice of another studio is refused."""
    theirs_organiser = create_user("organiser", department="talent_center")
    theirs = create_studio(theirs_organiser, master=create_user("trainer"), name="别处的技能大师工作室", trade="焊接",
                           department=departments["talent_center"], founded_on=date(2026, 4, 1))
    start = utcnow() - timedelta(minutes=30)
    secret_activity = studios.save_activity(theirs_organiser, theirs, title="保密的攻关课题", summary="内部工艺参数",
                                            starts_at=start, ends_at=start + timedelta(hours=2))
    foreign = studios.add_apprentice(theirs_organiser, theirs, create_user(name="别处学徒"),
                                     started_on=date(2026, 4, 1))
    mine = studios.save_activity(studio.organiser, studio, title="本室活动", starts_at=start,
                                 ends_at=start + timedelta(hours=2))
    db_session.commit()
    login(client, studio.organiser)
    form = client.get(f"/console/studios/{studio.id}/activities/{secret_activity.id}")
    assert form.status_code == 404 and "保密的攻关课题" not in form.get_data(as_text=True)
    posted = client.post(f"/console/studios/{studio.id}/activities/{secret_activity.id}",
                         data={"title": "改掉", "kind": "training", "starts_at": "2026-05-01T09:00",
                               "ends_at": "2026-05-01T11:00"})
    assert posted.status_code == 404
    db_session.expire_all()
    assert secret_activity.title == "保密的攻关课题"
    decision = checkin.scan(checkin.session_checkpoint(mine.session), None, registration_id=foreign.registration_id)
    assert decision.result.value == "not_registered" and decision.registration is None


def test_adding_an_apprentice_finds_them_however_the_mobile_is_typed(client, db_session, studio, create_user):
    """Issue 13: "+86 138 1234 5678" and full-width digits found nobody; the number is read as the
    login reads it."""
    spaced = create_user(name="林森", mobile="13812345678")
    wide = create_user(name="许诺", mobile="13987654321")
    login(client, studio.organiser)
    for typed in ("+86 138 1234 5678", "１３９－８７６５－４３２１"):
        answer = client.post(f"/console/studios/{studio.id}", data={"mobile": typed, "started_on": "2026-05-01"})
        assert answer.status_code == 302, typed
    db_session.expire_all()
    assert {p.apprentice_id for p in studio.apprenticeships} == {spaced.id, wide.id}
