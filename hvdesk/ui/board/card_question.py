"""The question a card asks inline before it records an outcome: a supervisor's name, a police
reference, how it was resolved, or minutes to extend (with an optional note)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget

from hvdesk.ui.board.alert_words import ASKS, DEFAULT_EXTEND_MINUTES, CardCommand


class CardQuestion(QWidget):
    """One line under the card's buttons; hidden until a button needs an answer."""

    answered = Signal(object, object, object)  # CardCommand, text or None, minutes or None
    unanswered = Signal(str)  # what to tell the office (nothing typed)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertInput")
        self.asking: CardCommand | None = None
        self.label = QLabel()
        self.text = QLineEdit()
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 480)
        self.minutes.setValue(DEFAULT_EXTEND_MINUTES)
        self.minutes.setSuffix(" min")
        self.note = QLineEdit()
        self.note.setPlaceholderText("Note (optional)")
        self.note.setAccessibleName("Note for the extension")
        self.record = QPushButton()
        self.record.setObjectName("alertRecord")
        self.record.setAutoDefault(True)
        self.cancel = QPushButton("Back")
        self.cancel.setAccessibleName("Close this question without recording")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        for widget, stretch in (
            (self.label, 0),
            (self.text, 1),
            (self.minutes, 0),
            (self.note, 1),
            (self.record, 0),
            (self.cancel, 0),
        ):
            row.addWidget(widget, stretch)
        self.hide()
        self.text.returnPressed.connect(self.submit)
        self.note.returnPressed.connect(self.submit)
        self.record.clicked.connect(self.submit)
        self.cancel.clicked.connect(self.close_question)

    def ask(self, command: CardCommand, suggestion: str | None = None) -> None:
        """Open the question `command` needs, `suggestion` typed in and selected."""
        ask = ASKS[command]
        self.asking = command
        self.label.setText(ask.prompt)
        self.record.setText(ask.record)
        self.record.setAccessibleName(ask.record)
        self.text.setVisible(not ask.numeric)
        self.minutes.setVisible(ask.numeric)
        self.note.setVisible(ask.numeric)
        self.text.setPlaceholderText(ask.placeholder)
        self.text.setAccessibleName(ask.prompt)
        self.minutes.setAccessibleName(ask.prompt)
        self.text.clear()
        self.note.clear()
        if suggestion:
            self.text.setText(suggestion)
            self.text.selectAll()
        self.label.setBuddy(self.minutes if ask.numeric else self.text)
        self.show()
        (self.minutes if ask.numeric else self.text).setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        command = self.asking
        if command is None:
            return
        ask = ASKS[command]
        if ask.numeric:
            note = self.note.text().strip() or None
            self.answered.emit(command, note, self.minutes.value())
            return
        text = self.text.text().strip()
        if not text:
            self.unanswered.emit(f"{ask.prompt} Type it in, then press {ask.record}.")
            self.text.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.answered.emit(command, text, None)

    def close_question(self) -> None:
        self.asking = None
        self.hide()
