"""Certificates issued to the person (the current version of each), with their public check."""
from __future__ import annotations

import sqlalchemy as sa
from flask import url_for

from app.certificates.models import Certificate, CertStatus
from app.certificates.rendering import verify_url
from app.extensions import db
from app.person.record.items import Figure, ItemKind, RecordItem
from app.person.record.scope import Scope


def certificate_items(user, scope: Scope) -> list[RecordItem]:
    certificates = db.session.scalars(
        sa.select(Certificate).where(Certificate.recipient_id == user.id, Certificate.superseded_at.is_(None),
                                     scope.clause(Certificate.issuer_department_id)).order_by(Certificate.id))
    items = []
    for cert in certificates:
        status = CertStatus.REVOKED.value if cert.revoked_at else CertStatus.VALID.value
        figures = [Figure("serial", "No.", cert.serial)]
        if cert.award:
            figures.append(Figure("award", cert.title, cert.award))
        items.append(RecordItem(
            key=f"certificate:{cert.id}", when=cert.issued_on, kind=ItemKind.CERTIFICATE.value,
            programme=cert.programme, title=f"{cert.title} · {cert.programme}", status=status,
            status_label=CertStatus.label_of(status), department_id=cert.issuer_department_id, figures=tuple(figures),
            link=url_for("verify.my_pdf", cert_id=cert.id), staff_link=url_for("certificates.detail", cert_id=cert.id),
            verify_link=verify_url(cert.code) if not cert.revoked_at else None, extra={"serial": cert.serial}))
    return items
