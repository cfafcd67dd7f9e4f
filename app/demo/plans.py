"""The seed plan (plans/liuzai-minhang-2022-2024.yaml) loaded through the plan loader, and figures
for its entered targets as the responsible departments would have entered them: the end of 2023
and the end of 2024, each with a small PDF as evidence, and one correction with its reason (the
2024 figure of settled talents, first entered without a late district batch).

Idempotent: a plan already loaded is left as it is, and so are targets that have figures."""
from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from werkzeug.datastructures import FileStorage

from app.accounts.models import User
from app.demo.catalogue import E, Q, V_CENTRE
from app.demo.context import DemoRun
from app.demo.events_and_registrations import _Events
from app.demo.people import ADMIN, STAFF
from app.extensions import db
from app.plans import entering, loading
from app.plans.models import EnteredFigure, Plan, Target
from app.timeutil import LOCAL_TZ, as_utc

PLAN_FILE = "liuzai-minhang-2022-2024.yaml"
SLUG = "liuzai-minhang-2022-2024"

# target code -> (figure at the end of 2023, at the end of 2024); the departments' ledgers, roughly
# the plan's pace (some ahead, some behind).
FIGURES = {
    "flexible_talents": (68400, 104300),
    "settled_talents": (31250, 47980),
    "pyramid_enterprises": (612, 826),
    "pyramid_talents": (7350, 10420),
    "leading_talents": (905, 1036),
    "overseas_experts": (1210, 1385),
    "senior_titles": (83, 136),  # the four fields' sum, entered as the bureau's own return
    "senior_titles_education": (19, 31),
    "senior_titles_health": (41, 66),
    "senior_titles_economics": (6, 11),
    "senior_titles_engineering": (17, 28),
    "chief_technicians": (38, 61),
    "technician_college": (0, 1),
}
CORRECTED = ("settled_talents", 48640, "补录12月下旬区人才服务中心受理、市里已办结的落户名单（668人）")


# The plan's 每年开展1~2场高技能人才座谈会 in its own years (the catalogue's events are around today):
# held, with registrations and check-ins, so that the yearly symposium target and the brand
# events' participants have figures in 2022–2024 whenever the demo is loaded.
SYMPOSIUMS = (
    (date(2022, 12, 8), "2022年闵行区高技能人才座谈会"),
    (date(2023, 11, 16), "2023年闵行区高技能人才座谈会"),
    (date(2024, 10, 24), "2024年闵行区高技能人才座谈会"),
)
TRADES = ("数控车工", "电工", "养老护理员", "焊工", "汽车维修工", "育婴员")


def symposium_specs(today: date) -> list[E]:
    return [E(title, None, "symposium", "skills", *V_CENTRE, day=(held - today).days, start="09:30", end="11:30",
              capacity=40, share=0.08, fill=0.9, prefer=("technician",),
              questions=(Q("职业（工种）", "text", required=True, pool=TRADES),),
              description="高技能人才座谈，听取技能人才对技能补贴目录、技能大师工作室和培训平台建设的意见建议。")
            for held, title in SYMPOSIUMS]


def load_plan_events(run: DemoRun) -> None:
    loader = _Events(run)
    for index, spec in enumerate(symposium_specs(run.today), 1):
        loader.event(index, spec, {})


def plan_path() -> Path:
    return Path(current_app.root_path).parent / "plans" / PLAN_FILE


def evidence_pdf(lines: list[str]) -> bytes:
    """A one-page PDF (ASCII text, Helvetica), enough to stand for a department's return."""
    text = "BT /F1 12 Tf 72 760 Td 16 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '" for line in lines) + " ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text.encode("ascii") + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _enterer(run: DemoRun, target: Target) -> User:
    """An organiser of one of the target's 责任部门, else the administrator."""
    codes = {d.code for d in target.departments}
    for login, _password, role, _name, departments in STAFF:
        if role == "organiser" and codes & set(departments):
            return db.session.get(User, run.staff_ids[login])
    return db.session.get(User, run.staff_ids[ADMIN])


def _evidence(target: Target, as_of: date, value) -> entering.Evidence:
    data = evidence_pdf(["Minhang District HRSS - plan figure return", f"target: {target.code}",
                         f"as of: {as_of.isoformat()}", f"figure: {value}", "(demo evidence)"])
    return entering.read_evidence(FileStorage(io.BytesIO(data), filename=f"{target.code}-{as_of:%Y%m%d}.pdf"))


def _entered_at(as_of: date, days: int) -> datetime:
    return as_utc(datetime.combine(as_of + timedelta(days=days), time(10, 30), tzinfo=LOCAL_TZ))


def load_plan(run: DemoRun) -> Plan | None:
    plan = db.session.scalar(sa.select(Plan).where(Plan.slug == SLUG))
    if plan is None:
        plan = loading.load_file(plan_path()).plan
        db.session.commit()
        run.echo(f"demo: plan {plan.slug} ({len(plan.items)} items, {len(plan.targets)} targets)")
    has_figures = set(db.session.scalars(sa.select(EnteredFigure.target_id).distinct()))
    by_code = {t.code: t for t in plan.targets}
    for code, values in FIGURES.items():
        target = by_code.get(code)
        if target is None or target.id in has_figures or target.computed:
            continue
        actor = _enterer(run, target)
        for as_of, value in zip((date(2023, 12, 31), date(2024, 12, 31)), values):
            figure = entering.enter(actor, target, Decimal(value), as_of, note="按部门年度台账汇总填报",
                                    evidence=_evidence(target, as_of, value))
            figure.entered_at = _entered_at(as_of, 12)
        if code == CORRECTED[0]:
            correction = entering.correct(actor, figure, Decimal(CORRECTED[1]), CORRECTED[2],
                                          evidence=_evidence(target, as_of, CORRECTED[1]))
            correction.entered_at = _entered_at(as_of, 40)
        db.session.commit()
    return plan
