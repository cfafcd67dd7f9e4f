"""A fair's positions from an XLSX sheet: all or nothing, a message per wrong row; an employer new to
the fair joins at the row's booth; a broken file is the file's error."""
import io

import sqlalchemy as sa
from openpyxl import Workbook

from app.jobfairs.models import FairEmployer, Position
from tests.fixtures.accounts import login


def _sheet(rows) -> bytes:
    book = Workbook()
    book.active.append(["单位", "展位", "岗位", "人数", "学历", "专业", "薪资下限", "薪资上限", "工作地点"])
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _count(db_session, model) -> int:
    return db_session.scalar(sa.select(sa.func.count()).select_from(model))


def _post(client, path, data: bytes):
    return client.post(path, data={"file": (io.BytesIO(data), "positions.xlsx")}, content_type="multipart/form-data")


def test_a_sheet_with_a_wrong_row_adds_nothing_and_names_the_row(client, db_session, job_fair, create_organisation):
    fair = job_fair()
    newcomer = create_organisation(name="上海莘庄精工制造有限公司")
    first = fair.booths[0].organisation
    login(client, fair.organiser)
    path = f"/console/jobfairs/{fair.event.id}/import"
    assert client.get(path).status_code == 200
    before = (_count(db_session, Position), _count(db_session, FairEmployer))
    bad = _sheet([[first.uscc, "A01", "测试工程师", 2, "bachelor", "软件工程", 9000, 14000, "闵行区"],
                  ["不存在的公司", "B09", "出纳", 1, "", "", None, None, ""],
                  [newcomer.name, "A01", "数控操作工", 3, "vocational", "", 6000, 5000, ""],
                  [first.name, "A01", "", "两个", "博士后", "", None, None, ""]])
    response = _post(client, path, bad)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "不存在的公司" in html and "第 3 行" in html and "第 4 行" in html and "第 5 行" in html
    assert "第 2 行" not in html
    assert (_count(db_session, Position), _count(db_session, FairEmployer)) == before

    good = _sheet([[first.uscc, "A01", "测试工程师", 2, "bachelor", "软件工程", 9000, 14000, "闵行区"],
                   [newcomer.name, "B01", "数控操作工", 3, "vocational", "", 6000, 9000, "莘庄"],
                   [newcomer.uscc, "B01", "质检员", 1, "", "", None, None, ""]])
    response = _post(client, path, good)
    assert response.status_code == 302
    assert _count(db_session, Position) == before[0] + 3
    joined = db_session.scalar(sa.select(FairEmployer).where(FairEmployer.organisation_id == newcomer.id))
    assert joined.booth == "B01" and [p.title for p in joined.positions] == ["数控操作工", "质检员"]
    assert joined.positions[1].education == "any"


def test_a_broken_or_empty_file_is_refused_with_a_message(client, db_session, job_fair):
    fair = job_fair()
    login(client, fair.organiser)
    path = f"/console/jobfairs/{fair.event.id}/import"
    before = _count(db_session, Position)
    response = _post(client, path, b"PK\x03\x04 not a workbook \x00")
    assert response.status_code == 422 and "XLSX" in response.get_data(as_text=True)
    assert _post(client, path, _sheet([])).status_code == 422
    assert _count(db_session, Position) == before


def test_only_the_fairs_organisers_import(client, db_session, job_fair, create_user):
    fair = job_fair()
    login(client, create_user("organiser", department="employment"))
    assert client.get(f"/console/jobfairs/{fair.event.id}/import").status_code == 403
    login(client, fair.contacts[0])
    assert client.get(f"/console/jobfairs/{fair.event.id}/import").status_code == 403
