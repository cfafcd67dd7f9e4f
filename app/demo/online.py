"""The demo's hybrid 直播带岗: a campus recruiting event of 区就促中心 held three days ago at a
university and streamed on 视频号, for the students of two invited partner universities (each
with its own invitation link). Students registered through those links; some came to the hall
(door scans), and 40 watched online (joins through their personal links and the heartbeats of
their join pages, through the same services as the live pages, at the times they happened)."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from flask import current_app

from app.accounts.models import User
from app.checkin import services as checkin
from app.demo import post_dating
from app.demo.context import DemoRun
from app.demo.organisations import demo_universities
from app.demo.people import organiser_of
from app.events import services as events
from app.events.models import Event, EventFormat, EventKind
from app.extensions import db
from app.lifecycle import services as lifecycle
from app.online import invitations, parts, presence
from app.registrations.join_links import join_token
from app.timeutil import LOCAL_TZ, utcnow

TITLE = "2026闵而好才·行者常至 直播带岗（秋季校园专场）"
STREAM = "https://channels.weixin.qq.com/live/minhang-jiuye-2026"
REPLAY = "https://www.bilibili.com/video/BV1mh2026zbdg"
ONLINE = 40
REGISTERED = (34, 30)  # students of each invited university
ONSITE = 18


def load_online(run: DemoRun) -> None:
    if db.session.scalar(sa.select(Event.id).where(Event.title == TITLE)) is not None:
        return
    universities = [u for u in demo_universities() if u is not None][:2]
    students = [uid for uid, _persona in run.pool]
    if len(universities) < 2 or len(students) < sum(REGISTERED):
        return  # a demo scaled down below one event's audience
    rng = random.Random(f"{run.seed}:online")
    actor = organiser_of(run, "employment")
    day = run.today - timedelta(days=3)
    starts = datetime(day.year, day.month, day.day, 14, 0, tzinfo=LOCAL_TZ).astimezone(timezone.utc)
    ends = starts + timedelta(hours=2)
    shift = (run.now - starts) + timedelta(days=1)  # registered while it lay ahead, then moved back
    event = lifecycle.create_event(
        actor, title=TITLE, kind=EventKind.CAMPUS_RECRUITING.value, format=EventFormat.HYBRID.value,
        invited_only=True, department_id=run.departments["employment"], venue=f"{universities[0].name} 学生活动中心",
        address="", starts_at=starts + shift, ends_at=ends + shift, capacity=300, status="published",
        description="闵行区重点企业HR走进校园直播带岗：现场宣讲与视频号同步直播，线上观看满30分钟计为参会。")
    parts.save_part(actor, event, stream_url=STREAM, access_code="", reveal_minutes=30, attended_minutes=30,
                    replay_url=REPLAY)
    links = invitations.invite_universities(actor, event, [u.id for u in universities])
    loading_from = utcnow()
    chosen = rng.sample(students, sum(REGISTERED))
    registrations = []
    for link, count in zip(links, REGISTERED):
        link.opens = count + rng.randint(15, 40)  # forwarded by the career office, opened by more than register
        for uid in chosen[:count]:
            registrations.append(invitations.register_invited(db.session.get(User, uid), event, code=link.code))
        chosen = chosen[count:]
    db.session.flush()
    loading_to = utcnow()
    post_dating.move_event_back(event, shift, registration_opens_at=starts - timedelta(days=14),
                                registration_closes_at=starts)
    post_dating.spread_registrations(event.id, loading_from, loading_to, starts - timedelta(days=12),
                                     starts - timedelta(hours=3))
    post_dating.date_event(event, created_at=starts - timedelta(days=16), published_at=starts - timedelta(days=15))
    _attend(rng, event, registrations)
    db.session.commit()
    run.created["events"] += 1
    run.created["registrations"] += len(registrations)
    run.echo(f"demo: {TITLE}: {len(registrations)} registered, {ONSITE} in the hall, {ONLINE} online")


def _attend(rng: random.Random, event: Event, registrations: list) -> None:
    order = list(registrations)
    rng.shuffle(order)
    door = checkin.event_checkpoint(event)
    for registration in order[:ONSITE]:
        at = event.starts_at + timedelta(minutes=rng.uniform(-25, 10))
        checkin.scan(door, None, registration_id=registration.id, scanned_at=at, now=at, device="demo-door")
    step = timedelta(seconds=int(current_app.config["ONLINE_HEARTBEAT_SECONDS"]))
    for registration in order[ONSITE:ONSITE + ONLINE]:
        token = join_token(registration)
        joined = event.starts_at + timedelta(minutes=rng.uniform(-5, 20))
        # most stay past the 30 minutes that count; a few drop out early
        stayed = timedelta(minutes=rng.uniform(35, 100) if rng.random() < 0.8 else rng.uniform(3, 25))
        presence.join(token, now=joined)
        at = joined + step
        while at <= min(joined + stayed, event.ends_at):
            presence.heartbeat(token, now=at)
            at += step
