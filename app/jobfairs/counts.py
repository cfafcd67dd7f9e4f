"""The bureau's numbers of a fair: employers, positions, openings, visitors (people checked in at
the fair's event, people who opened a booth's code and people who sent an interest, each once),
interests (shared now), offers and hires; for campus recruiting the same per university (the seeker's school, resolved
to the registry's university where it could be, else as typed)."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from app.checkin.models import Checkpoint, Scan, ScanResult
from app.events.models import Event, EventKind
from app.extensions import db
from app.jobfairs.models import BoothVisit, FairEmployer, Interest, InterestOutcome, InterestStatus, Outcome, Position
from app.registrations.models import Registration

OFFERED = (Outcome.OFFER.value, Outcome.HIRED.value)  # a hire had an offer first


@dataclass
class Row:
    interests: int = 0
    offers: int = 0
    hires: int = 0


@dataclass
class FairCounts:
    employers: int
    positions: int
    openings: int
    visitors: int
    interests: int
    offers: int
    hires: int
    universities: list[tuple[str, Row]] = field(default_factory=list)


def visitor_ids(event: Event) -> set[int]:
    checked_in = db.session.scalars(
        sa.select(Registration.user_id).join(Scan, Scan.registration_id == Registration.id)
        .join(Checkpoint, Scan.checkpoint_id == Checkpoint.id)
        .where(Checkpoint.event_id == event.id, Scan.result == ScanResult.OK.value))
    scanned = db.session.scalars(sa.select(BoothVisit.user_id)
                                 .join(FairEmployer, BoothVisit.fair_employer_id == FairEmployer.id)
                                 .where(FairEmployer.event_id == event.id))
    # An interest sent from the online stream page's link (直播带岗) is a visit without a scan.
    interested = db.session.scalars(sa.select(Interest.user_id)
                                    .join(FairEmployer, Interest.fair_employer_id == FairEmployer.id)
                                    .where(FairEmployer.event_id == event.id))
    return set(checked_in) | set(scanned) | set(interested)


def fair_counts(event: Event) -> FairCounts:
    employers = db.session.scalar(sa.select(sa.func.count()).select_from(FairEmployer)
                                  .where(FairEmployer.event_id == event.id)) or 0
    positions, openings = db.session.execute(
        sa.select(sa.func.count(Position.id), sa.func.coalesce(sa.func.sum(Position.openings), 0))
        .join(FairEmployer, Position.fair_employer_id == FairEmployer.id)
        .where(FairEmployer.event_id == event.id)).one()
    rows = db.session.execute(
        sa.select(Interest, InterestOutcome.status).join(FairEmployer, Interest.fair_employer_id == FairEmployer.id)
        .outerjoin(InterestOutcome, InterestOutcome.interest_id == Interest.id)
        .where(FairEmployer.event_id == event.id, Interest.status == InterestStatus.SHARED.value)).all()
    total, by_university = Row(), {}
    for interest, outcome in rows:
        key = interest.university.name if interest.university is not None else (interest.school or "—")
        for row in (total, by_university.setdefault(key, Row())):
            row.interests += 1
            row.offers += outcome in OFFERED
            row.hires += outcome == Outcome.HIRED.value
    universities = sorted(by_university.items(), key=lambda item: (-item[1].interests, item[0])) \
        if event.kind == EventKind.CAMPUS_RECRUITING.value else []
    return FairCounts(employers=employers, positions=positions, openings=int(openings),
                      visitors=len(visitor_ids(event)),
                      interests=total.interests, offers=total.offers, hires=total.hires, universities=universities)


@dataclass
class ListedCounts(Row):
    employers: int = 0
    positions: int = 0


def list_counts(events: list[Event]) -> dict[int, ListedCounts]:
    """The list of fairs' columns (as fair_counts() counts them), for every fair at once: three
    grouped statements whatever the number of fairs."""
    found = {e.id: ListedCounts() for e in events}
    ids = list(found) or [-1]
    for event_id, n in db.session.execute(sa.select(FairEmployer.event_id, sa.func.count())
                                          .where(FairEmployer.event_id.in_(ids)).group_by(FairEmployer.event_id)):
        found[event_id].employers = n
    for event_id, n in db.session.execute(
            sa.select(FairEmployer.event_id, sa.func.count(Position.id))
            .join(FairEmployer, Position.fair_employer_id == FairEmployer.id)
            .where(FairEmployer.event_id.in_(ids)).group_by(FairEmployer.event_id)):
        found[event_id].positions = n
    offered = sa.func.sum(sa.case((InterestOutcome.status.in_(OFFERED), 1), else_=0))
    hired = sa.func.sum(sa.case((InterestOutcome.status == Outcome.HIRED.value, 1), else_=0))
    for event_id, n, offers, hires in db.session.execute(
            sa.select(FairEmployer.event_id, sa.func.count(Interest.id), offered, hired)
            .join(FairEmployer, Interest.fair_employer_id == FairEmployer.id)
            .outerjoin(InterestOutcome, InterestOutcome.interest_id == Interest.id)
            .where(FairEmployer.event_id.in_(ids), Interest.status == InterestStatus.SHARED.value)
            .group_by(FairEmployer.event_id)):
        found[event_id].interests, found[event_id].offers, found[event_id].hires = n, int(offers or 0), int(hires or 0)
    return found
