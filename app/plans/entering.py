"""Figures entered by hand for the targets the records cannot count (flexible talents, settled
talents, 正高 by field, 领军人才 …), each with its evidence (a PDF, an image or a spreadsheet kept
privately), who entered it and when. Append-only: `correct` adds a row naming the one it replaces
and why, so the old value stays in the history. Every entry, correction and evidence download is
audited. The figure in force is read by the ledger (app/plans/ledger/figures.figure_in_force)."""
from __future__ import annotations

import io
import re
import secrets
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.accounts.models import Role, User
from app.audit import services as audit
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.plans.ledger.figures import plan_years
from app.plans.models import EnteredFigure, Plan, Target, TargetPeriod
from app.plans.scope import scope_of
from app import private_files
from app.timeutil import local_today

MAX_NUMBER = Decimal("999999999999")
DEFAULT_MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
EVIDENCE_TYPES = {  # stored suffix -> what is sent back
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_STORED = re.compile(r"^plan-[0-9a-f]{32}\.(pdf|png|jpg|xlsx)$")


class ComputedTarget(InvalidInput):
    code = "target_computed"
    default_message = _l("This target is counted from the records; figures are not entered by hand.")


class AlreadyCorrected(Conflict):
    code = "figure_already_corrected"
    default_message = _l("This figure has already been corrected; correct the newer one.")


@dataclass(frozen=True)
class Evidence:
    data: bytes
    name: str  # as uploaded
    suffix: str  # pdf, png, jpg, xlsx


# -- who ----------------------------------------------------------------------------------------
def may_enter(actor: User | None, target: Target) -> bool:
    """Administrators, and the organisers of one of the target's 责任部门."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return actor.is_admin or any(actor.organises(d.id) for d in target.departments)


def require_enter(actor: User | None, target: Target) -> None:
    if not may_enter(actor, target):
        raise PermissionDenied()


def may_read(actor: User | None, target: Target) -> bool:
    """Staff (administrators, organisers), leaders, and heads of one of its 责任部门."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if actor.has_role(Role.ADMIN, Role.ORGANISER, Role.LEADER):
        return True
    if actor.has_role(Role.HEAD):
        return scope_of(actor).sees_departments(d.id for d in target.departments)
    return False


def require_read(actor: User | None, target: Target) -> None:
    if not may_read(actor, target):
        raise PermissionDenied()


def may_download(actor: User | None, target: Target) -> bool:
    """The evidence files: those who may enter the target's figures, leaders, and heads of one of
    its 责任部门 (other organisers see the history, not the files)."""
    if may_enter(actor, target):
        return True
    return may_read(actor, target) and not (actor.has_role(Role.ORGANISER)
                                            and not actor.has_role(Role.LEADER, Role.HEAD))


def require_console(actor: User | None) -> None:
    """The plan's console pages: staff, leaders and heads (each target then checked on its own)."""
    if actor is None or not getattr(actor, "is_authenticated", False) \
            or not actor.has_role(Role.ADMIN, Role.ORGANISER, Role.LEADER, Role.HEAD):
        raise PermissionDenied()


# -- reading ------------------------------------------------------------------------------------
def get_plan(plan_id: int) -> Plan:
    plan = db.session.get(Plan, plan_id)
    if plan is None:
        raise NotFound()
    return plan


def get_target(target_id: int) -> Target:
    target = db.session.get(Target, target_id)
    if target is None:
        raise NotFound()
    return target


def get_figure(figure_id: int) -> EnteredFigure:
    figure = db.session.get(EnteredFigure, figure_id)
    if figure is None:
        raise NotFound()
    return figure


def visible_targets(actor: User, plan: Plan) -> list[Target]:
    require_console(actor)
    return [t for t in plan.targets if may_read(actor, t)]


@dataclass(frozen=True)
class HistoryRow:
    figure: EnteredFigure
    corrected_by: EnteredFigure | None  # the newer row that replaced it

    @property
    def in_force(self) -> bool:
        return self.corrected_by is None


def history(actor: User, target: Target) -> list[HistoryRow]:
    """Every figure entered for the target, newest first, each with the row that corrected it."""
    require_read(actor, target)
    figures = list(db.session.scalars(sa.select(EnteredFigure).where(EnteredFigure.target_id == target.id)
                                      .order_by(EnteredFigure.entered_at.desc(), EnteredFigure.id.desc())))
    by_corrected = {f.corrects_id: f for f in figures if f.corrects_id is not None}
    return [HistoryRow(f, by_corrected.get(f.id)) for f in figures]


# -- checking input -----------------------------------------------------------------------------
def parse_value(raw) -> Decimal:
    try:
        value = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise InvalidInput(fields={"value": _l("Enter a number.")}) from None
    if not value.is_finite():
        raise InvalidInput(fields={"value": _l("Enter a number.")})
    if value < 0 or value > MAX_NUMBER:
        raise InvalidInput(fields={"value": _l("The figure must be between 0 and %(max)s.", max=f"{MAX_NUMBER:,}")})
    if value != value.quantize(Decimal("0.01")):
        raise InvalidInput(fields={"value": _l("At most two decimals.")})
    return value


def max_evidence_bytes() -> int:
    return int(current_app.config.get("MAX_PLAN_EVIDENCE_BYTES", DEFAULT_MAX_EVIDENCE_BYTES))


def read_evidence(storage, field: str = "evidence") -> Evidence | None:
    """The uploaded file, checked by its content (PDF, PNG, JPEG or XLSX) and size; None when no
    file was chosen."""
    if storage is None or not getattr(storage, "filename", None):
        return None
    limit = max_evidence_bytes()
    data = storage.read(limit + 1)
    if not data:
        raise InvalidInput(fields={field: _l("The file is empty.")})
    if len(data) > limit:
        raise InvalidInput(fields={field: _l("The file is larger than %(mb)s MB.", mb=limit // (1024 * 1024))})
    suffix = _kind(data)
    if suffix is None:
        raise InvalidInput(fields={field: _l("Evidence must be a PDF, a PNG or JPEG image, or an XLSX spreadsheet.")})
    name = Path(str(storage.filename).replace("\\", "/")).name.strip()[:200] or f"evidence.{suffix}"
    return Evidence(data=data, name=name, suffix=suffix)


def _kind(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return "xlsx"
    return None


def _store(evidence: Evidence) -> str:
    return private_files.store(f"plan-{secrets.token_hex(16)}.{evidence.suffix}", evidence.data)


def _text(raw, field: str, limit: int, *, required: bool = False) -> str:
    value = (raw or "").strip()
    if required and not value:
        raise InvalidInput(fields={field: _l("This field is required.")})
    if len(value) > limit:
        raise InvalidInput(fields={field: _l("At most %(n)s characters.", n=limit)})
    return value


def _year(target: Target, year) -> int | None:
    if target.period != TargetPeriod.YEAR.value:
        return None
    allowed = plan_years(target.plan, target.years)
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = None
    if year not in allowed:
        raise InvalidInput(fields={"year": _l("Choose one of the plan's years: %(years)s.",
                                              years=", ".join(str(y) for y in allowed))})
    return year


def _as_of(target: Target, as_of) -> date:
    if not isinstance(as_of, date):
        raise InvalidInput(fields={"as_of": _l("Enter the date the figure stands at.")})
    if as_of > local_today():
        raise InvalidInput(fields={"as_of": _l("The date cannot be in the future.")})
    if as_of < target.plan.starts_on:
        raise InvalidInput(fields={"as_of": _l("The date is before the plan starts.")})
    return as_of


# -- acting -------------------------------------------------------------------------------------
def enter(actor: User, target: Target, value, as_of, year=None, note: str = "", evidence: Evidence | None = None
          ) -> EnteredFigure:
    """A new figure for an entered target, with its evidence (required)."""
    require_enter(actor, target)
    if target.computed:
        raise ComputedTarget()
    value = parse_value(value)
    as_of = _as_of(target, as_of)
    year = _year(target, year)
    note = _text(note, "note", 2000)
    if evidence is None:
        raise InvalidInput(fields={"evidence": _l("Attach the evidence (a PDF, an image or a spreadsheet).")})
    figure = EnteredFigure(target=target, year=year, as_of=as_of, value=value, note=note,
                           evidence_file=_store(evidence), evidence_name=evidence.name, entered_by=actor)
    db.session.add(figure)
    db.session.flush()
    audit.record(actor, "plan.figure.enter", figure, target=target.code, plan=target.plan.slug, value=str(value),
                 year=year, as_of=as_of.isoformat(), evidence=evidence.name)
    return figure


def correct(actor: User, figure: EnteredFigure, value, reason: str, evidence: Evidence | None = None
            ) -> EnteredFigure:
    """A new row replacing `figure` (which stays in the history); the evidence carries over unless
    a new file is given."""
    target = figure.target
    require_enter(actor, target)
    if target.computed:
        raise ComputedTarget()
    value = parse_value(value)
    reason = _text(reason, "reason", 300, required=True)
    if db.session.scalar(sa.select(EnteredFigure.id).where(EnteredFigure.corrects_id == figure.id)) is not None:
        raise AlreadyCorrected()
    stored, name = (_store(evidence), evidence.name) if evidence is not None else (figure.evidence_file,
                                                                                     figure.evidence_name)
    correction = EnteredFigure(target=target, year=figure.year, as_of=figure.as_of, value=value, note=figure.note,
                               evidence_file=stored, evidence_name=name, entered_by=actor, corrects=figure,
                               correction_reason=reason)
    db.session.add(correction)
    db.session.flush()
    audit.record(actor, "plan.figure.correct", correction, target=target.code, corrects=figure.id,
                 before=str(figure.value), after=str(value), reason=reason)
    return correction


def evidence_file(actor: User, figure: EnteredFigure) -> tuple[str, str, str]:
    """The evidence's stored name, the name to send it under and its type; the download is audited."""
    if not may_download(actor, figure.target):
        raise PermissionDenied()
    name = figure.evidence_file
    if not name or not _STORED.match(name):
        raise NotFound()
    if not private_files.exists(name):
        raise NotFound()
    audit.record(actor, "plan.figure.evidence", figure, target=figure.target.code)
    suffix = name.rsplit(".", 1)[1]
    download = figure.evidence_name or f"evidence-{figure.id}.{suffix}"
    if not download.lower().endswith("." + suffix):
        download = f"{download}.{suffix}"
    return name, download, EVIDENCE_TYPES[suffix]
