"""The application form: cleaning its fields, apply, update and withdraw."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.accounts.services import EMAIL_RE, id_number_problem, MOBILE_RE, normalise_id_number, normalise_mobile
from app.audit import services as audit
from app.cohorts.selection.access import (
    notify_applicant,
    ADMITTED,
    AlreadyApplied,
    application_of,
    ApplicationsClosed,
    BUSINESS_PLAN_MAX,
    BUSINESS_PLAN_MIN,
    EARLIEST_FOUNDING,
    SUBMITTED,
    tiers_for,
    WITHDRAWN,
)
from app.cohorts.camps.models import Cycle, Tier
from app.cohorts.models import Application, FUNDING_STAGES, INDUSTRIES
from app.cohorts.selection.pitch_decks import read_pitch_deck, store_pitch_deck
from app.organisations.linking import resolve_id
from app.organisations.uscc import normalise_uscc, validate_uscc
from app.errors import Conflict, InvalidInput, PermissionDenied
from app.extensions import db
from app.timeutil import local_today, utcnow


# -- the application form ------------------------------------------------------------------
def _choice(fields: dict, key: str, choices, message, values: dict, errors: dict) -> None:
    """One of the form's fixed choices (industry, funding stage): kept as given, refused unless listed."""
    values[key] = fields.get(key) or ""
    if values[key] not in choices:
        errors[key] = message


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
    _choice(fields, "industry", INDUSTRIES, _l("Choose the industry."), values, errors)
    team_size = fields.get("team_size")
    try:
        team_size = int(str(team_size).strip())
    except (TypeError, ValueError):
        team_size = None
    if team_size is None or not 1 <= team_size <= 10000:
        errors["team_size"] = _l("The team size is a whole number from 1 to 10000.")
    values["team_size"] = team_size
    _choice(fields, "funding_stage", FUNDING_STAGES, _l("Choose the funding stage."), values, errors)
    plan = (fields.get("business_plan") or "").strip().replace("\r\n", "\n")
    if not BUSINESS_PLAN_MIN <= len(plan) <= BUSINESS_PLAN_MAX:
        errors["business_plan"] = _l("Describe the business in %(min)s to %(max)s characters (now %(n)s).",
                                     min=BUSINESS_PLAN_MIN, max=BUSINESS_PLAN_MAX, n=len(plan))
    values["business_plan"] = plan
    unknown = set(fields) - set(values)
    if unknown:
        raise TypeError(f"unknown application fields: {sorted(unknown)}")
    return values, errors



def apply(user: User, cycle: Cycle, tier: Tier | None, *, pitch_deck=None, referral_code: str | None = None,
          **fields) -> Application:
    """Submit `user`'s application to `tier` of `cycle`. One per person per cycle; after a
    withdrawal, applying again (while open) reuses the same application. `referral_code`: the link
    the founder came through (app.referred), kept as data; the first one credited stays."""
    if not cycle.applications_open():
        raise ApplicationsClosed(_l("Applications for %(cycle)s are not open.", cycle=cycle.name))
    existing = application_of(user, cycle)
    if existing is not None and existing.status != WITHDRAWN:
        raise AlreadyApplied(_l("You have already applied to this cycle; you can edit your application."))
    values, errors = _clean(cycle, tier, fields)
    deck = read_pitch_deck(pitch_deck, errors)
    if errors:
        raise InvalidInput(fields=errors)
    application = existing or Application(cycle=cycle, user=user)
    for key, value in values.items():
        setattr(application, key, value)
    application.tier = tier
    application.organisation_id = resolve_id(application.company_name, application.uscc)
    if referral_code and not application.referral_code:
        application.referral_code = referral_code[:12]
    if deck is not None:
        application.pitch_deck = store_pitch_deck(deck)
    application.submitted_at = application.updated_at = utcnow()
    application.decided_at, application.decided_by_id, application.decision_note = None, None, ""
    application.transition(SUBMITTED, actor=user)
    if existing is None:
        try:
            with db.session.begin_nested():  # the same person submitting twice at once: one wins
                db.session.add(application)
        except IntegrityError:
            raise AlreadyApplied(_l("You have already applied to this cycle; you can edit your application.")) \
                from None
    db.session.flush()
    audit.record(user, "application.submit", application, cycle=cycle.id, tier=tier.code)
    notify_applicant(application, "application_received", _l("Application received: %(programme)s",
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
    deck = read_pitch_deck(pitch_deck, errors)
    if errors:
        raise InvalidInput(fields=errors)
    changed = sorted(k for k, v in values.items() if getattr(application, k) != v)
    for key, value in values.items():
        setattr(application, key, value)
    if {"company_name", "uscc"} & set(changed):  # another company typed: link that one (or none)
        application.organisation_id = resolve_id(application.company_name, application.uscc)
    if tier.id != application.tier_id:
        changed.append("tier_id")
    application.tier = tier
    if deck is not None:
        application.pitch_deck = store_pitch_deck(deck)
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
    application.transition(WITHDRAWN, actor=user, note=note)
    application.updated_at = utcnow()
    db.session.flush()
    audit.record(user, "application.withdraw", application)
    return application
