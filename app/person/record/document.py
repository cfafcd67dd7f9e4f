"""The printed record: an A4 document (WeasyPrint, the certificates' embedded CJK font) with the
items as stored in the statement and a QR code of its verification page."""
from __future__ import annotations

from flask import render_template

from app.certificates.rendering import FONT_FAMILY, qr_data_uri, write_pdf
from app.person.record.models import RecordStatement
from app.timeutil import to_local
from app.urls import public_url


def verify_link(statement: RecordStatement) -> str:
    return public_url("record.verify", code=statement.code)


def pdf(statement: RecordStatement) -> bytes:
    link = verify_link(statement)
    html = render_template("person/record_pdf.html", data=statement.snapshot, font=FONT_FAMILY,
                           issued_at=to_local(statement.issued_at), verify_link=link, qr=qr_data_uri(link))
    return write_pdf(html)
