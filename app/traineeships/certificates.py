"""见习证明 (job traineeships) and 实践证明 (students' social practice) for completed placements,
through the generic issuing service of `app.certificates` (serials, snapshots, verification,
never twice for the same batch). The host company and the position are printed with the name;
the dates are the trainee's own placement's."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.certificates import services as certificates
from app.certificates.models import CertificateKind
from app.errors import Conflict
from app.traineeships.batches import require_run
from app.traineeships.models import Placement, PlacementStatus, ProgrammeKind, TraineeshipBatch

SUBJECT_TYPE = "traineeship"
KIND_OF_PROGRAMME = {ProgrammeKind.JOB_TRAINEESHIP.value: CertificateKind.TRAINEESHIP,
                     ProgrammeKind.SOCIAL_PRACTICE.value: CertificateKind.PRACTICE}


def _held(first: date, last: date) -> str:
    if first.year == last.year:
        return f"{first.year}年{first.month}月{first.day}日至{last.month}月{last.day}日"
    return f"{first.year}年{first.month}月{first.day}日至{last.year}年{last.month}月{last.day}日"


def batch_subject(batch: TraineeshipBatch, placement: Placement | None = None) -> certificates.Subject:
    first, last = (placement.starts_on, placement.ends_on) if placement else (batch.starts_on, batch.ends_on)
    return certificates.Subject(SUBJECT_TYPE, batch.id, batch.title, _held(first, last), batch.department)


def kind_of(batch: TraineeshipBatch) -> CertificateKind:
    return KIND_OF_PROGRAMME[batch.kind]


def issue_for_batch(actor: User, batch: TraineeshipBatch, placements: list[Placement], *,
                    issued_on: date | None = None) -> certificates.IssueResult:
    """A certificate for each completed placement of the batch (those holding one are skipped)."""
    require_run(actor, batch)
    done = [p for p in placements if p.batch_id == batch.id and p.status == PlacementStatus.COMPLETED.value]
    if not done:
        raise Conflict(_l("No placement of this batch is completed yet."), code="none_completed")
    result = certificates.IssueResult()
    for placement in done:  # one subject per trainee: the dates printed are their own placement's
        one = certificates.issue(actor, batch_subject(batch, placement), kind_of(batch),
                                 [certificates.Recipient(placement.user, tier=placement.host.name[:60],
                                                         award=placement.place.position[:120])],
                                 issued_on=issued_on)
        result.issued += one.issued
        result.skipped += one.skipped
    return result
