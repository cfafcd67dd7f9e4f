"""Decisions (admit, waitlist, reject under the cohort event's lock) and the export."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _, lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.cohorts.camps import services as cohorts
from app.cohorts.selection.access import (
    notify_applicant,
    ADMITTED,
    applications,
    cohort_for,
    DECISIONS,
    NotEnoughPlaces,
    places_left,
    REJECTED,
    WAITLISTED,
    WITHDRAWN,
)
from app.cohorts.camps.models import Cycle, Enrolment
from app.cohorts.models import Application
from app.cohorts.selection.review import combined_scores
from app.errors import Conflict, InvalidInput
from app.extensions import db
from app.numbers import round_score
from app.organisations.linking import pick
from app.privacy import mask_email, mask_id_number, mask_phone
from app.registrations.export import to_xlsx as xlsx
from app.registrations.services import lock_event
from app.timeutil import fmt, utcnow


# -- decisions -----------------------------------------------------------------------------
def set_organisation(actor: User, application: Application, text: str | None) -> Application:
    """Staff running the programme correct the registry company of an application (and of the
    enrolment it led to): an organisation's name, code or id; empty unlinks."""
    cohorts.require_run(actor, application.cycle.programme)
    chosen = pick(text)
    before = application.organisation_id
    application.organisation_id = chosen.id if chosen else None
    enrolment = db.session.scalar(sa.select(Enrolment).where(Enrolment.application_id == application.id))
    if enrolment is not None:
        enrolment.organisation_id = application.organisation_id
    audit.record(actor, "application.organisation", application, before=before, after=application.organisation_id)
    return application


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
            lock_event(cohort.event)  # counts below cannot change until this transaction ends
            left = places_left(cohort)
            if len(group) > left:
                raise NotEnoughPlaces(_l("%(cohort)s has %(left)s places left; %(n)s applicants were selected. "
                                         "Nobody was admitted.", cohort=cohort.name, left=left, n=len(group)))
            for a in group:
                enrolment = cohorts.enrol(actor, cohort, a.user, company=a.company_name)
                enrolment.application_id = a.id
                enrolment.organisation_id = a.organisation_id
                enrolments[a.id] = enrolment
    now = utcnow()
    for a in todo:
        old = a.status
        a.transition(status, actor=actor, note=note)
        a.decided_at, a.decided_by_id, a.decision_note = now, actor.id, note
        audit.record(actor, "application.decide", a, old=old, new=status, note=note)
        cohort = enrolments[a.id].cohort if a.id in enrolments else None
        subjects = {
            ADMITTED: _l("You are admitted to %(tier)s", tier=a.tier.name),
            WAITLISTED: _l("You are on the waiting list of %(tier)s", tier=a.tier.name),
            REJECTED: _l("Your application to %(tier)s", tier=a.tier.name),
        }
        notify_applicant(a, f"application_{status}", subjects[status], note=note,
                registration=enrolments[a.id].registration if a.id in enrolments else None,
                cohort=cohort.name if cohort else None,
                cohort_dates=f"{cohort.starts_on:%Y-%m-%d} – {cohort.ends_on:%Y-%m-%d}" if cohort else None,
                venue=cohort.venue if cohort else None)
    db.session.flush()
    return {"changed": len(todo), "skipped": skipped}



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
    return xlsx(title, header, rows, sheet_title=_("Applications"), freeze="E3")
