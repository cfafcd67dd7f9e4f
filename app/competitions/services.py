"""Skills competitions (以赛代训): the whole story.

1. An organiser of the competition's department creates a competition and its categories; each
   category is an event of kind `competition` (capacity = the category's, approval required).
2. Opening the competition publishes the categories' events. Entrants register (a captain for a
   team) with employer, occupation and birth date; eligibility (age range, occupations, team
   size) is checked here, then `registrations.register` files a pending registration.
   Organisers approve or reject through `registrations.approve/reject`; the approved get the
   event's QR ticket and check in on the day through the one `checkin.scan` service.
3. Judges (role judge) are assigned per category, with a chief judge. A judge may never score an
   entrant from their own employer (normalised employer names of the judge and of the entrant
   or any team member): `Conflict(code="conflict_of_interest")`.
4. Marking scheme: criteria → aspects. Measurement aspects: the judge picks a defined outcome.
   Judgement aspects: three judges give 0–3 each; mark = max × average ÷ 3 (two decimals, half
   up). Scores are append-only rows (history: who, when, old → new). Judgement scores of one
   aspect more than one point apart are flagged until re-scored within one point.
5. A second person — another judge of the category or its chief judge who entered none of the
   entrant's current scores — confirms the entrant's complete, unflagged scores. Any later
   change voids the confirmation. Only confirmed scores count.
6. Results (`results`): total of confirmed marks; ranking by the tie-break rule below; awards by
   share or by count; publication freezes them into `Result` rows, which entrants read and the
   certificates module takes through `awards(category)`.

Tie-break rule: higher total; then higher marks on the first criterion of the scheme; then the
earlier first check-in at the category's event. Entrants equal on all three share the rank
(standard competition ranking: 1, 2, 2, 4).

Awards: in "share" mode the cut-offs are cumulative shares of the N ranked entrants, each rounded
half up — 一等奖 ranks ≤ round(N × first) (at least 1 when N > 0), 二等奖 ranks ≤ round(N × (first
+ second)), 三等奖 ranks ≤ round(N × (first + second + third)); in "count" mode they are fixed
numbers of places. Awards go by rank, so entrants sharing a rank straddling a cut-off all get the
better award. 优胜奖: the rest whose total reached `merit_min_percent` of the category's maximum.
"""

# An index: every name below is imported to be used from here (`from app.competitions import
# services as cs`), so unused imports are expected.
# ruff: noqa: F401
from __future__ import annotations

# Who may act, and the object a URL names.
from app.competitions.access import (
    can_read_scores,
    can_run,
    get_category,
    get_competition,
    get_entry,
    is_judge,
    is_panel,
    is_public,
    require_panel,
    require_public,
    require_read_scores,
    require_run,
)

# 1. Competitions: create, award rules, open / close (every status change through
#    `Competition.transition`, which allows only the moves in `models.TRANSITIONS`).
from app.competitions.lifecycle import (
    competitions_for,
    create_competition,
    public_competitions,
    set_award_rules,
    set_status,
)

# 1. Categories on their events; 3. judges on a category's panel.
from app.competitions.categories import (
    MAX_TEAM,
    judge_accounts,
    judged_by,
    panel,
    parse_occupations,
    save_category,
    set_judges,
)

# 2. Entering a category (eligibility), approving and rejecting entries.
from app.competitions.entries import (
    age_on,
    approve_entries,
    approved_entries,
    birth_date_from_id,
    competition_day,
    entries,
    entries_of,
    register_entry,
    reject_entries,
)

# 3. Conflicts of interest.
from app.competitions.conflicts import (
    ConflictOfInterest,
    assigned_employer,
    conflict_map,
    conflicts,
    normalise_employer,
    judge_organisations,
    require_no_conflict,
    set_judge_employer,
    set_judge_organisation,
)

# 4. Marking schemes (and their XLSX import and export).
from app.competitions.schemes import (
    CENT,
    add_aspect,
    add_criterion,
    aspects,
    check_aspect,
    delete_aspect,
    delete_criterion,
    export_xlsx,
    find_aspect,
    find_criterion,
    import_xlsx,
    outcomes_text,
    parse_mark,
    parse_outcomes,
    replace_scheme,
    require_scheme_editable,
)

# 4.–5. Scores, their history and confirmation.
from app.competitions.scoring import (
    AspectState,
    Sheet,
    category_sheets,
    confirm,
    enter_scores,
    history,
    judgement_mark,
    q2,
    scoring_closed,
    sheet,
)

# 6. Ranking and awards, live; publication freezes them.
from app.competitions.ranking import Standing, allocate_awards, award_cutoffs, first_check_ins, rank, results
from app.competitions.publication import (awards, publish_results, published_results, result_of, results_of,
                                         set_recommended)

# The models the actions take and return, for callers that reach them through this index.
from app.accounts.models import User
from app.competitions.models import TRANSITIONS, Entry, TeamMember
