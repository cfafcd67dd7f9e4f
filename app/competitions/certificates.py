"""获奖证书 from a competition's published awards, through the generic issuing service of
`app.certificates` (serials, snapshots, never twice). A team's certificate goes to its captain,
who holds the entry; the team's name is printed with the award."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.certificates import services as certificates
from app.certificates.models import CertificateKind
from app.competitions.access import require_run
from app.competitions.models import Award, Competition
from app.competitions.publication import awards
from app.errors import Conflict

# Printed on the certificate, which is in Chinese whatever the organiser's UI language.
AWARD_TEXT = {Award.FIRST: "一等奖", Award.SECOND: "二等奖", Award.THIRD: "三等奖", Award.MERIT: "优胜奖"}


def competition_subject(competition: Competition) -> certificates.Subject:
    return certificates.Subject("competition", competition.id, competition.name, f"{competition.year}年",
                                competition.department)


def issue_awards(actor, competition: Competition) -> certificates.IssueResult:
    require_run(actor, competition)
    if not competition.is_published:
        raise Conflict(_l("Publish the results first: award certificates follow them."), code="not_published")
    recipients = []
    for category in competition.categories:
        for entry, award, _rank in awards(category):
            text = AWARD_TEXT[award] if not entry.team_name else f"{entry.team_name} 团体{AWARD_TEXT[award]}"
            recipients.append(certificates.Recipient(entry.user, tier=category.name, award=text[:120]))
    return certificates.issue(actor, competition_subject(competition), CertificateKind.AWARD, recipients)
