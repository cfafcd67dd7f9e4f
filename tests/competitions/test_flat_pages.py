"""The competition pages that list entrants issue as many statements at 200 entries as at 10
(issue 19): the category's console page, its scores and results, the judge's list and the
competition's page."""
from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.competitions.models import Confirmation, Entry, Result, Score
from app.extensions import db
from tests.conftest import login
from tests.fixtures import list_rows as bulk


@pytest.fixture
def entrants(db_session, contest):
    """The contest's category with room for 250; `add(n)` adds n approved entries in bulk (their
    confirmed registration of the category's event), each fully scored: the measurement by the
    first judge, a judgement by each judge; every other entry's scores confirmed by the chief judge."""
    category = contest.category
    category.event.capacity = 250
    db_session.commit()

    def add(n: int):
        people = bulk.people(n, name="选手")
        seats = bulk.registrations(category.event, of=people)
        entries = [Entry(category_id=category.id, user_id=p.id, registration_id=r.id, employer="上海颐家养老服务有限公司",
                         occupation="养老护理员") for p, r in zip(people, seats)]
        db.session.add_all(entries)
        db.session.flush()
        first = contest.judges[0]
        for e in entries:
            db.session.add(Score(entry_id=e.id, aspect_id=contest.measured.id, judge_id=first.id, value=Decimal(3),
                                 outcome="完全正确", entered_by_id=first.id))
            db.session.add_all(Score(entry_id=e.id, aspect_id=contest.judged.id, judge_id=j.id, value=Decimal(2),
                                     entered_by_id=j.id) for j in contest.judges)
        db.session.flush()
        last = db.session.scalar(sa.select(sa.func.max(Score.id)))
        db.session.add_all(Confirmation(entry_id=e.id, last_score_id=last, confirmed_by_id=contest.chief.id)
                           for e in entries[::2])
        db.session.commit()

    return add


CONSOLE = ["/console/categories/{c}", "/console/categories/{c}/scores", "/console/categories/{c}/results",
           "/console/categories/{c}/judges", "/console/competitions/{k}", "/console/competitions"]


@pytest.mark.parametrize("page", CONSOLE)
def test_console_pages_are_flat_in_entries(client, contest, entrants, flat_in_rows, page):
    login(client, contest.organiser)
    url = page.format(c=contest.category.id, k=contest.competition.id)
    print(url, flat_in_rows(client, url, add=entrants))


def test_the_judges_list_is_flat_in_entries(client, contest, entrants, flat_in_rows):
    login(client, contest.judges[0])
    print(flat_in_rows(client, f"/judge/categories/{contest.category.id}", add=entrants))


def test_published_results_are_flat_in_entries(client, contest, entrants, flat_in_rows):
    """Once published, the results pages read the frozen Result rows: console and public page."""
    contest.competition.status = "published"
    db.session.commit()

    def add(n: int):
        entrants(n)
        have = set(db.session.scalars(sa.select(Result.entry_id)))
        new = db.session.scalars(sa.select(Entry).where(Entry.id.not_in(have or [-1])).order_by(Entry.id)).all()
        db.session.add_all(Result(category_id=contest.category.id, entry_id=e.id, rank=len(have) + i + 1,
                                  total=Decimal("6.00"), award="first" if i == 0 else None)
                           for i, e in enumerate(new))
        db.session.commit()

    login(client, contest.organiser)
    print(flat_in_rows(client, f"/console/categories/{contest.category.id}/results", add=add))
    print(flat_in_rows(client, f"/competitions/{contest.competition.id}", add=add))
