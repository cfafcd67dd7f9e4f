"""Who the people behind a target's figure are, in aggregate: distinct people by gender, age band
and the district of their employer — one SQL query, portable across SQLite and PostgreSQL.

- Gender and birth date come from the resident ID number (users.id_number, 18 characters): the
  17th digit is odd for men and even for women; digits 7–14 are the birth date (YYYYMMDD).
  A person without an ID number (or with one of another shape) is "unknown".
- Age is taken at the period's last day. Bands compare the birth-date digits with cut-off
  dates worked out here (born after the day 25 years before the end: under 25), so no text is
  ever cast to a number (a malformed ID number would make PostgreSQL fail a cast).
- The employer is the person's link in the organisation registry (organisation_employees: one
  employer per person, matched from the profile's employer or set by staff) — the most reliable
  of the links: registrations' and entries' company names are typed per occasion and change,
  and a placement's host is not the person's employer. The district is that organisation's
  `district`; people without a link, or whose organisation has no district, are "unknown".

Each person counts once in each breakdown, so every breakdown adds up to the figure's total."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from app.accounts.models import User
from app.extensions import db
from app.organisations.employees import EmployerLink
from app.organisations.models import Organisation
from app.plans.ledger import counters, figures
from app.plans.ledger.figures import Period
from app.plans.models import Target
from app.plans.scope import Scope

UNKNOWN = "unknown"
MALE, FEMALE = "male", "female"
# (key, lowest age, highest age or None): the bands of the dashboard and the reports.
AGE_BANDS = (("under_25", 0, 24), ("25_34", 25, 34), ("35_44", 35, 44), ("45_54", 45, 54), ("55_plus", 55, None))


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def gender_of(id_number) -> sa.ColumnElement:
    digit = sa.func.substr(id_number, 17, 1)
    return sa.case((sa.func.length(id_number) != 18, UNKNOWN),
                   (digit.in_(list("13579")), MALE), (digit.in_(list("02468")), FEMALE), else_=UNKNOWN)


def age_band_of(id_number, on: date) -> sa.ColumnElement:
    """The age band at the end of `on`: born on or before the day N years earlier means aged N or more."""
    born = sa.func.substr(id_number, 7, 8)
    whens = [(sa.func.length(id_number) != 18, UNKNOWN),
             (sa.or_(born < "19000101", born > on.strftime("%Y%m%d")), UNKNOWN)]
    for key, low, _high in reversed(AGE_BANDS):
        whens.append((born <= years_before(on, low).strftime("%Y%m%d"), key))
    return sa.case(*whens, else_=UNKNOWN)


@dataclass
class Breakdown:
    total: int = 0
    gender: dict[str, int] = field(default_factory=dict)  # male, female, unknown
    age: dict[str, int] = field(default_factory=dict)  # AGE_BANDS keys, unknown
    district: list[tuple[str, int]] = field(default_factory=list)  # most people first; "unknown"


def breakdown(target: Target, scope: Scope, period: Period, programme: str | None = None) -> Breakdown | None:
    """The people of a people-counting target's figure over `period`, by gender, age band and
    employer's district; None for a target that counts occasions or is entered by hand."""
    if not target.computed or counters.get(target.rule.get("counter", "")).unit != counters.PEOPLE:
        return None
    first = figures.firsts(target, scope, period, programme)
    gender = gender_of(User.id_number).label("gender")
    band = age_band_of(User.id_number, period.last).label("band")
    district = sa.func.coalesce(sa.func.nullif(Organisation.district, ""), UNKNOWN).label("district")
    people = (sa.select(gender, band, district)
              .select_from(first)
              .join(User, User.id == first.c.subject)
              .outerjoin(EmployerLink, EmployerLink.user_id == User.id)
              .outerjoin(Organisation, Organisation.id == EmployerLink.organisation_id)
              .subquery("people"))
    # Grouped outside: PostgreSQL binds the CASE's literals as parameters, and a GROUP BY of the
    # same CASE would hold other parameters, which it does not take for the same expression.
    rows = db.session.execute(sa.select(people.c.gender, people.c.band, people.c.district, sa.func.count())
                              .group_by(people.c.gender, people.c.band, people.c.district))
    out, genders, bands, districts = Breakdown(), Counter(), Counter(), Counter()
    for g, b, d, n in rows:
        out.total += n
        genders[g] += n
        bands[b] += n
        districts[d] += n
    out.gender = {k: genders.get(k, 0) for k in (MALE, FEMALE, UNKNOWN)}
    out.age = {k: bands.get(k, 0) for k in [key for key, _l, _h in AGE_BANDS] + [UNKNOWN]}
    out.district = sorted(districts.items(), key=lambda kv: (kv[0] == UNKNOWN, -kv[1], kv[0]))
    return out
