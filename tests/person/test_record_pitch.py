"""Pitch competitions in the record: the entry as soon as it is made; its award, rank and marks
only once the results are released (before, the screen shows numbers, not people)."""
from __future__ import annotations

from app.person.record import timeline
from app.pitch.models import PitchAward
from app.timeutil import utcnow


def _pitch_item(person):
    return [i for i in timeline.build(person).items if i.kind == "pitch"]


def test_an_entry_then_its_released_award(db_session, pitch, pitch_entry):
    entry = pitch_entry(project="智能传感")
    [item] = _pitch_item(entry.user)
    assert item.title.endswith("智能传感") and item.status == "confirmed" and item.figures == ()
    assert item.department_id == pitch.competition.department_id
    db_session.add(PitchAward(competition_id=pitch.competition.id, entry_id=entry.id, award="first", rank=1,
                              total="91.50"))
    db_session.commit()
    assert _pitch_item(entry.user)[0].figures == ()  # not released yet
    pitch.competition.released_at = utcnow()
    db_session.commit()
    [item] = _pitch_item(entry.user)
    figures = {f.code: f.text for f in item.figures}
    assert item.status == "first" and figures["rank"] == "1" and figures["total"] == "91.5" and figures["award"]
    assert timeline.build(entry.user).summary.programmes == 1
