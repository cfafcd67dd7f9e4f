"""What mentoring pages and the API read: pairings of a cohort, of a mentor, of a founder, and the
sessions counted per founder and per mentor (with the founders' average rating)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app.accounts.models import User
from app.cohorts.camps.models import Cohort
from app.extensions import db
from app.mentoring.models import MentoringSession, Pairing
from app.rosters.models import RosterMember


@dataclass
class Tally:
    sessions: int = 0
    rated: int = 0
    rating_total: int = 0

    @property
    def average(self) -> float | None:
        return round(self.rating_total / self.rated, 1) if self.rated else None


# every list of pairings shows the cohort, the founder, the mentor and the sessions logged
_SHOWN = (joinedload(Pairing.cohort), joinedload(Pairing.founder),
          joinedload(Pairing.mentor).joinedload(RosterMember.user), selectinload(Pairing.sessions))


def cohort_pairings(cohort: Cohort) -> list[Pairing]:
    return list(db.session.scalars(sa.select(Pairing).where(Pairing.cohort_id == cohort.id).options(*_SHOWN)
                                   .order_by(Pairing.status, Pairing.mentor_id, Pairing.id)))


def pairings_of_mentor(user: User) -> list[Pairing]:
    return list(db.session.scalars(sa.select(Pairing).join(RosterMember, RosterMember.id == Pairing.mentor_id)
                                   .where(RosterMember.user_id == user.id).options(*_SHOWN)
                                   .order_by(Pairing.status, Pairing.cohort_id, Pairing.id)))


def pairings_of_founder(user: User) -> list[Pairing]:
    return list(db.session.scalars(sa.select(Pairing).where(Pairing.founder_id == user.id).options(*_SHOWN)
                                   .order_by(Pairing.status, Pairing.id)))


def sessions_of_mentor(user: User) -> list[MentoringSession]:
    return list(db.session.scalars(
        sa.select(MentoringSession).join(Pairing).join(RosterMember, RosterMember.id == Pairing.mentor_id)
        .where(RosterMember.user_id == user.id)
        # the mentor's lists show each session's cohort and founder
        .options(contains_eager(MentoringSession.pairing).joinedload(Pairing.cohort),
                 contains_eager(MentoringSession.pairing).joinedload(Pairing.founder))
        .order_by(MentoringSession.held_on.desc(), MentoringSession.id)))


def tallies(pairings: list[Pairing]) -> tuple[dict[int, Tally], dict[int, Tally], dict[int, Tally]]:
    """(per pairing id, per founder id, per mentor member id) over these pairings' sessions."""
    per_pairing: dict[int, Tally] = defaultdict(Tally)
    per_founder: dict[int, Tally] = defaultdict(Tally)
    per_mentor: dict[int, Tally] = defaultdict(Tally)
    by_id = {p.id: p for p in pairings}
    if by_id:
        rows = db.session.execute(
            sa.select(MentoringSession.pairing_id, sa.func.count(), sa.func.count(MentoringSession.rating),
                      sa.func.coalesce(sa.func.sum(MentoringSession.rating), 0))
            .where(MentoringSession.pairing_id.in_(list(by_id))).group_by(MentoringSession.pairing_id))
        for pairing_id, count, rated, total in rows:
            pairing = by_id[pairing_id]
            for tally in (per_pairing[pairing_id], per_founder[pairing.founder_id], per_mentor[pairing.mentor_id]):
                tally.sessions += count
                tally.rated += rated
                tally.rating_total += int(total)
    return per_pairing, per_founder, per_mentor
