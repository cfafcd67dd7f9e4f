"""Online attendance figures of an event: on-site, online and either (each person once), and the
per-university table of an event with invited partner universities."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.checkin import services as checkin
from app.checkin.models import DOOR, ONLINE, Checkpoint
from app.events.models import Event
from app.events.services import require_manage
from app.extensions import db
from app.online.models import OnlinePresence, PersonInvitation, UniversityInvitation
from app.online.parts import part_of
from app.organisations.models import Organisation
from app.registrations.models import Registration, RegStatus


def _checkpoint(event: Event, kind: str) -> Checkpoint | None:
    return db.session.scalar(sa.select(Checkpoint).where(
        Checkpoint.event_id == event.id, Checkpoint.kind == kind, Checkpoint.session_id.is_(None)))


def confirmed_ids(event: Event) -> set[int]:
    return set(db.session.scalars(sa.select(Registration.id).where(
        Registration.event_id == event.id, Registration.status == RegStatus.CONFIRMED.value)))


def onsite_ids(event: Event) -> set[int]:
    point = _checkpoint(event, DOOR)
    return set(checkin.entered_ids(point)) & confirmed_ids(event) if point else set()


def online_joined_ids(event: Event) -> set[int]:
    point = _checkpoint(event, ONLINE)
    return set(checkin.entered_ids(point)) & confirmed_ids(event) if point else set()


def online_ids(event: Event) -> set[int]:
    """Confirmed registrations online for at least the organiser's minutes."""
    part = part_of(event)
    if part is None:
        return set()
    return set(db.session.scalars(sa.select(OnlinePresence.registration_id).join(
        Registration, Registration.id == OnlinePresence.registration_id).where(
        OnlinePresence.event_id == event.id, Registration.status == RegStatus.CONFIRMED.value,
        OnlinePresence.seconds >= part.attended_minutes * 60)))


@dataclass
class Summary:
    confirmed: int
    onsite: int
    joined_online: int
    online: int
    either: int
    threshold_minutes: int | None


def summary(event: Event) -> Summary:
    onsite, online = onsite_ids(event), online_ids(event)
    part = part_of(event)
    return Summary(len(confirmed_ids(event)), len(onsite), len(online_joined_ids(event)), len(online),
                   len(onsite | online), part.attended_minutes if part else None)


def attended_users(event: Event) -> list[User]:
    """Who attended on-site or online (each once), for 参会证明."""
    ids = onsite_ids(event) | online_ids(event)
    if not ids:
        return []
    return list(db.session.scalars(sa.select(User).join(Registration, Registration.user_id == User.id)
                                   .where(Registration.id.in_(ids)).order_by(Registration.id)))


@dataclass
class UniversityRow:
    invitation: UniversityInvitation
    name: str
    opens: int
    people: int
    registered: int
    onsite: int
    online: int


def university_rows(actor: User, event: Event) -> list[UniversityRow]:
    require_manage(actor, event)
    onsite, online = onsite_ids(event), online_ids(event)
    rows = []
    registrations = dict(db.session.execute(sa.select(Registration.user_id, Registration.id).where(
        Registration.event_id == event.id, Registration.status == RegStatus.CONFIRMED.value)).all())
    invited = list(db.session.scalars(sa.select(UniversityInvitation).where(UniversityInvitation.event_id == event.id)
                                      .options(joinedload(UniversityInvitation.organisation)
                                               .joinedload(Organisation.merged_into))
                                      .order_by(UniversityInvitation.id)))
    people: dict[int, list[int]] = {i.id: [] for i in invited}
    for invitation_id, user_id in db.session.execute(sa.select(
            PersonInvitation.university_invitation_id, PersonInvitation.user_id).where(
            PersonInvitation.university_invitation_id.in_(list(people) or [-1]))):
        people[invitation_id].append(user_id)
    for invitation in invited:
        users = people[invitation.id]
        regs = {registrations[u] for u in users if u in registrations}
        organisation = invitation.organisation
        name = organisation.merged_into.name if organisation.merged and organisation.merged_into else organisation.name
        rows.append(UniversityRow(invitation, name, invitation.opens, len(users), len(regs), len(regs & onsite),
                                  len(regs & online)))
    return rows


def with_online_columns(event: Event, header: list, rows: Iterable[list]) -> tuple[list, Iterator[list]]:
    """The attendance sheet (checkin.exports.attendance_rows: confirmed registrations by id) with
    the online minutes, attended online and attended on-site or online (each person once); the
    rows are produced as the sheet's are read."""
    ids = sorted(confirmed_ids(event))
    seconds = dict(db.session.execute(sa.select(OnlinePresence.registration_id, OnlinePresence.seconds)
                                      .where(OnlinePresence.event_id == event.id)).all())
    onsite, online = onsite_ids(event), online_ids(event)
    extra = [_("Minutes online"), _("Attended online"), _("Attended on-site or online")]
    yes = _("Yes")
    either = onsite | online
    out = (row + [seconds.get(rid, 0) // 60, yes if rid in online else "", yes if rid in either else ""]
           for rid, row in zip(ids, rows))
    return header + extra, out
