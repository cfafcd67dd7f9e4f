"""Master studios: founding a studio, its 传帮带 pairs, activities with QR attendance through the
shared check-in service, apprentices' achievements, and the yearly review.

Organisers of the studio's department (and admins) run it; its master sees it and takes
attendance at its activities (a scanner link for the activity's checkpoint).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import Department, User, organises
from app.accounts.services import find_by_mobile
from app.audit import services as audit
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.events.models import EventKind
from app.extensions import db
from app.lookups import get_or_not_found
from app.occasions import services as occasions
from app.organisations.linking import pick, resolve_id
from app.studios.models import (
    YEARLY_TARGET,
    Achievement,
    AchievementKind,
    Activity,
    ActivityKind,
    Apprenticeship,
    PairStatus,
    Studio,
    StudioLevel,
    StudioStatus,
)
from app.timeutil import LOCAL_TZ, local_today, to_local, utcnow


# -- permissions ---------------------------------------------------------------------------
def can_run(user: User | None, studio_or_department) -> bool:
    return organises(user, getattr(studio_or_department, "department_id", getattr(studio_or_department, "id", None)))


def require_run(user: User, studio_or_department) -> None:
    if not can_run(user, studio_or_department):
        raise PermissionDenied(_l("Only organisers of the studio's department can do this."))


def can_view(user: User | None, studio: Studio) -> bool:
    return can_run(user, studio) or bool(user and getattr(user, "id", None) == studio.master_id)


def require_view(user: User, studio: Studio) -> None:
    if not can_view(user, studio):
        raise PermissionDenied(_l("Only the studio's master and its organisers can see this."))


# -- studios ------------------------------------------------------------------------------
def _validate(name: str, trade: str, level: str, status: str, founded_on, master: User | None) -> dict:
    errors = {}
    if not (name or "").strip() or len(name) > 120:
        errors["name"] = _l("Give the studio's name (at most 120 characters).")
    if not (trade or "").strip() or len(trade) > 80:
        errors["trade"] = _l("Give the trade, e.g. 数控加工 or 养老护理.")
    if level not in {x.value for x in StudioLevel}:
        errors["level"] = _l("Choose district or city level.")
    if status not in {x.value for x in StudioStatus}:
        errors["status"] = _l("Choose a status.")
    if not isinstance(founded_on, date):
        errors["founded_on"] = _l("Give the founding date.")
    if master is None:
        errors["master_id"] = _l("Choose the master's account.")
    return errors


def create_studio(actor: User, *, name: str, master: User | None, trade: str, department: Department,
                  founded_on: date, level: str = StudioLevel.DISTRICT.value, description: str = "") -> Studio:
    require_run(actor, department)
    errors = _validate(name, trade, level, StudioStatus.ACTIVE.value, founded_on, master)
    if not errors.get("name") and db.session.scalar(sa.select(Studio.id).where(Studio.name == name.strip())):
        errors["name"] = _l("A studio of this name exists.")
    if errors:
        raise InvalidInput(fields=errors)
    start = datetime.combine(founded_on, time(9, 0), tzinfo=LOCAL_TZ)
    event = occasions.open_occasion(actor, title=name.strip()[:200], kind=EventKind.TRAINING.value,
                                    department_id=department.id, venue=name.strip()[:200], starts_at=start,
                                    ends_at=start + timedelta(hours=8), description=description)
    studio = Studio(name=name.strip(), master=master, trade=trade.strip(), department=department, level=level,
                    founded_on=founded_on, description=description or "", event=event,
                    master_organisation_id=resolve_id(master.employer))
    db.session.add(studio)
    db.session.flush()
    audit.record(actor, "studio.create", studio, master=master.id, level=level)
    return studio


def update_studio(actor: User, studio: Studio, *, name: str, master: User | None, trade: str, level: str,
                  status: str, founded_on: date, description: str = "") -> Studio:
    require_run(actor, studio)
    errors = _validate(name, trade, level, status, founded_on, master)
    clash = db.session.scalar(sa.select(Studio.id).where(Studio.name == (name or "").strip(), Studio.id != studio.id))
    if clash and "name" not in errors:
        errors["name"] = _l("A studio of this name exists.")
    if errors:
        raise InvalidInput(fields=errors)
    before = {"status": studio.status, "level": studio.level, "master": studio.master_id}
    if master.id != studio.master_id:  # a new master brings their employer
        studio.master_organisation_id = resolve_id(master.employer)
    studio.name, studio.master, studio.trade, studio.level = name.strip(), master, trade.strip(), level
    if status != studio.status:
        studio.transition(status, actor=actor)
    studio.founded_on, studio.description = founded_on, description or ""
    audit.record(actor, "studio.update", studio, before=before,
                 after={"status": status, "level": level, "master": master.id})
    return studio


def set_master_organisation(actor: User, studio: Studio, text: str | None) -> Studio:
    """Staff correct the registry organisation the master works for (empty: none)."""
    require_run(actor, studio)
    chosen = pick(text)
    before = studio.master_organisation_id
    studio.master_organisation_id = chosen.id if chosen else None
    audit.record(actor, "studio.master_organisation", studio, before=before, after=studio.master_organisation_id)
    return studio


def get_studio(studio_id: int, *, with_apprentices: bool = False) -> Studio:
    """The studio; `with_apprentices` for its page, which lists every apprentice with their
    master and achievements (read with the studio, not once per apprentice)."""
    if not with_apprentices:
        return get_or_not_found(Studio, studio_id, _l("No such studio."))
    found = db.session.scalar(sa.select(Studio).where(Studio.id == studio_id).options(
        selectinload(Studio.apprenticeships).options(
            joinedload(Apprenticeship.apprentice), joinedload(Apprenticeship.master),
            selectinload(Apprenticeship.achievements))).execution_options(populate_existing=True))
    if found is None:
        raise NotFound(_l("No such studio."))
    return found


def studios_for(user: User) -> list[Studio]:
    query = sa.select(Studio).order_by(Studio.founded_on.desc(), Studio.id)
    if not user.is_admin:
        runs = Studio.department_id.in_(user.department_ids or [-1]) if user.has_role("organiser") else sa.false()
        query = query.where(sa.or_(runs, Studio.master_id == user.id))
    # the list shows each studio's master and counts its active apprentices
    return list(db.session.scalars(query.options(joinedload(Studio.master), selectinload(Studio.apprenticeships))))


@dataclass
class YearTarget:
    year: int
    opened: int
    target: int = YEARLY_TARGET

    @property
    def share(self) -> float:
        return min(1.0, self.opened / self.target) if self.target else 1.0


def opened_in(year: int) -> YearTarget:
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Studio).where(
        Studio.founded_on >= date(year, 1, 1), Studio.founded_on <= date(year, 12, 31))) or 0
    return YearTarget(year, count)


# -- apprentices --------------------------------------------------------------------------
def person_by_mobile(mobile: str, field: str) -> User:
    """The account a master or apprentice is chosen by (`field`: the form field to blame)."""
    user = find_by_mobile(mobile)
    if user is None:
        raise InvalidInput(fields={field: _l("No account has this mobile number: they sign up first.")})
    return user


def get_pair(pair_id: int) -> Apprenticeship:
    return get_or_not_found(Apprenticeship, pair_id, NotFound.default_message)


def add_apprentice(actor: User, studio: Studio, apprentice: User, *, started_on: date, goals: str = "",
                   master: User | None = None) -> Apprenticeship:
    """Pair `apprentice` with the studio's master (or another master of the studio): they get a
    confirmed place at the studio's event, whose ticket is their QR credential."""
    require_run(actor, studio)
    master = master or studio.master
    if apprentice.id == master.id:
        raise InvalidInput(fields={"apprentice": _l("A master is not their own apprentice.")})
    if not isinstance(started_on, date):
        raise InvalidInput(fields={"started_on": _l("Give the start date.")})
    if len(goals or "") > 2000:
        raise InvalidInput(fields={"goals": _l("At most 2000 characters.")})
    existing = db.session.scalar(sa.select(Apprenticeship).where(
        Apprenticeship.studio_id == studio.id, Apprenticeship.apprentice_id == apprentice.id))
    if existing is not None and existing.active:
        raise Conflict(_l("%(name)s is already an apprentice of this studio.", name=apprentice.name),
                       code="already_apprentice")
    registration = occasions.seat(actor, studio.event, apprentice, note="apprentice")
    if existing is None:
        existing = Apprenticeship(studio=studio, apprentice=apprentice, registration=registration)
        db.session.add(existing)
    else:  # taken on again after an earlier pairing ended
        existing.transition(PairStatus.ACTIVE, actor=actor, note="apprentice again")
    existing.master, existing.started_on, existing.goals = master, started_on, (goals or "").strip()
    existing.ended_on, existing.end_note, existing.registration = None, "", registration
    db.session.flush()
    audit.record(actor, "studio.apprentice", studio, apprentice=apprentice.id, master=master.id)
    return existing


def end_apprenticeship(actor: User, pair: Apprenticeship, *, ended_on: date, note: str = "") -> Apprenticeship:
    require_run(actor, pair.studio)
    if not pair.active:
        return pair
    if not isinstance(ended_on, date) or ended_on < pair.started_on:
        raise InvalidInput(fields={"ended_on": _l("The end date is on or after the start date.")})
    occasions.unseat(actor, pair.registration, reason=note or "apprenticeship ended")
    pair.transition(PairStatus.ENDED, actor=actor, note=note or "")
    pair.ended_on, pair.end_note = ended_on, (note or "")[:300]
    audit.record(actor, "studio.apprentice_end", pair.studio, apprentice=pair.apprentice_id)
    return pair


def record_achievement(actor: User, pair: Apprenticeship, *, kind: str, title: str, achieved_on: date) -> Achievement:
    if not (can_run(actor, pair.studio) or actor.id == pair.studio.master_id):
        raise PermissionDenied()
    errors = {}
    if kind not in {k.value for k in AchievementKind}:
        errors["kind"] = _l("Choose the kind of achievement.")
    if not (title or "").strip() or len(title) > 200:
        errors["title"] = _l("Describe the achievement, e.g. 2026年闵行区养老护理职业技能竞赛 二等奖.")
    if not isinstance(achieved_on, date) or achieved_on > local_today():
        errors["achieved_on"] = _l("Give the date it was achieved (not in the future).")
    if errors:
        raise InvalidInput(fields=errors)
    row = Achievement(apprenticeship=pair, kind=kind, title=title.strip(), achieved_on=achieved_on,
                      recorded_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    return row


# -- activities and attendance ------------------------------------------------------------
def save_activity(actor: User, studio: Studio, *, title: str, starts_at: datetime, ends_at: datetime,
                  place: str = "", kind: str = ActivityKind.TRAINING.value, summary: str = "",
                  activity: Activity | None = None) -> Activity:
    require_run(actor, studio)
    if kind not in {k.value for k in ActivityKind}:
        raise InvalidInput(fields={"kind": _l("Choose the kind of activity.")})
    if activity is not None and activity.studio_id != studio.id:
        raise NotFound()
    activity = occasions.save_meeting(actor, studio.event, activity,
                                      make=lambda session: Activity(studio=studio, session=session),
                                      title=title, starts_at=starts_at, ends_at=ends_at, place=place,
                                      speaker=studio.master.name)
    activity.kind, activity.summary = kind, (summary or "")[:5000]
    db.session.flush()
    return activity


def activities(studio: Studio) -> list[Activity]:
    return occasions.meetings(Activity, Activity.studio_id == studio.id)


def get_activity(activity_id: int, studio: Studio | None = None) -> Activity:
    """The activity; with `studio`, only one of that studio's."""
    return occasions.get_meeting(Activity, activity_id, _l("No such activity."), studio=studio)


def pairs_on(studio: Studio, day: date) -> list[Apprenticeship]:
    """Apprentices of the studio on that day (started, not yet ended)."""
    return [p for p in studio.apprenticeships if p.started_on <= day and (p.ended_on is None or p.ended_on >= day)]


def activity_attendance(activity: Activity, arrivals: dict[int, datetime] | None = None) -> dict[int, datetime | None]:
    """apprenticeship id -> first entry scan at the activity (None: did not come), for the
    apprentices of the studio on the activity's day. `arrivals`: the activity's from
    occasions.meetings_arrivals() when the caller read them for many activities at once."""
    if arrivals is None:
        arrivals = occasions.meeting_arrivals(activity.session)
    day = to_local(activity.starts_at).date()
    return {p.id: arrivals.get(p.registration_id) for p in pairs_on(activity.studio, day)}


def activity_scanner(actor: User, activity: Activity) -> str:
    """A scanner link for this activity's checkpoint, for the master or the studio's organisers."""
    require_view(actor, activity.studio)
    return occasions.meeting_scanner(actor, activity.session)


# -- yearly review ------------------------------------------------------------------------
@dataclass
class Review:
    year: int
    activities_held: int
    by_kind: dict[str, int]
    attendance_rate: float | None  # apprentice attendances ÷ apprentice places at activities held
    apprentices: list[Apprenticeship]  # trained during the year
    achievements: list[Achievement]


def activities_attendance(items: list[Activity]) -> dict[int, dict[int, datetime | None]]:
    """activity_attendance() of each activity (by activity id), the scans read in one query."""
    arrivals = occasions.meetings_arrivals([a.session for a in items])
    return {a.id: activity_attendance(a, arrivals[a.session_id]) for a in items}


def yearly_review(studio: Studio, year: int, *, attendance: dict[int, dict] | None = None) -> Review:
    """`attendance`: activities_attendance() of the studio's activities, when the caller has it."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    now = utcnow()
    held = [a for a in activities(studio) if a.starts_at <= now and first <= to_local(a.starts_at).date() <= last]
    if attendance is None:
        attendance = activities_attendance(held)
    places = attended = 0
    by_kind: dict[str, int] = {}
    for activity in held:
        by_kind[activity.kind] = by_kind.get(activity.kind, 0) + 1
        seen = attendance[activity.id]
        places += len(seen)
        attended += sum(1 for at in seen.values() if at is not None)
    trained = [p for p in studio.apprenticeships
               if p.started_on <= last and (p.ended_on is None or p.ended_on >= first)]
    achieved = [a for p in trained for a in p.achievements if first <= a.achieved_on <= last]
    return Review(year, len(held), by_kind, attended / places if places else None, trained,
                  sorted(achieved, key=lambda a: a.achieved_on))
