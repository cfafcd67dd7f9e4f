"""Certificates: templates, issuing (singly or in bulk, for any subject), revocation, reissue,
lookup for participants and for public verification.

Issuing is generic. A *subject* is what a certificate is for, named by a type and an id:
`event` today; camps (`cohort`, issue 4) and competitions (`competition`, issue 6) add theirs
by building a `Subject` and calling `issue()` with their results:

    subject = Subject(type="cohort", id=cohort.id, title=cohort.name, held_on="2026年3月—6月",
                      department=cohort.department)
    issue(actor, subject, CertificateKind.COMPLETION,
          [Recipient(user, tier="创业孵化营") for user in graduates])
    issue(actor, subject, CertificateKind.DISTINCTION, [Recipient(u) for u in outstanding])
    issue(actor, competition_subject, CertificateKind.AWARD, [Recipient(u, award="一等奖") ...])

The caller decides who qualifies and checks its own permission rules; `issue()` checks that the
actor may issue for the subject's department, snapshots names and titles, numbers the
certificates and skips recipients who already hold a current one of that kind for that subject.
Serials (MH-2026-JY-000123) come from a counter row per kind and year, locked while numbers are
taken, so concurrent batches never collide; a unique constraint backs it up.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.accounts.models import Department, User, organises
from app.audit import services as audit
from app.certificates import notices
from app.certificates.attendance import attendee_count, attendees, attending  # noqa: F401 - the area's API
from app.certificates.models import (
    Certificate,
    CertificateKind,
    CertificateTemplate,
    CertificateTemplateVersion,
    CertStatus,
    SerialCounter,
)
from app.certificates.rendering import PAGE_SIZES, check_template
from app.certificates.template_versions import current as current_version
from app.certificates.template_versions import snapshot
from app.errors import Conflict, InvalidInput, PermissionDenied
from app.events.services import require_manage as require_event
from app.extensions import db
from app.locking import lock
from app.lookups import get_or_not_found
from app.privacy import mask_name
from app.registrations.models import Registration
from app.timeutil import local_today, to_local, utcnow
from app.uploads import save_image

DEFAULTS_DIR = Path(__file__).with_name("defaults")
WORDING_SLOT = "  {# the wording of one kind: <kind>.html #}\n"
DEFAULT_TITLES = {
    CertificateKind.COMPLETION: "结业证书",
    CertificateKind.DISTINCTION: "优秀学员证书",
    CertificateKind.AWARD: "获奖证书",
    CertificateKind.ATTENDANCE: "参会证明",
    CertificateKind.APPOINTMENT: "聘书",
    CertificateKind.TRAINEESHIP: "见习证明",
    CertificateKind.PRACTICE: "实践证明",
}
BUREAU = "上海市闵行区人力资源和社会保障局"


# -- permissions ----------------------------------------------------------------
def can_issue(actor: User | None, department: Department | None) -> bool:
    return organises(actor, department.id if department is not None else None)


def require_manage(actor: User, cert: Certificate) -> None:
    if not can_issue(actor, cert.issuer_department):
        raise PermissionDenied()


def _kind(value) -> CertificateKind:
    try:
        return CertificateKind(value)
    except ValueError:
        raise InvalidInput(fields={"kind": _l("Unknown certificate kind.")}) from None


# -- templates ------------------------------------------------------------------
def default_source(kind: CertificateKind) -> tuple[str, str]:
    """The shipped design of `kind` as one self-contained template (it is copied into the row the
    admin edits): the shared frame.html with the kind's own wording, <kind>.html, in its slot."""
    frame = (DEFAULTS_DIR / "frame.html").read_text(encoding="utf-8")
    wording = (DEFAULTS_DIR / f"{kind.value}.html").read_text(encoding="utf-8")
    css = (DEFAULTS_DIR / "certificate.css").read_text(encoding="utf-8")
    return frame.replace(WORDING_SLOT, wording), css


def ensure_templates() -> list[CertificateTemplate]:
    """One template per kind, created from the shipped defaults on first use."""
    have = {t.kind: t for t in db.session.scalars(
        sa.select(CertificateTemplate).where(CertificateTemplate.is_default.is_(True)))}
    for kind in CertificateKind:
        if kind.value not in have:
            html, css = default_source(kind)
            template = CertificateTemplate(kind=kind.value, name=DEFAULT_TITLES[kind], title=DEFAULT_TITLES[kind],
                                           html=html, css=css, page_size="A4 landscape", is_default=True)
            db.session.add(template)
            have[kind.value] = template
    db.session.flush()
    return [have[k.value] for k in CertificateKind]


def template_for_kind(kind: CertificateKind) -> CertificateTemplate:
    return next(t for t in ensure_templates() if t.kind == kind.value)


def template_for(cert: Certificate) -> CertificateTemplateVersion:
    """What `cert` is printed with: the template's version it was issued with."""
    return cert.template_version or current_version(cert.template or template_for_kind(cert.kind_enum))


def get_template(template_id: int) -> CertificateTemplate:
    return get_or_not_found(CertificateTemplate, template_id, _l("No such certificate template."))


def save_template(actor: User, template: CertificateTemplate, *, name: str, title: str, html: str, css: str,
                  page_size: str, signatory: str = "") -> CertificateTemplate:
    if not actor.is_admin:
        raise PermissionDenied()
    errors = {}
    if not (name or "").strip():
        errors["name"] = _l("Please enter a name.")
    if not (title or "").strip():
        errors["title"] = _l("Please enter the printed title.")
    if page_size not in PAGE_SIZES:
        errors["page_size"] = _l("Choose a page size from the list.")
    if not (html or "").strip():
        errors["html"] = _l("The template HTML is empty.")
    if errors:
        raise InvalidInput(fields=errors)
    check_template(html)  # a template that cannot render is never saved
    template.name, template.title = name.strip()[:120], title.strip()[:60]
    template.html, template.css, template.page_size = html, css or "", page_size
    template.signatory = (signatory or "").strip()[:60]
    template.updated_by_id = actor.id
    version = snapshot(template, actor)
    audit.record(actor, "certificates.template_saved", template, version=version.number)
    return template


def set_template_image(actor: User, template: CertificateTemplate, which: str, storage) -> str:
    """Seal or signature image, checked by decoding it (app.uploads.save_image)."""
    if not actor.is_admin:
        raise PermissionDenied()
    if which not in ("seal", "signature"):
        raise InvalidInput(fields={which: _l("Unknown image.")})
    name = save_image(storage, field=which)
    setattr(template, f"{which}_image", name)
    audit.record(actor, f"certificates.{which}_uploaded", template, version=snapshot(template, actor).number)
    return name


def reset_template(actor: User, template: CertificateTemplate) -> None:
    if not actor.is_admin:
        raise PermissionDenied()
    template.html, template.css = default_source(template.kind_enum)
    template.title = DEFAULT_TITLES[template.kind_enum]
    template.updated_by_id = actor.id
    audit.record(actor, "certificates.template_reset", template, version=snapshot(template, actor).number)


# -- subjects -------------------------------------------------------------------
@dataclass(frozen=True)
class Subject:
    """What certificates are issued for: `type` and `id` are stored on each certificate,
    `title` and `held_on` are printed (snapshots), `department` issues them."""

    type: str
    id: int
    title: str
    held_on: str
    department: Department | None


@dataclass
class Recipient:
    user: User
    name: str | None = None  # as printed; defaults to the account name now
    tier: str = ""
    award: str = ""


@dataclass
class IssueResult:
    issued: list[Certificate] = field(default_factory=list)
    skipped: list[User] = field(default_factory=list)  # already holding a current certificate


def _date_text(start, end) -> str:
    s, e = to_local(start), to_local(end)
    if e is None or s.date() == e.date():
        return f"{s.year}年{s.month}月{s.day}日"
    if s.year == e.year:
        return f"{s.year}年{s.month}月{s.day}日至{e.month}月{e.day}日"
    return f"{s.year}年{s.month}月{s.day}日至{e.year}年{e.month}月{e.day}日"


def event_subject(event) -> Subject:
    return Subject("event", event.id, event.title, _date_text(event.starts_at, event.ends_at), event.department)


# -- serial numbers -------------------------------------------------------------
def _lock_counter(kind: CertificateKind, year: int) -> SerialCounter:
    """The counter row of this kind and year, created if missing, locked until the commit:
    FOR UPDATE on PostgreSQL; on SQLite the insert or the no-op update takes the database's
    write lock (one writer at a time)."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(insert(SerialCounter).values(kind=kind.value, year=year, last_value=0)
                       .on_conflict_do_nothing())
    query = sa.select(SerialCounter).where(SerialCounter.kind == kind.value, SerialCounter.year == year)
    if dialect == "postgresql":
        query = query.with_for_update()
    else:
        db.session.execute(sa.update(SerialCounter).where(SerialCounter.kind == kind.value,
                                                          SerialCounter.year == year)
                           .values(last_value=SerialCounter.last_value))
    return db.session.execute(query.execution_options(populate_existing=True)).scalar_one()


def format_serial(kind: CertificateKind, year: int, number: int) -> str:
    prefix = current_app.config.get("CERTIFICATE_SERIAL_PREFIX", "MH")
    return f"{prefix}-{year}-{kind.serial_code}-{number:06d}"


def _new_code() -> str:
    return secrets.token_urlsafe(15)  # 120 random bits: cannot be guessed or enumerated


# -- issuing --------------------------------------------------------------------
def _current(subject: Subject, kind: CertificateKind) -> dict[int, tuple[int, bool]]:
    """recipient id -> (highest version so far, whether one is still current), for everybody
    holding one of `kind` for `subject`: one statement, bounded by the subject's certificates (a
    list of 10,000 recipient ids as bound parameters would cost more than it filters)."""
    rows = db.session.execute(
        sa.select(Certificate.recipient_id, sa.func.max(Certificate.version),
                  sa.func.sum(sa.case((sa.and_(Certificate.revoked_at.is_(None),
                                               Certificate.superseded_at.is_(None)), 1), else_=0)))
        .where(Certificate.subject_type == subject.type, Certificate.subject_id == subject.id,
               Certificate.kind == kind.value)
        .group_by(Certificate.recipient_id)).all()
    return {rid: (version, bool(current)) for rid, version, current in rows}


def issue(actor: User, subject: Subject, kind, recipients: list[Recipient], *,
          issued_on: date | None = None) -> IssueResult:
    """Issue one certificate of `kind` to each recipient for `subject`, in the given order.
    Recipients who already hold a current one (not revoked, not superseded) are skipped.
    The certificates go in as one multi-row insert (10,000 for a Talent Week event in ~1 s); their
    holders are told in this transaction or, for a big batch, after it (app/certificates/notices.py)."""
    kind = _kind(kind)
    if not can_issue(actor, subject.department):
        raise PermissionDenied()
    issued_on = issued_on or local_today()
    template = template_for_kind(kind)
    version = current_version(template)
    counter = _lock_counter(kind, issued_on.year)  # from here until commit, issuing of this kind waits
    unique, seen = [], set()
    for r in recipients:
        if r.user.id not in seen:
            seen.add(r.user.id)
            unique.append(r)
    history = _current(subject, kind) if unique else {}
    result = IssueResult()
    rows, users = [], []
    for r in unique:
        number, current = history.get(r.user.id, (0, False))
        if current:
            result.skipped.append(r.user)
            continue
        counter.last_value += 1
        rows.append(_certificate_row(actor, subject, kind, version, r, issued_on,
                                     format_serial(kind, issued_on.year, counter.last_value), number + 1))
        users.append(r.user)
    if rows:
        if notices.told_now(len(rows)):
            for row in rows:
                row["notified_at"] = row["created_at"]
        result.issued = _insert(rows)
    db.session.flush()
    notices.tell(list(zip(result.issued, users)))
    if result.issued:
        audit.record(actor, "certificates.issued", None, for_subject=f"{subject.type}:{subject.id}", kind=kind.value,
                     count=len(result.issued), first=result.issued[0].serial, last=result.issued[-1].serial)
    return result


def _insert(rows: list[dict], chunk: int = 5000) -> list[Certificate]:
    """`rows` in one executemany, read back by their (unique) serials, `chunk` a statement (SQLite
    binds at most 32,766), in the rows' order. Not INSERT … RETURNING: SQLite runs that a row at a
    time. Not a serial range: past 999,999 a serial grows a digit and no longer sorts as text."""
    db.session.execute(sa.insert(Certificate), rows)
    serials = [row["serial"] for row in rows]
    found = {c.serial: c for start in range(0, len(serials), chunk) for c in db.session.scalars(
        sa.select(Certificate).where(Certificate.serial.in_(serials[start:start + chunk])))}
    return [found[s] for s in serials]


def _certificate_row(actor, subject: Subject, kind: CertificateKind, template: CertificateTemplateVersion,
                     r: Recipient, issued_on: date, serial: str, version: int) -> dict:
    """The columns of one new certificate: names and titles as printed, snapshot now."""
    name = (r.name or r.user.name or "").strip()
    if not name:
        raise InvalidInput(fields={"name": _l("A certificate needs the recipient's name.")})
    return dict(
        serial=serial, code=_new_code(), kind=kind.value, subject_type=subject.type, subject_id=subject.id,
        recipient_id=r.user.id, recipient_name=name[:60], title=template.title, programme=subject.title[:200],
        held_on=subject.held_on[:60], tier=(r.tier or "")[:60], award=(r.award or "")[:120], issued_on=issued_on,
        issuer_department_id=subject.department.id if subject.department else None, issuer_name=BUREAU,
        template_id=template.template_id, template_version_id=template.id, version=version,
        issued_by_id=actor.id, created_at=utcnow())


def _new_certificate(actor, subject: Subject, kind: CertificateKind, template: CertificateTemplateVersion,
                     r: Recipient, issued_on: date, serial: str, version: int) -> Certificate:
    cert = Certificate(**_certificate_row(actor, subject, kind, template, r, issued_on, serial, version))
    db.session.add(cert)
    return cert


# The kind an organiser means on each occasion: a job fair's attendees get 参会证明, never a
# 结业证书 by a careless click (issue 12, defect 4).
DEFAULT_KINDS = {
    "event": CertificateKind.ATTENDANCE,
    "cohort": CertificateKind.COMPLETION,
    "competition": CertificateKind.AWARD,
}
# 聘书 are issued from the rosters (app/rosters/letters.py) to one appointed person, never to an
# event's attendees.
NOT_FOR_ATTENDANCE = {CertificateKind.APPOINTMENT}


def _attendance_kind(value) -> CertificateKind:
    kind = _kind(value)
    if kind in NOT_FOR_ATTENDANCE:
        raise InvalidInput(fields={"kind": _l("This kind of certificate is not issued for attendance.")})
    return kind


def default_kind(subject_type: str) -> CertificateKind:
    return DEFAULT_KINDS[subject_type]


@dataclass(frozen=True)
class IssuePreview:
    """What an issue would make, shown for confirmation before anything is written."""

    kind: CertificateKind
    to_issue: int
    already: int


def preview_for_attendance(actor: User, event, *, kind=CertificateKind.ATTENDANCE) -> IssuePreview:
    require_event(actor, event)
    kind = _attendance_kind(kind)
    if not can_issue(actor, event.department):
        raise PermissionDenied()
    ids = db.session.scalars(attending(event, Registration.user_id)).all()
    history = _current(event_subject(event), kind) if ids else {}
    already = sum(1 for uid in ids if history.get(uid, (0, False))[1])
    return IssuePreview(kind, len(ids) - already, already)


def issue_for_attendance(actor: User, event, *, kind=CertificateKind.ATTENDANCE,
                         user_ids: list[int] | None = None, issued_on: date | None = None) -> IssueResult:
    """Attendance certificates (or any kind) for everyone who checked in at the event, or the
    chosen ones among them; those who did not check in are never included."""
    require_event(actor, event)
    kind = _attendance_kind(kind)
    people = attendees(event)
    if user_ids is not None:
        wanted = set(user_ids)
        people = [u for u in people if u.id in wanted]
    return issue(actor, event_subject(event), kind, [Recipient(u) for u in people], issued_on=issued_on)


# -- revocation and reissue -----------------------------------------------------
def revoke(actor: User, cert: Certificate, reason: str) -> Certificate:
    require_manage(actor, cert)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(fields={"reason": _l("Please give the reason for revoking.")})
    lock(Certificate, cert.id)
    db.session.refresh(cert)  # as the last holder of the lock left it
    if cert.revoked_at is not None:
        raise Conflict(_l("This certificate is already revoked."), code="already_revoked")
    cert.revoked_at, cert.revoke_reason, cert.revoked_by_id = utcnow(), reason[:300], actor.id
    audit.record(actor, "certificates.revoked", cert, serial=cert.serial, reason=reason[:300])
    db.session.flush()
    return cert


def reissue(actor: User, cert: Certificate, *, name: str | None = None, tier: str | None = None,
            award: str | None = None, issued_on: date | None = None) -> Certificate:
    """A new version with a new serial and code; the old one shows as superseded."""
    require_manage(actor, cert)
    if name is not None and not name.strip():
        raise InvalidInput(fields={"name": _l("A certificate needs the recipient's name.")})
    kind = cert.kind_enum
    issued_on = issued_on or local_today()
    counter = _lock_counter(kind, issued_on.year)
    lock(Certificate, cert.id)
    db.session.refresh(cert)  # as the last holder of the lock left it
    if cert.superseded_at is not None:
        raise Conflict(_l("This certificate has already been reissued."), code="already_superseded")
    latest = db.session.scalar(sa.select(sa.func.max(Certificate.version)).where(
        Certificate.subject_type == cert.subject_type, Certificate.subject_id == cert.subject_id,
        Certificate.kind == cert.kind, Certificate.recipient_id == cert.recipient_id))
    counter.last_value += 1
    subject = Subject(cert.subject_type, cert.subject_id, cert.programme, cert.held_on, cert.issuer_department)
    template = cert.template or template_for_kind(kind)  # a reissue is a new issue: today's version
    new = _new_certificate(actor, subject, kind, current_version(template),
                           Recipient(cert.recipient, name=name.strip() if name else cert.recipient_name,
                                     tier=cert.tier if tier is None else tier,
                                     award=cert.award if award is None else award),
                           issued_on, format_serial(kind, issued_on.year, counter.last_value), (latest or 0) + 1)
    new.title, new.supersedes = cert.title, cert
    cert.superseded_at = utcnow()
    db.session.flush()
    audit.record(actor, "certificates.reissued", new, serial=new.serial, supersedes=cert.serial)
    return new


# -- lookups --------------------------------------------------------------------
def get_certificate(cert_id: int) -> Certificate:
    return get_or_not_found(Certificate, cert_id, _l("No such certificate."))


def certificates_of(user: User) -> list[Certificate]:
    """A participant's certificates, newest first (superseded ones included, marked as such)."""
    return list(db.session.scalars(sa.select(Certificate).where(Certificate.recipient_id == user.id)
                                   .order_by(Certificate.issued_on.desc(), Certificate.id.desc())))


def find_for_verification(text: str) -> Certificate | None:
    """By verification code or by serial (typed by a person: case and spaces forgiven). A
    database error propagates: the caller must never answer "valid" without reading the row."""
    text = (text or "").strip()
    if not text or len(text) > 64:
        return None
    serial = text.upper().replace(" ", "")
    return db.session.scalar(sa.select(Certificate).where(
        sa.or_(Certificate.code == text, Certificate.serial == serial)))


def select_certificates(actor: User, *, subject_type: str | None = None, subject_id: int | None = None,
                        kind: str | None = None, status: str | None = None, ids: list[int] | None = None,
                        q: str | None = None):
    """The certificates the actor may manage matching the filters, in print order (serial)."""
    query = sa.select(Certificate)
    if not actor.is_admin:
        query = query.where(Certificate.issuer_department_id.in_(actor.department_ids or [-1]))
    if subject_type:
        query = query.where(Certificate.subject_type == subject_type)
    if subject_id is not None:
        query = query.where(Certificate.subject_id == subject_id)
    if kind:
        query = query.where(Certificate.kind == kind)
    if status == CertStatus.VALID.value:
        query = query.where(Certificate.revoked_at.is_(None), Certificate.superseded_at.is_(None))
    elif status == CertStatus.REVOKED.value:
        query = query.where(Certificate.revoked_at.is_not(None))
    elif status == CertStatus.SUPERSEDED.value:
        query = query.where(Certificate.superseded_at.is_not(None), Certificate.revoked_at.is_(None))
    if ids is not None:
        query = query.where(Certificate.id.in_(ids or [-1]))
    if q:
        like = f"%{q.strip()}%"
        query = query.where(sa.or_(Certificate.recipient_name.like(like), Certificate.serial.like(like.upper())))
    return query.order_by(Certificate.issued_on, Certificate.serial)


def verification(cert: Certificate | None) -> dict:
    """What the public verification page and its JSON show, and nothing more: the state (with
    its date), the title, the holder's name masked and the date of issue, plus the serial the
    verifier already holds from the paper. Serials are sequential, so anyone can walk them: the
    programme, issuer, department, version, the successor's serial and the reason for revoking
    stay private (a reason can say why a person lost a certificate)."""
    if cert is None:
        return {"state": "not_found"}
    return {
        "state": cert.status.value, "serial": cert.serial, "title": cert.title,
        "recipient": mask_name(cert.recipient_name), "issued_on": cert.issued_on.isoformat(),
        "revoked_on": to_local(cert.revoked_at).date().isoformat() if cert.revoked_at else None,
        "superseded_on": to_local(cert.superseded_at).date().isoformat() if cert.superseded_at else None,
    }
