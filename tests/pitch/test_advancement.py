"""Who advances between rounds: top N with a tie at the cut (the tie-break criterion decides; a
tie it cannot break: all tied advance, or none, as the round states), the threshold at its
boundary, and the history kept on closing."""
from __future__ import annotations

from decimal import Decimal

import pytest

from tests.fixtures.pitch import score_all, start_judging


def _round1(pitch, pitch_entry, db_session, scores, unbroken="all_advance"):
    """Entries scored in round 1 by both its judges with (创新性, 商业模式) = `scores[i]`."""
    from app.pitch import services as ps

    r1 = pitch.rounds[0]
    if unbroken != "all_advance":
        ps.set_rule(pitch.organiser, r1, rule="top_n", advance_count=4,
                    tie_break_criterion_id=r1.criteria[0].id, unbroken_tie=unbroken)
        db_session.commit()
    entries = [pitch_entry(project=f"项目{i}") for i in range(len(scores))]
    start_judging(pitch, db_session)
    for entry, values in zip(entries, scores):
        score_all(r1, entry, pitch.judges[:2], values, pitch.judges[5], db_session)
    return entries


def test_top_n_tie_at_the_cut_is_decided_by_the_tie_break_criterion(db_session, pitch, pitch_entry):
    from app.pitch import services as ps
    from app.pitch.models import RoundEntry

    # 6a + 4b: 90, 85, 80, then 70 and 70 for the 4th place — 创新性 7 against 8
    entries = _round1(pitch, pitch_entry, db_session, [(9, 9), (8.5, 8.5), (8, 8), (7, 7), (8, 5.5)])
    proposal = {s.entry.id: s for s in ps.standings(pitch.rounds[0])}
    assert proposal[entries[3].id].total == proposal[entries[4].id].total == Decimal("70.00")
    ordered = ps.close_round(pitch.organiser, pitch.rounds[0])
    db_session.commit()
    by_id = {s.entry.id: s for s in ordered}
    assert [s.entry.id for s in ordered if s.advanced] == [e.id for e in entries[:3]] + [entries[4].id]
    assert by_id[entries[4].id].rank == 4 and by_id[entries[4].id].reason == "tie_break_won"
    assert by_id[entries[3].id].rank == 5 and by_id[entries[3].id].reason == "tie_break_lost"
    assert not by_id[entries[3].id].advanced
    # the history is kept on the round, and the four are seated in round 2
    frozen = {r.entry_id: r for r in ps.outcomes(pitch.rounds[0])}
    assert frozen[entries[3].id].advanced is False and frozen[entries[3].id].total == Decimal("70.00")
    seated = db_session.scalars(db_session.query(RoundEntry.entry_id).filter_by(round_id=pitch.rounds[1].id)
                                .statement).all()
    assert sorted(seated) == sorted([e.id for e in entries[:3]] + [entries[4].id])


def test_a_tie_the_tie_break_cannot_break_all_tied_advance(db_session, pitch, pitch_entry):
    from app.pitch import services as ps

    entries = _round1(pitch, pitch_entry, db_session, [(9, 9), (8.5, 8.5), (8, 8), (7, 7), (7, 7)])
    ordered = ps.close_round(pitch.organiser, pitch.rounds[0])
    advanced = [s for s in ordered if s.advanced]
    assert len(advanced) == 5  # more than the 4 places: the round says all tied advance
    tied = [s for s in ordered if s.entry.id in (entries[3].id, entries[4].id)]
    assert [s.rank for s in tied] == [4, 4] and {s.reason for s in tied} == {"tie_all_advance"}


def test_a_tie_the_tie_break_cannot_break_none_advance_when_the_round_says_so(db_session, pitch, pitch_entry):
    from app.pitch import services as ps

    entries = _round1(pitch, pitch_entry, db_session, [(9, 9), (8.5, 8.5), (8, 8), (7, 7), (7, 7)],
                      unbroken="none_advance")
    ordered = ps.close_round(pitch.organiser, pitch.rounds[0])
    assert [s.entry.id for s in ordered if s.advanced] == [e.id for e in entries[:3]]
    assert {s.reason for s in ordered if s.rank == 4} == {"tie_none_advance"}


def test_the_threshold_admits_a_score_exactly_at_it_and_not_one_just_below(db_session, pitch, pitch_entry):
    from app.pitch import services as ps

    entries = _round1(pitch, pitch_entry, db_session, [(9, 9), (8.5, 8.5), (8, 8), (7.5, 7.5)])
    ps.close_round(pitch.organiser, pitch.rounds[0])
    r2 = pitch.rounds[1]
    ps.open_round(pitch.organiser, r2)
    db_session.commit()
    j2, j3, chief = pitch.judges[2], pitch.judges[3], pitch.judges[5]
    score_all(r2, entries[0], [j2, j3], (7, 7), chief, db_session)            # 70.00: at the threshold
    ps.enter_scores(j2, r2, entries[1], {r2.criteria[0].id: "7", r2.criteria[1].id: "7"})
    ps.enter_scores(j3, r2, entries[1], {r2.criteria[0].id: "7", r2.criteria[1].id: "6.9"})
    ps.confirm(chief, r2, entries[1])                                          # (70 + 69.6) / 2 = 69.80
    score_all(r2, entries[2], [j2, j3], (7.1, 7), chief, db_session)          # 70.60
    score_all(r2, entries[3], [j2, j3], (5, 5), chief, db_session)            # 50.00
    ordered = {s.entry.id: s for s in ps.close_round(pitch.organiser, r2)}
    assert ordered[entries[0].id].total == Decimal("70.00") and ordered[entries[0].id].advanced
    assert ordered[entries[1].id].total == Decimal("69.80") and not ordered[entries[1].id].advanced
    assert ordered[entries[2].id].advanced and not ordered[entries[3].id].advanced
    assert ordered[entries[1].id].reason == "threshold_missed"


def test_a_round_does_not_close_while_scores_are_unconfirmed(db_session, pitch, pitch_entry):
    from app.errors import Conflict
    from app.pitch import services as ps

    entries = [pitch_entry(project="已确认"), pitch_entry(project="未确认")]
    start_judging(pitch, db_session)
    r1 = pitch.rounds[0]
    score_all(r1, entries[0], pitch.judges[:2], (9, 9), pitch.judges[5], db_session)
    score_all(r1, entries[1], pitch.judges[:2], (8, 8), pitch.judges[5], db_session, confirm=False)
    with pytest.raises(Conflict) as refused:
        ps.close_round(pitch.organiser, r1)
    assert refused.value.code == "unconfirmed_scores" and entries[1].code in str(refused.value.message)
