"""The referral a visitor arrived with (an ambassador's or recruiting officer's link, /r/<code>),
remembered in their session so that the registration or camp application they make next can be
credited to it.

Only the code is carried here, as data: which codes are valid is the rosters' business (a higher
layer, which remembers a code only while its holder is active), and the registering services
store what they are given in their `referral_code` column, never asking the rosters.
"""
from __future__ import annotations

import re

from flask import has_request_context, session

SESSION_KEY = "referral_code"
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: read aloud or typed from paper
CODE_LENGTH = 8
_SHAPE = re.compile(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")


def normalise(code: str | None) -> str | None:
    """The code as stored (lower case), or None when it cannot be one."""
    value = (code or "").strip().lower()
    return value if _SHAPE.fullmatch(value) else None


def remember(code: str) -> None:
    session[SESSION_KEY] = code


def remembered() -> str | None:
    """The code this visitor came with, if any (None outside a request: a CLI or job registers nobody by link)."""
    if not has_request_context():
        return None
    return normalise(session.get(SESSION_KEY))
