"""The final: its live results screen, the release of names and awards, special prizes, award
certificates and the finalists' invitation into the next camp cycle.

The screen ranks the final's confirmed entries as the judges go; until the organiser releases
the results it shows each entry by its number only ("Entry 07"). Releasing (the final closed)
freezes the awards by rank — 一/二/三等奖 in the numbers of the competition's `award_rules`
(the skills competitions' count-mode cut-offs, app.competitions.ranking.award_cutoffs; entries
sharing a rank across a cut get the better award), 优胜奖 for the other finalists — and from then
on the screen and the public results show the projects and companies."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.audit import services as audit
from app.certificates import services as certificates
from app.certificates.models import CertificateKind
from app.cohorts.camps.models import Cycle
from app.competitions.certificates import AWARD_TEXT
from app.competitions.models import Award
from app.competitions.ranking import award_cutoffs
from app.errors import Conflict, InvalidInput
from app.extensions import db
from app.locking import lock_objects
from app.notifications.services import notify
from app.pitch.access import require_run
from app.pitch.advancement import outcomes, standings
from app.pitch.models import CampInvitation, PitchAward, PitchCompetition, PitchEntry, PitchStatus, RoundStatus
from app.timeutil import utcnow

SPECIAL = "special"


def final_round(competition: PitchCompetition):
    return next((r for r in competition.rounds if r.is_final), None)


def award_label(award: PitchAward) -> str:
    return award.special_name if award.award == SPECIAL else str(Award(award.award).label)


@dataclass
class ScreenRow:
    rank: int
    code: str
    total: str
    project: str | None = None
    company: str | None = None
    awards: list[str] | None = None


def awards_of(competition: PitchCompetition) -> list[PitchAward]:
    return list(db.session.scalars(sa.select(PitchAward).where(PitchAward.competition_id == competition.id)
                                   .order_by(PitchAward.rank.is_(None), PitchAward.rank, PitchAward.id)))


def screen(competition: PitchCompetition) -> dict:
    """What the results screen shows now: ranked rows; names only once released."""
    final = final_round(competition)
    released = competition.is_released
    rows: list[ScreenRow] = []
    if final is not None and final.status == RoundStatus.CLOSED.value:
        for row in outcomes(final):
            rows.append(ScreenRow(row.rank, row.entry.code, str(row.total)))
    elif final is not None and final.status == RoundStatus.OPEN.value:
        rows = [ScreenRow(s.rank, s.entry.code, str(s.total)) for s in standings(final)]
    if released:
        by_entry: dict[int, list[str]] = {}
        for award in awards_of(competition):
            by_entry.setdefault(award.entry_id, []).append(award_label(award))
        entries = {e.code: e for e in db.session.scalars(sa.select(PitchEntry)
                                                         .where(PitchEntry.competition_id == competition.id))}
        for row in rows:
            entry = entries[row.code]
            row.project, row.company, row.awards = entry.project, entry.company_name, by_entry.get(entry.id, [])
    return {"competition": competition.name, "released": released,
            "round": final.name if final is not None else None,
            "round_status": final.status if final is not None else None,
            "rows": [row.__dict__ for row in rows]}


def release(actor: User, competition: PitchCompetition) -> list[PitchAward]:
    """Release the final's results: the awards by rank, the names on the screen; notices to the
    finalists. Only once the final round is closed; once."""
    require_run(actor, competition)
    lock_objects(competition, refresh=["status"])
    final = final_round(competition)
    if final is None or final.status != RoundStatus.CLOSED.value:
        raise Conflict(_l("Close the final round before releasing the results."), code="final_not_closed")
    if not competition.can_become(PitchStatus.RELEASED.value):
        raise competition.refused_transition(competition.status, PitchStatus.RELEASED.value)
    ranked = outcomes(final)
    rules = {"mode": "count", **(competition.award_rules or {})}
    c1, c2, c3 = award_cutoffs(rules, len(ranked))
    made = []
    for row in ranked:
        award = (Award.FIRST if row.rank <= c1 else Award.SECOND if row.rank <= c2
                 else Award.THIRD if row.rank <= c3 else Award.MERIT)
        made.append(PitchAward(competition_id=competition.id, entry_id=row.entry_id, award=award.value,
                               rank=row.rank, total=row.total))
    db.session.add_all(made)
    competition.transition(PitchStatus.RELEASED.value, actor=actor)
    competition.released_at = utcnow()
    db.session.flush()
    audit.record(actor, "pitch.release", competition, awards=len(made))
    for award in made:
        entry = db.session.get(PitchEntry, award.entry_id)
        notify(entry.user, "pitch_results", _l("Results released: %(competition)s", competition=competition.name),
               "pitch_results", registration=entry.registration, occasion=competition.name)
    return made


def add_special_prize(actor: User, competition: PitchCompetition, entry: PitchEntry, name: str) -> PitchAward:
    """A named special prize (最佳商业模式奖, 最具投资价值奖) for a finalist, once the final is closed."""
    require_run(actor, competition)
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise InvalidInput(fields={"special_name": _l("Name the special prize (at most 60 characters).")})
    final = final_round(competition)
    if final is None or final.status != RoundStatus.CLOSED.value:
        raise Conflict(_l("Close the final round before giving special prizes."), code="final_not_closed")
    if entry.competition_id != competition.id or entry.id not in {r.entry_id for r in outcomes(final)}:
        raise InvalidInput(fields={"entry": _l("Special prizes go to finalists.")})
    if db.session.scalar(sa.select(PitchAward.id).where(PitchAward.entry_id == entry.id,
                                                        PitchAward.award == SPECIAL,
                                                        PitchAward.special_name == name)):
        raise Conflict(_l("This entry already has that prize."), code="duplicate")
    award = PitchAward(competition_id=competition.id, entry_id=entry.id, award=SPECIAL, special_name=name)
    db.session.add(award)
    db.session.flush()
    audit.record(actor, "pitch.special_prize", competition, entry=entry.id, name=name)
    return award


def subject(competition: PitchCompetition) -> certificates.Subject:
    return certificates.Subject("pitch", competition.id, competition.name, f"{competition.year}年",
                                competition.department)


def issue_certificates(actor: User, competition: PitchCompetition) -> certificates.IssueResult:
    """获奖证书 to each awarded team's lead, through the certificates' issuing service; the project
    and all its awards printed (a certificate per person per competition)."""
    require_run(actor, competition)
    if not competition.is_released:
        raise Conflict(_l("Release the results first: award certificates follow them."), code="not_released")
    texts: dict[int, list[str]] = {}
    for award in awards_of(competition):
        text = award.special_name if award.award == SPECIAL else AWARD_TEXT[Award(award.award)]
        texts.setdefault(award.entry_id, []).append(text)
    recipients = []
    for entry_id, parts in texts.items():
        entry = db.session.get(PitchEntry, entry_id)
        recipients.append(certificates.Recipient(entry.user, tier=entry.project[:60],
                                                 award="、".join(parts)[:120]))
    return certificates.issue(actor, subject(competition), CertificateKind.AWARD, recipients)


def invite_finalists(actor: User, competition: PitchCompetition, cycle: Cycle | None) -> list[CampInvitation]:
    """Invite the final's entries to apply to a camp cycle: an inbox notice (and mail) with the
    camp's application page; the founder applies there as anyone does. Invited once per cycle."""
    require_run(actor, competition)
    if cycle is None:
        raise InvalidInput(fields={"cycle_id": _l("Choose the camp cycle.")})
    final = final_round(competition)
    if final is None or final.status != RoundStatus.CLOSED.value:
        raise Conflict(_l("Close the final round before inviting its finalists."), code="final_not_closed")
    done = set(db.session.scalars(sa.select(CampInvitation.entry_id).where(CampInvitation.cycle_id == cycle.id)))
    made = []
    for row in outcomes(final):
        if row.entry_id in done:
            continue
        invitation = CampInvitation(entry_id=row.entry_id, cycle_id=cycle.id, invited_by_id=actor.id)
        db.session.add(invitation)
        entry = row.entry
        notify(entry.user, "pitch_camp_invitation", _l("Invitation to apply: %(camp)s", camp=cycle.name),
               "pitch_camp_invitation", registration=entry.registration, occasion=competition.name,
               camp=cycle.name, cycle_id=cycle.id)
        made.append(invitation)
    db.session.flush()
    audit.record(actor, "pitch.invite_finalists", competition, cycle=cycle.id, entries=[i.entry_id for i in made])
    return made


def invitations_of(user: User) -> list[CampInvitation]:
    return list(db.session.scalars(sa.select(CampInvitation).join(PitchEntry).where(PitchEntry.user_id == user.id)
                                   .order_by(CampInvitation.id.desc())
                                   .options(joinedload(CampInvitation.entry).joinedload(PitchEntry.competition))))
