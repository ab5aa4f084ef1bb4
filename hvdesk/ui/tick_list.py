"""Choosing people by ticking them in a filtered list (the visitors of a request, the staff of
an urgent departure): Enter in the filter ticks the first one shown, and the order of ticking
is kept, because the first ticked leads."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem

ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1
"""Where each item keeps the id of whom it stands for."""


def tick_first_shown(items: QListWidget) -> None:
    """Tick the first item the filter leaves shown that is not ticked yet, if any."""
    for row in range(items.count()):
        item = items.item(row)
        if not item.isHidden() and item.checkState() is Qt.CheckState.Unchecked:
            item.setCheckState(Qt.CheckState.Checked)
            break


def follow_tick(order: list[int], item: QListWidgetItem) -> bool:
    """Keep `order` (ids in the order they were ticked) in step with `item`'s tick box;
    False when it already was."""
    person_id = int(item.data(ID_ROLE))
    ticked = item.checkState() is Qt.CheckState.Checked
    if ticked and person_id not in order:
        order.append(person_id)
    elif not ticked and person_id in order:
        order.remove(person_id)
    else:
        return False
    return True
