"""One normalisation of organisation names, shared by the registry's duplicate search and the
competitions' conflict-of-interest checks: 上海某某科技有限公司 and 上海某某科技（上海）有限公司 are one."""
from __future__ import annotations

import re
import unicodedata

_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "公司", "coltd", "ltd", "inc", "co")
_BRACKETED = re.compile(r"[（(][^）)]*[）)]")


def normalise_name(name: str | None) -> str:
    """Compare organisations, not spellings: full-width forms, spaces, punctuation, bracketed
    places (（上海）) and company-form suffixes (有限公司, Co., Ltd.) do not count."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    text = _BRACKETED.sub("", text)
    text = "".join(ch for ch in text if ch.isalnum())
    changed = True
    while changed and text:
        changed = False
        for suffix in _SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text, changed = text[: -len(suffix)], True
    return text


# The competitions' name for it: a judge's and an entrant's employer are compared this way.
normalise_employer = normalise_name
