"""Referral links of ambassadors and recruiting officers: /r/<code> remembers the code in the
visitor's session (app.referred) while its holder serves, and the registrations and camp
applications made afterwards carry it; here they are counted back to the person.

An unknown, suspended, ended or expired code is ignored (the visitor is simply sent on), never an
error: a link printed on a poster outlives the appointment.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa

from app import referred
from app.checkin.models import Scan, ScanResult
from app.cohorts.models import Application, ApplicationStatus
from app.extensions import db
from app.registrations.models import RegStatus, Registration
from app.rosters.models import RosterMember
from app.urls import public_url


def serving_member(code: str | None) -> RosterMember | None:
    """The ambassador or officer whose link this is, while they serve; else None."""
    code = referred.normalise(code)
    if code is None:
        return None
    member = db.session.scalar(sa.select(RosterMember).where(RosterMember.referral_code == code))
    return member if member is not None and member.serving else None


def follow(code: str | None) -> None:
    """A visit through a referral link: remembered when the code is a serving member's, else ignored."""
    member = serving_member(code)
    if member is not None:
        referred.remember(member.referral_code)


def safe_target(target: str | None) -> str | None:
    """Where a link may lead: a path on this site only (never another host)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.netloc and not parts.scheme else None


def link_for(member: RosterMember, target: str | None = None) -> str:
    if not member.referral_code:
        return ""
    values = {"code": member.referral_code}
    if target:
        values["to"] = target
    return public_url("rosters.referral", **values)


@dataclass
class Credit:
    registrations: int = 0
    confirmed: int = 0
    attended: int = 0
    applications: int = 0
    admitted: int = 0


def credits(members: list[RosterMember]) -> dict[int, Credit]:
    """member id -> what came through their code: registrations (confirmed, attended: admitted at a
    checkpoint at least once) and camp applications (admitted)."""
    by_code = {m.referral_code: m.id for m in members if m.referral_code}
    result = {m.id: Credit() for m in members}
    if not by_code:
        return result
    attended = sa.exists().where(Scan.registration_id == Registration.id, Scan.result == ScanResult.OK.value)
    rows = db.session.execute(
        sa.select(Registration.referral_code, sa.func.count(),
                  sa.func.sum(sa.case((Registration.status == RegStatus.CONFIRMED.value, 1), else_=0)),
                  sa.func.sum(sa.case((attended, 1), else_=0)))
        .where(Registration.referral_code.in_(list(by_code))).group_by(Registration.referral_code))
    for code, total, confirmed, came in rows:
        credit = result[by_code[code]]
        credit.registrations, credit.confirmed, credit.attended = total, int(confirmed or 0), int(came or 0)
    rows = db.session.execute(
        sa.select(Application.referral_code, sa.func.count(),
                  sa.func.sum(sa.case((Application.status == ApplicationStatus.ADMITTED.value, 1), else_=0)))
        .where(Application.referral_code.in_(list(by_code))).group_by(Application.referral_code))
    for code, total, admitted in rows:
        credit = result[by_code[code]]
        credit.applications, credit.admitted = total, int(admitted or 0)
    return result
