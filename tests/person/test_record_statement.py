"""The printed record (参与证明汇总): an A4 PDF in the embedded CJK font with the items and a QR
code that opens a public page showing what was printed, the name masked."""
from __future__ import annotations

import subprocess

import sqlalchemy as sa
import zxingcpp
from PIL import Image

from app.audit.models import AuditEntry
from app.person.record.models import RecordStatement
from tests.conftest import login
from tests.fixtures.certificates import pdf_file, pdf_fonts, pdf_text


def _print(client, db_session, person, tmp_path):
    login(client, person)
    printed = client.post("/me/record.pdf")
    statement = db_session.scalars(sa.select(RecordStatement).where(RecordStatement.user_id == person.id)
                                   .order_by(RecordStatement.id.desc())).first()
    assert printed.status_code == 302 and printed.headers["Location"] == f"/me/record/statements/{statement.id}.pdf"
    response = client.get(printed.headers["Location"])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    return pdf_file(tmp_path, response.data, "record.pdf"), statement


def test_the_pdf_embeds_the_cjk_font_and_lists_the_items(app, client, db_session, record_person, tmp_path):
    path, statement = _print(client, db_session, record_person.person, tmp_path)
    fonts = pdf_fonts(path)
    assert fonts
    for font in fonts:
        assert font["emb"] == "yes" and font["type"].startswith("CID") and font["uni"] == "yes", font
        assert "Noto-Serif-CJK-SC" in font["name"], font
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89" in info or "595.28 x 841.89" in info  # A4 portrait
    text = pdf_text(path)
    assert "参与证明汇总" in text and "李玥" in text
    # reading order, a table cell's lines joined (a long title wraps within its column)
    flowing = "".join(subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True,
                                     check=True).stdout.split())
    for title in ("人才闵行周开幕论坛", "养老健康照护", "融资路演辅导", "顾国华数控技能大师工作室"):
        assert title in flowing, title
    assert len(statement.snapshot["items"]) == 9 and statement.snapshot["name"] == "李玥"
    assert db_session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "person.record_statement",
                                                         AuditEntry.subject_id == statement.id))


def test_the_qr_opens_the_verification_page_of_that_print(app, client, db_session, record_person, tmp_path):
    path, statement = _print(client, db_session, record_person.person, tmp_path)
    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(path), str(tmp_path / "page")],
                   check=True)
    image = Image.open(next(tmp_path.glob("page*.png")))
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert [b.text for b in found] == [f"http://localhost/verify/record/{statement.code}"]
    client.post("/logout")
    page = app.test_client().get(f"/verify/record/{statement.code}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "verify-valid" in html
    assert "李*" in html and "李玥" not in html  # the name masked on a public page
    assert record_person.person.mobile not in html
    assert "人才闵行周 开幕论坛" in html


def test_the_snapshot_stays_as_printed_and_a_withdrawn_one_says_so(app, client, db_session, record_person, tmp_path):
    _path, statement = _print(client, db_session, record_person.person, tmp_path)
    record_person.onsite.title = "改过的标题"
    db_session.commit()
    html = app.test_client().get(f"/verify/record/{statement.code}").get_data(as_text=True)
    assert "人才闵行周 开幕论坛" in html and "改过的标题" not in html
    from app.timeutil import utcnow
    statement.revoked_at = utcnow()
    db_session.commit()
    assert "verify-revoked" in app.test_client().get(f"/verify/record/{statement.code}").get_data(as_text=True)


def test_a_statement_is_its_owners_only(app, client, db_session, record_person, create_user, tmp_path):
    _path, statement = _print(client, db_session, record_person.person, tmp_path)
    login(client, create_user())
    assert client.get(f"/me/record/statements/{statement.id}.pdf").status_code == 404
    assert client.get("/me/record/statements/99999999999.pdf").status_code == 404
    assert client.get("/me/record.pdf").status_code == 405  # printing is a POST: it makes a statement


def test_unknown_or_forged_codes_are_404(app):
    client = app.test_client()
    for code in ("x" * 32, "short", "a" * 5000, "%00" * 32):
        response = client.get(f"/verify/record/{code}")
        assert 400 <= response.status_code < 500, code
        assert "verify-valid" not in response.get_data(as_text=True)
