"""The end-of-day card's list: each colleague still out or not confirmed home safe, with a
button that shows their row on the board."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from hvdesk.ui.board.elided_label import set_text


class EndOfDayList(QWidget):
    """One line a visit; `show_requested(visit_id)` when its button is pressed."""

    show_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(2)
        self.rows: dict[int, tuple[QLabel, QPushButton]] = {}
        self.hide()

    def set_visits(self, visit_ids: list[int], names: dict[int, str]) -> None:
        """Show these visits (in this order), named as `names` says."""
        for visit_id in list(self.rows):
            if visit_id not in visit_ids:
                label, _button = self.rows.pop(visit_id)
                line = label.parentWidget()
                if line is not None:
                    line.deleteLater()
        for visit_id in visit_ids:
            if visit_id not in self.rows:
                self.rows[visit_id] = self._add_line(visit_id)
            label, button = self.rows[visit_id]
            text = names.get(visit_id, f"Visit {visit_id}")
            set_text(label, text)
            button.setAccessibleName(f"Show {text} on the board")
        self.show()

    def _add_line(self, visit_id: int) -> tuple[QLabel, QPushButton]:
        line = QWidget()
        row = QHBoxLayout(line)
        row.setContentsMargins(0, 0, 0, 0)
        label = QLabel()
        label.setTextFormat(Qt.TextFormat.PlainText)
        button = QPushButton("Show on the board")
        button.clicked.connect(lambda _=False, v=visit_id: self.show_requested.emit(v))
        row.addWidget(label, 1)
        row.addWidget(button)
        self.layout_.addWidget(line)
        return label, button
