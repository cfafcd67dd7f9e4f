"""Conflicts of interest per round: a judge tied to an entry (its company, through the registry;
a team member's employer) can score it in no round they judge; the employer fixed on each round's
assignment decides, so a conflict in round 2 does not refuse the judge in round 1; a conflicted
judge is not waited for."""
from __future__ import annotations

import pytest

from tests.fixtures.pitch import start_judging


def test_a_judge_of_the_entrys_company_scores_it_in_no_round(db_session, pitch, pitch_entry, create_user,
                                                             create_organisation):
    from app.competitions.conflicts import ConflictOfInterest
    from app.pitch import services as ps

    company = create_organisation(name="上海深蓝智能科技有限公司")
    # the entry names its company differently; its USCC links it to the registry
    entry = pitch_entry(project="深蓝视觉", company="深蓝智能（上海）", uscc=company.uscc)
    assert entry.organisation_id == company.id
    insider = create_user("judge", name="内部评委", employer="上海深蓝智能科技有限公司")
    r1, r2, final = pitch.rounds
    ps.set_judges(pitch.organiser, r1, [pitch.judges[0], pitch.judges[1], insider], chief=pitch.judges[5])
    ps.set_judges(pitch.organiser, final, [pitch.judges[0], pitch.judges[3], insider], chief=pitch.judges[5])
    start_judging(pitch, db_session)
    for round_ in (r1, final):
        assert ps.conflicts(insider, round_, entry)
        with pytest.raises(ConflictOfInterest):
            ps.enter_scores(insider, round_, entry, {round_.criteria[0].id: "5"})
    # the other judges of round 1 score and complete the sheet without the conflicted one
    for judge in pitch.judges[:2]:
        ps.enter_scores(judge, r1, entry, {c.id: "8" for c in r1.criteria})
    sheet = ps.sheet(r1, entry)
    assert insider.id not in sheet.scorers and sheet.complete


def test_a_conflict_through_a_team_members_employer(db_session, pitch, pitch_entry):
    from app.competitions.conflicts import ConflictOfInterest
    from app.pitch import services as ps

    # 评委2 works at 复旦大学, where a team member works too
    entry = pitch_entry(project="量子材料", members=[{"name": "李研究员", "employer": "复旦大学"}])
    start_judging(pitch, db_session)
    r1 = pitch.rounds[0]
    with pytest.raises(ConflictOfInterest):
        ps.enter_scores(pitch.judges[1], r1, entry, {r1.criteria[0].id: "7"})
    assert ps.enter_scores(pitch.judges[0], r1, entry, {r1.criteria[0].id: "7"})  # no tie: scores


def test_the_conflict_is_judged_per_round_by_that_rounds_assignment(db_session, pitch, pitch_entry, create_user):
    from app.competitions.conflicts import ConflictOfInterest
    from app.errors import PermissionDenied
    from app.pitch import services as ps

    entry = pitch_entry(project="绿色氢能", company="上海氢途能源有限公司")
    mover = create_user("judge", name="跳槽评委", employer="上海交通大学")
    r1, r2, _final = pitch.rounds
    ps.set_judges(pitch.organiser, r1, [pitch.judges[0], mover], chief=pitch.judges[5])
    db_session.commit()
    mover.employer = "上海氢途能源有限公司"  # moved to the entry's company before round 2's panel was set
    ps.set_judges(pitch.organiser, r2, [pitch.judges[2], mover], chief=pitch.judges[5])
    # a judge of round 2 only, tied to the entry there
    late = create_user("judge", name="复赛评委", employer="上海氢途能源有限公司")
    ps.set_judges(pitch.organiser, r2, [pitch.judges[2], mover, late], chief=pitch.judges[5])
    start_judging(pitch, db_session)
    # round 1: its assignment fixed 上海交通大学 — not refused
    assert not ps.conflicts(mover, r1, entry)
    assert ps.enter_scores(mover, r1, entry, {c.id: "6" for c in r1.criteria})
    # round 2: refused; the round-2-only judge is refused there, and is simply no judge of round 1
    assert ps.conflicts(mover, r2, entry) and ps.conflicts(late, r2, entry)
    with pytest.raises(ConflictOfInterest):
        ps.enter_scores(mover, r2, entry, {r2.criteria[0].id: "6"})
    with pytest.raises(PermissionDenied) as not_judge:
        ps.enter_scores(late, r1, entry, {r1.criteria[0].id: "6"})
    assert not isinstance(not_judge.value, ConflictOfInterest)
    # round 1's sheet waits for its own judges only (not round 2's)
    assert set(ps.sheet(r1, entry).scorers) == {pitch.judges[0].id, mover.id}
