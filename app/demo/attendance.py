"""Attendance history: the scans of events, lessons and activities already held, each decided by
the check-in service (`checkin.scan`, the one scan ledger) at the time it happened, so every
row carries a result code the service chose and obeys its window and seat rules."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from app.checkin import services as checkin
from app.checkin.models import DOOR, Checkpoint, ScanResult
from app.events.models import Event
from app.extensions import db
from app.registrations.models import Registration
from app.tickets import services as tickets

DOORS = ("北门 · 3f9a1c", "南门 · 7b20de", "服务台 · c41e05")
# A scan reaches the server a second after the device saw it.
UPLOAD_DELAY = timedelta(seconds=1)


def ticket_scan(checkpoint: Checkpoint, registration_id: int, at: datetime, device: str) -> checkin.Decision:
    """A volunteer's scanner read the person's ticket at `at`."""
    token = tickets.ticket_token(db.session.get(Registration, registration_id))
    return checkin.scan(checkpoint, token, scanned_at=at, now=at + UPLOAD_DELAY, device=device)


def self_scan(checkpoint: Checkpoint, registration_id: int, at: datetime, device: str = "self") -> checkin.Decision:
    """A founder scanned the code the trainer projects, with their own phone, at `at`."""
    return checkin.scan(checkpoint, None, registration_id=registration_id, scanned_at=at, now=at + UPLOAD_DELAY,
                        device=device, method="self")


def event_attendance(rng: random.Random, event: Event) -> None:
    """Scans of a past event: most confirmed people arrive around the start, a few scan twice
    (the second is refused as already checked in), and those holding a seat attend most sessions."""
    main, *sessions = [c for c in checkin.ensure_checkpoints(event) if c.kind == DOOR]
    arrived = {}
    for registration_id in sorted(checkin.expected_ids(main)):
        if rng.random() < 0.86:
            minutes = max(-60.0, min(40.0, rng.gauss(-12, 14)))
            arrived[registration_id] = event.starts_at + timedelta(minutes=minutes)
            _door(rng, event, main, registration_id, arrived[registration_id], ScanResult.OK)
            if rng.random() < 0.04:  # shown the ticket again at another door
                _door(rng, event, main, registration_id,
                      arrived[registration_id] + timedelta(minutes=rng.randint(1, 30)), ScanResult.ALREADY_CHECKED_IN)
    for checkpoint in sessions:
        start = checkpoint.session.starts_at
        for registration_id in sorted(checkin.expected_ids(checkpoint) & arrived.keys()):
            if rng.random() < 0.8:
                _door(rng, event, checkpoint, registration_id,
                      max(arrived[registration_id], start + timedelta(minutes=rng.gauss(-6, 5))), ScanResult.OK)


def _door(rng: random.Random, event: Event, checkpoint: Checkpoint, registration_id: int, at: datetime,
          expected: ScanResult) -> None:
    decision = ticket_scan(checkpoint, registration_id, min(at, event.ends_at), rng.choice(DOORS))
    expect(decision, expected)


def expect(decision: checkin.Decision, result: ScanResult) -> None:
    """The demo's story says what the service should decide; a different answer means the
    story broke a check-in rule, which must not pass silently."""
    if decision.result != result:
        raise RuntimeError(f"demo scan decided {decision.result.value}, expected {result.value} "
                           f"(checkpoint {decision.scan.checkpoint_id}, registration {decision.scan.registration_id})")
