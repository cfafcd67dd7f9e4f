"""统一社会信用代码 (GB 32100-2015): the check character of a company's unified social credit code."""
from __future__ import annotations

import re


# -- 统一社会信用代码 (GB 32100-2015) ------------------------------------------------------
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_RE = re.compile(rf"^[{USCC_ALPHABET}]{{18}}$")


def uscc_check_character(first17: str) -> str:
    """The 18th character for the first 17: 31 − (Σ value·weight mod 31), 31 counting as 0."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalise_uscc(code: str | None) -> str:
    return re.sub(r"[\s\-]", "", code or "").upper()


def validate_uscc(code: str | None) -> bool:
    """True for an 18-character unified social credit code whose check character is right."""
    code = normalise_uscc(code)
    return bool(USCC_RE.match(code)) and uscc_check_character(code[:17]) == code[17]
