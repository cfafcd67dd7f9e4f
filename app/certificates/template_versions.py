"""Template versions: every save of a certificate template appends a version (never changed
afterwards), a certificate records the version it was issued with, and printing it again uses
that version. A new certificate gets the template's latest version."""
from __future__ import annotations

import sqlalchemy as sa

from app.certificates.models import CertificateTemplate, CertificateTemplateVersion
from app.extensions import db
from app.locking import lock_objects

# What a version keeps of its template: everything printing reads.
FIELDS = ("kind", "title", "html", "css", "page_size", "seal_image", "signature_image", "signatory")


def _latest(template: CertificateTemplate) -> CertificateTemplateVersion | None:
    return db.session.scalar(sa.select(CertificateTemplateVersion)
                             .where(CertificateTemplateVersion.template_id == template.id)
                             .order_by(CertificateTemplateVersion.number.desc()).limit(1))


def _same(version: CertificateTemplateVersion, template: CertificateTemplate) -> bool:
    return all((getattr(version, f) or "") == (getattr(template, f) or "") for f in FIELDS)


def snapshot(template: CertificateTemplate, actor=None) -> CertificateTemplateVersion:
    """The template as it stands now, as its newest version: appended unless the latest version
    already says the same. Two saves at once are numbered one after the other (the template's
    row is locked until the commit)."""
    db.session.flush()
    lock_objects(template)
    latest = _latest(template)
    if latest is not None and _same(latest, template):
        return latest
    version = CertificateTemplateVersion(template_id=template.id, number=(latest.number + 1) if latest else 1,
                                         created_by_id=getattr(actor, "id", None),
                                         **{f: getattr(template, f) for f in FIELDS})
    version.css, version.signatory = version.css or "", version.signatory or ""
    db.session.add(version)
    db.session.flush()
    return version


def current(template: CertificateTemplate) -> CertificateTemplateVersion:
    """The version a certificate issued now is printed with."""
    latest = _latest(template)
    return latest if latest is not None and _same(latest, template) else snapshot(template)
