"""留用: the host's decision at the end, its validation and correction; 留用率 per host and year
over completed placements; hosts under 20 % two consecutive years are flagged (both sides of
every boundary)."""
from datetime import date
from fractions import Fraction

import pytest

from app.errors import Conflict, InvalidInput, PermissionDenied
from app.traineeships import retention


def test_decide_at_the_end_with_a_sensible_date(db_session, placed_batch):
    made = placed_batch(trainees=(1,))
    p, contact = made.placements[0], made.contacts[0]
    with pytest.raises(Conflict):  # not over yet
        retention.decide(contact, p, retained=True, retained_from=date(2026, 10, 1), today=date(2026, 9, 29))
    for bad in (None, date(2026, 9, 29), date(2027, 10, 2), "2026-10-01"):
        with pytest.raises(InvalidInput) as refused:
            retention.decide(contact, p, retained=True, retained_from=bad, today=date(2026, 10, 1))
        assert "retained_from" in refused.value.fields
    with pytest.raises(InvalidInput):
        retention.decide(contact, p, retained="yes", today=date(2026, 10, 1))
    retention.decide(contact, p, retained=True, retained_from=date(2026, 9, 30), today=date(2026, 9, 30))
    assert p.retained is True and p.retained_from == date(2026, 9, 30)
    retention.decide(contact, p, retained=False, retained_from=date(2026, 10, 1), today=date(2026, 10, 1))
    assert p.retained is False and p.retained_from is None
    with pytest.raises(PermissionDenied):
        retention.decide(made.organiser, p, retained=True, retained_from=date(2026, 10, 1), today=date(2026, 10, 1))


def _year(placed_batch, year, completed, kept, host=None):
    made = placed_batch(trainees=(completed,), starts_on=date(year, 7, 1), ends_on=date(year, 9, 30),
                        hosts=[host] if host else None)
    for n, p in enumerate(made.placements):
        p.status = "completed"
        p.retained = n < kept
    return made


def test_rates_per_host_and_year_count_completed_placements_only(db_session, placed_batch):
    made = _year(placed_batch, 2025, 4, 1)
    host = (made.hosts[0], made.contacts[0])
    extra = placed_batch(trainees=(2,), hosts=[host], starts_on=date(2025, 3, 1), ends_on=date(2025, 5, 31))
    extra.placements[0].status, extra.placements[0].retained = "withdrawn", True  # not completed: not counted
    extra.placements[1].retained = True  # still confirmed: not counted
    db_session.commit()
    rows = retention.rates()
    assert [(r.host_id, r.year, r.completed, r.retained, r.rate) for r in rows] == [
        (made.hosts[0].id, 2025, 4, 1, Fraction(1, 4))]


@pytest.mark.parametrize("years, flagged", [
    ({2024: (10, 1), 2025: (10, 1)}, True),     # 10 % and 10 %
    ({2024: (5, 1), 2025: (10, 1)}, False),     # exactly 20 % is not under 20 %
    ({2024: (10, 1), 2025: (5, 1)}, False),
    ({2024: (11, 2), 2025: (6, 1)}, True),      # 18.2 % and 16.7 %
    ({2023: (10, 1), 2025: (10, 1)}, False),    # not consecutive
    ({2024: (10, 1), 2025: (0, 0), 2026: (10, 1)}, False),  # a year without completions breaks the run
    ({2024: (10, 0), 2025: (3, 0), 2026: (10, 5)}, True),   # an earlier run still flags
])
def test_two_years_running_under_twenty_percent(db_session, placed_batch, years, flagged):
    host = None
    for year, (completed, kept) in sorted(years.items()):
        if completed == 0:
            continue
        made = _year(placed_batch, year, completed, kept, host)
        host = host or (made.hosts[0], made.contacts[0])
    other = _year(placed_batch, 2024, 1, 0)  # one low year only
    db_session.commit()
    flags = retention.flagged()
    assert [f.host_id for f in flags] == ([host[0].id] if flagged else [])
    assert other.hosts[0].id not in {f.host_id for f in flags}
    if flagged:
        first, second = flags[0].years
        assert second.year == first.year + 1 and first.low and second.low
