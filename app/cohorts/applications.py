"""Applications and selection: founders apply to a tier of a cycle while applications are open,
reviewers score them against the cycle's rubric, organisers rank, admit, waitlist or reject.

Who may do what
- Applicants: apply, edit and withdraw their own application while applications are open (edit
  only before a decision); they see their status at /camps/applications.
- Reviewers of a cycle (`can_review`): those who run the programme (organisers of its department,
  admins) and the trainers of any cohort of the cycle. Judges are not reviewers unless they are
  also a trainer of the cycle: there is no per-cycle reviewer list to keep, on purpose.
- Deciding (admit / waitlist / reject) and the rubric: only those who run the programme.

Combined score: each reviewer who scored every criterion of the rubric gives a weighted total
normalised to 0–100 (Σ weight·score/max ÷ Σ weight × 100); the combined score is the mean of
those totals, shown with the number of reviewers. Ranking: combined score, highest first, then
the earlier submission; applications nobody has scored come last.

Capacity: admitting is all or nothing per batch. Under the cohort event's lock, if a batch
holds more applicants for a cohort than it has places left, `decide` raises a Conflict
(`not_enough_places`) and admits nobody of that batch; the ranking page shows the places left,
so the organiser picks that many and waitlists the rest explicitly.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.accounts.services import EMAIL_RE, MOBILE_RE, id_number_problem, normalise_id_number, normalise_mobile
from app.audit import services as audit
from app.cohorts import services as cohorts
from app.cohorts.models import (
    FUNDING_STAGES,
    INDUSTRIES,
    Application,
    ApplicationHistory,
    ApplicationStatus,
    Cohort,
    Cycle,
    Enrolment,
    ProgrammeKind,
    ReviewCriterion,
    ReviewScore,
    Tier,
)
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.numbers import round_score
from app.notifications.services import notify
from app.privacy import mask_email, mask_id_number, mask_phone
from app.timeutil import fmt, local_today, utcnow

SUBMITTED = ApplicationStatus.SUBMITTED.value
ADMITTED = ApplicationStatus.ADMITTED.value
WAITLISTED = ApplicationStatus.WAITLISTED.value
REJECTED = ApplicationStatus.REJECTED.value
WITHDRAWN = ApplicationStatus.WITHDRAWN.value
DECISIONS = (ADMITTED, WAITLISTED, REJECTED)

BUSINESS_PLAN_MIN, BUSINESS_PLAN_MAX = 50, 3000
EARLIEST_FOUNDING = date(1980, 1, 1)


class ApplicationsClosed(Conflict):
    code = "applications_closed"


class AlreadyApplied(Conflict):
    code = "already_applied"


class NotEnoughPlaces(Conflict):
    code = "not_enough_places"


# -- 统一社会信用代码 (GB 32100-2015) ------------------------------------------------------
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_RE = re.compile(rf"^[{USCC_ALPHABET}]{{18}}$")


def uscc_check_character(first17: str) -> str:
    """The 18th character for the first 17: 31 − (Σ value·weight mod 31), 31 counting as 0."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalise_uscc(code: str | None) -> str:
    return re.sub(r"[\s\-]", "", code or "").upper()


def validate_uscc(code: str | None) -> bool:
    """True for an 18-character unified social credit code whose check character is right."""
    code = normalise_uscc(code)
    return bool(USCC_RE.match(code)) and uscc_check_character(code[:17]) == code[17]


# -- permissions ---------------------------------------------------------------------------
def _is_user(user) -> bool:
    return bool(user and getattr(user, "is_authenticated", False))


def can_run(user, cycle: Cycle) -> bool:
    return cohorts.can_run(user, cycle.programme)


def can_review(user, cycle: Cycle) -> bool:
    """Those who run the programme, and the trainers of any cohort of the cycle."""
    if not _is_user(user):
        return False
    if can_run(user, cycle):
        return True
    return user.has_role("trainer") and any(t.id == user.id for c in cycle.cohorts for t in c.trainers)


def require_review(user, cycle: Cycle) -> None:
    if not can_review(user, cycle):
        raise PermissionDenied(_l("You are not a reviewer of this cycle."))


def can_see(user, application: Application) -> bool:
    return _is_user(user) and (application.user_id == user.id or can_review(user, application.cycle))


def require_see(user, application: Application) -> None:
    if not can_see(user, application):
        raise PermissionDenied()


def cycles_for(user: User) -> list[Cycle]:
    """Cycles of camp-like programmes whose applications this user may review, newest first."""
    found = db.session.scalars(sa.select(Cycle).order_by(Cycle.starts_on.desc(), Cycle.id.desc())).all()
    return [c for c in found if can_review(user, c)]


# -- reading -------------------------------------------------------------------------------
def get_application(application_id: int) -> Application:
    application = db.session.get(Application, application_id)
    if application is None:
        raise NotFound(_l("No such application."))
    return application


def application_of(user: User, cycle: Cycle) -> Application | None:
    return db.session.scalar(sa.select(Application).where(Application.cycle_id == cycle.id,
                                                          Application.user_id == user.id))


def my_applications(user: User) -> list[Application]:
    return list(db.session.scalars(sa.select(Application).where(Application.user_id == user.id)
                                   .options(selectinload(Application.cycle), selectinload(Application.tier))
                                   .order_by(Application.submitted_at.desc())))


def enrolment_for(application: Application) -> Enrolment | None:
    return db.session.scalar(sa.select(Enrolment).where(Enrolment.application_id == application.id))


def open_cycles() -> list[Cycle]:
    """Cycles of the entrepreneurship camps, those taking applications first."""
    from app.cohorts.models import Programme

    found = db.session.scalars(sa.select(Cycle).join(Programme).where(Programme.kind == ProgrammeKind.CAMP.value)
                               .order_by(Cycle.starts_on.desc(), Cycle.id.desc())).all()
    return sorted(found, key=lambda c: not c.applications_open())


def tiers_for(cycle: Cycle) -> list[Tier]:
    """The tiers one may apply for: those with a cohort in the cycle (all of the programme's
    tiers while no cohort is set up yet)."""
    with_cohort = {c.tier_id for c in cycle.cohorts}
    tiers = list(cycle.programme.tiers)
    return [t for t in tiers if t.id in with_cohort] if with_cohort else tiers


def cohort_for(cycle: Cycle, tier_id: int) -> Cohort | None:
    return next((c for c in cycle.cohorts if c.tier_id == tier_id), None)


def places_left(cohort: Cohort) -> int:
    return max(cohort.capacity - cohorts.enrolled_count(cohort), 0)


def applications(cycle: Cycle, *, tier_id: int | None = None, status: str | None = None,
                 q: str | None = None) -> list[Application]:
    query = sa.select(Application).where(Application.cycle_id == cycle.id)
    if tier_id:
        query = query.where(Application.tier_id == tier_id)
    if status:
        query = query.where(Application.status == status)
    if q and q.strip():
        like = f"%{q.strip()}%"
        query = query.where(sa.or_(Application.name.ilike(like), Application.company_name.ilike(like),
                                   Application.mobile.like(like), Application.uscc.ilike(like)))
    return list(db.session.scalars(query.options(selectinload(Application.tier))
                                   .order_by(Application.submitted_at, Application.id)))


def status_counts(cycle: Cycle, tier_id: int | None = None) -> dict[str, int]:
    query = sa.select(Application.status, sa.func.count()).where(Application.cycle_id == cycle.id)
    if tier_id:
        query = query.where(Application.tier_id == tier_id)
    counts = {s.value: 0 for s in ApplicationStatus}
    counts.update(dict(db.session.execute(query.group_by(Application.status)).all()))
    return counts


# -- the application form ------------------------------------------------------------------
def _clean(cycle: Cycle, tier: Tier | None, fields: dict) -> tuple[dict, dict]:
    errors: dict = {}
    values: dict = {}
    if tier is None or tier.id not in {t.id for t in tiers_for(cycle)}:
        errors["tier_id"] = _l("Choose the camp you apply for.")
    name = (fields.get("name") or "").strip()
    if not name or len(name) > 60:
        errors["name"] = _l("Enter your name (at most 60 characters).")
    values["name"] = name
    mobile = normalise_mobile(fields.get("mobile"))
    if not mobile or not MOBILE_RE.match(mobile):
        errors["mobile"] = _l("Enter a mainland mobile number of 11 digits.")
    values["mobile"] = mobile
    email = (fields.get("email") or "").strip().lower() or None
    if email and (len(email) > 254 or not EMAIL_RE.match(email)):
        errors["email"] = _l("This email address is not valid.")
    values["email"] = email
    id_number = normalise_id_number(fields.get("id_number"))
    if id_number and (problem := id_number_problem(id_number)):
        errors["id_number"] = problem
    values["id_number"] = id_number
    company = (fields.get("company_name") or "").strip()
    if len(company) < 2 or len(company) > 200:
        errors["company_name"] = _l("Enter the company's registered name.")
    values["company_name"] = company
    uscc = normalise_uscc(fields.get("uscc"))
    if not uscc:
        errors["uscc"] = _l("Enter the company's unified social credit code.")
    elif not validate_uscc(uscc):
        errors["uscc"] = _l("This unified social credit code is not valid (18 characters; check the last one).")
    values["uscc"] = uscc
    founded = fields.get("founded_on")
    if isinstance(founded, str):
        try:
            founded = date.fromisoformat(founded.strip())
        except ValueError:
            founded = None
    if isinstance(founded, datetime):
        founded = founded.date()
    if not isinstance(founded, date):
        errors["founded_on"] = _l("Enter the founding date.")
    elif founded > local_today() or founded < EARLIEST_FOUNDING:
        errors["founded_on"] = _l("The founding date must be in the past.")
    values["founded_on"] = founded
    industry = fields.get("industry") or ""
    if industry not in INDUSTRIES:
        errors["industry"] = _l("Choose the industry.")
    values["industry"] = industry
    team_size = fields.get("team_size")
    try:
        team_size = int(str(team_size).strip())
    except (TypeError, ValueError):
        team_size = None
    if team_size is None or not 1 <= team_size <= 10000:
        errors["team_size"] = _l("The team size is a whole number from 1 to 10000.")
    values["team_size"] = team_size
    stage = fields.get("funding_stage") or ""
    if stage not in FUNDING_STAGES:
        errors["funding_stage"] = _l("Choose the funding stage.")
    values["funding_stage"] = stage
    plan = (fields.get("business_plan") or "").strip().replace("\r\n", "\n")
    if not BUSINESS_PLAN_MIN <= len(plan) <= BUSINESS_PLAN_MAX:
        errors["business_plan"] = _l("Describe the business in %(min)s to %(max)s characters (now %(n)s).",
                                     min=BUSINESS_PLAN_MIN, max=BUSINESS_PLAN_MAX, n=len(plan))
    values["business_plan"] = plan
    unknown = set(fields) - set(values)
    if unknown:
        raise TypeError(f"unknown application fields: {sorted(unknown)}")
    return values, errors


def private_dir() -> Path:
    configured = current_app.config.get("PRIVATE_UPLOAD_DIR")
    path = Path(configured) if configured else Path(str(Path(current_app.config["UPLOAD_DIR"])) + "-private")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _read_pitch_deck(storage, errors: dict) -> bytes | None:
    """The uploaded PDF's bytes, or None when no file was chosen; problems go into `errors`."""
    if storage is None or not getattr(storage, "filename", None):
        return None
    limit = current_app.config["MAX_PITCH_DECK_BYTES"]
    data = storage.read(limit + 1)
    if not data:
        errors["pitch_deck"] = _l("The file is empty.")
    elif len(data) > limit:
        errors["pitch_deck"] = _l("The pitch deck is larger than %(mb)s MB.", mb=limit // (1024 * 1024))
    elif not data.startswith(b"%PDF-"):  # the content decides, not the name or the browser
        errors["pitch_deck"] = _l("The pitch deck must be a PDF file.")
    else:
        return data
    return None


def _store_pitch_deck(data: bytes) -> str:
    name = f"{secrets.token_hex(16)}.pdf"
    (private_dir() / name).write_bytes(data)
    return name


def pitch_deck_path(application: Application) -> Path | None:
    if not application.pitch_deck:
        return None
    path = private_dir() / application.pitch_deck
    return path if path.is_file() else None


def _move(application: Application, new: str, actor: User | None, note: str = "") -> None:
    old = application.status if application.id else None
    application.status = new
    application.history.append(ApplicationHistory(actor_id=getattr(actor, "id", None), old_status=old,
                                                  new_status=new, note=(note or "")[:500]))


def apply(user: User, cycle: Cycle, tier: Tier | None, *, pitch_deck=None, **fields) -> Application:
    """Submit `user`'s application to `tier` of `cycle`. One per person per cycle; after a
    withdrawal, applying again (while open) reuses the same application."""
    if not cycle.applications_open():
        raise ApplicationsClosed(_l("Applications for %(cycle)s are not open.", cycle=cycle.name))
    existing = application_of(user, cycle)
    if existing is not None and existing.status != WITHDRAWN:
        raise AlreadyApplied(_l("You have already applied to this cycle; you can edit your application."))
    values, errors = _clean(cycle, tier, fields)
    deck = _read_pitch_deck(pitch_deck, errors)
    if errors:
        raise InvalidInput(fields=errors)
    application = existing or Application(cycle=cycle, user=user)
    for key, value in values.items():
        setattr(application, key, value)
    application.tier = tier
    if deck is not None:
        application.pitch_deck = _store_pitch_deck(deck)
    application.submitted_at = application.updated_at = utcnow()
    application.decided_at, application.decided_by_id, application.decision_note = None, None, ""
    _move(application, SUBMITTED, user)
    if existing is None:
        try:
            with db.session.begin_nested():  # the same person submitting twice at once: one wins
                db.session.add(application)
        except IntegrityError:
            raise AlreadyApplied(_l("You have already applied to this cycle; you can edit your application.")) \
                from None
    db.session.flush()
    audit.record(user, "application.submit", application, cycle=cycle.id, tier=tier.code)
    _notify(application, "application_received", _l("Application received: %(programme)s",
                                                    programme=cycle.programme.name))
    return application


def _require_editable(user: User, application: Application) -> None:
    if application.user_id != user.id:
        raise PermissionDenied()
    if not application.cycle.applications_open():
        raise ApplicationsClosed(_l("Applications for %(cycle)s are closed; it can no longer be changed.",
                                    cycle=application.cycle.name))


def update(user: User, application: Application, tier: Tier | None, *, pitch_deck=None, **fields) -> Application:
    """The applicant changes their application: while applications are open and before a decision."""
    _require_editable(user, application)
    if application.status != SUBMITTED:
        raise Conflict(_l("This application can no longer be edited."), code="not_editable")
    values, errors = _clean(application.cycle, tier, fields)
    deck = _read_pitch_deck(pitch_deck, errors)
    if errors:
        raise InvalidInput(fields=errors)
    changed = sorted(k for k, v in values.items() if getattr(application, k) != v)
    for key, value in values.items():
        setattr(application, key, value)
    if tier.id != application.tier_id:
        changed.append("tier_id")
    application.tier = tier
    if deck is not None:
        application.pitch_deck = _store_pitch_deck(deck)
        changed.append("pitch_deck")
    application.updated_at = utcnow()
    db.session.flush()
    audit.record(user, "application.update", application, changed=changed)
    return application


def withdraw(user: User, application: Application, note: str = "") -> Application:
    """The applicant withdraws, while applications are open and before being admitted."""
    _require_editable(user, application)
    if application.status == WITHDRAWN:
        return application
    if application.status == ADMITTED:
        raise Conflict(_l("You have been admitted; please contact the organisers to withdraw."),
                       code="already_admitted")
    _move(application, WITHDRAWN, user, note)
    application.updated_at = utcnow()
    db.session.flush()
    audit.record(user, "application.withdraw", application)
    return application


# -- rubric and scores ---------------------------------------------------------------------
def rubric(cycle: Cycle) -> list[ReviewCriterion]:
    return list(db.session.scalars(sa.select(ReviewCriterion).where(ReviewCriterion.cycle_id == cycle.id)
                                   .order_by(ReviewCriterion.position, ReviewCriterion.id)))


def _int(value) -> int | None:
    from app.inputs import INT_MAX, bounded_int

    return bounded_int(value, -INT_MAX, INT_MAX)


def set_rubric(actor: User, cycle: Cycle, criteria: list[dict]) -> list[ReviewCriterion]:
    """Replace the cycle's rubric by `criteria` (in order): dicts of name, weight (1–100),
    max_score (1–100) and, for an existing criterion, its id. A criterion that has scores may
    be changed but not removed, and its maximum not lowered below a score given."""
    cohorts.require_run(actor, cycle.programme)
    current = {c.id: c for c in rubric(cycle)}
    errors: dict = {}
    cleaned = []
    for i, spec in enumerate(criteria):
        name = (spec.get("name") or "").strip()
        weight, max_score, cid = _int(spec.get("weight")), _int(spec.get("max_score")), _int(spec.get("id"))
        if cid is not None and cid not in current:
            errors[f"criteria-{i}-name"] = _l("This criterion belongs to another rubric.")
            continue
        if not name or len(name) > 80:
            errors[f"criteria-{i}-name"] = _l("Name the criterion (at most 80 characters).")
        if weight is None or not 1 <= weight <= 100:
            errors[f"criteria-{i}-weight"] = _l("The weight is a whole number from 1 to 100.")
        if max_score is None or not 1 <= max_score <= 100:
            errors[f"criteria-{i}-max_score"] = _l("The maximum score is a whole number from 1 to 100.")
        elif cid is not None:
            highest = db.session.scalar(sa.select(sa.func.max(ReviewScore.score))
                                        .where(ReviewScore.criterion_id == cid))
            if highest is not None and highest > max_score:
                errors[f"criteria-{i}-max_score"] = _l("A reviewer already gave %(score)s on this criterion.",
                                                       score=_num(highest))
        cleaned.append((cid, name, weight, max_score))
    if not cleaned and not errors:
        errors["criteria"] = _l("The rubric needs at least one criterion.")
    kept = {cid for cid, *_rest in cleaned if cid is not None}
    for cid, criterion in current.items():
        if cid not in kept and db.session.scalar(sa.select(ReviewScore.id).where(ReviewScore.criterion_id == cid)
                                                 .limit(1)):
            errors["criteria"] = _l("“%(name)s” has scores and cannot be removed.", name=criterion.name)
    if errors:
        raise InvalidInput(fields=errors)
    for cid, criterion in current.items():
        if cid not in kept:
            db.session.delete(criterion)
    result = []
    for position, (cid, name, weight, max_score) in enumerate(cleaned):
        criterion = current[cid] if cid is not None else ReviewCriterion(cycle_id=cycle.id)
        criterion.name, criterion.weight, criterion.max_score, criterion.position = name, weight, max_score, position
        db.session.add(criterion)
        result.append(criterion)
    db.session.flush()
    audit.record(actor, "rubric.set", cycle, criteria=[[c.id, c.name, c.weight, c.max_score] for c in result])
    return result


def _num(value: float) -> str:
    return f"{value:g}"


def score(reviewer: User, application: Application, scores: dict, comment: str = "") -> list[ReviewScore]:
    """Record `reviewer`'s scores of `application`, one for every criterion of the rubric
    ({criterion_id: score}, 0..max, halves allowed); `comment` is their remark on it. Scoring
    again replaces the reviewer's earlier scores (audited)."""
    cycle = application.cycle
    require_review(reviewer, cycle)
    if application.user_id == reviewer.id:
        raise PermissionDenied(_l("You cannot review your own application."))
    if application.status == WITHDRAWN:
        raise Conflict(_l("This application was withdrawn."), code="withdrawn")
    criteria = rubric(cycle)
    if not criteria:
        raise Conflict(_l("The rubric of this cycle has no criteria yet."), code="no_rubric")
    comment = (comment or "").strip()
    errors: dict = {}
    values: dict[int, float] = {}
    given = {_int(k): v for k, v in (scores or {}).items()}
    for criterion in criteria:
        raw = given.get(criterion.id)
        try:
            value = float(str(raw).strip())
        except (TypeError, ValueError):
            value = None
        if value is None or value != value or not 0 <= value <= criterion.max_score or (value * 2) % 1:
            errors[f"score-{criterion.id}"] = _l("Give a score from 0 to %(max)s.", max=criterion.max_score)
        else:
            values[criterion.id] = value
    if len(comment) > 1000:
        errors["comment"] = _l("The comment is at most 1000 characters.")
    if errors:
        raise InvalidInput(fields=errors)
    existing = {s.criterion_id: s for s in db.session.scalars(sa.select(ReviewScore).where(
        ReviewScore.application_id == application.id, ReviewScore.reviewer_id == reviewer.id))}
    now, before = utcnow(), {cid: s.score for cid, s in existing.items()}
    rows = []
    for criterion in criteria:
        row = existing.get(criterion.id) or ReviewScore(application_id=application.id, reviewer_id=reviewer.id,
                                                        criterion_id=criterion.id)
        row.score, row.comment, row.updated_at = values[criterion.id], comment, now
        db.session.add(row)
        rows.append(row)
    db.session.flush()
    audit.record(reviewer, "application.score", application, scores={str(k): v for k, v in values.items()},
                 before={str(k): v for k, v in before.items()})
    return rows


@dataclass
class Review:
    reviewer: User
    scores: dict[int, ReviewScore]
    total: float | None  # 0–100, None while a criterion is not scored
    comment: str = ""


@dataclass
class Combined:
    score: float | None
    reviews: list[Review] = field(default_factory=list)

    @property
    def reviewers(self) -> int:
        return sum(1 for r in self.reviews if r.total is not None)


def weighted_total(criteria: list[ReviewCriterion], scores: dict[int, float]) -> float | None:
    """Σ weight·score/max ÷ Σ weight × 100; None unless every criterion is scored."""
    if not criteria or any(c.id not in scores for c in criteria):
        return None
    weights = sum(c.weight for c in criteria)
    return sum(c.weight * scores[c.id] / c.max_score for c in criteria) / weights * 100


def combined_scores(cycle: Cycle, application_ids: list[int]) -> dict[int, Combined]:
    criteria = rubric(cycle)
    rows = db.session.scalars(sa.select(ReviewScore).where(ReviewScore.application_id.in_(application_ids or [-1]))
                              .options(selectinload(ReviewScore.reviewer))
                              .order_by(ReviewScore.reviewer_id, ReviewScore.id)).all()
    grouped: dict[int, dict[int, list[ReviewScore]]] = {}
    for row in rows:
        grouped.setdefault(row.application_id, {}).setdefault(row.reviewer_id, []).append(row)
    result = {}
    for app_id in application_ids:
        reviews = []
        for items in grouped.get(app_id, {}).values():
            by_criterion = {s.criterion_id: s for s in items}
            total = weighted_total(criteria, {cid: s.score for cid, s in by_criterion.items()})
            reviews.append(Review(reviewer=items[0].reviewer, scores=by_criterion, total=total,
                                  comment=items[0].comment))
        totals = [r.total for r in reviews if r.total is not None]
        result[app_id] = Combined(score=sum(totals) / len(totals) if totals else None, reviews=reviews)
    return result


@dataclass
class RankRow:
    rank: int
    application: Application
    combined: Combined


def ranking(cycle: Cycle, tier: Tier) -> list[RankRow]:
    """Applications to `tier` (withdrawn ones left out) by combined score, highest first; ties
    go to the earlier submission; unscored applications come last."""
    found = [a for a in applications(cycle, tier_id=tier.id) if a.status != WITHDRAWN]
    scores = combined_scores(cycle, [a.id for a in found])

    def key(a: Application):
        value = scores[a.id].score
        return (value is None, -(value or 0.0), a.submitted_at, a.id)

    return [RankRow(rank=i, application=a, combined=scores[a.id])
            for i, a in enumerate(sorted(found, key=key), 1)]


# -- decisions -----------------------------------------------------------------------------
def decide(actor: User, chosen: list[Application], status: str, note: str = "") -> dict[str, int]:
    """Admit, waitlist or reject applications of one cycle, in one go. Admitting enrols each
    applicant in the cycle's cohort of the tier they applied for; if the batch holds more
    people for a cohort than it has places left, nothing of the batch is admitted
    (`not_enough_places`). Withdrawn applications, those already admitted and those already
    in `status` are skipped. Returns {"changed": n, "skipped": n}."""
    if status not in DECISIONS:
        raise InvalidInput(fields={"status": _l("Choose admit, waiting list or reject.")})
    note = (note or "").strip()
    if len(note) > 500:
        raise InvalidInput(fields={"note": _l("The note is at most 500 characters.")})
    cycles = {a.cycle_id for a in chosen}
    if len(cycles) > 1:
        raise InvalidInput(fields={"ids": _l("Choose applications of one cycle.")})
    if not chosen:
        return {"changed": 0, "skipped": 0}
    cycle = chosen[0].cycle
    cohorts.require_run(actor, cycle.programme)
    todo = [a for a in chosen if a.status not in (WITHDRAWN, ADMITTED, status)]
    skipped = len(chosen) - len(todo)
    enrolments: dict[int, Enrolment] = {}
    if status == ADMITTED:
        by_tier: dict[int, list[Application]] = {}
        for a in todo:
            by_tier.setdefault(a.tier_id, []).append(a)
        for tier_id, group in sorted(by_tier.items()):
            cohort = cohort_for(cycle, tier_id)
            if cohort is None:
                raise Conflict(_l("%(cycle)s has no cohort of %(tier)s yet.", cycle=cycle.name,
                                  tier=group[0].tier.name), code="no_cohort")
            from app.registrations.services import lock_event

            lock_event(cohort.event)  # counts below cannot change until this transaction ends
            left = places_left(cohort)
            if len(group) > left:
                raise NotEnoughPlaces(_l("%(cohort)s has %(left)s places left; %(n)s applicants were selected. "
                                         "Nobody was admitted.", cohort=cohort.name, left=left, n=len(group)))
            for a in group:
                enrolment = cohorts.enrol(actor, cohort, a.user, company=a.company_name)
                enrolment.application_id = a.id
                enrolments[a.id] = enrolment
    now = utcnow()
    for a in todo:
        old = a.status
        _move(a, status, actor, note)
        a.decided_at, a.decided_by_id, a.decision_note = now, actor.id, note
        audit.record(actor, "application.decide", a, old=old, new=status, note=note)
        cohort = enrolments[a.id].cohort if a.id in enrolments else None
        subjects = {
            ADMITTED: _l("You are admitted to %(tier)s", tier=a.tier.name),
            WAITLISTED: _l("You are on the waiting list of %(tier)s", tier=a.tier.name),
            REJECTED: _l("Your application to %(tier)s", tier=a.tier.name),
        }
        _notify(a, f"application_{status}", subjects[status], note=note,
                registration=enrolments[a.id].registration if a.id in enrolments else None,
                cohort=cohort.name if cohort else None,
                cohort_dates=f"{cohort.starts_on:%Y-%m-%d} – {cohort.ends_on:%Y-%m-%d}" if cohort else None,
                venue=cohort.venue if cohort else None)
    db.session.flush()
    return {"changed": len(todo), "skipped": skipped}


def _notify(application: Application, kind: str, subject, registration=None, **params) -> None:
    """Queue a mail to the applicant; an admitted founder's links to their cohort registration
    (its ticket is their QR credential for lessons)."""
    cycle = application.cycle
    notify(application.user, kind, subject, kind, registration=registration, application_id=application.id,
           programme=cycle.programme.name, cycle=cycle.name, tier=application.tier.name,
           company=application.company_name, **params)


def history(application: Application) -> list[ApplicationHistory]:
    return list(db.session.scalars(sa.select(ApplicationHistory)
                                   .where(ApplicationHistory.application_id == application.id)
                                   .order_by(ApplicationHistory.id)))


# -- export --------------------------------------------------------------------------------
def export_rows(actor: User, cycle: Cycle, *, tier_id: int | None = None,
                full: bool = False) -> tuple[list[str], list[list]]:
    """The cycle's applications as rows; mobile, ID number and email masked unless `full`.
    Audited either way."""
    cohorts.require_run(actor, cycle.programme)
    found = applications(cycle, tier_id=tier_id)
    scores = combined_scores(cycle, [a.id for a in found])
    header = [_("No."), _("Camp"), _("Status"), _("Name"), _("Mobile"), _("Email"), _("ID number"),
              _("Company"), _("Unified social credit code"), _("Founded on"), _("Industry"), _("Team size"),
              _("Funding stage"), _("Business plan"), _("Pitch deck"), _("Combined score"), _("Reviewers"),
              _("Submitted at"), _("Decided at"), _("Decision note")]
    rows = []
    for n, a in enumerate(found, 1):
        combined = scores[a.id]
        rows.append([
            n, a.tier.name, a.status_enum.label, a.name,
            a.mobile if full else mask_phone(a.mobile),
            (a.email or "") if full else mask_email(a.email),
            (a.id_number or "") if full else mask_id_number(a.id_number),
            a.company_name, a.uscc, a.founded_on.isoformat(), a.industry_label, a.team_size,
            a.funding_stage_label, a.business_plan, "✓" if a.pitch_deck else "",
            round_score(combined.score) if combined.score is not None else "", combined.reviewers,
            fmt(a.submitted_at), fmt(a.decided_at), a.decision_note,
        ])
    audit.record(actor, "applications.export", cycle, tier=tier_id, full_values=full, rows=len(rows))
    return header, rows


def to_xlsx(title: str, header: list[str], rows: list[list]) -> bytes:
    from app.registrations.export import to_xlsx as xlsx

    return xlsx(title, header, rows, sheet_title=_("Applications"), freeze="E3")
