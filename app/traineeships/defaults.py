"""What a new batch starts with, by programme kind: its eligibility rules and its evaluation
rubric. Both are data of the batch afterwards; staff may change them per batch."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.traineeships.models import ProgrammeKind


# 职业见习: 16–35-year-olds out of school and not in work (离校未就业), with a Shanghai household
# or a Shanghai university behind them. 大学生社会实践: students still at university (graduating
# this year or within the next three), studying in Shanghai or from a Shanghai household.
def default_eligibility(kind: str, year: int) -> dict:
    if kind == ProgrammeKind.SOCIAL_PRACTICE.value:
        return {"min_age": 16, "max_age": 30, "graduation_years": [year + n for n in range(4)],
                "left_school_unemployed_only": False, "shanghai_household_or_study": True}
    return {"min_age": 16, "max_age": 35, "graduation_years": [],
            "left_school_unemployed_only": True, "shanghai_household_or_study": True}


# The labels of the default criteria, translated when shown; a criterion staff add has its own label.
CRITERION_LABELS = {
    "discipline": _l("Attendance and discipline"),
    "skills": _l("Professional skills"),
    "attitude": _l("Attitude to learning"),
    "teamwork": _l("Teamwork and communication"),
    "performance": _l("Performance in practice"),
    "report": _l("Practice report"),
}

_DEFAULT_KEYS = {
    ProgrammeKind.JOB_TRAINEESHIP.value: ("discipline", "skills", "attitude", "teamwork"),
    ProgrammeKind.SOCIAL_PRACTICE.value: ("performance", "teamwork", "attitude", "report"),
}


def default_rubric(kind: str) -> list[dict]:
    """Four criteria of 25 points each (100 in all)."""
    keys = _DEFAULT_KEYS.get(kind, _DEFAULT_KEYS[ProgrammeKind.JOB_TRAINEESHIP.value])
    return [{"key": key, "label": "", "max": 25} for key in keys]


def criterion_label(criterion: dict) -> str:
    """A criterion's label in the reader's language: a default criterion has no label of its own
    and is named in translation; one staff added carries the label they gave."""
    if criterion.get("label"):
        return str(criterion["label"])
    return str(CRITERION_LABELS.get(criterion.get("key"), criterion.get("key", "")))
