"""Find-as-you-type choosers (the pupil or household of a request, its visitors, the staff of
an urgent departure, the person a subject access request is about) share their parts: a
search box that clears with one click, and a tight column of box, list and what is chosen."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget


def search_box(placeholder: str, accessible_name: str) -> QLineEdit:
    """A box to type part of a name in, with a button that empties it."""
    box = QLineEdit()
    box.setPlaceholderText(placeholder)
    box.setAccessibleName(accessible_name)
    box.setClearButtonEnabled(True)
    return box


def finder_column(owner: QWidget, *parts: QWidget) -> QVBoxLayout:
    """Lay `parts` (the box, the list, the chosen line) close together, edge to edge."""
    layout = QVBoxLayout(owner)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    for part in parts:
        layout.addWidget(part)
    return layout
