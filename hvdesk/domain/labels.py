"""Enumerations that carry the words the office uses for them."""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class LabelledEnum(StrEnum):
    """A string enum whose members also carry a label for forms and lists (UK English).

    Members are declared as ``NAME = ("stored_value", "Label the office reads")``; the stored
    value never changes once data exists, the label may.
    """

    _label: str

    def __new__(cls, value: str, label: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label or value.replace("_", " ").capitalize()
        return member

    @property
    def label(self) -> str:
        return self._label
