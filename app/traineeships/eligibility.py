"""Who may apply to a batch: the batch's rules (data, see defaults.py) against the applicant's
answers. Every rule that fails is reported, each with its reason in the applicant's language,
keyed by the answer it is about, so the form can show it beside that answer."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l


@dataclass
class Answers:
    birth_date: date
    graduation_year: int
    in_shanghai_household: bool = False
    studies_in_shanghai: bool = False
    left_school_unemployed: bool = False


def age_on(birth_date: date, day: date) -> int:
    """Whole years on `day` (a person born on 29 February is a year older on 1 March)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def refusals(rules: dict, answers: Answers, on: date) -> dict[str, object]:
    """The rules `answers` fail, as {answer key: reason}; empty when the applicant is eligible.
    Age is counted on `on` (the day the batch starts)."""
    failed = {}
    low, high = rules.get("min_age"), rules.get("max_age")
    age = age_on(answers.birth_date, on)
    if (low is not None and age < low) or (high is not None and age > high):
        failed["birth_date"] = _l("This batch takes people aged %(low)s to %(high)s on its first day; "
                                  "you would be %(age)s.", low=low if low is not None else 0,
                                  high=high if high is not None else "—", age=age)
    years = rules.get("graduation_years") or []
    if years and answers.graduation_year not in years:
        failed["graduation_year"] = _l("This batch takes those graduating in %(years)s.",
                                       years="、".join(str(y) for y in sorted(years)))
    if rules.get("left_school_unemployed_only") and not answers.left_school_unemployed:
        failed["left_school_unemployed"] = _l("This batch is for young people who have left school and are "
                                              "not yet employed (离校未就业).")
    if rules.get("shanghai_household_or_study") and not (answers.in_shanghai_household
                                                        or answers.studies_in_shanghai):
        failed["in_shanghai_household"] = _l("This batch takes people with a Shanghai household registration "
                                             "or studying at a university in Shanghai.")
    return failed


def check_rules(rules: dict) -> dict[str, object]:
    """What is wrong with rules staff typed (an empty age range, a year out of range)."""
    errors = {}
    low, high = rules.get("min_age"), rules.get("max_age")
    for key, value in (("min_age", low), ("max_age", high)):
        if value is not None and (not isinstance(value, int) or not 14 <= value <= 70):
            errors[key] = _l("An age from 14 to 70.")
    if not errors and low is not None and high is not None and low > high:
        errors["max_age"] = _l("The highest age is not below the lowest.")
    years = rules.get("graduation_years") or []
    if not isinstance(years, list) or not all(isinstance(y, int) and 1990 <= y <= 2100 for y in years):
        errors["graduation_years"] = _l("Years such as 2025, 2026, separated by commas.")
    return errors
