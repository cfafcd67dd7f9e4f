"""Certificate PDFs: embedded CJK fonts with the rare characters, QR decoding from a 150-dpi
scan, batch printing (one document / ZIP / background job / CLI), template editing."""
from __future__ import annotations

import io
import subprocess
import time
import zipfile

import pytest
import sqlalchemy as sa
import zxingcpp
from PIL import Image

from app.certificates import batches, rendering, services
from app.certificates.models import CertificateKind
from tests.conftest import login
from tests.fixtures.accounts import RARE_NAMES
from tests.fixtures.certificates import pdf_file, pdf_fonts, pdf_pages, pdf_text

SERIF_CJK = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
SERIF_CJK_BOLD = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"


@pytest.fixture
def certs(issue_completion):
    return issue_completion(RARE_NAMES)


def _face(ttc: str, family: str):
    from fontTools.ttLib import TTCollection

    for font in TTCollection(ttc).fonts:
        if font["name"].getDebugName(1) == family or font["name"].getDebugName(16) == family:
            return font
    raise AssertionError(f"{family} not in {ttc}")


def test_every_font_is_embedded_and_rare_names_are_set_in_serif_cjk(app, certs, tmp_path):
    path = pdf_file(tmp_path, batches.certificates_pdf(certs))
    fonts = pdf_fonts(path)
    assert fonts, "no fonts in the PDF"
    for font in fonts:
        assert font["emb"] == "yes", font            # every font is embedded
        assert font["type"].startswith("CID"), font  # CID-keyed: the CJK font, not a Latin fallback
        assert font["uni"] == "yes", font            # with a ToUnicode map, so text extraction is real
        assert "Noto-Serif-CJK-SC" in font["name"], font  # no fallback font stood in for a missing glyph
    text = pdf_text(path)
    for name in RARE_NAMES:
        assert name in text
    assert "〇" in text and "二〇" in text
    # Pango only sets a character in a font that has its glyph (else another font would show up in
    # pdffonts above); check the faces themselves have real glyphs for every character we printed.
    printed = set("".join(RARE_NAMES) + "结业证书〇")
    for ttc in (SERIF_CJK, SERIF_CJK_BOLD):
        face = _face(ttc, "Noto Serif CJK SC")
        cmap, glyphs = face.getBestCmap(), face.getGlyphSet()
        for char in printed:
            glyph = cmap.get(ord(char))
            assert glyph and glyph != ".notdef", (ttc, char)
            assert glyphs[glyph].width > 0


def test_rare_characters_are_not_blank_boxes(app, db_session, tmp_path):
    """Raster check: each rare character, rendered alone, differs from a blank box (tofu)."""
    from app.certificates.models import CertificateTemplate

    def render(char: str) -> Image.Image:
        template = CertificateTemplate(id=None, kind="award", title="", page_size="A5 landscape",
                                       css=".kind-award { width: 210mm; height: 148mm; }"
                                           ".big { font-size: 120pt; margin: 0; }",
                                       html='<p class="big">{{ recipient_name }}</p>')
        body = rendering.render_body(template, dict(rendering.sample_context(template), recipient_name=char))
        pdf = pdf_file(tmp_path, rendering.write_pdf(rendering.document_html([rendering.Page(template, body)])),
                        "char.pdf")
        subprocess.run(["pdftoppm", "-r", "40", "-gray", "-png", "-singlefile", str(pdf), str(tmp_path / "char")],
                       check=True)
        return Image.open(tmp_path / "char.png").convert("L")

    tofu = render("\U000F0000")  # a private-use character no font has: what a missing glyph looks like
    seen = set()
    for char in "玥喆堃赟〇":
        image = render(char)
        ink = sum(1 for p in image.tobytes() if p < 128)
        assert ink > 40, char
        diff = sum(1 for a, b in zip(image.tobytes(), tofu.tobytes()) if abs(a - b) > 64)
        assert diff > 40, f"{char} renders like a missing glyph"
        seen.add(image.tobytes())
    assert len(seen) == 5  # five different shapes, not five identical boxes


def test_qr_decodes_from_a_150_dpi_scan_and_opens_the_verification_page(app, certs, tmp_path):
    path = pdf_file(tmp_path, batches.certificates_pdf(certs[:2]))
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(path), str(tmp_path / "page")], check=True)
    for n, cert in enumerate(certs[:2], 1):
        image = Image.open(tmp_path / f"page-{n}.png")
        found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        assert [b.text for b in found] == [rendering.verify_url(cert.code)]
        url = found[0].text
        assert url.endswith(f"/verify/{cert.code}")
        page = app.test_client().get("/verify/" + url.rsplit("/", 1)[1])
        assert page.status_code == 200 and "verify-valid" in page.get_data(as_text=True)


def test_one_document_for_a_batch_in_order_and_zip_of_each(app, certs, tmp_path):
    from app.certificates import printing

    path = pdf_file(tmp_path, printing.render(certs, "pdf"))
    assert pdf_pages(path) == len(certs)
    for n, cert in enumerate(certs, 1):
        assert cert.serial in pdf_text(path, n) and cert.recipient_name in pdf_text(path, n)
    archive = zipfile.ZipFile(io.BytesIO(printing.render(certs[:3], "zip")))
    assert archive.namelist() == [f"{c.serial}.pdf" for c in certs[:3]]
    assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())


def _wait_for(client, url: str, seconds: float = 90) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = client.get(url).get_json()
        if body["status"] in ("done", "failed"):
            return body
        assert 0 <= body["done"] <= body["total"]
        time.sleep(0.2)
    raise AssertionError("print job did not finish")


def test_background_print_job_progress_and_download(app, db_session, certs, admin, create_user, tmp_path):
    from app.audit.models import AuditEntry

    client = app.test_client()
    login(client, admin)
    response = client.post("/console/certificates/print",
                           data={"ids": [str(c.id) for c in reversed(certs)], "output": "pdf", "scope": "selected"})
    assert response.status_code == 302
    job_url = response.headers["Location"]
    job_id = job_url.rsplit("/", 1)[1]
    assert "print-job" in client.get(job_url).get_data(as_text=True)
    status = _wait_for(client, f"{job_url}.json")
    assert status["status"] == "done" and status["done"] == status["total"] == len(certs)
    assert status["percent"] == 100 and status["download_url"]
    download = client.get(status["download_url"])
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    path = pdf_file(tmp_path, download.data)
    assert pdf_pages(path) == len(certs)
    # printed in serial order, whatever order the boxes were ticked in
    assert certs[0].serial in pdf_text(path, 1) and certs[-1].serial in pdf_text(path, len(certs))
    actions = db_session.scalars(sa.select(AuditEntry.action)).all()
    assert "certificates.bulk_print" in actions and "certificates.bulk_download" in actions
    stranger = app.test_client()
    login(stranger, create_user("organiser"))
    assert stranger.get(f"/console/certificates/jobs/{job_id}.json").status_code == 403
    assert client.get("/console/certificates/jobs/unknown.json").status_code == 404


def test_zip_job_and_empty_selection(app, certs, admin):
    client = app.test_client()
    login(client, admin)
    empty = client.post("/console/certificates/print", data={"output": "pdf", "scope": "selected"})
    assert empty.status_code == 302 and "/jobs/" not in empty.headers["Location"]
    response = client.post("/console/certificates/print", data={"ids": [str(certs[0].id)], "output": "zip"})
    status = _wait_for(client, response.headers["Location"] + ".json")
    archive = zipfile.ZipFile(io.BytesIO(client.get(status["download_url"]).data))
    assert archive.namelist() == [f"{certs[0].serial}.pdf"]


def test_cli_prints_an_event(app, certs, tmp_path):
    out = tmp_path / "cli.pdf"
    result = app.test_cli_runner().invoke(args=["certificates", "print", "--event", str(certs[0].subject_id),
                                                "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert pdf_pages(out) == len(certs)
    bad = app.test_cli_runner().invoke(args=["certificates", "print", "--event", "999999", "--output", str(out)])
    assert bad.exit_code != 0 and "no certificates" in bad.output


# -- template editing -----------------------------------------------------------
def _png(size=(120, 120), color=(200, 20, 30, 255)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, color).save(out, "PNG")
    return out.getvalue()


def _form(template, **changes) -> dict:
    data = {"name": template.name, "title": template.title, "page_size": template.page_size,
            "signatory": "", "html": template.html, "css": template.css}
    data.update(changes)
    return data


def test_admin_edits_template_with_preview_and_seal(app, db_session, admin, certs, issue_completion, tmp_path):
    template = services.template_for_kind(CertificateKind.COMPLETION)
    db_session.commit()
    client = app.test_client()
    login(client, admin)
    assert client.get(f"/console/certificates/templates/{template.id}").status_code == 200

    preview = client.post(f"/console/certificates/templates/{template.id}/preview",
                          data=_form(template, html=template.html.replace("特发此证", "特发此证书")))
    assert preview.status_code == 200 and preview.data.startswith(b"%PDF")
    assert "特发此证书" in pdf_text(pdf_file(tmp_path, preview.data))
    broken = client.post(f"/console/certificates/templates/{template.id}/preview", data=_form(template, html="{{ x."))
    assert broken.status_code == 422 and broken.get_json()["code"] == "template_error"

    saved = client.post(f"/console/certificates/templates/{template.id}",
                        data=_form(template, signatory="局长 张三", seal=(io.BytesIO(_png()), "seal.png")),
                        content_type="multipart/form-data")
    assert saved.status_code == 302
    db_session.refresh(template)
    assert template.signatory == "局长 张三" and template.seal_image
    # Certificates issued from now on carry the seal; those issued before print as they were
    # (tests/certificates/test_template_versions.py).
    pdf = pdf_file(tmp_path, batches.certificates_pdf(issue_completion(["葛覃"])))
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True).stdout
    kinds = [line.split()[2] for line in images.splitlines()[2:]]
    assert kinds.count("image") == 2  # the QR code and the seal (plus the seal's alpha mask)
    assert "局长 张三" in pdf_text(pdf)


@pytest.mark.parametrize("upload, message", [
    ((b"not an image at all", "seal.png"), "不是"),
    ((b"\x89PNG" + b"0" * (6 * 1024 * 1024), "seal.png"), "MB"),
])
def test_bad_seal_upload_changes_nothing(app, db_session, admin, upload, message):
    template = services.template_for_kind(CertificateKind.AWARD)
    db_session.commit()
    client = app.test_client()
    login(client, admin)
    before = (template.html, template.seal_image, template.signatory)
    response = client.post(f"/console/certificates/templates/{template.id}",
                           data=_form(template, signatory="改了", seal=(io.BytesIO(upload[0]), upload[1])),
                           content_type="multipart/form-data")
    assert response.status_code in (200, 413)
    if response.status_code == 200:
        assert message in response.get_data(as_text=True)
    db_session.refresh(template)
    assert (template.html, template.seal_image, template.signatory) == before


def test_broken_template_save_shows_error_and_keeps_old(app, db_session, admin):
    template = services.template_for_kind(CertificateKind.ATTENDANCE)
    db_session.commit()
    client = app.test_client()
    login(client, admin)
    before = template.html
    response = client.post(f"/console/certificates/templates/{template.id}", data=_form(template, html="{% for %}"))
    assert response.status_code == 200 and "error" in response.get_data(as_text=True)
    db_session.refresh(template)
    assert template.html == before


def test_only_admins_edit_templates(app, create_user, db_session):
    template = services.template_for_kind(CertificateKind.AWARD)
    db_session.commit()
    client = app.test_client()
    login(client, create_user("organiser"))
    assert client.get("/console/certificates/templates").status_code == 403
    assert client.post(f"/console/certificates/templates/{template.id}/preview", data={}).status_code == 403
