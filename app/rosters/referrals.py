"""Referral links of ambassadors and recruiting officers: /r/<code> remembers the code in the
visitor's session (app.referred) while its holder serves, and the registrations and camp
applications made afterwards carry it; here they are counted back to the person.

An unknown, suspended, ended or expired code is ignored (the visitor is simply sent on), never an
error: a link printed on a poster outlives the appointment.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from app import referred
from app.checkin.models import Scan, ScanResult
from app.cohorts.models import Application, ApplicationStatus
from app.extensions import db
from app.registrations.models import RegStatus, Registration
from app.rosters.models import MemberStatus, RosterMember
from app.timeutil import local_to_utc
from app.transitions import StatusChange
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


def _last_moments(members: list[RosterMember]) -> dict[int, datetime]:
    """member id -> when their link stopped counting: the moment the appointment was ended, else the
    end of the term's last day."""
    ended = dict(db.session.execute(
        sa.select(StatusChange.subject_id, sa.func.max(StatusChange.at)).where(
            StatusChange.subject_type == RosterMember.__tablename__, StatusChange.to_status == MemberStatus.ENDED.value,
            StatusChange.subject_id.in_([m.id for m in members])).group_by(StatusChange.subject_id)).all())
    return {m.id: ended.get(m.id) or local_to_utc(datetime.combine(m.term_to + timedelta(days=1), time()))
            for m in members}


def credits(members: list[RosterMember]) -> dict[int, Credit]:
    """member id -> what came through their code while they served: registrations (confirmed,
    attended: admitted at a checkpoint at least once) and camp applications (admitted). A code a
    visitor's session kept past the end of the appointment credits nobody."""
    by_code = {m.referral_code: m for m in members if m.referral_code}
    result = {m.id: Credit() for m in members}
    if not by_code:
        return result
    last = _last_moments(list(by_code.values()))
    attended = sa.exists().where(Scan.registration_id == Registration.id, Scan.result == ScanResult.OK.value)
    rows = db.session.execute(
        sa.select(Registration.referral_code, Registration.status, Registration.created_at, attended)
        .where(Registration.referral_code.in_(list(by_code))))
    for code, status, created_at, came in rows:
        member = by_code[code]
        if created_at < last[member.id]:
            credit = result[member.id]
            credit.registrations += 1
            credit.confirmed += status == RegStatus.CONFIRMED.value
            credit.attended += bool(came)
    rows = db.session.execute(
        sa.select(Application.referral_code, Application.status, Application.submitted_at)
        .where(Application.referral_code.in_(list(by_code))))
    for code, status, submitted_at in rows:
        member = by_code[code]
        if submitted_at < last[member.id]:
            credit = result[member.id]
            credit.applications += 1
            credit.admitted += status == ApplicationStatus.ADMITTED.value
    return result
