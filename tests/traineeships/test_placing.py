"""Hosts accept or decline their applicants in the portal, the bureau confirms: one placement per
person per batch, a contact sees and decides on its own organisations' places only, and the
trainee is told at each step."""
import pytest
import sqlalchemy as sa

from app.errors import Conflict, InvalidInput, PermissionDenied
from app.notifications.models import InboxMessage
from app.organisations import contacts
from app.traineeships import placements, review
from app.traineeships.models import Placement


def _inbox(db_session, user) -> list[str]:
    return list(db_session.scalars(sa.select(InboxMessage.kind).where(InboxMessage.user_id == user.id)
                                   .order_by(InboxMessage.id)))


def test_accept_confirm_seats_the_trainee_and_supersedes_the_other_choices(db_session, traineeship, create_user,
                                                                           apply_as):
    world = traineeship()
    person = create_user(name="林晓")
    application = apply_as(person, world.batch, world.places)
    first, second = application.choices
    placement = review.accept(world.contacts[1], second)
    db_session.commit()
    assert placement.status == "proposed" and second.status == "accepted" and placement.host_id == world.hosts[1].id
    # The person holds a placement now: the other host cannot take them too.
    with pytest.raises(Conflict) as taken:
        review.accept(world.contacts[0], first)
    assert taken.value.code == "already_placed"
    db_session.rollback()
    with pytest.raises(PermissionDenied):
        placements.confirm(create_user("organiser", department="skills"), placement)
    placements.confirm(world.organiser, placement)
    db_session.commit()
    assert placement.status == "confirmed" and placement.registration.status == "confirmed"
    assert placement.registration.event_id == world.batch.event_id
    assert first.status == "superseded" and application.status == "placed"
    assert _inbox(db_session, person) == ["traineeship_accepted", "traineeship_confirmed"]
    with pytest.raises(Conflict):
        placements.confirm(world.organiser, placement)


def test_a_rejected_placement_frees_the_person_for_another_host(db_session, traineeship, create_user, apply_as):
    world = traineeship()
    person = create_user()
    first, second = apply_as(person, world.batch, world.places).choices
    placement = review.accept(world.contacts[0], first)
    db_session.commit()
    with pytest.raises(InvalidInput):
        placements.reject(world.organiser, placement, reason="")
    db_session.rollback()
    placements.reject(world.organiser, placement, reason="岗位与专业不符")
    db_session.commit()
    assert placement.status == "rejected" and first.status == "declined" and first.reason == "岗位与专业不符"
    again = review.accept(world.contacts[1], second)
    db_session.commit()
    assert again.status == "proposed"
    assert _inbox(db_session, person) == ["traineeship_accepted", "traineeship_rejected", "traineeship_accepted"]


def test_declining_needs_a_reason_which_the_applicant_sees(db_session, traineeship, create_user, apply_as):
    world = traineeship()
    person = create_user()
    choice = apply_as(person, world.batch, world.places[:1]).choices[0]
    with pytest.raises(InvalidInput):
        review.decline(world.contacts[0], choice, reason=" ")
    db_session.rollback()
    review.decline(world.contacts[0], choice, reason="名额已满")
    db_session.commit()
    assert choice.status == "declined"
    message = db_session.scalar(sa.select(InboxMessage).where(InboxMessage.user_id == person.id))
    assert message.kind == "traineeship_declined" and "名额已满" in message.body
    with pytest.raises(Conflict):
        review.accept(world.contacts[0], choice)


def test_a_contact_sees_and_decides_on_its_own_places_only(db_session, traineeship, create_user, apply_as, admin):
    world = traineeship()
    person = create_user()
    first, second = apply_as(person, world.batch, world.places).choices
    mine, theirs = world.contacts
    assert review.places_of(mine) == [world.places[0]]
    assert review.applicants(mine, world.places[0]) == [first]
    for attempt in (lambda: review.applicants(mine, world.places[1]), lambda: review.get_own_place(mine, world.places[1].id),
                    lambda: review.accept(mine, second), lambda: review.decline(mine, second, reason="不合适"),
                    lambda: review.accept(admin, first), lambda: review.accept(person, first)):
        with pytest.raises(PermissionDenied):
            attempt()
        db_session.rollback()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Placement)) == 0
    # Removing a contact ends their access.
    contact = contacts.contacts_of(world.hosts[0])[0]
    contacts.remove_contact(world.organiser, contact)
    db_session.commit()
    assert review.places_of(mine) == [] and not review.is_contact(mine)


def test_a_place_takes_no_more_than_its_openings(db_session, traineeship, create_user, apply_as):
    world = traineeship()
    place = world.places[0]
    choices = [apply_as(create_user(), world.batch, [place]).choices[0] for _ in range(3)]
    review.accept(world.contacts[0], choices[0])
    review.accept(world.contacts[0], choices[1])
    db_session.commit()
    with pytest.raises(Conflict) as full:
        review.accept(world.contacts[0], choices[2])
    assert full.value.code == "place_full"


def test_the_mail_of_a_notice_names_the_host_and_the_reason(db_session, traineeship, create_user, apply_as):
    from app.notifications.models import OutboxMessage
    from app.notifications.services import message_body

    world = traineeship()
    person = create_user(email="trainee@example.com")
    choice = apply_as(person, world.batch, world.places[:1]).choices[0]
    review.decline(world.contacts[0], choice, reason="需要会计专业")
    db_session.commit()
    mail = db_session.scalar(sa.select(OutboxMessage).where(OutboxMessage.user_id == person.id))
    body = message_body(mail)
    assert mail.template == "traineeship" and world.hosts[0].name in body and "需要会计专业" in body
    assert "/me/traineeships" in body
