"""Appointment letters (聘书): certificates of their own kind, issued through the generic
certificate service (serials MH-2026-PS-000001, a snapshot of the wording, public verification),
one current letter per appointment."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.certificates import services as certificates
from app.certificates.downloads import listed_certificates
from app.certificates.models import CertificateKind
from app.errors import Conflict
from app.rosters.models import APPOINTMENT_TITLES, RosterMember
from app.rosters.services import require_manage

SUBJECT_TYPE = "roster"


def _date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def member_subject(member: RosterMember) -> certificates.Subject:
    term = f"{_date(member.term_from)}至{_date(member.term_to)}"
    return certificates.Subject(SUBJECT_TYPE, member.id, APPOINTMENT_TITLES[member.kind_enum], term,
                                member.department)


def issue_letter(actor, member: RosterMember) -> certificates.IssueResult:
    """The member's 聘书; a member who already holds a current one is skipped (reissue replaces it)."""
    require_manage(actor, member)
    if not member.serving:
        raise Conflict(_l("Only a serving member is given an appointment letter."), code="not_serving")
    organisation = member.organisation.name if member.organisation else ""
    recipient = certificates.Recipient(member.user, tier=organisation[:60], award=member.expertise[:120])
    return certificates.issue(actor, member_subject(member), CertificateKind.APPOINTMENT, [recipient])


def letters_of(actor, member: RosterMember) -> list:
    """The member's letters the actor may manage, current and past."""
    return listed_certificates(actor, subject_type=SUBJECT_TYPE, subject_id=member.id)
