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

This module is the index of the applications actions (callers write `apps.apply`, `apps.decide`…);
each lives in the module of this package named by what it holds:
  uscc          统一社会信用代码 check
  access        statuses, errors, permissions, reading, status history, the applicant's mail
  pitch_decks   pitch-deck storage (private uploads)
  submission    the applicant's side: clean the form, apply, update, withdraw
  review        rubric, scores, combined scores, ranking
  decisions     admit / waitlist / reject, export
"""
from __future__ import annotations

from app.organisations.uscc import (  # noqa: F401
    USCC_ALPHABET,
    USCC_WEIGHTS,
    USCC_RE,
    uscc_check_character,
    normalise_uscc,
    validate_uscc,
)
from app.cohorts.selection.access import (  # noqa: F401
    SUBMITTED,
    ADMITTED,
    WAITLISTED,
    REJECTED,
    WITHDRAWN,
    DECISIONS,
    BUSINESS_PLAN_MIN,
    BUSINESS_PLAN_MAX,
    EARLIEST_FOUNDING,
    ApplicationsClosed,
    AlreadyApplied,
    NotEnoughPlaces,
    can_run,
    can_review,
    require_review,
    can_see,
    require_see,
    cycles_for,
    get_application,
    application_of,
    my_applications,
    enrolment_for,
    enrolments_for,
    open_cycles,
    tiers_for,
    tier_of,
    cohort_for,
    places_left,
    applications,
    applications_query,
    applications_by_id,
    status_counts,
    status_counts_of,
    history,
)
from app.cohorts.selection.pitch_decks import (  # noqa: F401
    pitch_deck_name,
)
from app.cohorts.selection.submission import (  # noqa: F401
    apply,
    update,
    withdraw,
)
from app.cohorts.selection.review import (  # noqa: F401
    rubric,
    entered_rubric,
    set_rubric,
    score,
    Review,
    Combined,
    weighted_total,
    combined_scores,
    RankRow,
    ranking,
)
from app.cohorts.selection.decisions import (  # noqa: F401
    decide,
    export_rows,
    to_xlsx,
)

__all__ = [
    "USCC_ALPHABET",
    "USCC_WEIGHTS",
    "USCC_RE",
    "uscc_check_character",
    "normalise_uscc",
    "validate_uscc",
    "SUBMITTED",
    "ADMITTED",
    "WAITLISTED",
    "REJECTED",
    "WITHDRAWN",
    "DECISIONS",
    "BUSINESS_PLAN_MIN",
    "BUSINESS_PLAN_MAX",
    "EARLIEST_FOUNDING",
    "ApplicationsClosed",
    "AlreadyApplied",
    "NotEnoughPlaces",
    "can_run",
    "can_review",
    "require_review",
    "can_see",
    "require_see",
    "cycles_for",
    "get_application",
    "application_of",
    "my_applications",
    "enrolment_for",
    "enrolments_for",
    "open_cycles",
    "tiers_for",
    "tier_of",
    "cohort_for",
    "places_left",
    "applications",
    "applications_query",
    "applications_by_id",
    "status_counts",
    "status_counts_of",
    "history",
    "pitch_deck_name",
    "apply",
    "update",
    "withdraw",
    "rubric",
    "entered_rubric",
    "set_rubric",
    "score",
    "Review",
    "Combined",
    "weighted_total",
    "combined_scores",
    "RankRow",
    "ranking",
    "decide",
    "export_rows",
    "to_xlsx",
]
