"""参会证明 for an online or hybrid event: everyone who attended on-site or online (each once),
through the certificates' own issuing (serials, templates, skipping those who hold one)."""
from __future__ import annotations

from app.accounts.models import User
from app.certificates import services as certificates
from app.certificates.models import CertificateKind
from app.events.models import Event
from app.events.services import require_manage
from app.online.figures import attended_users


def issue_attendance(actor: User, event: Event) -> certificates.IssueResult:
    require_manage(actor, event)
    people = attended_users(event)
    return certificates.issue(actor, certificates.event_subject(event), CertificateKind.ATTENDANCE,
                              [certificates.Recipient(u) for u in people])
