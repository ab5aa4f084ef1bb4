"""The message under a form's fields when what was typed is refused: the dialog stays open,
the field is selected for retyping, and a screen reader hears the reason on that field."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget


class InlineError(QLabel):
    """Hidden until a refusal; styled by the `inlineError` rule of the style sheet."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inlineError")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.hide()

    @property
    def message(self) -> str:
        """The message shown, empty when there is none."""
        return self.text() if not self.isHidden() else ""

    def show_for(self, field: QLineEdit, message: str) -> None:
        """Say why, on the field too, and select it for retyping."""
        self.setText(message)
        self.show()
        field.setAccessibleDescription(message)
        field.setFocus()
        field.selectAll()

    def show_message(self, message: str) -> None:
        """Say why when no one field is to blame (the caller moves the focus if it should)."""
        self.setText(message)
        self.show()

    def clear_from(self, fields: Iterable[QLineEdit]) -> None:
        if not self.isHidden():
            self.hide()
            for field in fields:
                field.setAccessibleDescription("")
