"""Tiny server-side SVG charts for the reports (WeasyPrint draws inline SVG; no script, no
library): a target's running figure against the even pace, and its figures by year."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import escape

from markupsafe import Markup

FONT = 'font-family="Noto Sans CJK SC" font-size="9"'
LINE, PACE, BAR, AXIS = "#1f5fa8", "#c0392b", "#4a86c5", "#888"


def _f(value: float) -> str:
    return f"{value:.1f}"


def _label(value) -> str:
    value = Decimal(value)
    return f"{int(value):,}" if value == value.to_integral_value() else f"{float(value):,.1f}"


def progress_line(series: list[tuple[date, Decimal]], first: date, last: date, number: Decimal | None,
                  *, width: int = 460, height: int = 150) -> Markup:
    """The running figure at each month's end (a line) and, when the target has a number, the even
    pace from nothing on the first day to the number on the last (a dashed line)."""
    left, right, top, bottom = 44, 8, 10, 22
    span = max((last - first).days, 1)
    top_value = max([float(v) for _d, v in series] + [float(number or 0), 1.0])

    def x(day: date) -> float:
        return left + (width - left - right) * min(max((day - first).days, 0), span) / span

    def y(value) -> float:
        return height - bottom - (height - top - bottom) * float(value) / top_value

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" class="chart">',
             f'<line x1="{left}" y1="{_f(y(0))}" x2="{width - right}" y2="{_f(y(0))}" stroke="{AXIS}"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{_f(y(0))}" stroke="{AXIS}"/>',
             f'<text x="{left - 4}" y="{_f(y(top_value) + 3)}" text-anchor="end" {FONT}>{_label(top_value)}</text>',
             f'<text x="{left - 4}" y="{_f(y(0) + 3)}" text-anchor="end" {FONT}>0</text>',
             f'<text x="{left}" y="{height - 6}" {FONT}>{first.isoformat()}</text>',
             f'<text x="{width - right}" y="{height - 6}" text-anchor="end" {FONT}>{last.isoformat()}</text>']
    if number is not None:
        parts.append(f'<line x1="{_f(x(first))}" y1="{_f(y(0))}" x2="{_f(x(last))}" y2="{_f(y(number))}" '
                     f'stroke="{PACE}" stroke-dasharray="4 3"/>')
    if series:
        points = " ".join(f"{_f(x(d))},{_f(y(v))}" for d, v in series)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def year_bars(years: list[tuple[int, object]], *, width: int = 240, height: int = 150) -> Markup:
    """One bar per year with its figure above it."""
    left, top, bottom = 8, 14, 20
    values = [float(v or 0) for _y, v in years]
    peak = max(values + [1.0])
    slot = (width - 2 * left) / max(len(years), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" class="chart">',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" y2="{height - bottom}" stroke="{AXIS}"/>']
    for n, ((year, value), v) in enumerate(zip(years, values)):
        h = (height - top - bottom) * v / peak
        x = left + n * slot + slot * 0.2
        parts.append(f'<rect x="{_f(x)}" y="{_f(height - bottom - h)}" width="{_f(slot * 0.6)}" height="{_f(h)}" '
                     f'fill="{BAR}"/>')
        parts.append(f'<text x="{_f(x + slot * 0.3)}" y="{_f(height - bottom - h - 3)}" text-anchor="middle" '
                     f'{FONT}>{escape(_label(value or 0))}</text>')
        parts.append(f'<text x="{_f(x + slot * 0.3)}" y="{height - 6}" text-anchor="middle" {FONT}>{year}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
