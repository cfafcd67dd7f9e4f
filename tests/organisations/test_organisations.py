"""The organisations registry: codes checked, names normalised as the conflict checks do,
duplicates found and merged (audited, history kept), the all-or-nothing XLSX import, and the
staff pages refusing everyone else."""
from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.audit.models import AuditEntry
from app.competitions.conflicts import normalise_employer
from app.errors import Conflict, InvalidInput, PermissionDenied
from app.extensions import db
from app.organisations import queries, services, sheets
from app.organisations.models import Organisation
from app.organisations.names import normalise_name
from app.organisations.uscc import validate_uscc
from tests.conftest import login
from tests.fixtures.organisations import sheet, uscc_for


def count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Organisation))


# -- codes and names ------------------------------------------------------------------------
def test_uscc_validation():
    good = uscc_for(7)
    assert validate_uscc(good) and validate_uscc(good.lower()) and validate_uscc(f" {good[:6]}-{good[6:]} ")
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    assert not validate_uscc(wrong_check)
    assert not validate_uscc(good[:17])  # too short
    assert not validate_uscc("I" + good[1:])  # I is not in the alphabet
    assert not validate_uscc("")


def test_company_needs_a_valid_code(db_session, admin):
    with pytest.raises(InvalidInput) as error:
        services.create_organisation(admin, kind="company", name="上海某某科技有限公司", uscc="91310112000000001X")
    assert "uscc" in error.value.fields
    with pytest.raises(InvalidInput) as error:
        services.create_organisation(admin, kind="company", name="上海某某科技有限公司")
    assert "uscc" in error.value.fields
    university = services.create_organisation(admin, kind="university", name="上海交通大学",
                                              station_signed_on=date(2026, 3, 1), station_contact="王老师")
    assert university.uscc is None and university.station_signed_on == date(2026, 3, 1)


def test_a_code_is_registered_once(db_session, create_organisation, admin):
    first = create_organisation(uscc=uscc_for(101))
    with pytest.raises(Conflict) as error:
        services.create_organisation(admin, kind="company", name="别的公司", uscc=uscc_for(101))
    assert error.value.code == "uscc_taken" and first.name in str(error.value.fields["uscc"])


def test_normalisation_finds_the_two_spellings_as_one(db_session, create_organisation):
    assert normalise_name("上海某某科技有限公司") == normalise_name("上海某某科技（上海）有限公司")
    assert normalise_name("上海某某科技 (上海) 有限公司") == normalise_name("上海某某科技有限公司")
    assert normalise_employer is normalise_name  # the conflict-of-interest checks use the same one
    a = create_organisation(name="上海某某科技有限公司")
    b = create_organisation(name="上海某某科技（上海）有限公司")
    other = create_organisation(name="上海另一家科技有限公司")
    groups = services.find_duplicates()
    assert [[o.id for o in g] for g in groups] == [[a.id, b.id]]
    assert other.id not in {o.id for g in groups for o in g}


def test_same_code_is_a_duplicate_too(db_session, create_organisation, admin):
    a = create_organisation(kind="university", name="上海交通大学")
    b = create_organisation(kind="university", name="交大（闵行校区）", uscc=None)
    assert services.find_duplicates() == []
    services.update_organisation(admin, b, kind="university", name="上海交通大学 (闵行)")
    db_session.commit()
    assert [[o.id for o in g] for g in services.find_duplicates()] == [[a.id, b.id]]


def test_search_by_name_code_and_kind(db_session, create_organisation, admin):
    a = create_organisation(name="上海某某科技有限公司", uscc=uscc_for(201))
    create_organisation(kind="university", name="华东师范大学")
    assert [o.id for o in services.search_organisations(admin, "某某科技（上海）").items] == [a.id]
    assert [o.id for o in services.search_organisations(admin, uscc_for(201)).items] == [a.id]
    assert [o.name for o in services.search_organisations(admin, kind="university").items] == ["华东师范大学"]


# -- merge ------------------------------------------------------------------------------------
def test_merge_keeps_history_and_is_audited(db_session, create_organisation, admin, create_user):
    keep = create_organisation(name="上海某某科技有限公司", industries=["ai"], contact_name="")
    duplicate = create_organisation(name="上海某某科技（上海）有限公司", industries=["ic"], contact_name="李经理")
    with pytest.raises(PermissionDenied):
        services.merge(create_user(), keep, duplicate)
    with pytest.raises(PermissionDenied):
        services.merge(create_user("trainer"), keep, duplicate)
    services.merge(admin, keep, duplicate)
    db_session.commit()
    assert duplicate.merged and duplicate.merged_into_id == keep.id and db.session.get(Organisation, duplicate.id)
    assert keep.industries == ["ai", "ic"] and keep.contact_name == "李经理"
    assert [(c.from_status, c.to_status) for c in queries.status_history(duplicate)] == [
        (None, "active"), ("active", "merged")]
    assert queries.status_history(duplicate)[-1].actor_id == admin.id
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "organisation.merge")).one()
    assert entry.actor_id == admin.id and entry.subject_id == keep.id and entry.detail["duplicate"] == duplicate.id
    assert [o.id for o in queries.merged_into_this(keep)] == [duplicate.id]
    assert services.find_duplicates() == []
    with pytest.raises(Conflict):
        services.merge(admin, keep, duplicate)
    with pytest.raises(Conflict):
        services.update_organisation(admin, duplicate, kind="company", name="x", uscc=uscc_for(301))


def test_an_organiser_is_bureau_staff(db_session, create_organisation, create_user):
    organiser = create_user("organiser")
    keep, duplicate = create_organisation(name="上海甲乙有限公司"), create_organisation(name="上海甲乙（上海）有限公司")
    services.merge(organiser, keep, duplicate)
    assert duplicate.merged


# -- XLSX ---------------------------------------------------------------------------------------
def test_import_adds_every_row(db_session, admin):
    data = sheet([
        ["企业", "上海某某科技有限公司", uscc_for(401), "闵行区", "是", "人工智能；集成电路", "small"],
        ["university", "上海交通大学", None, "闵行区", "yes", None, None, None, None, None, date(2026, 3, 1), "王老师"],
        ["见习基地", "上海某某制造有限公司", uscc_for(402), "松江区", "否", None, None, "陈", "021-1", None, None, None,
         "2025-06-01", 12, "已批准"],
    ])
    added = sheets.import_xlsx(admin, data)
    db_session.commit()
    assert [o.kind for o in added] == ["company", "university", "host_company"]
    company, university, host = added
    assert company.industries == ["ai", "ic"] and company.in_minhang and company.size == "small"
    assert university.station_signed_on == date(2026, 3, 1) and university.station_contact == "王老师"
    assert host.base_places_per_year == 12 and host.base_status == "approved" and not host.in_minhang
    exported = load_workbook(io.BytesIO(sheets.export_xlsx(admin))).active
    assert [row[1] for row in exported.iter_rows(min_row=2, values_only=True)] == sorted(
        [o.name for o in added], key=normalise_name)


def test_import_is_all_or_nothing_with_a_message_per_row(db_session, admin, create_organisation):
    create_organisation(uscc=uscc_for(501))
    before = count()
    data = sheet([
        ["企业", "上海好的科技有限公司", uscc_for(502)],
        ["企业", "上海坏码科技有限公司", "91310112000000001X"],
        ["星球", "未知类型", None],
        ["企业", "上海重复科技有限公司", uscc_for(501)],
        ["企业", "上海同表科技有限公司", uscc_for(502)],
    ])
    with pytest.raises(InvalidInput) as error:
        sheets.import_xlsx(admin, data)
    assert set(error.value.fields) == {"row3", "row4", "row5", "row6"}
    assert "Row 4" in str(error.value.fields["row4"]) or "第" in str(error.value.fields["row4"])
    db_session.rollback()
    assert count() == before
    with pytest.raises(PermissionDenied):
        sheets.import_xlsx(None, data)


# -- pages ------------------------------------------------------------------------------------
def test_pages_render_for_staff(client, db_session, admin, create_organisation, create_user):
    keep = create_organisation(name="上海某某科技有限公司")
    duplicate = create_organisation(name="上海某某科技（上海）有限公司")
    login(client, create_user("organiser"))
    for path in ("/console/organisations/", "/console/organisations/?q=某某&kind=company",
                 f"/console/organisations/{keep.id}", "/console/organisations/new",
                 f"/console/organisations/{keep.id}/edit", "/console/organisations/duplicates",
                 "/console/organisations/import"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "上海某某科技" in response.get_data(as_text=True) or path.endswith(("new", "import"))
    assert client.get("/console/organisations/export.xlsx").status_code == 200
    response = client.post(f"/console/organisations/{keep.id}/merge/{duplicate.id}")
    assert response.status_code == 302
    db_session.expire_all()
    assert db.session.get(Organisation, duplicate.id).merged
    page = client.get(f"/console/organisations/{keep.id}").get_data(as_text=True)
    assert "上海某某科技（上海）有限公司" in page


def test_the_contact_persons_phone_and_mail_are_masked(client, create_organisation, create_user):
    organisation = create_organisation(contact_name="李敏", contact_phone="13812345678",
                                       contact_email="limin@example.cn")
    login(client, create_user("organiser"))
    page = client.get(f"/console/organisations/{organisation.id}").get_data(as_text=True)
    assert "138****5678" in page and "13812345678" not in page
    assert "li***@example.cn" in page and "limin@example.cn" not in page


def test_create_through_the_form(client, db_session, admin):
    login(client, admin)
    response = client.post("/console/organisations/new", data={
        "kind": "host_company", "name": "上海见习基地有限公司", "uscc": uscc_for(601), "district": "闵行区",
        "in_minhang": "y", "industries": ["equipment"], "size": "", "base_places_per_year": "20",
        "base_approved_on": "2026-01-05", "base_status": "approved"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    made = db.session.scalars(sa.select(Organisation)).one()
    assert made.base_places_per_year == 20 and made.industries == ["equipment"]
    response = client.post("/console/organisations/new", data={"kind": "company", "name": "坏码", "uscc": "123"})
    assert response.status_code == 200 and count() == 1


def test_a_broken_sheet_is_refused_and_nothing_changes(client, db_session, admin):
    login(client, admin)
    response = client.post("/console/organisations/import", data={
        "file": (io.BytesIO(b"not a workbook"), "orgs.xlsx")}, content_type="multipart/form-data")
    assert 400 <= response.status_code < 500
    assert count() == 0
    response = client.post("/console/organisations/import", data={
        "file": (io.BytesIO(sheet([["企业", "上海坏码科技有限公司", "91310112000000001X"]])), "orgs.xlsx")},
        content_type="multipart/form-data")
    assert response.status_code == 422 and "2" in response.get_data(as_text=True)
    assert count() == 0
    response = client.post("/console/organisations/import", data={
        "file": (io.BytesIO(sheet([["企业", "上海好码科技有限公司", uscc_for(701)]])), "orgs.xlsx")},
        content_type="multipart/form-data")
    assert response.status_code == 302 and count() == 1


@pytest.mark.parametrize("role", ["participant", "trainer", "judge"])
def test_pages_refuse_others(client, db_session, create_organisation, create_user, role):
    keep = create_organisation(name="上海某某科技有限公司")
    duplicate = create_organisation(name="上海某某科技（上海）有限公司")
    login(client, create_user(role))
    for path in ("/console/organisations/", f"/console/organisations/{keep.id}", "/console/organisations/new",
                 "/console/organisations/duplicates", "/console/organisations/import",
                 "/console/organisations/export.xlsx"):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/console/organisations/{keep.id}/merge/{duplicate.id}").status_code == 403
    db_session.expire_all()
    assert not db.session.get(Organisation, duplicate.id).merged


def test_anonymous_is_sent_to_log_in(client, db_session):
    response = client.get("/console/organisations/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
