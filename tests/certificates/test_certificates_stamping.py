"""Stamped batches (app/certificates/stamping.py): a batch printed from one background plus a
layer per certificate must look exactly like every certificate printed whole, and whatever
cannot be stamped safely must be printed whole."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from app.certificates import batches, services, stamping, tokens
from tests.fixtures.accounts import RARE_NAMES
from tests.fixtures.certificates import pdf_file, pdf_pages, pdf_text

# Long enough that the name line wraps in the default template: this certificate prints whole.
WRAPPING_NAME = "阿卜杜热合曼·买买提艾力·阿卜杜拉·吐尔逊·艾买提"


@pytest.fixture
def certs(issue_completion):
    return issue_completion(RARE_NAMES + ("欧阳娜娜", "陈立群", "孙赟"))


@pytest.fixture
def two_chunks(app, monkeypatch):
    """Small batches stamp and split into two processes, as a large one would."""
    monkeypatch.setattr(stamping, "MIN_GROUP", 2)
    monkeypatch.setattr(batches, "MIN_PAGES_PER_PROCESS", 1)
    monkeypatch.setitem(app.config, "CERTIFICATE_PRINT_PROCESSES", 2)


def _printed(certs, tmp_path: Path, name: str) -> tuple[Path, dict]:
    timings: dict = {}
    return pdf_file(tmp_path, batches.certificates_pdf(certs, timings=timings), f"{name}.pdf"), timings


def _whole(certs, tmp_path: Path, monkeypatch) -> Path:
    with monkeypatch.context() as patch:
        patch.setattr(stamping, "MIN_GROUP", 10 ** 9)
        path, timings = _printed(certs, tmp_path, "whole")
    assert timings["stamped"] == 0
    return path


def _raster(path: Path, tmp_path: Path) -> list[Image.Image]:
    prefix = tmp_path / path.stem
    subprocess.run(["pdftoppm", "-r", "60", "-gray", "-png", str(path), str(prefix)], check=True)
    return [Image.open(p).convert("L") for p in sorted(tmp_path.glob(f"{path.stem}-*.png"))]


def _words(path: Path) -> list[tuple[str, float, float]]:
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    word = re.compile(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)<')
    return [(m[3], float(m[1]), float(m[2])) for m in word.finditer(out)]


def _assert_same_pages(stamped: Path, whole: Path, tmp_path: Path) -> None:
    """Every word at the same place (within 0.01 pt), and the pages the same to the eye: a glyph
    may land one pixel over where its position is exactly on a pixel edge, nothing more (a name
    moved by 0.5 mm changes thousands of pixels)."""
    a, b = _words(stamped), _words(whole)
    assert [w for w, _, _ in a] == [w for w, _, _ in b]
    assert all(abs(x1 - x2) < 0.01 and abs(y1 - y2) < 0.01 for (_, x1, y1), (_, x2, y2) in zip(a, b))
    pages_a, pages_b = _raster(stamped, tmp_path), _raster(whole, tmp_path)
    assert len(pages_a) == len(pages_b)
    for n, (x, y) in enumerate(zip(pages_a, pages_b), 1):
        assert x.size == y.size
        changed = sum(ImageChops.difference(x, y).histogram()[40:])
        assert changed <= 200, f"page {n} differs in {changed} pixels"


def test_a_stamped_batch_looks_exactly_like_each_certificate_printed_whole(app, certs, two_chunks, tmp_path,
                                                                            monkeypatch):
    stamped, timings = _printed(certs, tmp_path, "stamped")
    assert timings["stamped"] == len(certs) and timings["processes"] == 2
    _assert_same_pages(stamped, _whole(certs, tmp_path, monkeypatch), tmp_path)
    names = {c.recipient_name for c in certs}
    for n, cert in enumerate(certs, 1):
        page = pdf_text(stamped, n)
        assert cert.serial in page and cert.recipient_name in page
        # each page carries its own layer only: nobody else's name hides in it
        assert not [other for other in names - {cert.recipient_name} if other in page]


def test_a_certificate_whose_block_grows_is_printed_whole(app, db_session, issue_completion, two_chunks, tmp_path,
                                                          monkeypatch):
    certs = issue_completion(RARE_NAMES + (WRAPPING_NAME,))
    stamped, timings = _printed(certs, tmp_path, "stamped")
    assert timings["stamped"] == len(certs) - 1
    assert pdf_pages(stamped) == len(certs)
    _assert_same_pages(stamped, _whole(certs, tmp_path, monkeypatch), tmp_path)


@pytest.mark.parametrize("html, css, stamped", [
    # page numbers differ per page: a shared background cannot carry them
    ("", "@page { @bottom-center { content: counter(page); font-size: 9pt } }", 0),
    # a watermark over the name would be drawn under it instead of over it
    ('<div class="mark">样张</div>', ".mark { position: absolute; left: 40mm; top: 60mm; width: 120mm; "
                                    "font-size: 60pt; color: #eee }", 0),
    # the template's structure depends on the name: those certificates print whole, the rest stamp
    ('{% if recipient_name|length > 2 %}<p class="cert-text">（复姓）</p>{% endif %}', "", "short names"),
    # a positioned body must not move the layers (they are placed from the page's corner)
    ("", "body { position: relative; left: 2mm }", "all"),
    # a sibling selector on a stamped block: the layer keeps the elements it does not draw (empty),
    # so the serial is still the second-last child and still red
    ("", ".cert-meta p:nth-last-child(2) { color: #c00; font-weight: bold }", "all"),
])
def test_what_cannot_be_stamped_is_printed_whole(app, db_session, certs, two_chunks, tmp_path, monkeypatch,
                                                 html, css, stamped):
    template = services.template_for(certs[0])
    meta = '<div class="cert-meta">'
    monkeypatch.setattr(template, "html", template.html.replace(meta, html + meta))
    monkeypatch.setattr(template, "css", template.css + css)
    path, timings = _printed(certs, tmp_path, "stamped")
    expected = {"short names": sum(len(c.recipient_name) <= 2 for c in certs), "all": len(certs)}.get(stamped, stamped)
    assert timings["stamped"] == expected
    _assert_same_pages(path, _whole(certs, tmp_path, monkeypatch), tmp_path)
    db_session.rollback()


def test_tokens_compare_and_rewrite_bodies():
    sample = tokens.tokenize('<div class="a"><h1>结业证书</h1><p>x<b>张玥</b>同志</p><br><img src="q1"></div>')
    other = tokens.tokenize('<div class="a"><h1>结业证书</h1><p>x<b>李喆</b>同志</p><br><img src="q2"></div>')
    names = [tag.name for tag in sample.tags]
    assert names == ["div", "h1", "p", "b", "br", "img"]
    assert sample.differing(other) == {names.index("b"), names.index("img")}
    assert sample.differing(tokens.tokenize('<div class="a"><h1>结业证书</h1></div>')) is None
    # an emptied element keeps its tags (for sibling selectors) but not its content
    out = sample.rewrite({1: "data-stamp-off", 3: 'data-stamp="3"'}, frozenset({1}))
    assert out == ('<div class="a"><h1 data-stamp-off></h1><p>x<b data-stamp="3">张玥</b>同志</p>'
                   '<br><img src="q1"></div>')


def test_the_probe_changes_only_the_recipients_fields():
    context = {"recipient_name": "林〇", "serial": "MH-2026-JY-000123", "code": "Ab-9_x",
               "verify_url": "https://example.org/verify/Ab-9_x", "qr": "data:old", "title": "结业证书"}
    probe = stamping.probe_context(context, lambda url: f"data:{url}")
    assert probe["title"] == context["title"]
    for key in ("recipient_name", "serial", "code", "verify_url", "qr"):
        assert probe[key] != context[key]
    assert len(probe["recipient_name"]) == 2 and probe["verify_url"].endswith(probe["code"])
