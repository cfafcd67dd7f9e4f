"""Which plan items an occasion serves: its programme's defaults, an organiser's additions and
removals, and the one query of the events serving an item (themselves, through their series, or
through their programme)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.errors import InvalidInput, NotFound, PermissionDenied
from app.events.models import Series
from app.extensions import db
from app.plans import loading, tagging
from app.plans.models import PlanTag
from tests.fixtures.plans import SEED


@pytest.fixture
def plan(db_session, departments):
    loaded = loading.load_file(SEED).plan
    db_session.commit()
    return loaded


def _item(plan, code):
    return next(i for i in plan.items if i.code == code)


def _events(items) -> set[int]:
    return set(db.session.scalars(tagging.events_serving([i.id for i in items])))


def test_defaults_by_programme(plan, create_event, departments, db_session):
    recruiting = create_event(kind="campus_recruiting")
    symposium = create_event(kind="symposium", department=departments["skills"])
    lecture = create_event(kind="other", format="hybrid")
    serving = {c.item.code for c in tagging.items_of("event", recruiting.id, plan) if c.serves}
    assert serving == {"一.1"}
    assert {c.item.code for c in tagging.items_of("event", symposium.id, plan) if c.serves} == {"二.4"}
    assert {c.item.code for c in tagging.items_of("event", lecture.id, plan) if c.serves} == {"一.1"}  # online part
    assert _events([_item(plan, "二.4")]) == {symposium.id}
    assert _events([_item(plan, "一.1")]) == {recruiting.id, lecture.id}


def test_an_organiser_adds_and_removes_items_and_it_is_audited(plan, create_event, create_user, departments,
                                                               db_session):
    organiser = create_user("organiser", department="talent_center")
    event = create_event(kind="campus_recruiting")
    keep_default = _item(plan, "一.1")
    extra = _item(plan, "三.2")
    tagging.set_items(organiser, "event", event.id, [extra.id], plan)  # 一.1 removed, 三.2 added
    db_session.commit()
    choices = {c.item.code: c for c in tagging.items_of("event", event.id, plan)}
    assert choices["一.1"].default and not choices["一.1"].serves
    assert choices["三.2"].serves and not choices["三.2"].default
    assert _events([keep_default]) == set()
    assert _events([extra]) == {event.id}
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PlanTag)) == 2
    entry = db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "plan.tags"))
    assert entry.detail["added"] == ["三.2"] and entry.detail["removed"] == ["一.1"]

    tagging.set_items(organiser, "event", event.id, [keep_default.id], plan)  # back to the default: no rows
    db_session.commit()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PlanTag)) == 0
    assert _events([keep_default]) == {event.id}


def test_only_the_subjects_organisers_tag_and_unknown_items_are_refused(plan, create_event, create_user,
                                                                       departments, db_session, create_plan):
    event = create_event(kind="forum")
    outsider = create_user("organiser", department="skills")
    with pytest.raises(PermissionDenied):
        tagging.set_items(outsider, "event", event.id, [], plan)
    with pytest.raises(PermissionDenied):
        tagging.set_items(create_user("leader"), "event", event.id, [], plan)
    admin = create_user("admin")
    other = create_plan(slug="another")
    from app.plans.models import PlanItem
    foreign = PlanItem(plan=other, code="一.1", title="别的计划的事项", serves=[])
    db_session.add(foreign)
    db_session.commit()
    for bad in ([foreign.id], [999999], ["x"]):
        with pytest.raises(InvalidInput):
            tagging.set_items(admin, "event", event.id, bad, plan)
    db_session.rollback()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PlanTag)) == 0
    with pytest.raises(NotFound):
        tagging.items_of("event", 999999, plan)
    with pytest.raises(NotFound):
        tagging.items_of("parade", event.id, plan)


def test_events_serve_through_their_series(plan, create_event, departments, db_session, admin):
    series = Series(slug="rencai-minhang-zhou", name="人才闵行周", department=departments["talent_center"])
    db_session.add(series)
    db_session.commit()
    inside = create_event(kind="salon", series_id=series.id)
    outside = create_event(kind="salon")
    assert _events([_item(plan, "一.1")]) == {inside.id}  # 一.1 serves "series"
    tagging.set_items(admin, "series", series.id, [_item(plan, "三.4").id], plan)
    db_session.commit()
    assert _events([_item(plan, "一.1")]) == set()
    assert _events([_item(plan, "三.4")]) == {inside.id}
    assert outside.id in _events([_item(plan, "一.2")])  # its own default (event:salon)


def test_events_serve_through_their_programmes(plan, create_cohort, create_studio, traineeship, contest,
                                               db_session, admin):
    cohort = create_cohort()
    studio = create_studio()
    batch = traineeship(hosts=1).batch
    camp, studios_item, youth = _item(plan, "二.3"), _item(plan, "二.4"), _item(plan, "二.5")
    assert cohort.event_id in _events([camp])
    assert {studio.event_id, contest.category.event_id} <= _events([studios_item])
    assert {batch.event_id, contest.category.event_id} <= _events([youth])
    assert batch.event_id not in _events([camp])
    # an organiser says this competition does not serve 二.5
    tagging.set_items(admin, "competition", contest.competition.id, [studios_item.id], plan)
    db_session.commit()
    assert contest.category.event_id not in _events([youth])
    assert contest.category.event_id in _events([studios_item])
    assert {c.item.code for c in tagging.items_of("cycle", cohort.cycle_id, plan) if c.serves} == {"二.3"}
    assert {c.item.code for c in tagging.items_of("batch", batch.id, plan) if c.serves} == {"二.5"}
    assert {c.item.code for c in tagging.items_of("studio", studio.id, plan) if c.serves} == {"二.4"}
