"""How typed text is stored: trimmed, and None for nothing, so an empty box never saves "".

One place for the rules every form shares, so a note, a reason and a name are tidied alike.
"""

from __future__ import annotations

__all__ = ["clean_text", "one_line", "trimmed"]


def trimmed(value: str | None) -> str | None:
    """Outer space trimmed; None for nothing (or only spaces)."""
    if value is None:
        return None
    return value.strip() or None


def clean_text(value: str | None) -> str | None:
    """Text as stored: line endings made plain, outer space trimmed, None for nothing."""
    if value is None:
        return None
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None


def one_line(value: str | None) -> str | None:
    """A short field on one line: runs of spaces and line breaks become one space."""
    if value is None:
        return None
    return " ".join(value.split()) or None
