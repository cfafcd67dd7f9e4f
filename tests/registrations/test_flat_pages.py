"""Issue 19: every page, export and API list of an event's registrations issues as many
statements at 200 registrations as at 10 (tests/fixtures/queries.py), so a person, an answer, a
booking or a waiting-list place read per row fails here; and the pages of the event itself, which
count them."""
import itertools
from datetime import timedelta

import pytest

from app.accounts.models import User
from app.events import services as ev
from app.events.models import EventSession
from app.lifecycle import agenda
from app.registrations.models import Registration, RegistrationAnswer, SessionBooking
from app.timeutil import utcnow
from tests.conftest import login
from tests.fixtures import list_rows as bulk
from tests.fixtures.accounts import api_token

_numbers = itertools.count(1)


@pytest.fixture
def busy_event(db_session, create_event, create_user):
    """An event with a question and an agenda session, its organiser logged in, and `add(n)`
    adding n registrants in bulk: every other one waitlisted, each with an answer and a booking."""
    event = create_event(capacity=1000)
    organiser = create_user("organiser")
    question = ev.save_question(organiser, event, label="关注议题", kind="text")
    session = agenda.save_session(organiser, event, title="分论坛", starts_at=event.starts_at,
                                  ends_at=event.starts_at + timedelta(hours=1), capacity=500)
    db_session.commit()

    def add(n: int):
        now = utcnow()
        people = []
        for _ in range(n):
            k = next(_numbers)
            people.append(User(name=f"批量用户{k}", mobile=f"137{k:08d}", email=f"bulk{k}@example.cn",
                               employer="紫竹高新区某公司", id_number=f"31011219900101{k % 10000:04d}",
                               password_hash="x"))
        db_session.add_all(people)
        db_session.flush()
        for i, person in enumerate(people):
            status = "waitlisted" if i % 2 else "confirmed"
            at = now + timedelta(microseconds=i)
            registration = Registration(event_id=event.id, user_id=person.id, status=status, created_at=at,
                                        queued_at=at, status_changed_at=at, ticket_secret=f"bulk-{person.id}")
            registration.answers = [RegistrationAnswer(question_id=question.id, value=f"落户 {i}")]
            registration.bookings = [SessionBooking(session_id=session.id, status=status, queued_at=at)]
            db_session.add(registration)
        db_session.commit()

    return event, organiser, add


def _flat(client, flat_in_rows, url: str, add):
    """flat_in_rows, each batch of rows followed by a read of the page: adding rows commits the
    session the requests share, which expires what the warm-up read had loaded (the user, their
    roles, the event); reading once more puts the measure at 200 rows on the same footing as
    the one at 10."""
    def add_and_warm(n: int):
        add(n)
        client.get(url).get_data()

    return flat_in_rows(client, url, add=add_and_warm)


@pytest.mark.parametrize("query", [
    "",                      # the list
    "?status=waitlisted",    # the waiting list, with places
    "?q=批量用户",             # search by name
    "?q=批量",                # a short search: names starting with it
    "?q=137",                 # search by mobile digits
])
def test_registrations_list_is_flat(client, flat_in_rows, busy_event, query):
    event, organiser, add = busy_event
    login(client, organiser)
    _flat(client, flat_in_rows, f"/console/events/{event.id}/registrations{query}", add)


@pytest.mark.parametrize("export", ["registrations.xlsx", "registrations.csv", "registrations.xlsx?full=1",
                                    "registrations.csv?full=1"])
def test_registration_exports_are_flat(client, flat_in_rows, busy_event, export):
    event, organiser, add = busy_event
    login(client, organiser)
    _flat(client, flat_in_rows, f"/console/events/{event.id}/{export}", add)


@pytest.mark.parametrize("page", ["/console/events/{e}", "/events/{e}", "/api/v1/events/{e}"])
def test_the_event_pages_are_flat_in_registrations(client, flat_in_rows, busy_event, page):
    """The console's and the public page of the event, and its API detail, count registrations and
    bookings; they never read them."""
    event, organiser, add = busy_event
    login(client, organiser)
    _flat(client, flat_in_rows, page.format(e=event.id), add)


@pytest.mark.parametrize("query", ["?per_page=100", "?status=waitlisted&per_page=100"])
def test_api_registrations_list_is_flat(client, flat_in_rows, busy_event, query):
    event, organiser, add = busy_event
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {api_token(client, organiser)}"
    _flat(client, flat_in_rows, f"/api/v1/events/{event.id}/registrations{query}", add)


def test_search_finds_any_part_and_short_searches_are_name_prefixes(client, db_session, create_event, create_user,
                                                                   create_registration):
    event = create_event(capacity=10)
    for name, mobile, employer in (("张玥", "13812345678", "紫竹高新区某公司"), ("李张伟", "13987650000", "闵行某厂"),
                                   ("王_%", "13700001111", "")):
        create_registration(event, create_user(name=name, mobile=mobile, employer=employer))
    login(client, create_user("organiser"))

    def found(q: str) -> set[str]:
        html = client.get(f"/console/events/{event.id}/registrations", query_string={"q": q}).get_data(as_text=True)
        return {name for name in ("张玥", "李张伟", "王_%") if f"<td>{name}</td>" in html}

    assert found("5678") == {"张玥"}             # the last four digits of the mobile
    assert found("张伟") == set()  # two characters: a name prefix only, not inside a name
    assert found("张") == {"张玥"}
    assert found("李张伟") == {"李张伟"} and found("张玥") == {"张玥"}
    assert found("高新区") == {"张玥"}            # any part of the employer
    assert found("_%") == set() and found("王_%") == {"王_%"}  # typed wildcards are plain characters


def test_my_registrations_read_every_waiting_place_at_once(client, db_session, create_user, departments,
                                                             flat_in_rows):
    """"My registrations" of someone waiting, second in line, for n events and for a session of
    each: the same statements at 200 events as at 10, and each place right."""
    person = create_user()
    login(client, person)

    def add(n: int) -> None:
        events = bulk.events(n, departments["talent_center"], capacity=1)
        sessions = [EventSession(event_id=e.id, title="分论坛", starts_at=e.starts_at, ends_at=e.ends_at, capacity=1)
                    for e in events]
        db_session.add_all(sessions)
        ahead = bulk.people(n)
        now = utcnow()
        for event, session, other in zip(events, sessions, ahead):
            for k, who in enumerate((other, person)):
                at = now + timedelta(microseconds=k)
                db_session.add(Registration(
                    event_id=event.id, user_id=who.id, status="waitlisted", created_at=at, queued_at=at,
                    status_changed_at=at, ticket_secret=f"wait-{event.id}-{who.id}",
                    bookings=[SessionBooking(session_id=session.id, status="waitlisted", queued_at=at)]))
        db_session.commit()

    flat_in_rows(client, "/me/registrations", add=add)
    page = client.get("/me/registrations").get_data(as_text=True)
    assert page.count("候补第2位") == 2 * 200  # "number 2 on the waiting list"
    assert "候补第1位" not in page
    # the API's "my registrations" reads the same places at once
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {api_token(client, person)}"
    flat_in_rows(client, "/api/v1/me/registrations", add=add)
    items = client.get("/api/v1/me/registrations").json["items"]
    assert len(items) == 400 and {i["waitlist_position"] for i in items} == {2}
