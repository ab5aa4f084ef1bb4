"""Dynamic properties the style sheet selects on (``QLabel#alertClaim[unclaimed="true"]``).

Qt only re-reads the style sheet for a widget when it is re-polished, and a re-polish restyles
the widget: done on every poll or tick it is wasted work. So the property is set, and the widget
re-polished, only when a value actually changes.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def set_style_properties(widget: QWidget, **values: object) -> None:
    """Set the named dynamic properties; re-polish `widget` once if any of them changed."""
    changed = False
    for name, value in values.items():
        if widget.property(name) != value:
            widget.setProperty(name, value)
            changed = True
    if changed:
        widget.style().unpolish(widget)
        widget.style().polish(widget)
