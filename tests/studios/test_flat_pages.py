"""The studio pages issue as many statements at 200 apprentices as at 10, and as many with 15
activities as with 3 (issue 19): the studio's page (apprentices, their achievements, activities
and their attendance, the yearly review) and the list of studios."""
from __future__ import annotations

from datetime import date, timedelta


from app.extensions import db
from app.studios import services as studios
from app.studios.models import Achievement, Apprenticeship
from app.timeutil import utcnow
from tests.conftest import login
from tests.fixtures import list_rows as bulk


def add_apprentices(studio):
    def add(n: int):
        people = bulk.people(n, name="学徒")
        seats = bulk.registrations(studio.event, of=people)
        pairs = [Apprenticeship(studio_id=studio.id, apprentice_id=p.id, master_id=studio.master_id, registration_id=r.id,
                                started_on=date(2026, 4, 1), goals="掌握五轴加工") for p, r in zip(people, seats)]
        db.session.add_all(pairs)
        db.session.flush()
        db.session.add_all(Achievement(apprenticeship_id=a.id, kind="skill_level", title="数控车工 高级工",
                                       achieved_on=date(2026, 9, 1), recorded_by_id=studio.master_id) for a in pairs)
        db.session.commit()
    return add


def test_the_studio_page_is_flat_in_apprentices(client, studio, flat_in_rows):
    login(client, studio.organiser)
    print(flat_in_rows(client, f"/console/studios/{studio.id}", add=add_apprentices(studio)))


def test_the_studio_page_is_flat_in_activities(client, db_session, studio, flat_in_rows):
    add_apprentices(studio)(5)
    start = utcnow() - timedelta(days=30)

    def add(n: int):
        for k in range(n):
            at = start + timedelta(days=k, hours=len(studio.activities))
            studios.save_activity(studio.organiser, studio, title=f"技艺传授{k}", starts_at=at,
                                  ends_at=at + timedelta(hours=2), place="实训楼")
        db_session.commit()

    login(client, studio.organiser)
    print(flat_in_rows(client, f"/console/studios/{studio.id}", add=add, small=3, large=15))


def test_the_studio_list_is_flat_in_studios(client, create_studio, create_user, flat_in_rows):
    organiser = create_user("organiser", department="skills")

    def add(n: int):
        for _ in range(n):
            k = len(studios.studios_for(organiser))
            create_studio(organiser=organiser, name=f"技能大师工作室{k}")

    login(client, organiser)
    print(flat_in_rows(client, "/console/studios/", add=add, small=3, large=15))
