"""Cohort reports: enrolment, attendance per lesson and per founder (grades and results are
added by the grading module), and the cycle's tiers side by side."""
from __future__ import annotations

from flask_babel import gettext as _

from app.cohorts.camps.models import Cohort
from app.cohorts.grading import grades, results
from app.cohorts.lessons import attendance
from app.cohorts.lessons.models import ATTENDANCE_LABELS, AttendanceStatus
from app.privacy import mask_phone
from app.timeutil import fmt, utcnow

RATE_BANDS = ((0.0, 0.6, "<60%"), (0.6, 0.8, "60–79%"), (0.8, 0.9, "80–89%"), (0.9, 1.01, "≥90%"))


def cohort_summary(cohort: Cohort) -> dict:
    now = utcnow()
    seen = attendance.grid(cohort, now)
    lessons, people, cells = seen
    rates = attendance.rates(cohort, now, seen=seen)
    per_lesson = []
    for lesson in lessons:
        counts = {s.value: 0 for s in AttendanceStatus}
        for person in people:
            status = cells[(lesson.id, person.id)].status
            if status is not None:
                counts[status] += 1
        held = lesson.starts_at <= now
        attended = counts["present"] + counts["late"]
        per_lesson.append({"lesson": lesson, "held": held, "counts": counts,
                           "rate": attended / len(people) if held and people else None})
    held_rows = [row for row in per_lesson if row["held"]]
    chart = {"lessons": [row["lesson"].title for row in held_rows]}
    chart.update({status.value: [row["counts"][status.value] for row in held_rows] for status in AttendanceStatus})
    known = [r.rate for r in rates.values() if r.rate is not None]
    bands = [{"label": label, "count": sum(1 for r in known if low <= r < high)} for low, high, label in RATE_BANDS]
    chart.update(bands=bands, founders=_("Founders"), labels={k.value: str(v) for k, v in ATTENDANCE_LABELS.items()})
    published = results.latest_run(cohort, published=True)
    grade_bins = results.distribution(grades.totals(cohort, rates=rates, now=now))
    chart.update(grade_labels=[label for label, _n in grade_bins], grade_counts=[n for _label, n in grade_bins],
                 grade_label=_("Founders per band of weighted total"))
    return {
        "results": results.counts(published) if published else None,
        "cohort": cohort, "enrolled": len(people), "capacity": cohort.capacity,
        "lessons": len(lessons), "held": sum(1 for row in per_lesson if row["held"]),
        "counted": len(attendance.counted_lessons(cohort, now, lessons)), "basis": cohort.attendance_basis,
        "per_lesson": per_lesson, "chart": chart, "people": people, "rates": rates, "rate_bands": bands,
        "average_rate": sum(known) / len(known) if known else None,
        "meets_attendance": sum(1 for r in known if r >= cohort.rules.get("min_attendance", 0.8)),
        "status_labels": {k.value: str(v) for k, v in ATTENDANCE_LABELS.items()},
    }


def attendance_rows(cohort: Cohort) -> tuple[list[str], list[list]]:
    seen = attendance.grid(cohort)
    lessons, people, cells = seen
    rates = attendance.rates(cohort, seen=seen)
    labels = {k.value: str(v) for k, v in ATTENDANCE_LABELS.items()}
    header = [_("Name"), _("Mobile"), _("Company")] + [
        f"{fmt(lesson.starts_at, '%m-%d')} {lesson.title}" for lesson in lessons] + [
        _("Attended"), _("Counted lessons"), _("Attendance rate")]
    rows = []
    for person in people:
        rate = rates[person.id]
        rows.append([person.user.name, mask_phone(person.user.mobile), person.company]
                    + [labels.get(cells[(lesson.id, person.id)].status, "") for lesson in lessons]
                    + [rate.attended, rate.denominator, round(rate.rate * 100, 1) if rate.rate is not None else ""])
    return header, rows
