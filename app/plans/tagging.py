"""Which plan items an occasion serves.

A subject (an event series, an event, a camp cycle, a traineeship batch, a competition, a studio)
serves the items whose `serves` names its programme key — its default — plus the items an
organiser added (a PlanTag with serves=true) minus those they removed (serves=false):

    series       "series"                      cycle        "camp" (camp programmes' cycles)
    event        "event:<kind>", and "online"  batch        "traineeship"
                 when it has an online part    competition  "competition"
                                               studio       "studio"

`events_serving(item_ids)` is the one query reports and the dashboard use: the events that serve
any of the items themselves, through their series, or through their programme (a camp cycle's
cohorts' events — whose agenda sessions are the lessons —, a batch's event, a competition's
categories' events, a studio's event)."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.cohorts.camps.models import Cohort, Cycle, Programme, ProgrammeKind
from app.competitions.models import Category, Competition
from app.errors import InvalidInput, NotFound, PermissionDenied
from app.events.models import Event, EventFormat, Series
from app.extensions import db
from app.plans.models import Plan, PlanItem, PlanTag, SubjectKind
from app.plans.plan_check import EVENT_PREFIX
from app.studios.models import Studio
from app.timeutil import utcnow
from app.traineeships.models import TraineeshipBatch

ONLINE_FORMATS = (EventFormat.ONLINE.value, EventFormat.HYBRID.value)
MODELS = {
    SubjectKind.SERIES.value: Series,
    SubjectKind.EVENT.value: Event,
    SubjectKind.CYCLE.value: Cycle,
    SubjectKind.BATCH.value: TraineeshipBatch,
    SubjectKind.COMPETITION.value: Competition,
    SubjectKind.STUDIO.value: Studio,
}
FIXED_KEYS = {
    SubjectKind.SERIES.value: "series",
    SubjectKind.BATCH.value: "traineeship",
    SubjectKind.COMPETITION.value: "competition",
    SubjectKind.STUDIO.value: "studio",
}


class UnknownItem(InvalidInput):
    code = "unknown_plan_item"
    default_message = _l("Choose items of this plan.")


def get_subject(kind: str, subject_id: int):
    model = MODELS.get(kind)
    subject = db.session.get(model, subject_id) if model is not None else None
    if subject is None:
        raise NotFound()
    return subject


def subject_title(kind: str, subject) -> str:
    return getattr(subject, "title", None) or getattr(subject, "name", "") or ""


def department_id_of(kind: str, subject) -> int | None:
    if kind == SubjectKind.CYCLE.value:
        return subject.programme.department_id
    return subject.department_id


def keys_of(kind: str, subject) -> set[str]:
    """The subject's programme keys (what an item's `serves` names)."""
    if kind in FIXED_KEYS:
        return {FIXED_KEYS[kind]}
    if kind == SubjectKind.CYCLE.value:
        return {"camp"} if subject.programme.kind == ProgrammeKind.CAMP.value else set()
    keys = {EVENT_PREFIX + subject.kind}
    if subject.format in ONLINE_FORMATS:
        keys.add("online")
    return keys


def may_tag(actor: User | None, kind: str, subject) -> bool:
    """Administrators, and the organisers of the subject's department."""
    return bool(actor is not None and getattr(actor, "is_authenticated", False)
                and actor.organises(department_id_of(kind, subject)))


def require_tag(actor: User | None, kind: str, subject) -> None:
    if not may_tag(actor, kind, subject):
        raise PermissionDenied()


@dataclass(frozen=True)
class ItemChoice:
    item: PlanItem
    default: bool  # the programme's default
    serves: bool  # in effect (the default, or an organiser's word)


def items_of(kind: str, subject_id: int, plan: Plan | None = None) -> list[ItemChoice]:
    """Every item (of `plan`, or of every plan) with whether the subject serves it."""
    subject = get_subject(kind, subject_id)
    keys = keys_of(kind, subject)
    query = sa.select(PlanItem).join(Plan).order_by(Plan.starts_on, PlanItem.plan_id, PlanItem.position)
    if plan is not None:
        query = query.where(PlanItem.plan_id == plan.id)
    items = list(db.session.scalars(query))
    tags = dict(db.session.execute(sa.select(PlanTag.item_id, PlanTag.serves).where(
        PlanTag.subject_kind == kind, PlanTag.subject_id == subject.id)).all())
    out = []
    for item in items:
        default = bool(keys & set(item.serves or ()))
        out.append(ItemChoice(item, default, tags.get(item.id, default)))
    return out


def serving_items(kind: str, subject_id: int, plan: Plan | None = None) -> list[PlanItem]:
    return [c.item for c in items_of(kind, subject_id, plan) if c.serves]


def set_items(actor: User, kind: str, subject_id: int, item_ids, plan: Plan) -> list[PlanItem]:
    """Say which of `plan`'s items the subject serves; a choice equal to the default keeps no row."""
    subject = get_subject(kind, subject_id)
    require_tag(actor, kind, subject)
    try:
        wanted = {int(i) for i in item_ids}
    except (TypeError, ValueError):
        raise UnknownItem(fields={"items": UnknownItem.default_message}) from None
    choices = items_of(kind, subject.id, plan)
    if wanted - {c.item.id for c in choices}:
        raise UnknownItem(fields={"items": UnknownItem.default_message})
    tags = {t.item_id: t for t in db.session.scalars(sa.select(PlanTag).where(
        PlanTag.subject_kind == kind, PlanTag.subject_id == subject.id,
        PlanTag.item_id.in_([c.item.id for c in choices])))}
    added, removed = [], []
    for choice in choices:
        serves = choice.item.id in wanted
        if serves != choice.serves:
            (added if serves else removed).append(choice.item.code)
        tag = tags.get(choice.item.id)
        if serves == choice.default:
            if tag is not None:
                db.session.delete(tag)
        elif tag is None:
            db.session.add(PlanTag(item=choice.item, subject_kind=kind, subject_id=subject.id, serves=serves,
                                   tagged_by_id=actor.id))
        elif tag.serves != serves:
            tag.serves, tag.tagged_by_id, tag.tagged_at = serves, actor.id, utcnow()
    db.session.flush()
    audit.record(actor, "plan.tags", subject, kind=kind, plan=plan.slug, added=added, removed=removed)
    return [c.item for c in choices if c.item.id in wanted]


# -- the one query ------------------------------------------------------------------------------
def _serves(kind: str, subject_id_column, key_matches, items: list[PlanItem]) -> sa.ColumnElement:
    """Whether the subject (its id column) serves any of `items`: a tag saying so, or the default
    (`key_matches(keys)`: the subject's key is among an item's) not tagged away."""
    conditions = []
    for item in items:
        tag = sa.select(PlanTag.id).where(PlanTag.item_id == item.id, PlanTag.subject_kind == kind,
                                          PlanTag.subject_id == subject_id_column)
        conditions.append(tag.where(PlanTag.serves.is_(True)).exists())
        keys = set(item.serves or ())
        default = key_matches(keys)
        if default is not None:
            conditions.append(sa.and_(default, ~tag.where(PlanTag.serves.is_(False)).exists()))
    return sa.or_(*conditions) if conditions else sa.false()


def _fixed(key: str):
    return lambda keys: sa.true() if key in keys else None


def _event_default(keys: set[str]):
    kinds = [k[len(EVENT_PREFIX):] for k in keys if k.startswith(EVENT_PREFIX)]
    parts = []
    if kinds:
        parts.append(Event.kind.in_(kinds))
    if "online" in keys:
        parts.append(Event.format.in_(ONLINE_FORMATS))
    return sa.or_(*parts) if parts else None


def _cycle_default(keys: set[str]):
    return Programme.kind == ProgrammeKind.CAMP.value if "camp" in keys else None


def events_serving(item_ids) -> sa.Select:
    """ONE select of the ids of the events that serve any of the items (a UNION, no duplicates)."""
    items = list(db.session.scalars(sa.select(PlanItem).where(PlanItem.id.in_([int(i) for i in item_ids]))))
    if not items:
        return sa.select(Event.id.label("event_id")).where(sa.false())
    own = sa.select(Event.id.label("event_id")).where(
        _serves(SubjectKind.EVENT.value, Event.id, _event_default, items))
    by_series = sa.select(Event.id).join(Series, Series.id == Event.series_id).where(
        _serves(SubjectKind.SERIES.value, Series.id, _fixed("series"), items))
    by_cycle = (sa.select(Cohort.event_id).join(Cycle, Cycle.id == Cohort.cycle_id)
                .join(Programme, Programme.id == Cycle.programme_id)
                .where(_serves(SubjectKind.CYCLE.value, Cycle.id, _cycle_default, items)))
    by_batch = sa.select(TraineeshipBatch.event_id).where(
        _serves(SubjectKind.BATCH.value, TraineeshipBatch.id, _fixed("traineeship"), items))
    by_competition = sa.select(Category.event_id).join(Competition, Competition.id == Category.competition_id).where(
        _serves(SubjectKind.COMPETITION.value, Competition.id, _fixed("competition"), items))
    by_studio = sa.select(Studio.event_id).where(
        _serves(SubjectKind.STUDIO.value, Studio.id, _fixed("studio"), items))
    union = sa.union(own, by_series, by_cycle, by_batch, by_competition, by_studio).subquery()
    return sa.select(union.c.event_id)
