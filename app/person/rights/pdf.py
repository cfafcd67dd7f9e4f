"""The download as a readable PDF: one section per kind of record, in a CJK font embedded in the
file (names such as 王堃 print as they are). Nothing is fetched: the document has no links out."""
from __future__ import annotations

import json

from flask import render_template

from app.person.rights.export import section_title

FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans CJK", "Noto Serif CJK SC", "WenQuanYi Zen Hei", sans-serif'


def _no_fetching(url, *args, **kwargs):
    raise ValueError("the data PDF loads nothing")  # no file, no network: everything is inline


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def render(data: dict, user) -> bytes:
    from weasyprint import HTML  # lazy: WeasyPrint takes 0.4 s to import, and only this download needs it

    sections = [{"title": section_title(name), "name": name,
                 "columns": list(rows[0].keys()) if rows else [],
                 "rows": [[_cell(row[c]) for c in rows[0].keys()] for row in rows]}
                for name, rows in data["tables"].items()]
    html = render_template("person/rights/data.pdf.html", data=data, user=user, sections=sections,
                           profile=[(k, _cell(v)) for k, v in data["profile"].items()], font=FONT_FAMILY)
    return HTML(string=html, base_url=None, url_fetcher=_no_fetching).write_pdf()
