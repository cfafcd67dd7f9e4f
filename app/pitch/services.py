"""Pitch competitions (创业大赛, 留学人员创业大赛): the whole story.

1. An organiser creates the competition on an event of places=entry (`setup.create_competition`)
   with its eligibility rules as data (returnees only; degrees accepted; years since return) and
   its ordered rounds (初赛 online review → 复赛 roadshow → 决赛 on stage), each with a rubric
   (criteria, weights adding up to 100, maxima), judges with their employers fixed for conflict
   checks and a chief judge who confirms, and a rule for who advances (`setup.set_rule`).
2. Opening publishes the event. A team's lead applies (`applying.apply`): project, company (a
   registered one by its checked USCC, linked to the registry; or one to be founded), the lead's
   returnee status (every failing reason listed), team members and their employers, a business
   plan and a PDF deck kept privately; the lead's registration waits for approval.
3. Closing the entries (status judging) lets the rounds start. `advancement.open_round` seats the
   approved entries in round 1; judges of round 1 read the business plans and decks (reading a
   deck is audited) and score on their phones.
4. Scores (`scoring`): every criterion 0 … max with a comment, append-only; a judge conflicted
   with an entry (its company, the lead's or a member's employer: `conflicts`) neither scores nor
   confirms it, in whichever round they judge; scores far apart are flagged; the chief judge or an
   organiser who entered none of them confirms.
5. `advancement.close_round`: the organiser confirms the round's outcome (top N with the stated
   tie-break and unbroken-tie rule, or a threshold); the standings are frozen and those who
   advance are seated in the next round.
6. The final (`results`): the results screen ranks the confirmed entries by number only until the
   organiser releases the results (after closing the final): awards 一/二/三等奖 by rank and 优胜奖,
   special prizes by name, award certificates through app.certificates, and the finalists'
   invitation to apply to a camp cycle.
"""

# An index: every name below is imported to be used from here (`from app.pitch import services as ps`).
# ruff: noqa: F401
from __future__ import annotations

from app.pitch.access import (
    can_read_round,
    can_run,
    get_competition,
    get_entry,
    get_round,
    is_panel,
    is_public,
    is_scorer,
    require_panel,
    require_public,
    require_read_round,
    require_run,
)
from app.pitch.advancement import REASONS, close_round, open_round, outcomes, standings
from app.pitch.applying import (
    apply,
    approve_entries,
    approved_entries,
    decline_entries,
    deck_name,
    eligibility_problems,
    entries,
    entries_of,
)
from app.pitch.conflicts import conflicts
from app.pitch.editing import judge_accounts, move_round, rename_round, set_eligibility
from app.pitch.exports import entries_xlsx, standings_xlsx
from app.pitch.results import (
    add_special_prize,
    award_label,
    awards_of,
    final_round,
    invitations_of,
    invite_finalists,
    issue_certificates,
    release,
    screen,
)
from app.pitch.scoring import (
    can_confirm,
    confirm,
    enter_scores,
    history,
    round_entries,
    round_sheets,
    scoring_closed,
    sheet,
)
from app.pitch.setup import (
    add_round,
    clean_eligibility,
    competitions_for,
    create_competition,
    judged_by,
    published_competitions,
    set_judges,
    set_rubric,
    set_rule,
    set_status,
)
