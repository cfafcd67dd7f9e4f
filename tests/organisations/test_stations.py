"""引才合作站 counts: a station's hosted events, confirmed registrations and people checked in by
year, checked against the rows; merged duplicates count for the one kept; the page and its export."""
from __future__ import annotations

import io
from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.checkin.models import Checkpoint, Scan
from app.errors import PermissionDenied
from app.events import organisations as eo
from app.organisation_pages import stations
from app.organisations import services
from app.registrations.models import Registration
from app.timeutil import to_local
from tests.conftest import login


@pytest.fixture
def station_world(db_session, create_attended_event, create_event, create_organisation, create_user):
    organiser = create_user("organiser")
    sjtu = create_organisation(kind="university", name="上海交通大学", station_signed_on=date(2025, 3, 1),
                               station_contact="王老师")
    ecnu = create_organisation(kind="university", name="华东师范大学", station_signed_on=date(2026, 4, 1))
    create_organisation(kind="university", name="没有合作站的大学")
    this_year, came, _absent = create_attended_event(["甲", "乙", "丙"], absent=2, kind="campus_recruiting")
    last_year, _came, _absent = create_attended_event(["丁"], absent=1, kind="campus_recruiting")
    last_year.starts_at = datetime(2025, 10, 20, 2, 0, tzinfo=timezone.utc)
    last_year.ends_at = datetime(2025, 10, 20, 6, 0, tzinfo=timezone.utc)
    draft = create_event(status="draft", kind="campus_recruiting")
    for event in (this_year, last_year, draft):
        eo.add_organisation(organiser, event, sjtu.id, "host_university")
    eo.add_organisation(organiser, this_year, ecnu.id, "co_organiser")  # not hosting: not counted
    db_session.commit()
    return sjtu, ecnu, this_year, last_year


def rows_count(db_session, event) -> tuple[int, int]:
    """(confirmed registrations, people scanned in) of `event`, read straight from the tables."""
    confirmed = db_session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
        Registration.event_id == event.id, Registration.status == "confirmed"))
    scanned = db_session.scalar(sa.select(sa.func.count(sa.distinct(Scan.registration_id))).join(Checkpoint).where(
        Checkpoint.event_id == event.id, Scan.result == "ok", Scan.direction == "in"))
    return confirmed, scanned


def test_counts_by_year_agree_with_the_rows(db_session, station_world, admin):
    sjtu, ecnu, this_year, last_year = station_world
    counts = {s.university.name: s for s in stations.station_counts(admin)}
    assert list(counts) == sorted(counts, key=lambda n: services.normalise_name(n)) and "没有合作站的大学" not in counts
    years = {y.year: (y.events, y.registered, y.attended) for y in counts["上海交通大学"].years}
    now_year = to_local(this_year.starts_at).year
    assert years == {now_year: (1, *rows_count(db_session, this_year)), 2025: (1, *rows_count(db_session, last_year))}
    assert years[now_year] == (1, 5, 3) and years[2025] == (1, 2, 1)
    assert counts["上海交通大学"].total.events == 2 and counts["华东师范大学"].years == []


def test_a_merged_duplicate_counts_for_the_station_kept(db_session, station_world, create_organisation, admin,
                                                       create_event, create_user):
    sjtu = station_world[0]
    duplicate = create_organisation(kind="university", name="上海交通大学（闵行校区）")
    event = create_event(kind="campus_recruiting")
    eo.add_organisation(create_user("organiser"), event, duplicate.id, "host_university")
    eo.add_organisation(create_user("organiser"), station_world[2], duplicate.id, "host_university")  # twice
    services.merge(admin, sjtu, duplicate)
    db_session.commit()
    station = next(s for s in stations.station_counts(admin) if s.university.id == sjtu.id)
    assert station.total.events == 3  # this year's twice-listed event once, the new one, last year's


def test_page_and_export_for_staff_only(client, db_session, station_world, admin, create_user):
    with pytest.raises(PermissionDenied):
        stations.station_counts(create_user())
    login(client, admin)
    page = client.get("/console/organisations/stations").get_data(as_text=True)
    assert "上海交通大学" in page and "引才合作站" in page
    response = client.get("/console/organisations/stations.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "高校" and ["上海交通大学", "2025-03-01", "王老师", 2025, 1, 2, 1] in values
    login(client, create_user())
    assert client.get("/console/organisations/stations").status_code == 403
    assert client.get("/console/organisations/stations.xlsx").status_code == 403
