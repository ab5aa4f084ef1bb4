"""The stand-down on a card (issue 13): once an escalation is resolved, everyone alerted (the
police with their reference first, then the emergency contact, the supervisor, the headteacher)
with one action each: "Told", or "Not needed" with a word why. Each button's accessible name
says whom and which visit it is for."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton, QWidget

from hvdesk.clock import format_school_time
from hvdesk.domain.stand_down import StandDownItem, party_label

__all__ = ["StandDownBox"]


class StandDownBox(QWidget):
    """One line per person or service alerted; emits (party value, reason or None)."""

    told = Signal(str)
    not_needed = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(4)
        self.told_buttons: dict[str, QPushButton] = {}
        self.reasons: dict[str, QLineEdit] = {}
        self.not_needed_buttons: dict[str, QPushButton] = {}
        self._shown: tuple[tuple[StandDownItem, ...], bool] | None = None

    def show_items(
        self, items: tuple[StandDownItem, ...], whose: str, *, private: bool = False
    ) -> None:
        """`private`: privacy mode, so no contact's name or police reference is shown."""
        if (items, private) == self._shown:
            return
        self._shown = (items, private)
        while self.grid.count():
            taken = self.grid.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        self.told_buttons.clear()
        self.reasons.clear()
        self.not_needed_buttons.clear()
        for row, item in enumerate(items):
            said = party_label(item.party) if private else item.label
            label = QLabel(said)
            label.setTextFormat(Qt.TextFormat.PlainText)
            self.grid.addWidget(label, row, 0)
            party = item.party.value
            if item.done:
                outcome = item.outcome.label if item.outcome is not None else "Done"
                when = format_school_time(item.done_at, "%H:%M") if item.done_at else ""
                why = f": {item.reason}" if item.reason else ""
                done = QLabel(f"{outcome}{why} ({item.done_by}, {when})")
                done.setTextFormat(Qt.TextFormat.PlainText)
                self.grid.addWidget(done, row, 1, 1, 3)
                continue
            told = QPushButton("Told: safe")
            told.setAccessibleName(f"Stand-down: {said} told, {whose}")
            told.clicked.connect(lambda _=False, p=party: self.told.emit(p))
            reason = QLineEdit()
            reason.setPlaceholderText("or why not needed")
            reason.setAccessibleName(f"Why telling {said} is not needed, {whose}")
            skip = QPushButton("Not needed")
            skip.setAccessibleName(f"Stand-down: {said} not needed, {whose}")
            skip.clicked.connect(
                lambda _=False, p=party, r=reason: self.not_needed.emit(p, r.text())
            )
            reason.returnPressed.connect(skip.click)
            self.grid.addWidget(told, row, 1)
            self.grid.addWidget(reason, row, 2)
            self.grid.addWidget(skip, row, 3)
            self.told_buttons[party] = told
            self.reasons[party] = reason
            self.not_needed_buttons[party] = skip
