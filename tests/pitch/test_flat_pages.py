"""The pitch competition's pages, exports and API lists issue as many statements at 200 entries as
at 10 (issue 19): entries and their export, the first round's console page, standings export,
judge's page, the screen and the API's rounds, scores and results; and the lists of competitions
(console and public), of a judge's rounds and of a founder's entries at 10 and 200 competitions."""
from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from app.accounts.models import Department
from app.extensions import db
from app.pitch.models import (CampInvitation, PitchCompetition, PitchConfirmation, PitchEntry, PitchRound,
                              PitchScore, RoundEntry, RoundJudge)
from tests.conftest import login
from tests.fixtures.accounts import api_token
from tests.fixtures import list_rows as bulk
from tests.fixtures.pitch import start_judging


@pytest.fixture
def judged(db_session, pitch):
    """The pitch competition judging its first round, room for 250; `add(n)` adds n approved entries
    in bulk (registration, entry, its place in the first round), each scored by both of the round's
    judges on both criteria, every other one confirmed by the chief judge."""
    pitch.competition.event.capacity = 250
    start_judging(pitch, db_session)
    first = pitch.rounds[0]

    def add(n: int):
        people = bulk.people(n, name="创始人")
        seats = bulk.registrations(pitch.competition.event, of=people)
        entries = [PitchEntry(competition_id=pitch.competition.id, user_id=p.id, registration_id=r.id, number=p.id,
                              project=f"项目{p.id}", company_name=f"上海创业{p.id}科技有限公司", country="英国",
                              degree="master", return_year=2025, business_plan="智能检测服务。")
                   for p, r in zip(people, seats)]
        db.session.add_all(entries)
        db.session.flush()
        db.session.add_all(RoundEntry(round_id=first.id, entry_id=e.id) for e in entries)
        db.session.add_all(PitchScore(round_id=first.id, entry_id=e.id, criterion_id=c.id, judge_id=j.id,
                                      value=Decimal(7)) for e in entries for c in first.criteria
                           for j in pitch.judges[:2])
        db.session.flush()
        last = db.session.scalar(sa.select(sa.func.max(PitchScore.id)))
        db.session.add_all(PitchConfirmation(round_id=first.id, entry_id=e.id, confirmed_by_id=pitch.judges[5].id,
                                             last_score_id=last) for e in entries[::2])
        db.session.commit()

    return add


CONSOLE = ["/console/pitch/{p}/entries", "/console/pitch/{p}/entries.xlsx", "/console/pitch/rounds/{r}",
           "/console/pitch/rounds/{r}/standings.xlsx", "/console/pitch/{p}", "/pitch/{p}/screen.json"]


@pytest.mark.parametrize("page", CONSOLE)
def test_console_pages_are_flat_in_entries(client, pitch, judged, flat_in_rows, page):
    login(client, pitch.organiser)
    url = page.format(p=pitch.competition.id, r=pitch.rounds[0].id)
    print(url, flat_in_rows(client, url, add=judged))


def test_the_judges_round_is_flat_in_entries(client, pitch, judged, flat_in_rows):
    login(client, pitch.judges[0])
    print(flat_in_rows(client, f"/pitch/judge/rounds/{pitch.rounds[0].id}", add=judged))


@pytest.mark.parametrize("page", ["/api/v1/pitch/{p}/rounds", "/api/v1/pitch/rounds/{r}/scores",
                                  "/api/v1/pitch/{p}/results"])
def test_api_lists_are_flat_in_entries(client, pitch, judged, flat_in_rows, page):
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {api_token(client, pitch.organiser)}"
    url = page.format(p=pitch.competition.id, r=pitch.rounds[0].id)
    print(url, flat_in_rows(client, url, add=judged))


# -- the lists of competitions, of a judge's rounds and of a founder's entries --------------------
@pytest.fixture
def competitions(db_session, pitch, create_user, create_cohort):
    """`add(n)`: n more open pitch competitions of the pitch's department, each with its own event, a
    first round judged by `judge` and an entry of `founder` invited to a camp cycle."""
    judge, founder = pitch.judges[0], create_user(name="海归创始人")
    department_id, cycle_id = pitch.competition.department_id, create_cohort().cycle_id
    department = db.session.get(Department, department_id)

    def add(n: int):
        made = bulk.events(n, department)
        ids = db.session.scalars(sa.insert(PitchCompetition).returning(PitchCompetition.id), [
            dict(name=f"第{e.id}届留学人员创业大赛", year=2026, department_id=department_id, event_id=e.id,
                 status="open") for e in made]).all()
        rounds = db.session.scalars(sa.insert(PitchRound).returning(PitchRound.id), [
            dict(competition_id=c, position=1, name="初赛", kind="online_review") for c in ids]).all()
        db.session.execute(sa.insert(RoundJudge), [dict(round_id=r, user_id=judge.id) for r in rounds])
        seats = [bulk.registrations(e, of=[founder])[0] for e in made]
        entries = [PitchEntry(competition_id=c, user_id=founder.id, registration_id=s.id, number=1, project="智能传感",
                              company_name="上海创业科技有限公司", country="英国", degree="master")
                   for c, s in zip(ids, seats)]
        db.session.add_all(entries)
        db.session.flush()
        db.session.add_all(CampInvitation(entry_id=e.id, cycle_id=cycle_id, invited_by_id=pitch.organiser.id)
                           for e in entries)
        db.session.commit()

    return SimpleNamespace(add=add, judge=judge, founder=founder)


@pytest.mark.parametrize("page, who", [("/console/pitch/", "organiser"), ("/pitch/", None),
                                       ("/pitch/judge/", "judge"), ("/pitch/mine", "founder")])
def test_competition_lists_are_flat(client, pitch, competitions, flat_in_rows, page, who):
    if who:
        login(client, pitch.organiser if who == "organiser" else getattr(competitions, who))
    print(page, flat_in_rows(client, page, add=competitions.add))
