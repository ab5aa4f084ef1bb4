"""The problems beside the form, kept current as it is edited: what must be put right before the
request can be submitted, then the warnings. Words say which is which ("Must fix", "Warning"),
not colour alone; choosing one puts the cursor in its field."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from hvdesk.domain.visit_request import Problem

FIELD_ROLE = int(Qt.ItemDataRole.UserRole) + 1
BLOCKER_COLOUR = QColor("#8c1d18")
WARNING_COLOUR = QColor("#6b5200")


class ProblemList(QWidget):
    """A heading that counts the problems and a list of them, blockers first."""

    field_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._problems: list[Problem] = []
        heading = QLabel("Before submitting")
        heading.setObjectName("dialogTitle")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.list = QListWidget()
        self.list.setAccessibleName("Problems with the request")
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        self.list.itemActivated.connect(self._chosen)
        self.list.itemClicked.connect(self._chosen)

    def set_problems(self, problems: Sequence[Problem]) -> None:
        ordered = [p for p in problems if p.blocks] + [p for p in problems if not p.blocks]
        if ordered == self._problems:
            return
        self._problems = ordered
        self.list.clear()
        for problem in ordered:
            kind = "Must fix" if problem.blocks else "Warning"
            item = QListWidgetItem(f"{kind}: {problem.message}")
            item.setData(FIELD_ROLE, problem.field)
            item.setForeground(BLOCKER_COLOUR if problem.blocks else WARNING_COLOUR)
            self.list.addItem(item)
        blocking = sum(1 for p in ordered if p.blocks)
        warnings = len(ordered) - blocking
        if blocking:
            text = f"{blocking} to put right before it can be submitted"
        else:
            text = "Nothing stops it being submitted"
        if warnings:
            text += f"; {warnings} warning{'s' if warnings != 1 else ''} to consider"
        self.summary.setText(text + ".")

    def problems(self) -> list[Problem]:
        """What is listed now, blockers first."""
        return list(self._problems)

    def messages(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def _chosen(self, item: QListWidgetItem) -> None:
        self.field_chosen.emit(str(item.data(FIELD_ROLE)))
