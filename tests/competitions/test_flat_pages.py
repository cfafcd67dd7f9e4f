"""The competition pages that list entrants issue as many statements at 200 entries as at 10
(issue 19): the category's console page, its scores and results, the judge's list and the
competition's page; the lists of competitions (console and public), of a judge's categories and of
an entrant's entries at 10 and 200 competitions; and a category's marking scheme and its export at
10 and 200 criteria."""
from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from app.competitions.models import (Aspect, Category, Competition, Confirmation, Criterion, Entry, Result, Score,
                                     category_judges)
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


# -- the lists of competitions, of a judge's categories and of an entrant's entries --------------
@pytest.fixture
def competitions(db_session, contest, create_user, departments):
    """`add(n)`: n more competitions of 技能人才科, every other one's results published, each with a
    category on its own event judged by the contest's first judge and entered by `entrant` (ranked
    first where published)."""
    judge, entrant, department = contest.judges[0], create_user(name="选手"), departments["skills"]

    def add(n: int):
        made = bulk.events(n, department)
        ids = db.session.scalars(sa.insert(Competition).returning(Competition.id), [
            dict(name=f"闵行区职业技能竞赛{e.id}", year=2026, department_id=department.id,
                 status="published" if i % 2 else "open") for i, e in enumerate(made)]).all()
        categories = db.session.scalars(sa.insert(Category).returning(Category.id), [
            dict(competition_id=c, event_id=e.id, name="养老健康照护") for c, e in zip(ids, made)]).all()
        db.session.execute(sa.insert(category_judges), [dict(category_id=c, user_id=judge.id) for c in categories])
        seats = [bulk.registrations(e, of=[entrant])[0] for e in made]
        entries = [Entry(category_id=c, user_id=entrant.id, registration_id=s.id, employer="上海颐家养老服务有限公司",
                         occupation="养老护理员") for c, s in zip(categories, seats)]
        db.session.add_all(entries)
        db.session.flush()
        db.session.add_all(Result(category_id=e.category_id, entry_id=e.id, rank=1, total=Decimal(9), award="first",
                                  by_criterion=[{"name": "技能操作", "marks": 3, "max": 3}]) for e in entries[1::2])
        db.session.commit()

    return SimpleNamespace(add=add, judge=judge, entrant=entrant)


@pytest.mark.parametrize("page, who", [("/console/competitions", "organiser"), ("/competitions/", None),
                                       ("/judge/", "judge"), ("/competitions/my", "entrant")])
def test_competition_lists_are_flat(client, contest, competitions, flat_in_rows, page, who):
    if who:
        login(client, contest.organiser if who == "organiser" else getattr(competitions, who))
    print(page, flat_in_rows(client, page, add=competitions.add))


@pytest.mark.parametrize("page", ["/console/categories/{c}/scheme", "/console/categories/{c}/scheme.xlsx"])
def test_the_marking_scheme_is_flat_in_criteria(client, contest, flat_in_rows, page):
    """A scheme of many criteria (as imported from a sheet), each with a measurement and a judgement."""
    category_id = contest.category.id
    login(client, contest.organiser)

    def add(n: int) -> None:
        ids = db.session.scalars(sa.insert(Criterion).returning(Criterion.id), [
            dict(category_id=category_id, position=10 + k, name=f"评分项{k}") for k in range(n)]).all()
        db.session.execute(sa.insert(Aspect), [
            dict(criterion_id=c, position=p, description="操作规范", kind=kind, max_mark=Decimal(mark),
                 outcomes=outcomes)
            for c in ids for p, (kind, mark, outcomes) in enumerate([
                ("measurement", 3, [{"label": "完全正确", "mark": "3"}, {"label": "错误", "mark": "0"}]),
                ("judgement", 6, [])])])
        db.session.commit()

    flat_in_rows(client, page.format(c=category_id), add=add)
