"""Places from an XLSX sheet: all or nothing, a message per wrong row."""
import io

import sqlalchemy as sa
from openpyxl import Workbook

from app.traineeships.models import TraineeshipPlace
from tests.conftest import login


def _sheet(rows) -> bytes:
    book = Workbook()
    book.active.append(["见习基地", "岗位", "名额", "月数", "月补贴", "见习内容", "岗位要求"])
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _places(db_session) -> int:
    return db_session.scalar(sa.select(sa.func.count()).select_from(TraineeshipPlace))


def test_a_sheet_with_a_wrong_row_adds_nothing_and_names_the_row(client, db_session, traineeship):
    world = traineeship(open=False, hosts=1)
    host = world.hosts[0]
    login(client, world.organiser)
    path = f"/console/traineeships/{world.batch.id}/places/import"
    assert client.get(path).status_code == 200
    bad = _sheet([[host.name, "会计助理", 3, 6, 2690], ["不存在的公司", "出纳", 2, 6, 2690],
                  [host.uscc, "", "两个", 6, 0]])
    response = client.post(path, data={"file": (io.BytesIO(bad), "places.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "第 3 行：" in html and "不存在的公司" in html and "第 4 行：" in html and "第 2 行" not in html
    assert _places(db_session) == 1  # the fixture's own place only
    good = _sheet([["上海见习基地1号科技（上海）有限公司", "会计助理", 3, 6, 2690, "账务处理", "会计专业"],
                   [host.uscc, "出纳", 2, 3, None]])
    response = client.post(path, data={"file": (io.BytesIO(good), "places.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 302
    db_session.expire_all()
    rows = db_session.scalars(sa.select(TraineeshipPlace).order_by(TraineeshipPlace.id)).all()
    assert [(p.position, p.openings, p.months, p.host_id) for p in rows[1:]] == [
        ("会计助理", 3, 6, host.id), ("出纳", 2, 3, host.id)]
    broken = client.post(path, data={"file": (io.BytesIO(b"not a workbook"), "x.xlsx")},
                         content_type="multipart/form-data")
    assert broken.status_code == 422 and _places(db_session) == 3
