"""The pitch competition's pages, exports and API lists issue as many statements at 200 entries as
at 10 (issue 19): entries and their export, the first round's console page, standings export,
judge's page, the screen and the API's rounds, scores and results."""
from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.pitch.models import PitchConfirmation, PitchEntry, PitchScore, RoundEntry
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
