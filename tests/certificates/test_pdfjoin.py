"""Joining chunk PDFs (app/certificates/pdfjoin.py): pages in order, each drawn over its group's
background, and what a page inherited from its chunk's page tree kept on the page itself."""
from __future__ import annotations

import pikepdf

from app.certificates import pdfjoin


def _chunk(path, texts: list[str], *, inherit: bool) -> str:
    """A PDF of one page per text; with `inherit`, the size and fonts are on the page tree only
    (written by hand: qpdf would move them onto the pages when saving)."""
    size, fonts = "/MediaBox [0 0 200 100]", "/Resources << /Font << /F1 3 0 R >> >>"
    objects = [f"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{' '.join(f'{4 + 2 * n} 0 R' for n in range(len(texts)))}] "
               f"/Count {len(texts)} {size + ' ' + fonts if inherit else ''} >>",
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for n, text in enumerate(texts):
        content = f"BT /F1 12 Tf 10 50 Td ({text}) Tj ET"
        objects.append(f"<< /Type /Page /Parent 2 0 R /Contents {5 + 2 * n} 0 R "
                       f"{'' if inherit else size + ' ' + fonts} >>")
        objects.append(f"<< /Length {len(content)} >>\nstream\n{content}\nendstream")
    body, offsets = b"%PDF-1.7\n", []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += f"{n} 0 obj\n{obj}\nendobj\n".encode("ascii")
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    body += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode("ascii")
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode("ascii")
    path.write_bytes(body)
    return str(path)


def test_pages_join_in_order_over_their_backgrounds_with_what_they_inherited(tmp_path):
    merger = pdfjoin.Merger()
    merger.add_backgrounds({0: _chunk(tmp_path / "background.pdf", ["FRAME"], inherit=False)})
    merger.add(_chunk(tmp_path / "a.pdf", ["A1", "A2"], inherit=True), [0, None], {})
    merger.add(_chunk(tmp_path / "b.pdf", ["B1", "B2", "B3"], inherit=False), [None, 0, 0], {})
    merger.save(tmp_path / "joined.pdf")
    merger.close()
    assert merger.stamped == 3

    joined = pikepdf.open(tmp_path / "joined.pdf")
    assert len(joined.pages) == 5 and joined.Root.Pages.Count == 5
    texts, stamped = [], []
    for page in joined.pages:
        assert list(page.mediabox) == [0, 0, 200, 100]
        assert "/F1" in page.obj.Resources.Font
        contents = page.obj.Contents
        streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        texts.append(streams[-1].read_bytes().decode().split("(")[1].split(")")[0])
        drawn = "/XObject" in page.obj.Resources and "/CertificateBackground0" in page.obj.Resources.XObject
        stamped.append(drawn and streams[0].read_bytes() == b"q /CertificateBackground0 Do Q\n")
    assert texts == ["A1", "A2", "B1", "B2", "B3"]
    assert stamped == [True, False, False, True, True]
