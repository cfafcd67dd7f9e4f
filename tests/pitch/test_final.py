"""Live judging of the final: the spread flag and the second person's confirmation as in the
skills competitions; the results screen shows numbers only until the release; awards by rank,
special prizes, certificates and the finalists' camp invitation."""
from __future__ import annotations

import pytest

from tests.fixtures.pitch import score_all, through_to_final


def test_far_apart_scores_are_flagged_and_a_second_person_confirms(db_session, pitch, pitch_entry):
    from app.errors import Conflict, PermissionDenied
    from app.pitch import services as ps

    entry = pitch_entry()
    final = through_to_final(pitch, [entry], db_session)
    show, answers = final.criteria
    j0, j3, j4, chief = pitch.judges[0], pitch.judges[3], pitch.judges[4], pitch.judges[5]
    ps.enter_scores(j0, final, entry, {show.id: "20", answers.id: "30"}, {show.id: "节奏偏慢"})
    ps.enter_scores(j3, final, entry, {show.id: "40", answers.id: "30"})
    ps.enter_scores(j4, final, entry, {show.id: "30", answers.id: "30"})
    current = ps.sheet(final, entry)
    assert [s.criterion.id for s in current.flagged] == [show.id]  # 20 to 40 on a 50 scale: more than a third
    with pytest.raises(Conflict) as flagged:
        ps.confirm(chief, final, entry)
    assert flagged.value.code == "flagged"
    ps.enter_scores(j0, final, entry, {show.id: "28"})
    ps.enter_scores(j3, final, entry, {show.id: "36"})
    assert not ps.sheet(final, entry).flagged
    with pytest.raises(PermissionDenied):
        ps.confirm(j0, final, entry)  # a judge who scores is not the second person
    ps.confirm(chief, final, entry)
    assert ps.sheet(final, entry).confirmed
    assert ps.sheet(final, entry).comments()[0].comment == "节奏偏慢"
    ps.enter_scores(j4, final, entry, {answers.id: "31"})
    assert not ps.sheet(final, entry).confirmed  # a later change voids the confirmation


def test_names_only_after_release_then_awards_certificates_and_invitations(db_session, pitch, pitch_entry,
                                                                            create_cohort):
    from app.certificates.models import Certificate
    from app.errors import Conflict
    from app.pitch import services as ps
    from app.pitch.models import CampInvitation

    entries = [pitch_entry(project=f"决赛项目{i}") for i in range(7)]
    final = through_to_final(pitch, entries, db_session)
    judges, chief = [pitch.judges[0], pitch.judges[3], pitch.judges[4]], pitch.judges[5]
    for i, entry in enumerate(entries):
        score_all(final, entry, judges, (45 - 2 * i, 45 - 2 * i), chief, db_session)
    live = ps.screen(pitch.competition)
    assert not live["released"] and [r["code"] for r in live["rows"]] == [e.code for e in entries]
    assert all(r["project"] is None for r in live["rows"])
    with pytest.raises(Conflict):
        ps.release(pitch.organiser, pitch.competition)  # the final is still open
    ps.close_round(pitch.organiser, final)
    assert ps.screen(pitch.competition)["rows"][0]["project"] is None
    ps.release(pitch.organiser, pitch.competition)
    ps.add_special_prize(pitch.organiser, pitch.competition, entries[6], "最具投资价值奖")
    db_session.commit()
    shown = ps.screen(pitch.competition)
    assert shown["released"] and shown["rows"][0]["project"] == "决赛项目0"
    awards = [r["awards"] for r in shown["rows"]]
    assert awards == [["一等奖"], ["二等奖"], ["二等奖"], ["三等奖"], ["三等奖"], ["三等奖"],
                      ["优胜奖", "最具投资价值奖"]]
    made = ps.issue_certificates(pitch.organiser, pitch.competition)
    db_session.commit()
    assert len(made.issued) == 7
    last = db_session.query(Certificate).filter_by(recipient_id=entries[6].user_id).one()
    assert "最具投资价值奖" in last.award and last.subject_type == "pitch"
    cycle = create_cohort().cycle
    invited = ps.invite_finalists(pitch.organiser, pitch.competition, cycle)
    again = ps.invite_finalists(pitch.organiser, pitch.competition, cycle)
    db_session.commit()
    assert len(invited) == 7 and again == [] and db_session.query(CampInvitation).count() == 7
    assert ps.invitations_of(entries[0].user)[0].cycle_id == cycle.id
