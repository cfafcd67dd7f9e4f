"""Publication: freezing every category's ranking and awards into `Result` rows (scores stop
changing), which entrants read, the certificates module takes through `awards(category)`, and
organisers use to recommend prize winners to the city-level competition."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.audit import services as audit
from app.competitions.access import require_run
from app.competitions.models import Award, Category, Competition, CompetitionStatus, Entry, Result
from app.competitions.ranking import results
from app.competitions.scoring import category_sheets
from app.errors import Conflict
from app.extensions import db
from app.locking import lock_objects
from app.notifications.services import notify
from app.timeutil import utcnow


def publish_results(actor: User, competition: Competition) -> list[Result]:
    """Freeze every category's ranking and awards into Result rows; scores stop changing. Refused
    while an entrant has scores that are not confirmed."""
    require_run(actor, competition)
    lock_objects(competition, refresh=["status"])
    if not competition.can_become(CompetitionStatus.PUBLISHED.value):
        raise Conflict(_l("Close the entries before publishing the results."), code="not_closed")
    frozen = []
    for category in competition.categories:
        sheets = category_sheets(category)
        waiting = [s.entry.display_name for s in sheets if s.scored and not s.confirmed]
        if waiting:
            raise Conflict(_l("%(category)s: the scores of %(names)s are not confirmed yet.",
                              category=category.name, names="、".join(waiting[:5])), code="unconfirmed_scores")
        now = utcnow()
        for s in results(category, sheets):
            result = Result(category_id=category.id, entry_id=s.entry.id, rank=s.rank, total=s.total,
                            award=s.award, published_at=now,
                            by_criterion=[{"name": c.name, "marks": str(m), "max": str(mx)}
                                          for c, m, mx in s.by_criterion])
            db.session.add(result)
            frozen.append(result)
    competition.transition(CompetitionStatus.PUBLISHED.value)
    competition.published_at = utcnow()
    db.session.flush()
    audit.record(actor, "competition.publish", competition, results=len(frozen))
    for result in frozen:
        entry = result.entry
        notify(entry.user, "results_published", _l("Results published: %(competition)s", competition=competition.name),
               "results_published", registration=entry.registration, occasion=competition.name)
    return frozen


def published_results(category: Category) -> list[Result]:
    # the results pages and certificates name each entrant (a team's, else the captain's name)
    return list(db.session.scalars(sa.select(Result).where(Result.category_id == category.id)
                                   .options(joinedload(Result.entry).joinedload(Entry.user))
                                   .order_by(Result.rank, Result.entry_id)))


def result_of(entry: Entry) -> Result | None:
    return db.session.scalar(sa.select(Result).where(Result.entry_id == entry.id))


def results_of(entries: list[Entry]) -> dict[int, Result]:
    """entry id -> its published result, for the entries that have one, in one query."""
    return {r.entry_id: r for r in db.session.scalars(
        sa.select(Result).where(Result.entry_id.in_([e.id for e in entries] or [-1])))}


def awards(category: Category) -> list[tuple[Entry, Award, int]]:
    """Published awards of a category, best first: (entry, award, rank). For the certificates
    module (获奖证书): the entry carries the person (`entry.user`), team and employer."""
    return [(r.entry, Award(r.award), r.rank) for r in published_results(category) if r.award]


def set_recommended(actor: User, entry: Entry, recommended: bool) -> Entry:
    """Recommend a prize winner of published results to the city-level competition."""
    require_run(actor, entry.category.competition)
    result = result_of(entry)
    if recommended and (result is None or result.award not in (Award.FIRST.value, Award.SECOND.value,
                                                                   Award.THIRD.value)):
        raise Conflict(_l("Only prize winners of published results can be recommended."), code="not_a_winner")
    entry.recommended = bool(recommended)
    audit.record(actor, "competition.recommend", entry, recommended=bool(recommended))
    return entry
