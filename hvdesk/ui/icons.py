"""The SVG icons of resources/icons, loaded once each."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from hvdesk.resources_path import resource_path


@cache
def icon(name: str) -> QIcon:
    """The icon `name` (without ``.svg``); a missing file raises rather than showing a blank."""
    return QIcon(str(resource_path(f"icons/{name}.svg")))
