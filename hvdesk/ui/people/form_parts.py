"""Small pieces the people dialogs share: a typed date field, and the list of problems shown
under a form with the fields concerned marked, so the office sees everything wrong at once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from hvdesk.domain.people_records import FieldProblem
from hvdesk.domain.uk_formats import parse_uk_date

DATE_HINT = "dd/mm/yyyy"
# A refused field gets a red border; the message itself is in the list (never colour alone).
INVALID_STYLE = "border: 2px solid #b3261e; border-radius: 3px;"


class DateField(QLineEdit):
    """A date typed as the office writes it (dd/mm/yyyy; yyyy-mm-dd also read); empty = none."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(DATE_HINT)
        self.setAccessibleName(accessible_name)
        self.setMaximumWidth(140)

    def set_date(self, value: date | None) -> None:
        self.setText(value.strftime("%d/%m/%Y") if value is not None else "")

    def date(self) -> date | None:
        return parse_uk_date(self.text())

    def problem(self, key: str, label: str) -> FieldProblem | None:
        """A problem if something was typed that is not a date."""
        typed = self.text().strip()
        if typed and parse_uk_date(typed) is None:
            return FieldProblem(key, f"{label}: {typed!r} is not a date; type it as {DATE_HINT}.")
        return None


class ProblemList(QLabel):
    """Every problem of a refused form, one per line; the fields named are marked invalid
    (and a screen reader hears the reason on each)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inlineError")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAccessibleName("Problems")
        self.hide()
        self._marked: list[QWidget] = []

    @property
    def messages(self) -> list[str]:
        return self.text().splitlines() if not self.isHidden() else []

    def show_problems(
        self, problems: Sequence[FieldProblem], widgets: Mapping[str, QWidget]
    ) -> None:
        self.clear_problems()
        self.setText("\n".join(p.message for p in problems))
        self.show()
        first: QWidget | None = None
        for problem in problems:
            widget = widgets.get(problem.field)
            if widget is None:
                continue
            if widget not in self._marked:
                widget.setStyleSheet(INVALID_STYLE)
                self._marked.append(widget)
            widget.setAccessibleDescription(problem.message)
            first = first or widget
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_message(self, text: str) -> None:
        self.clear_problems()
        self.setText(text)
        self.show()

    def clear_problems(self) -> None:
        for widget in self._marked:
            widget.setStyleSheet("")
            widget.setAccessibleDescription("")
        self._marked.clear()
        self.hide()
        self.setText("")
