"""Masking of personal numbers: what every page shows unless a role needs more; and of the URLs
that are themselves keys, wherever a log shows a URL."""
from __future__ import annotations

import re

URL_MASK = "***"
# Whoever holds a ticket link (/t/<secret>), a calendar feed (/calendar/feed/<token>.ics), a checkpoint's
# venue code for self check-in (/c/<code>), a certificate's verification code (/verify/<code>), an online event's
# personal join link (/online/j/<token>), a university's invitation (/online/i/<code>) or a job fair
# booth's code (/jobfairs/b/<code>: whoever holds it sends that employer their profile) can use it.
_PRIVATE_PATH = re.compile(r"(/(?:t|c|verify|feed|j|i|b)/)[^/?#\s\"]+?(\.ics)?(?=[/?#\s\"]|$)")
_PRIVATE_QUERY = re.compile(r"((?:^|[?&])(?:token|secret|key|k|code|q)=)[^&#\s\"]*")


def mask_private_urls(text: str) -> str:
    """/t/Zq7kP2.../ticket.png -> /t/***/ticket.png: logs keep which kind of link it was."""
    text = _PRIVATE_PATH.sub(lambda m: m.group(1) + URL_MASK + (m.group(2) or ""), text)
    return _PRIVATE_QUERY.sub(lambda m: m.group(1) + URL_MASK, text)


def _keep_ends(value: str | None, head: int = 3, tail: int = 4) -> str:
    if not value:
        return ""
    text = value.strip()
    if len(text) <= head + tail:
        return "*" * len(text)
    return f"{text[:head]}{'*' * (len(text) - head - tail)}{text[-tail:]}"


def mask_phone(value: str | None) -> str:
    """13812345678 -> 138****5678"""
    return _keep_ends(value)


def mask_id_number(value: str | None) -> str:
    """310101199001011234 -> 310***********1234"""
    return _keep_ends(value)


def mask_email(value: str | None) -> str:
    if not value or "@" not in value:
        return value or ""
    name, domain = value.split("@", 1)
    shown = name[:1] if len(name) <= 2 else name[:2]
    return f"{shown}***@{domain}"


def mask_name(value: str | None) -> str:
    """张三 -> 张*, 欧阳娜娜 -> 欧**娜: for public pages."""
    if not value:
        return ""
    if len(value) == 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


class RateLimitKeyFilter:
    """Flask-Limiter logs each refusal with its key, and the key of a per-address limit is the
    client's address (personal data under PIPL). The log keeps that a limit tripped, and where."""

    def filter(self, record) -> bool:
        if isinstance(record.args, tuple) and len(record.args) == 3 and "exceeded" in str(record.msg):
            limit, _key, endpoint = record.args
            record.args = (limit, URL_MASK, endpoint)
        return True
