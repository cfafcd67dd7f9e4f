"""The mentoring blueprint object (view modules import this module; app/mentoring/blueprint.py imports
them), and the menu's question which of the own pages — /me/mentoring, /me/referrals — a person has."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint
from flask_login import current_user

from app.extensions import db
from app.mentoring.models import Pairing
from app.rosters.models import RosterKind, RosterMember

bp = Blueprint("mentoring", __name__)


def own_pages() -> dict[str, bool]:
    """{"mentoring": mentors or is mentored, "referrals": holds a referral link} (the menu asks once a page)."""
    kinds = set(db.session.scalars(sa.select(RosterMember.kind).where(RosterMember.user_id == current_user.id)))
    mentored = db.session.scalar(sa.select(Pairing.id).where(Pairing.founder_id == current_user.id).limit(1))
    return {"mentoring": RosterKind.MENTOR.value in kinds or mentored is not None,
            "referrals": bool(kinds - {RosterKind.MENTOR.value})}


@bp.app_context_processor
def _own_pages():
    return {"own_roster_pages": own_pages}
