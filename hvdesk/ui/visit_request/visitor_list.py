"""Choosing who goes: every member of staff, each with what would stop them going at the
planned time (phones, DBS, training, another visit) and whether their safeguarding training is
in date, so the requester picks a pair who can go rather than finding out on submitting.

Tick order is kept: the first ticked leads the visit."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QWidget

from hvdesk.services.lookups import VisitorChoice
from hvdesk.ui.finder_parts import finder_column, search_box
from hvdesk.ui.tick_list import ID_ROLE, follow_tick, tick_first_shown

NOBODY = "Nobody chosen yet: tick two (a pair by default)."


def describe(choice: VisitorChoice) -> str:
    """One line: name, job, training, and what stops them going (each in a few words)."""
    parts = [f"{choice.name} ({choice.job_role})"]
    for problem in choice.problems:
        text = problem.message
        for prefix in (f"{choice.name}: ", f"{choice.name} "):
            if text.startswith(prefix):
                text = text[len(prefix) :]
                break
        parts.append("cannot go: " + text.split(";")[0])
    parts.append("safeguarding trained" if choice.trained else "no current safeguarding training")
    return " · ".join(parts)


class VisitorList(QWidget):
    """A filter box and the staff list with tick boxes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._order: list[int] = []
        self._choices: dict[int, VisitorChoice] = {}
        self.filter = search_box("Type a name or job, then Enter to tick", "Visitors: search staff")
        self.list = QListWidget()
        self.list.setAccessibleName("Visitors")
        self.list.setMinimumHeight(130)
        self.list.setMaximumHeight(170)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.chosen_label = QLabel(NOBODY)
        self.chosen_label.setObjectName("pageSummary")
        self.chosen_label.setWordWrap(True)
        self.chosen_label.setTextFormat(Qt.TextFormat.PlainText)
        finder_column(self, self.filter, self.list, self.chosen_label)
        self.filter.textChanged.connect(self._filter)
        self.filter.returnPressed.connect(self._tick_first)
        self.list.itemChanged.connect(self._item_changed)

    def set_choices(self, choices: Sequence[VisitorChoice]) -> None:
        """Fill the list again (the facts depend on the planned time), keeping the ticks."""
        self._choices = {c.staff_id: c for c in choices}
        self.list.blockSignals(True)
        self.list.clear()
        for choice in choices:
            item = QListWidgetItem(describe(choice))
            item.setData(ID_ROLE, choice.staff_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = choice.staff_id in self._order
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            if choice.problems:
                item.setToolTip("\n".join(p.message for p in choice.problems))
                item.setForeground(Qt.GlobalColor.darkRed)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._filter(self.filter.text())
        self._show_chosen()

    def set_chosen(self, staff_ids: Sequence[int]) -> None:
        self._order = list(dict.fromkeys(staff_ids))
        self.set_choices(list(self._choices.values()))
        self.changed.emit()

    def chosen(self) -> tuple[int, ...]:
        """The ticked staff in tick order (the first leads)."""
        return tuple(self._order)

    def chosen_choices(self) -> list[VisitorChoice]:
        return [self._choices[i] for i in self._order if i in self._choices]

    def tick(self, staff_id: int) -> None:
        """Tick one person, as a click on their box does."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            if int(item.data(ID_ROLE)) == staff_id:
                item.setCheckState(Qt.CheckState.Checked)

    def untick(self, staff_id: int) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if int(item.data(ID_ROLE)) == staff_id:
                item.setCheckState(Qt.CheckState.Unchecked)

    def _filter(self, text: str) -> None:
        terms = text.casefold().split()
        for row in range(self.list.count()):
            item = self.list.item(row)
            words = item.text().split(" · ")[0].casefold()
            item.setHidden(bool(terms) and not all(t in words for t in terms))

    def _tick_first(self) -> None:
        tick_first_shown(self.list)
        self.filter.clear()

    def _item_changed(self, item: QListWidgetItem) -> None:
        if not follow_tick(self._order, item):
            return
        self._show_chosen()
        self.changed.emit()

    def _show_chosen(self) -> None:
        names = [self._choices[i].name for i in self._order if i in self._choices]
        if not names:
            self.chosen_label.setText(NOBODY)
            return
        lead, *others = names
        text = f"Going: {lead} (leads)"
        if others:
            text += ", " + ", ".join(others)
        self.chosen_label.setText(text + ".")
