"""An organisation's page lists its trainees: a host company those placed at its places, a
university its students placed anywhere (by their application's university); placements made for a
duplicate merged into it count; placements not (yet) confirmed do not."""
from __future__ import annotations

import sqlalchemy as sa

from app.organisation_pages.sections import fill
from app.organisations import services
from app.traineeships.models import Placement
from app.traineeships.queries import of_organisation
from tests.conftest import login


def test_trainees_of_a_host_and_of_a_university(client, db_session, placed_batch, create_organisation, admin):
    university = create_organisation(kind="university", name="上海交通大学")
    duplicate = create_organisation(kind="university", name="上海交通大学（闵行校区）")
    made = placed_batch(trainees=(2, 1), university=duplicate)
    other = placed_batch(trainees=(1,), hosts=[(made.hosts[0], made.contacts[0])])
    proposed = other.placements[0]
    proposed.status = "proposed"  # accepted by the host, not yet confirmed: not a trainee
    services.merge(admin, university, duplicate)
    db_session.commit()

    host_rows = of_organisation(made.hosts[0])
    assert sorted(r.person_id for r in host_rows) == sorted(p.user_id for p in made.placements[:2])
    assert all(r.group == made.batch.title and "行政助理" in r.detail and r.args == {"batch_id": made.batch.id}
               for r in host_rows)
    students = of_organisation(university)  # placed through the duplicate, now merged into it
    assert sorted(r.person_id for r in students) == sorted(p.user_id for p in made.placements)
    assert {r.detail.split(" · ")[1] for r in students} == {h.name for h in made.hosts}
    assert of_organisation(create_organisation(kind="company", name="上海无关科技有限公司")) == []

    made.placements[0].status = "withdrawn"
    db_session.commit()
    section = {f.section.key: f for f in fill(made.hosts[0])}["trainees"]
    withdrawn = made.placements[0].status_label
    assert section.count == 2 and [r.detail.endswith(withdrawn) for r in section.groups[0].rows] == [True, False]
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Placement)) == 4

    login(client, admin)
    page = client.get(f"/console/organisations/{university.id}/overview")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and made.placements[2].user.name in html and made.batch.title in html
