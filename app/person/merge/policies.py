"""What a merge does with every column that names an account (a foreign key to users.id).

    MOVE     the row is the person's: it now names the survivor.
    UNION    an association (a role, a department, a panel seat): the survivor gets the ones it
             lacks; where it already has the same one, the absorbed account's row stays with it.
    RESOLVE  a place (one per person and occasion, a unique key): where only the absorbed account
             holds it, it moves; where both do, the better one (by `rank`) ends on the survivor and
             the other stays on the absorbed account as history.
    KEEP     who did something (an actor of history): it stays true, the row is not touched.

Every foreign key to users.id in the metadata must be listed here (tests/person/test_merge_policies.py
fails on a new one); adding a table is one line. A place's unique key is read from the table
(its unique constraints and indexes that hold the column), so UNION and RESOLVE need no key here.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db

MOVE, UNION, RESOLVE, KEEP = "move", "union", "resolve", "keep"


@dataclass(frozen=True)
class Policy:
    kind: str
    why: str = ""
    # RESOLVE: a row (a mapping of its columns) -> a sortable rank; the higher one survives.
    rank: Callable | None = None


def by_status(*order: str, column: str = "status") -> Callable:
    """Rank by the row's status, best first in `order`; an unknown status ranks lowest."""
    def rank(row) -> int:
        value = row[column]
        return len(order) - order.index(value) if value in order else 0
    return rank


# A registration's statuses, best first: a confirmed place, then one on its way (pending
# approval), a waiting-list place, and refused or cancelled ones last.
REGISTRATION_ORDER = ("confirmed", "pending", "waitlisted", "rejected", "cancelled")


def by_registration(row) -> int:
    """Seats without a status of their own (competition and pitch entries) rank by the
    registration of the occasion's event they hold."""
    registration_id = row.get("registration_id")
    if registration_id is None:
        return 0
    registrations = db.metadata.tables["registrations"]
    status = db.session.scalar(sa.select(registrations.c.status).where(registrations.c.id == registration_id))
    return by_status(*REGISTRATION_ORDER)({"status": status})


def keep(why: str) -> Policy:
    return Policy(KEEP, why)


ACTOR = "an actor of history: who did it stays true"

POLICIES: dict[tuple[str, str], Policy] = {
    # -- accounts ---------------------------------------------------------------------------
    ("user_roles", "user_id"): Policy(UNION),
    ("user_departments", "user_id"): Policy(UNION),
    ("api_tokens", "user_id"): Policy(MOVE),
    ("user_sessions", "user_id"): keep("a sign-in of the absorbed account's own login; it is deactivated, so "
                                       "they end — moving them would sign its cookies in as the survivor"),
    ("users", "merged_into_id"): keep("the mark of a merge itself"),
    ("inbox_messages", "user_id"): Policy(MOVE),
    ("outbox", "user_id"): Policy(MOVE),
    ("sms_messages", "user_id"): Policy(MOVE),
    ("audit_entries", "actor_id"): keep(ACTOR),
    ("status_changes", "actor_id"): keep(ACTOR),
    ("account_merges", "survivor_id"): keep("the merge's own record"),
    ("account_merges", "absorbed_id"): keep("the merge's own record"),
    ("account_merges", "merged_by_id"): keep(ACTOR),
    ("account_merges", "undone_by_id"): keep(ACTOR),
    # -- organisations ---------------------------------------------------------------------
    ("organisation_contacts", "user_id"): Policy(UNION),
    ("organisation_contacts", "added_by_id"): keep(ACTOR),
    ("organisation_employees", "user_id"): Policy(UNION, "the survivor's own employer link wins"),
    ("organisation_employees", "linked_by_id"): keep(ACTOR),
    ("event_organisations", "added_by_id"): keep(ACTOR),
    # -- events, registrations, check-in -----------------------------------------------------
    ("events", "created_by_id"): keep(ACTOR),
    ("registrations", "user_id"): Policy(RESOLVE, rank=by_status(*REGISTRATION_ORDER)),
    ("registration_history", "actor_id"): keep(ACTOR),
    ("reminders", "user_id"): Policy(UNION, "the log of reminders sent; a duplicate one stays with the absorbed"),
    ("scans", "scanner_id"): keep("the volunteer who scanned"),
    ("scanner_links", "created_by_id"): keep(ACTOR),
    ("scanner_links", "revoked_by_id"): keep(ACTOR),
    ("online_person_invitations", "user_id"): Policy(UNION),
    ("online_person_invitations", "invited_by_id"): keep(ACTOR),
    ("online_university_invitations", "created_by_id"): keep(ACTOR),
    # -- certificates ----------------------------------------------------------------------
    ("certificates", "recipient_id"): Policy(RESOLVE, rank=by_status("valid", "superseded", "revoked")),
    ("certificates", "issued_by_id"): keep(ACTOR),
    ("certificates", "revoked_by_id"): keep(ACTOR),
    ("certificate_print_jobs", "created_by_id"): keep(ACTOR),
    ("certificate_templates", "updated_by_id"): keep(ACTOR),
    ("certificate_template_versions", "created_by_id"): keep(ACTOR),
    # -- camps -----------------------------------------------------------------------------
    ("applications", "user_id"): Policy(RESOLVE, rank=by_status("admitted", "submitted", "waitlisted",
                                                                "rejected", "withdrawn")),
    ("applications", "decided_by_id"): keep(ACTOR),
    ("application_history", "actor_id"): keep(ACTOR),
    ("review_scores", "reviewer_id"): Policy(UNION, "a reviewer's scores; where both scored one criterion "
                                                    "the survivor's stands"),
    ("enrolments", "user_id"): Policy(RESOLVE, rank=by_status("enrolled", "withdrawn")),
    ("cohort_trainers", "user_id"): Policy(UNION),
    ("cohort_gradings", "published_by_id"): keep(ACTOR),
    ("lessons", "trainer_id"): Policy(MOVE, "who teaches the lesson (the absorbed account cannot sign in)"),
    ("grades", "graded_by_id"): keep(ACTOR),
    ("grade_changes", "changed_by_id"): keep(ACTOR),
    ("grade_lock_events", "actor_id"): keep(ACTOR),
    ("attendance_marks", "marked_by_id"): keep(ACTOR),
    ("mentor_pairings", "founder_id"): Policy(RESOLVE, rank=by_status("active", "ended")),
    ("mentor_pairings", "created_by_id"): keep(ACTOR),
    ("mentoring_sessions", "logged_by_id"): keep(ACTOR),
    ("roster_members", "user_id"): Policy(UNION),
    # -- studios ---------------------------------------------------------------------------
    ("studios", "master_id"): Policy(MOVE, "the studio's master (the absorbed account cannot sign in)"),
    ("apprenticeships", "master_id"): Policy(MOVE, "the pair's master"),
    ("apprenticeships", "apprentice_id"): Policy(RESOLVE, rank=by_status("active", "ended")),
    ("apprentice_achievements", "recorded_by_id"): keep(ACTOR),
    # -- competitions ----------------------------------------------------------------------
    ("competition_entries", "user_id"): Policy(RESOLVE, rank=by_registration),
    ("competition_categories", "chief_judge_id"): Policy(MOVE, "the appointment of the chief judge"),
    ("competition_category_judges", "user_id"): Policy(UNION),
    ("competition_scores", "judge_id"): keep("a score is signed by the judge account that gave it; the "
                                            "confirmed result sheets name it"),
    ("competition_scores", "entered_by_id"): keep(ACTOR),
    ("competition_confirmations", "confirmed_by_id"): keep(ACTOR),
    ("result_runs", "computed_by_id"): keep(ACTOR),
    ("result_runs", "published_by_id"): keep(ACTOR),
    # -- pitch -----------------------------------------------------------------------------
    ("pitch_entries", "user_id"): Policy(RESOLVE, rank=by_registration),
    ("pitch_round_judges", "user_id"): Policy(UNION),
    ("pitch_scores", "judge_id"): keep("a score is signed by the judge account that gave it"),
    ("pitch_rounds", "closed_by_id"): keep(ACTOR),
    ("pitch_confirmations", "confirmed_by_id"): keep(ACTOR),
    ("pitch_camp_invitations", "invited_by_id"): keep(ACTOR),
    # -- traineeships ----------------------------------------------------------------------
    ("trainee_applications", "user_id"): Policy(RESOLVE, rank=by_status("placed", "submitted", "not_placed",
                                                                        "withdrawn")),
    ("application_choices", "decided_by_id"): keep(ACTOR),
    ("placements", "user_id"): Policy(RESOLVE, rank=by_status("completed", "confirmed", "proposed", "withdrawn",
                                                              "rejected")),
    ("placements", "proposed_by_id"): keep(ACTOR),
    ("traineeship_evaluations", "by_id"): keep(ACTOR),
    ("traineeship_months", "confirmed_by_id"): keep(ACTOR),
    # -- job fairs -------------------------------------------------------------------------
    ("fair_booth_visits", "user_id"): Policy(UNION),
    ("fair_interests", "user_id"): Policy(RESOLVE, rank=by_status("shared", "pending", "withdrawn")),
    ("fair_consents", "user_id"): Policy(MOVE),
    # -- 留在闵行 follow-up surveys --------------------------------------------------------------
    ("followup_surveys", "user_id"): Policy(RESOLVE, rank=by_status("answered", "sent", "pending", "expired")),
    ("followup_settings", "updated_by_id"): keep(ACTOR),
    # -- 感受度 surveys ---------------------------------------------------------------------------
    # One per person and occasion: where both accounts were asked about the same occasion, an
    # answered survey beats one not answered (the other stays on the absorbed account).
    ("satisfaction_surveys", "user_id"): Policy(RESOLVE, rank=lambda row: 1 if row["answered_at"] else 0),
    ("satisfaction_templates", "created_by_id"): keep(ACTOR),
    # -- personal-data rights ---------------------------------------------------------------
    ("privacy_consents", "user_id"): Policy(MOVE, "the person's agreements, by either login, stay theirs"),
    ("erasures", "user_id"): keep("an erased account is never merged (merge_erased)"),
    ("erasures", "by_id"): keep(ACTOR),
    ("record_statements", "user_id"): Policy(MOVE, "the person's printed records; their codes still verify"),
    # the plan: who entered a figure or tagged an occasion
    ("plan_figures", "entered_by_id"): keep(ACTOR),
    ("plan_tags", "tagged_by_id"): keep(ACTOR),
    ("plan_report_runs", "requested_by_id"): keep(ACTOR),
    # -- 我的码 ----------------------------------------------------------------------------------
    ("phone_keys", "user_id"): keep("a phone's credential is signed for the absorbed login, which can no longer "
                                    "sign in; the phone makes a new key when the person signs in to the survivor"),
    ("phone_keys", "revoked_by_id"): keep(ACTOR),
}


def user_columns() -> list[tuple[sa.Table, sa.Column]]:
    """Every column of the metadata with a foreign key to users.id, in the tables' dependency order."""
    found = []
    for table in db.metadata.sorted_tables:
        for fk in sorted(table.foreign_keys, key=lambda fk: fk.parent.name):
            if fk.column.table.name == "users" and fk.column.name == "id":
                found.append((table, fk.parent))
    return found


def unhandled() -> list[str]:
    """The user columns without a policy ("table.column"), for the test and the merge's refusal."""
    return [f"{t.name}.{c.name}" for t, c in user_columns() if (t.name, c.name) not in POLICIES]


def unique_keys(table: sa.Table, column: sa.Column) -> list[list[str]]:
    """The other columns of each unique key of `table` that holds `column`: two rows that agree on
    them cannot both name one account. Partial unique indexes count as whole ones (conservative:
    a row they would let move stays on the absorbed account instead)."""
    keys = []
    candidates = [table.primary_key] + [c for c in table.constraints if isinstance(c, sa.UniqueConstraint)]
    candidates += [index for index in table.indexes if index.unique]
    for key in candidates:
        names = [c.name for c in key.columns]
        if column.name in names:
            keys.append([n for n in names if n != column.name])
    if column.unique:
        keys.append([])
    return keys
