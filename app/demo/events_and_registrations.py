"""Demo series, events and registrations, from the catalogue (`app.demo.catalogue`).

Events go through `app.events.services` and every seat (capacity, waiting list, approval,
per-choice limits, agenda sessions) through `app.registrations.services`, so the demo obeys the
same rules as real data. A past event is built as if its registration were open now, filled,
then moved back to its dates with the registrations spread over its registration period
(`app.demo.post_dating`); its attendance is then scanned through the check-in service
(`app.demo.attendance`).

Idempotent: series (by slug) and events (by title) that exist are left alone; every event is
committed on its own, so an interrupted run can simply be repeated.
"""
from __future__ import annotations

import math
import random
import time
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from app.accounts.models import Department, User
from app.demo import post_dating
from app.demo.attendance import event_attendance
from app.demo.catalogue import CANCEL_REASONS, EVENTS, SERIES, E
from app.demo.context import DemoRun
from app.demo.people import ADMIN, load_users, organiser_of
from app.events import services as events
from app.events.models import Event, QuestionKind, Series
from app.extensions import db
from app.lifecycle import agenda
from app.lifecycle import services as lifecycle
from app.registrations import services as registrations
from app.registrations.models import RegStatus
from app.timeutil import LOCAL_TZ, utcnow


def load_events(run: DemoRun) -> None:
    """The series, then every event of the catalogue with its registrations and attendance."""
    loader = _Events(run)
    series = loader.series()
    for index, spec in enumerate(EVENTS, 1):
        loader.event(index, spec, series)


class _Events:
    """Loads one event of the catalogue at a time, with what the run carries (people, clock)."""

    def __init__(self, run: DemoRun):
        self.run = run

    def series(self) -> dict[str, int]:
        admin = db.session.get(User, self.run.staff_ids[ADMIN])
        result = {}
        for slug, name, dept, description in SERIES:
            series = db.session.scalar(sa.select(Series).where(Series.slug == slug))
            if series is None:
                series = events.save_series(admin, name=name, slug=slug, description=description,
                                            department=db.session.get(Department, self.run.departments[dept]))
                post_dating.date_series(series, created_at=self.run.now - timedelta(days=60))
                self.run.created["series"] += 1
            result[slug] = series.id
        db.session.commit()
        return result

    def _at(self, day: int, hhmm: str) -> datetime:
        hour, minute = map(int, hhmm.split(":"))
        d = self.run.today + timedelta(days=day)
        return datetime(d.year, d.month, d.day, hour, minute, tzinfo=LOCAL_TZ).astimezone(timezone.utc)

    def event(self, index: int, spec: E, series: dict[str, int]) -> None:
        if db.session.scalar(sa.select(Event.id).where(Event.title == spec.title)) is not None:
            return
        started = time.monotonic()
        rng = random.Random(f"{self.run.seed}:event:{spec.title}")
        actor = organiser_of(self.run, spec.dept)
        starts, ends = self._at(spec.day, spec.start), self._at(spec.end_day or spec.day, spec.end)
        opens = self._at(spec.day - spec.opens_before, "09:00")
        closes = self._at(spec.day - spec.closes_before, "12:00") if spec.closes_before else None
        if spec.closes_before == 0:
            closes = starts
        registering = spec.state != "draft" and opens <= self.run.now
        past = registering and self.run.now >= (closes or ends)
        # Registration of a past event happened while it was open: build it in the near future,
        # take the registrations, then move it (and them) back to where it belongs.
        shift = timedelta(days=(self.run.today - (starts.astimezone(LOCAL_TZ).date())).days + 3) \
            if past else timedelta(0)

        capacity, wanted = self._size(spec)
        window_start = self.run.now
        series_id = series.get(spec.series)
        # A brand series gathers events of several departments; only the series' own organisers
        # (or an admin) put an event on it, so the admin does it for the other departments.
        joins = series_id if series_id and events.can_manage_series(actor, db.session.get(Series, series_id)) \
            else None
        event = events.create_event(
            actor, title=spec.title, series_id=joins, kind=spec.kind,
            department_id=self.run.departments[spec.dept], venue=spec.venue, address=spec.address,
            starts_at=starts + shift, ends_at=ends + shift, description=spec.description,
            capacity=capacity, requires_approval=spec.approval,
            registration_opens_at=None if past else opens, registration_closes_at=None if past else closes)
        if series_id and not joins:
            events.update_event(db.session.get(User, self.run.staff_ids[ADMIN]), event,
                                series_id=series_id)
        first_day = starts.astimezone(LOCAL_TZ).date() - self.run.today
        for s in spec.sessions:
            session_cap = None if s.capacity is None else min(s.capacity, max(4, wanted // 4))
            agenda.save_session(actor, event, title=s.title, room=s.room, speaker=s.speaker,
                                starts_at=self._at(first_day.days + s.day, s.start) + shift,
                                ends_at=self._at(first_day.days + s.day, s.end) + shift,
                                capacity=session_cap)
        for q in spec.questions:
            events.save_question(actor, event, label=q.label, kind=q.kind, required=q.required,
                                 help_text=q.help_text,
                                 choices=events.parse_choices(q.choices) if q.choices else None)
        if spec.state != "draft":
            lifecycle.publish_event(actor, event)
        db.session.flush()

        made = 0
        if registering:
            loading_from = utcnow()
            made = self._register_all(rng, spec, event, actor, wanted)
            db.session.flush()
            loading_to = utcnow()
            if past:
                post_dating.move_event_back(event, shift, registration_opens_at=opens,
                                            registration_closes_at=closes)
            reg_to = min(closes or starts, self.run.now) - timedelta(minutes=20)
            reg_from = min(opens + timedelta(hours=1), reg_to - timedelta(hours=2))
            post_dating.spread_registrations(event.id, loading_from, loading_to, reg_from, reg_to)
            window_start = reg_from
        published = window_start - timedelta(days=1, hours=rng.randint(0, 6))
        created = published - timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 8))
        post_dating.date_event(event, created_at=created, published_at=published if spec.state != "draft" else None)
        if spec.state == "cancelled":
            lifecycle.cancel_event(actor, event, spec.cancel_reason)
        if past and spec.state == "published":
            event_attendance(rng, event)
        db.session.commit()
        self.run.created["events"] += 1
        self.run.created["registrations"] += made
        when = "past" if past else ("draft" if spec.state == "draft" else
                                    "registration not open yet" if not registering else "upcoming")
        self.run.echo(f"demo: [{index}/{len(EVENTS)}] {spec.title} — {when}, {made} registrations "
                      f"({time.monotonic() - started:.1f}s)")

    def _size(self, spec: E) -> tuple[int | None, int]:
        """Capacity and number of registrants, scaled to the number of participants."""
        n = len(self.run.pool)
        if spec.full:
            capacity = min(spec.capacity, max(4, int(n * 0.3)))
            return capacity, min(n, capacity + max(3, math.ceil(capacity * 0.15)))
        if spec.approval:
            return spec.capacity, min(n, int(spec.capacity * 1.3), max(6, int(n * spec.share)))
        if spec.capacity:
            return spec.capacity, min(n, int(spec.capacity * spec.fill), int(n * spec.share))
        return None, min(n, int(n * spec.share))

    def _pick(self, rng: random.Random, spec: E, wanted: int) -> list[int]:
        preferred = [uid for uid, persona in self.run.pool if persona in spec.prefer]
        others = [uid for uid, persona in self.run.pool if persona not in spec.prefer]
        rng.shuffle(preferred)
        rng.shuffle(others)
        take = min(len(preferred), int(wanted * 0.7))
        chosen = preferred[:take] + others[:wanted - take]
        if len(chosen) < wanted:
            chosen += preferred[take:take + wanted - len(chosen)]
        rng.shuffle(chosen)
        return chosen

    def _register_all(self, rng: random.Random, spec: E, event: Event, actor: User, wanted: int) -> int:
        chosen = self._pick(rng, spec, wanted)
        if spec.demo == "confirmed":
            chosen.insert(0, self.run.demo_user_id)
        users = load_users(chosen + ([self.run.demo_user_id] if spec.demo == "waitlisted" else []))
        taken: dict[tuple[int, str], int] = {}
        made = []
        for i, user_id in enumerate(chosen, 1):
            answers = self._answers(rng, spec, event, taken)
            sessions = self._sessions(rng, spec, event)
            made.append(registrations.register(users[user_id], event, answers, sessions))
            if i % 1000 == 0:
                self.run.echo(f"demo:   {spec.title}: {i}/{len(chosen)}")

        if spec.approval:  # the organiser has worked through the oldest applications
            approved = made[:len(made) // 2]
            rejected = made[len(approved):len(approved) + min(2, (len(made) - len(approved)) // 3)]
            if approved:
                registrations.approve(actor, approved)
            if rejected:
                registrations.reject(actor, rejected,
                                     reason="本期名额优先邀请已在闵行创业的海外人才，欢迎关注后续活动。")

        confirmed = [r for r in made
                     if r.status == RegStatus.CONFIRMED.value and r.user_id != self.run.demo_user_id]
        cancels = round(len(confirmed) * spec.cancel_share)
        if spec.full:  # cancellations let the waiting list in, but the event stays full
            waiting = sum(1 for r in made if r.status == RegStatus.WAITLISTED.value)
            cancels = min(cancels, max(0, waiting - 1))
        for registration in rng.sample(confirmed, cancels):
            registrations.cancel(users[registration.user_id], registration, reason=rng.choice(CANCEL_REASONS))

        if spec.demo == "waitlisted":
            made.append(registrations.register(users[self.run.demo_user_id], event,
                                               self._answers(rng, spec, event, taken), None))
        return len(made)

    def _answers(self, rng: random.Random, spec: E, event: Event, taken: dict) -> dict:
        answers = {}
        for q, question in zip(spec.questions, event.questions):
            if not q.required and rng.random() > q.rate:
                continue
            kind = QuestionKind(q.kind)
            if kind == QuestionKind.SINGLE:
                labels = question.choice_labels
                weights = list(q.weights) or [1] * len(labels)
                limits = question.limited_choices
                for j, label in enumerate(labels):  # a choice that ran out is no longer offered
                    if label in limits and taken.get((question.id, label), 0) >= limits[label]:
                        weights[j] = 0
                value = rng.choices(labels, weights)[0]
                taken[(question.id, value)] = taken.get((question.id, value), 0) + 1
            elif kind == QuestionKind.MULTIPLE:
                labels = question.choice_labels
                value = rng.sample(labels, rng.randint(1, min(3, len(labels))))
            elif kind in (QuestionKind.TEXT, QuestionKind.LONG_TEXT):
                value = rng.choice(q.pool)
            elif kind == QuestionKind.NUMBER:
                value = rng.randrange(q.low, q.high + 1, q.step)
            else:  # a date around the event
                value = (self.run.today + timedelta(days=spec.day + rng.randint(q.low, q.high))).isoformat()
            answers[str(question.id)] = value
        return answers

    @staticmethod
    def _sessions(rng: random.Random, spec: E, event: Event) -> list[int] | None:
        if not spec.sessions:
            return None
        by_title = {s.title: s.id for s in event.sessions}
        picked = [by_title[s.title] for s in spec.sessions if rng.random() < s.pick]
        return picked or None  # no pick means the whole agenda
