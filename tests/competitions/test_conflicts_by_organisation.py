"""Conflicts of interest through the registry: a judge and an entrant linked to the same
organisation (a merged duplicate counting as the one kept) work for the same employer whatever they
typed; linked to two different organisations they do not; when either is not linked, the
normalised names decide as before."""
from __future__ import annotations

import pytest

from app.competitions import conflicts
from app.competitions import services as cs
from app.competitions.models import TeamMember
from app.organisations import services as organisations
from tests.fixtures.competitions import JUDGE_EMPLOYERS


def test_linked_to_the_same_organisation_whatever_the_words(db_session, contest, enter, create_organisation,
                                                            admin):
    company = create_organisation(name="上海颐家养老服务有限公司")
    entry = enter(employer="上海颐家养老服务有限公司")
    judge = contest.judges[0]
    assert entry.organisation_id == company.id and not cs.conflicts(judge, entry)
    conflicts.set_judge_organisation(contest.organiser, contest.category, judge.id, str(company.id))
    db_session.commit()
    assert cs.conflicts(judge, entry)  # typed "上海市第五社会福利院", linked to the entrant's company
    with pytest.raises(cs.ConflictOfInterest):
        conflicts.require_no_conflict(judge, entry)
    assert [e.id for e in cs.conflict_map(contest.category)[judge.id]] == [entry.id]

    # a duplicate the judge was linked to, merged into the company: the same employer
    duplicate = create_organisation(name="颐家养老（闵行）服务中心")
    conflicts.set_judge_organisation(contest.organiser, contest.category, judge.id, str(duplicate.id))
    db_session.commit()
    assert not cs.conflicts(judge, entry)
    organisations.merge(admin, company, duplicate)
    db_session.commit()
    assert cs.conflicts(judge, entry)


def test_a_team_member_linked_to_the_judges_organisation(db_session, contest, enter, create_organisation):
    hospital = create_organisation(name="闵行区中心医院", kind="company")
    judge = contest.judges[1]
    conflicts.set_judge_organisation(contest.organiser, contest.category, judge.id, str(hospital.id))
    entry = enter(employer="上海颐家养老服务有限公司")
    assert not cs.conflicts(judge, entry)
    entry.members.append(TeamMember(name="李护士", employer="中心医院", organisation_id=hospital.id))
    db_session.commit()
    assert cs.conflicts(judge, entry)


def test_names_decide_when_either_is_not_linked_and_two_organisations_never_match(db_session, contest, enter,
                                                                                 create_organisation):
    judge = contest.judges[0]
    same_words = enter(name="刘洋", employer=JUDGE_EMPLOYERS[0])  # nobody linked: the names match
    assert same_words.organisation_id is None and cs.conflicts(judge, same_words)
    ours = create_organisation(name="上海市第五社会福利院有限公司")
    conflicts.set_judge_organisation(contest.organiser, contest.category, judge.id, str(ours.id))
    db_session.commit()
    assert cs.conflicts(judge, same_words)  # the entrant is not linked: still by the names
    other = create_organisation(name="上海第五养老院有限公司")
    same_words.organisation_id = other.id  # both linked, to two organisations: not the same employer
    db_session.commit()
    assert not cs.conflicts(judge, same_words)
