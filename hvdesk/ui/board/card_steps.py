"""The three things every alert card says (issue 13): what has been done (each step, by whom,
when), what to do now (marked "Do now:" in words as well as by its colour, and so announced by
a screen reader), and what comes next at what time on the school's clock, or that there is
nothing to do but wait. The words come from `hvdesk.domain.next_steps`."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from hvdesk.domain.next_steps import next_steps
from hvdesk.services.board import name_the_staff
from hvdesk.services.board_rows import BoardRow

__all__ = ["MAX_DONE_LINES", "CardSteps"]

MAX_DONE_LINES = 2
"""The latest steps on the card (all of them in its tooltip), so two cards fit at 1366x768."""


def _label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label


class CardSteps(QWidget):
    """Done, do now, next: three short lines under the card's heading."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.done_label = _label("alertDone")
        self.now_label = _label("alertDoNow")
        self.next_label = _label("alertNext")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for label in (self.now_label, self.next_label, self.done_label):
            layout.addWidget(label)

    def show_row(self, row: BoardRow, *, private: bool = False) -> None:
        """`private`: privacy mode, so no contact's name or reference on the public screen."""
        entry = row.entry
        steps = next_steps(row.state, entry.timeline, row.policy)
        names = [v.name for v in entry.visitors]

        def named(text: str) -> str:
            return name_the_staff(text, names, is_drill=False)

        every = [step.public_text if private else step.text for step in steps.done]
        done = every[-MAX_DONE_LINES:]
        earlier = f"({len(every) - len(done)} earlier) " if len(every) > len(done) else ""
        self.done_label.setText(
            f"Done: {earlier}" + "; ".join(done) if done else "Done: nothing yet."
        )
        self.done_label.setToolTip("\n".join(every))
        self.done_label.setAccessibleName(self.done_label.text())
        self.now_label.setText(f"Do now: {named(steps.do_now)}")
        self.now_label.setAccessibleName(self.now_label.text())
        self.next_label.setText(f"Next: {named(steps.next_step)}" if steps.next_step else "")
        self.next_label.setVisible(bool(steps.next_step))
        self.next_label.setAccessibleName(self.next_label.text())

    @property
    def text(self) -> str:
        """All three, as a screen reader reads them (and tests)."""
        parts = (self.now_label.text(), self.next_label.text(), self.done_label.text())
        return "\n".join(p for p in parts if p)
