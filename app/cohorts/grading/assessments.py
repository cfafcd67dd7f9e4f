"""The assessments editor's text: rows as entered on the page, rubrics written one criterion a
line ('商业模式：优秀=4，良好=3，合格=2，不合格=0'), and saving them through `grades.set_assessments`
with its messages put back on the rows they are about."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from app.cohorts.grading import grades
from app.cohorts.camps.models import Cohort
from app.cohorts.models import Assessment, AssessmentKind
from app.errors import InvalidInput

BLANK_ROWS = 3  # empty rows the editor offers for new assessments
FIELDS = ("id", "name", "kind", "weight", "max_score", "rubric")
_LEVEL = re.compile(r"^(.+?)\s*[=＝:：]\s*([0-9]+(?:\.[0-9]+)?)$")
_SPEC_KEY = re.compile(r"assessments-(\d+)-(\w+)$")


def parse_rubric(text: str) -> list[dict] | None:
    """'商业模式：优秀=4，良好=3，合格=2，不合格=0' per line → [{"name", "levels": [...]}]; None if
    a line cannot be read."""
    rubric = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        parts = re.split(r"[:：|]", line, maxsplit=1)
        if len(parts) != 2:
            return None
        name, rest = parts
        levels = []
        for part in re.split(r"[,，;；、]", rest):
            part = part.strip()
            if not part:
                continue
            match = _LEVEL.match(part)
            if not match:
                return None
            levels.append({"label": match.group(1).strip(), "points": match.group(2)})
        rubric.append({"name": name.strip(), "levels": levels})
    return rubric


def rubric_text(assessment: Assessment) -> str:
    return "\n".join(f"{c.name}：" + "，".join(f"{lv.label}={lv.points:g}" for lv in c.levels)
                     for c in assessment.criteria)


def editor_rows(cohort: Cohort) -> list[dict]:
    """The cohort's assessments as the editor shows them, then the blank rows for new ones."""
    rows = [{"id": a.id, "name": a.name, "kind": a.kind, "weight": a.weight, "max_score": f"{a.max_score:g}",
             "rubric": rubric_text(a)} for a in grades.assessments(cohort)]
    return rows + [{"id": "", "name": "", "kind": AssessmentKind.GRADED.value, "weight": "", "max_score": "100",
                    "rubric": ""} for _i in range(BLANK_ROWS)]


def entered_rows(form) -> list[dict]:
    """The editor's rows as posted (`rows` of them, fields a-N-id/name/kind/weight/max_score/rubric)."""
    raw = form.get("rows") or "0"
    count = int(raw) if raw.isdigit() else 0
    return [{key: (form.get(f"a-{i}-{key}") or "").strip() for key in FIELDS}
            for i in range(min(count, grades.MAX_ASSESSMENTS + BLANK_ROWS))]


def save_rows(actor, cohort: Cohort, rows: list[dict]) -> list[Assessment]:
    """Set the cohort's assessments from the editor's rows (empty rows skipped). Refusals name the
    row they are about ("<row>-<field>"); those about the whole set are under "all"."""
    specs, row_of, errors = [], {}, {}
    for i, row in enumerate(rows):
        if not (row["name"] or row["weight"] or row["rubric"]):
            continue
        rubric = parse_rubric(row["rubric"])
        if rubric is None:
            errors[f"{i}-rubric"] = _l("Write each criterion on its own line: name, a colon, then levels such "
                                       "as 优秀=4，良好=3，合格=2，不合格=0.")
            rubric = []
        row_of[len(specs)] = i
        specs.append({"id": row["id"] or None, "name": row["name"], "kind": row["kind"],
                      "weight": row["weight"], "max_score": row["max_score"] or 100, "rubric": rubric})
    if errors:
        raise InvalidInput(fields=errors)
    try:
        return grades.set_assessments(actor, cohort, specs)
    except InvalidInput as exc:
        for key, message in exc.fields.items():
            match = _SPEC_KEY.match(key)
            if match:
                errors[f"{row_of.get(int(match.group(1)), 0)}-{match.group(2)}"] = message
            else:
                errors["all"] = " ".join(filter(None, [str(errors.get("all", "")), str(message)]))
        raise InvalidInput(fields=errors) from None
