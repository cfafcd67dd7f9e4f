"""What people take away as certificates: in the console the certificates an organiser lists,
one certificate's PDF and a finished print job's file (each download with the audit row saying
who took it); a participant's own certificate."""
from __future__ import annotations

from app.accounts.models import User
from app.audit import services as audit
from app.certificates import batches
from app.certificates.models import Certificate, PrintJob
from app.certificates.services import get_certificate, select_certificates
from app.errors import NotFound
from app.extensions import db


def listed_certificates(actor: User, **filters) -> list[Certificate]:
    """The certificates `actor` may manage matching the filters of select_certificates."""
    return list(db.session.scalars(select_certificates(actor, **filters)))


def certificate_pdf(actor: User, cert: Certificate) -> bytes:
    body = batches.certificates_pdf([cert])
    audit.record(actor, "certificates.downloaded", cert, serial=cert.serial)
    return body


def record_job_download(actor: User, job: PrintJob) -> None:
    audit.record(actor, "certificates.bulk_download", None, job=job.id, count=job.total)


def own_certificate_pdf(actor: User, cert_id: int) -> tuple[Certificate, bytes]:
    """A participant's own certificate; somebody else's is as absent as a missing one."""
    cert = get_certificate(cert_id)
    if cert.recipient_id != actor.id:
        raise NotFound()
    return cert, batches.certificates_pdf([cert])
