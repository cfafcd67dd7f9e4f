"""The employer's candidates as a workbook, streamed (issue 19): a booth at a Talent Week fair
gathers candidates by the thousand. The rows (with fair, booth, employer, person, the standing
consent's mobile rule and the outcome) and the chosen positions are read through two server-side
cursors in the same order, CHUNK rows at a time, merged as they come and written in openpyxl's
write-only mode: two statements and the memory of a chunk, whatever the number of candidates.
The same candidates, cells and audit row as the portal's list (portal.py) shows and records."""
from __future__ import annotations

from collections.abc import Iterator
from typing import IO

import sqlalchemy as sa
from flask_babel import gettext as _

from app.accounts.models import User
from app.audit import services as audit
from app.events.models import Event
from app.extensions import db
from app.jobfairs.models import (Consent, Education, FairEmployer, Interest, InterestOutcome, Outcome,
                                 Position, interest_positions)
from app.jobfairs.portal import NEWEST_FIRST, shared_at_booths
from app.organisations.contacts import organisation_ids_of
from app.organisations.models import Organisation
from app.privacy import mask_phone
from app.spreadsheets import Grouped, sheet_title, xlsx_file
from app.timeutil import fmt

CHUNK = 500


def export_xlsx(user: User) -> IO[bytes]:
    """The contact's candidates (consent standing) as a rewound temporary file for
    `app.web.download`; the export is audited with the candidates it holds."""
    organisations = organisation_ids_of(user)
    written: list[int] = []
    header = [_("Fair"), _("Booth"), _("Employer"), _("Name"), _("Mobile"), _("Education"), _("School"), _("Major"),
              _("Positions"), _("Shared at"), _("Outcome")]
    out = xlsx_file(None, header, _rows(organisations, written), sheet_title=sheet_title(_("Candidates"), "candidates"),
                    freeze=None)
    audit.record(user, "jobfair.interests_export", None, interests=written)
    return out


def _rows(organisations: list[int], written: list[int]) -> Iterator[list]:
    """The export's rows; the id of each candidate written is appended to `written`."""
    positions = Grouped(_positions(organisations))
    educations = {e.value: str(e.label) for e in Education}
    outcomes = {o.value: str(o.label) for o in Outcome}
    for row in _candidates(organisations):
        written.append(row.id)
        yield [row.fair, row.booth, row.employer, row.name,
               (row.mobile or "") if row.mobile_in_full else mask_phone(row.mobile),
               educations.get(row.education, row.education) if row.education else "", row.school, row.major,
               "; ".join(positions.take(row.id).values()), fmt(row.created_at, "%Y-%m-%d %H:%M"),
               outcomes.get(row.outcome or Outcome.NONE.value, row.outcome)]


def _candidates(organisations: list[int]) -> Iterator:
    # consent.mobile_allowed() of the standing consent (the newest not withdrawn), in the statement
    mobile_in_full = (sa.select(Consent.includes_mobile)
                      .where(Consent.interest_id == Interest.id, Consent.withdrawn_at.is_(None))
                      .order_by(Consent.id.desc()).limit(1).correlate(Interest).scalar_subquery())
    query = shared_at_booths(sa.select(Interest.id, Event.title.label("fair"), FairEmployer.booth,
                             Organisation.name.label("employer"), Interest.name, User.mobile,
                             mobile_in_full.label("mobile_in_full"), Interest.education, Interest.school,
                             Interest.major, Interest.created_at, InterestOutcome.status.label("outcome"))
                   .select_from(Interest), organisations)
    query = (query.join(Event, Event.id == FairEmployer.event_id)
             .join(Organisation, Organisation.id == FairEmployer.organisation_id)
             .join(User, User.id == Interest.user_id)
             .outerjoin(InterestOutcome, InterestOutcome.interest_id == Interest.id)
             .order_by(*NEWEST_FIRST).execution_options(yield_per=CHUNK))
    return iter(db.session.execute(query))


def _positions(organisations: list[int]) -> Iterator:
    """(interest id, position id, title) of each chosen position, in the candidates' order."""
    query = shared_at_booths(sa.select(Interest.id, Position.id, Position.title)
                   .select_from(Interest)
                   .join(interest_positions, interest_positions.c.interest_id == Interest.id)
                   .join(Position, Position.id == interest_positions.c.position_id), organisations)
    return iter(db.session.execute(query.order_by(*NEWEST_FIRST, Position.id).execution_options(yield_per=CHUNK)))
