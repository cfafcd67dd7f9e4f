"""Stored codes with a translated label: one enum member declares both, side by side.

    class EventStatus(LabelledEnum):
        DRAFT = "draft", _l("Draft")

`EventStatus.DRAFT` is the string "draft" (what columns store and forms post), its `label` is
the text in the current language, and `labels(EventStatus)` is the {member: lazy label} table
forms and templates list choices from, in declaration order.
"""
from __future__ import annotations

import enum


class LabelledEnum(str, enum.Enum):
    def __new__(cls, value: str, label):
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label  # lazy: translated when shown, in the language of that request
        return member

    @property
    def label(self) -> str:
        return str(self._label)

    @classmethod
    def label_of(cls, code: str) -> str:
        """The label of a stored code; a code this enum does not know (an older row) shows as is."""
        try:
            return cls(code).label
        except ValueError:
            return code


def labels(kind: type[LabelledEnum]) -> dict:
    """{member: lazy label} in declaration order (lazy, so a table built at import follows the
    language of each request)."""
    return {member: member._label for member in kind}
