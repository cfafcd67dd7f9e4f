"""Masking of personal numbers: what every page shows unless a role needs more."""
from __future__ import annotations


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    digits = value.strip()
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    text = value.strip()
    if len(text) <= 7:
        return "*" * len(text)
    return f"{text[:3]}{'*' * (len(text) - 7)}{text[-4:]}"


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
