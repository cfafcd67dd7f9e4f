"""One transition shape (app/transitions.py): a table of allowed moves, one `transition()` that
refuses the rest and writes the history row."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.competitions.models import Competition
from app.registrations.models import RegistrationHistory, RegStatus
from app.transitions import IllegalTransition, StatusChange, Stateful, changes_of, transition_table


def test_a_registration_move_writes_its_history_and_a_refused_move_changes_nothing(confirmed, admin, db_session):
    confirmed.transition(RegStatus.CANCELLED, actor=admin, note="asked by phone")
    db_session.flush()
    assert [(h.from_status, h.to_status, h.actor_id, h.note) for h in confirmed.history][-1] == (
        "confirmed", "cancelled", admin.id, "asked by phone")
    rows = db_session.scalar(sa.select(sa.func.count()).select_from(RegistrationHistory))
    with pytest.raises(IllegalTransition) as refused:
        confirmed.transition(RegStatus.CANCELLED)  # cancelled → cancelled is not a move
    assert refused.value.code == "bad_transition" and refused.value.http_status == 409
    assert confirmed.status == "cancelled"
    assert db_session.scalar(sa.select(sa.func.count()).select_from(RegistrationHistory)) == rows


def test_every_stateful_model_declares_its_moves_as_plain_strings():
    from app.extensions import db
    stateful = [m.class_ for m in db.Model.registry.mappers if issubclass(m.class_, Stateful)]
    assert Competition in stateful and len(stateful) >= 3
    for model in stateful:
        assert model.TRANSITIONS, model
        for old, new in model.TRANSITIONS.items():
            assert old is None or type(old) is str
            assert all(type(s) is str for s in new), model


def test_a_model_without_a_history_table_records_in_status_changes(db_session, departments, admin):
    competition = Competition(name="区级技能竞赛", year=2026, department=departments["talent_center"], status="draft")
    db_session.add(competition)
    db_session.flush()
    competition.transition("open", actor=admin, note="opened")
    competition.transition("closed")
    with pytest.raises(Exception) as refused:
        competition.transition("draft")
    assert refused.value.code == "bad_transition"
    assert [(c.from_status, c.to_status, c.actor_id) for c in changes_of(competition)] == [
        ("draft", "open", admin.id), ("open", "closed", None)]
    assert db_session.scalar(sa.select(sa.func.count()).select_from(StatusChange)) == 2


def test_a_table_written_with_enum_members_holds_their_values():
    import enum

    class S(str, enum.Enum):
        A = "a"
        B = "b"
    assert transition_table({None: {S.A}, S.A: {S.B}, S.B: set()}) == {None: {"a"}, "a": {"b"}, "b": set()}


def test_a_session_booking_moves_through_transition_and_keeps_its_history(db_session, create_event, create_user,
                                                                          admin):
    from app.lifecycle.agenda import save_session
    from app.registrations import services as reg

    event = create_event(capacity=10)
    session = save_session(admin, event, title="分论坛：集成电路", starts_at=event.starts_at,
                           ends_at=event.starts_at + timedelta(hours=1), capacity=1)
    first, second = create_user(), create_user()
    seated, waiting = reg.register(first, event, session_ids=[session.id]), reg.register(second, event,
                                                                                         session_ids=[session.id])
    reg.cancel(first, seated)
    db_session.flush()
    [dropped], [promoted] = seated.bookings, waiting.bookings
    assert [(c.from_status, c.to_status, c.actor_id) for c in changes_of(dropped)] == [
        ("requested", "confirmed", None), ("confirmed", "cancelled", first.id)]
    assert [(c.from_status, c.to_status) for c in changes_of(promoted)] == [
        ("requested", "waitlisted"), ("waitlisted", "confirmed")]
    with pytest.raises(IllegalTransition):  # a dropped session is picked again as "requested", never seated directly
        dropped.transition("confirmed")
    assert dropped.status == "cancelled" and len(changes_of(dropped)) == 2


def test_publishing_and_cancelling_an_event_are_recorded_moves(db_session, create_event, admin):
    from app.lifecycle import services as lifecycle

    event = create_event(status="draft")
    lifecycle.publish_event(admin, event)
    lifecycle.cancel_event(admin, event, "场地检修")
    db_session.flush()
    assert [(c.from_status, c.to_status, c.actor_id, c.note) for c in changes_of(event)] == [
        ("draft", "published", admin.id, ""), ("published", "cancelled", admin.id, "场地检修")]
    with pytest.raises(IllegalTransition):
        event.transition("published")
