"""The one rounding rule for scores and totals: two decimals, half up, on exact decimals.

A binary float cannot hold 88.665 (it is 88.66499999…), so round(x, 2) gave 88.66 in one
place and 88.67 in another. Every score shown, exported, ranked or compared with a band goes
through round_score, computed from Decimal inputs. Floats read from the database are taken by
their shortest repr (Decimal(str(x))), which is the decimal that was typed."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def exact(value) -> Decimal:
    """A number as the decimal it was written as (a float by its shortest repr, never its binary value)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def round_score(value) -> Decimal:
    """Two decimals, half up: 88.665 -> 88.67."""
    return exact(value).quantize(CENT, rounding=ROUND_HALF_UP)


def score_text(value) -> str:
    """A rounded score as people write it: 88.67, 88.5, 90 (no trailing zeros)."""
    if value is None:
        return ""
    text = f"{round_score(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
