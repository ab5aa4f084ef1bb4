"""The board table's right-click menu: the same quick actions as the bar under the table, so
the menu and the bar always act on the same row, and the claim when the row has an alert."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget


def row_menu(
    parent: QWidget,
    quick_actions: Iterable[QAction],
    *,
    claimable: bool,
    claim: Callable[[], None],
) -> QMenu:
    """A menu of `quick_actions`, then "Claim the alert" when the row has a claimable alert."""
    menu = QMenu(parent)
    for action in quick_actions:
        menu.addAction(action)
    if claimable:
        menu.addSeparator()
        menu.addAction("Claim the alert: I am dealing with it").triggered.connect(claim)
    return menu
