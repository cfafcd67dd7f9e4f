"""The registry of the record's sources: each is a function `(user, scope) -> list[RecordItem]`
that reads one programme for one person, within the reader's scope, in a fixed number of queries.
A new programme adds its function to SOURCES, and the timeline, PDF,
JSON, summary and staff pages show it."""
from __future__ import annotations

from app.person.record.sources.camps import application_items, camp_items
from app.person.record.sources.certificates import certificate_items
from app.person.record.sources.competitions import competition_items
from app.person.record.sources.events import event_items
from app.person.record.sources.followups import followup_items
from app.person.record.sources.mentoring import mentoring_items
from app.person.record.sources.pitch import pitch_items
from app.person.record.sources.studios import studio_items
from app.person.record.sources.traineeships import traineeship_items

SOURCES = [
    event_items,
    application_items,
    camp_items,
    competition_items,
    pitch_items,
    studio_items,
    traineeship_items,
    mentoring_items,
    certificate_items,
    followup_items,
]
