"""The online part's console page and the API's attendance figures issue as many statements at
200 people (registered, watching, invited) as at 10, and with 15 invited universities as with 3
(issue 19); a person's own invitations at 10 and 200."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.online import invitations
from app.online.models import OnlinePresence, PersonInvitation
from app.timeutil import utcnow
from tests.conftest import login
from tests.fixtures.accounts import api_token
from tests.fixtures import list_rows as bulk

PAGES = ["/console/events/{e}/online", "/api/v1/events/{e}/online/attendance"]


def _as_organiser(client, event, page):
    if page.startswith("/api/"):
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {api_token(client, event.test_organiser)}"
    else:
        login(client, event.test_organiser)
    return page.format(e=event.id)


@pytest.mark.parametrize("page", PAGES)
def test_online_pages_are_flat_in_people(client, db_session, live_online_event, flat_in_rows, page):
    event = live_online_event()

    def add(n: int):
        people = bulk.people(n, name="观众")
        seats = bulk.registrations(event, of=people)
        now = utcnow()
        db.session.add_all(OnlinePresence(registration_id=r.id, event_id=event.id, joined_at=now - timedelta(minutes=40),
                                          last_seen_at=now, seconds=2400) for r in seats)
        db.session.add_all(PersonInvitation(event_id=event.id, user_id=p.id, invited_by_id=event.test_organiser.id)
                           for p in people)
        db.session.commit()

    url = _as_organiser(client, event, page)
    print(url, flat_in_rows(client, url, add=add))


@pytest.mark.parametrize("page", PAGES)
def test_online_pages_are_flat_in_universities(client, db_session, live_online_event, create_organisation,
                                               flat_in_rows, page):
    event = live_online_event()

    def add(n: int):
        made = [create_organisation(kind="university", name=f"上海第{k}大学", district="", in_minhang=False)
                for k in range(len(invitations.university_invitations(event)),
                               len(invitations.university_invitations(event)) + n)]
        invitations.invite_universities(event.test_organiser, event, [o.id for o in made])
        db_session.commit()

    url = _as_organiser(client, event, page)
    print(url, flat_in_rows(client, url, add=add, small=3, large=15))


def test_a_persons_invitations_are_flat(client, create_user, departments, flat_in_rows):
    """One person invited to event after event."""
    person = create_user(name="受邀校友")
    login(client, person)

    def add(n: int) -> None:
        db.session.add_all(PersonInvitation(event_id=e.id, user_id=person.id)
                           for e in bulk.events(n, departments["talent_center"]))
        db.session.commit()

    flat_in_rows(client, "/me/invitations", add=add)
