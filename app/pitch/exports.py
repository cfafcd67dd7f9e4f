"""The organisers' spreadsheets of a pitch competition: its entries (the lead's phone masked,
eligibility as the rules judge it now) and a round's standings. Both audited; every cell
defused by the one XLSX writer (registrations.export.to_xlsx → spreadsheets.safe_cell)."""
from __future__ import annotations

from flask_babel import gettext as _

from app.accounts.models import User
from app.audit import services as audit
from app.pitch.access import require_run
from app.pitch.advancement import REASONS, outcomes, standings
from app.pitch.applying import eligibility_problems, entries
from app.pitch.models import Degree, PitchCompetition, PitchRound, RoundStatus
from app.privacy import mask_phone
from app.registrations.export import to_xlsx


def eligibility_text(entry) -> str:
    problems = eligibility_problems(entry.competition, country=entry.country, degree=entry.degree,
                                    return_year=entry.return_year)
    return " ".join(str(p) for p in problems.values()) or _("Eligible")


def entries_xlsx(actor: User, competition: PitchCompetition) -> bytes:
    require_run(actor, competition)
    header = [_("No."), _("Project"), _("Company"), _("Unified social credit code"), _("To be founded"),
              _("Team lead"), _("Mobile"), _("Employer"), _("Country or region"), _("Degree"), _("Year of return"),
              _("Eligibility"), _("Team members"), _("Status")]
    rows = []
    for e in entries(competition):
        rows.append([e.code, e.project, e.company_name, e.uscc or "", _("Yes") if e.to_be_founded else "",
                     e.user.name, mask_phone(e.user.mobile), e.employer, e.country,
                     Degree.label_of(e.degree) if e.degree else "", e.return_year or "", eligibility_text(e),
                     "、".join(f"{m.name}（{m.employer}）" if m.employer else m.name for m in e.members),
                     e.registration.status_enum.label])
    audit.record(actor, "pitch.entries_export", competition, rows=len(rows))
    return to_xlsx(competition.name, header, rows, sheet_title=_("Entries"), max_width=50)


def standings_xlsx(actor: User, round_: PitchRound) -> bytes:
    """The frozen outcome of a closed round, or the standings as they would close now."""
    require_run(actor, round_.competition)
    header = [_("Rank"), _("No."), _("Project"), _("Company"), _("Total (of 100)"), _("Advances"), _("Why")]
    found = outcomes(round_) if round_.status == RoundStatus.CLOSED.value else standings(round_)
    rows = [[s.rank or "", s.entry.code, s.entry.project, s.entry.company_name, s.total if s.total is not None else "",
             "" if s.advanced is None else (_("Yes") if s.advanced else _("No")), str(REASONS.get(s.reason, ""))]
            for s in found]
    audit.record(actor, "pitch.standings_export", round_, rows=len(rows))
    return to_xlsx(f"{round_.competition.name} · {round_.name}", header, rows, sheet_title=_("Standings"))
