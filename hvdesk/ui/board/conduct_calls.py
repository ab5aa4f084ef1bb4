"""During the visit (issue 18): the staff phone in a child found alone, or no appropriate adult
present for tutoring. One action each on the board, under the quick actions.

Clicking opens a small inline form (never a modal dialog: the board stays live) that shows the
school's instruction to read to the colleague before anything is recorded ("do not enter unless
necessary to safeguard the child in an emergency; if in immediate danger, call 999"), with a
box for a short note. "Record the call" logs it through `ConductCalls` as the signed-in user,
like every other step (a child found alone also raises its incident), and the board says what
was recorded and repeats the instruction. The service decides whether it may be recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from hvdesk.domain.policy import SchoolPolicy
from hvdesk.services.board_rows import BoardRow
from hvdesk.services.identity import SignedInUser

if TYPE_CHECKING:
    from hvdesk.ui.pages.board_page import BoardPage

__all__ = [
    "CHILD_ALONE",
    "NO_ADULT",
    "ConductCallBar",
    "ConductCallRequest",
    "attach_conduct_calls",
]

CHILD_ALONE = "child_alone"
NO_ADULT = "no_adult"


@dataclass(frozen=True)
class ConductCallRequest:
    visit_id: int
    kind: str
    note: str | None


class ConductCallBar(QFrame):
    """Two buttons and their inline form."""

    requested = Signal(object)  # ConductCallRequest

    def __init__(
        self, policy: Callable[[], SchoolPolicy] = SchoolPolicy, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conductCalls")
        self.row: BoardRow | None = None
        self.policy = policy
        """The school's policy as the board last read it (its instructions are shown)."""
        self._kind: str | None = None
        self._visit: int | None = None
        label = QLabel("In the home:")
        label.setObjectName("quickHeading")
        self.alone_button = QPushButton("Child found alone…")
        self.alone_button.setAccessibleName("The staff phoned: a child found alone at the home")
        self.alone_button.setToolTip("The staff phoned to say a child is alone at the home")
        self.no_adult_button = QPushButton("No appropriate adult…")
        self.no_adult_button.setAccessibleName(
            "The staff phoned: no appropriate adult present for tutoring"
        )
        self.no_adult_button.setToolTip("Tutoring: the staff phoned to say no adult is present")
        for button in (self.alone_button, self.no_adult_button):
            button.setObjectName("quickButton")
        self.alone_button.clicked.connect(lambda: self.open_form(CHILD_ALONE))
        self.no_adult_button.clicked.connect(lambda: self.open_form(NO_ADULT))
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(6)
        bar.addWidget(label)
        bar.addWidget(self.alone_button)
        bar.addWidget(self.no_adult_button)
        bar.addStretch(1)

        self.form = QWidget()
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.instruction = QLabel()
        self.instruction.setObjectName("safeWordQuestion")
        self.instruction.setWordWrap(True)
        self.instruction.setTextFormat(Qt.TextFormat.PlainText)
        for label in (self.title, self.instruction):  # never squeezed into each other
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.note = QLineEdit()
        self.note.setAccessibleName("Note of the call")
        self.note.setPlaceholderText("What they said, e.g. boy of about 8 answered the door")
        self.record_button = QPushButton("Record the call")
        self.record_button.setDefault(True)
        back = QPushButton("Back")
        back.setAccessibleName("Close the form without recording")
        self.record_button.clicked.connect(self._record)
        self.note.returnPressed.connect(self._record)
        back.clicked.connect(self.close_form)
        form_layout = QVBoxLayout(self.form)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.setSpacing(4)
        form_layout.addWidget(self.title)
        form_layout.addWidget(self.instruction)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(self.record_button)
        row.addWidget(back)
        form_layout.addLayout(row)
        self.form.hide()

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self.form)
        layout.addWidget(self.message)
        self.set_row(None)

    def set_row(self, row: BoardRow | None) -> None:
        """Enable what fits the selected visit: only while the staff are out (the service
        checks again, and that "no appropriate adult" is for a tutoring visit)."""
        self.row = row
        out = row is not None and row.state.phase.is_out
        self.alone_button.setEnabled(out)
        self.no_adult_button.setEnabled(out)
        if self._visit is not None and (row is None or row.visit_id != self._visit):
            self.close_form()

    def open_form(self, kind: str) -> None:
        row = self.row
        if row is None:
            return
        self._kind, self._visit = kind, row.visit_id
        if kind == CHILD_ALONE:
            self.title.setText(f"{row.names} phoned: a child is alone at the home. Say:")
            self.instruction.setText(self.policy().child_alone_instruction)
        else:
            self.title.setText(f"{row.names} phoned: no appropriate adult for tutoring. Say:")
            self.instruction.setText(self.policy().no_adult_instruction)
        self.note.clear()
        self.message.hide()
        self.form.show()
        self.note.setFocus(Qt.FocusReason.OtherFocusReason)

    def close_form(self) -> None:
        self._kind = self._visit = None
        self.form.hide()

    def _record(self) -> None:
        if self._kind is None or self._visit is None:
            return
        note = self.note.text().strip() or None
        self.requested.emit(ConductCallRequest(self._visit, self._kind, note))

    def show_result(self, text: str, *, error: bool) -> None:
        self.message.setObjectName("inlineError" if error else "inlineDone")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)
        self.message.show()


def attach_conduct_calls(page: BoardPage) -> ConductCallBar:
    """Put the bar under the board's quick action buttons and wire it to the page's recorder."""
    bar = ConductCallBar(lambda: page.policy)
    # Inside the quick actions' own column, under their buttons: the board's height sharing
    # measures that bar, so the table leaves room for this one and its form.
    layout = page.quick_bar.layout()
    if isinstance(layout, QBoxLayout):
        layout.insertWidget(1, bar)
    calls = page.recorder.services.conduct_calls

    def record(request: ConductCallRequest) -> None:
        said: list[str] = []

        def run(by: SignedInUser) -> object:
            if request.kind == CHILD_ALONE:
                logged = calls.child_found_alone(request.visit_id, by, request.note)
                said.append("a child found alone phoned in; a “Child found alone” incident raised")
            else:
                logged = calls.no_appropriate_adult(request.visit_id, by, request.note)
                said.append("no appropriate adult for tutoring phoned in")
            said.append(logged.instruction)
            return logged

        error = page.recorder._record(run)
        if error is not None:
            bar.show_result(error, error=True)
            return
        bar.close_form()
        page.recorder._done(request.visit_id, said[0])
        bar.show_result(f"Told them: {said[1]}", error=False)

    bar.requested.connect(record)
    return bar
