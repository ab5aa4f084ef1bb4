"""Small pieces the people dialogs share: a typed date field, the list of problems shown
under a form with the fields concerned marked, so the office sees everything wrong at once, and
the dialog base that saves through the service or shows why it could not."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QWidget

from hvdesk.domain.people_records import FieldProblem
from hvdesk.domain.uk_formats import parse_uk_date
from hvdesk.errors import HvdeskError
from hvdesk.services.identity import SignedInUser
from hvdesk.services.people import PeopleService, PersonNotSaved

DATE_HINT = "dd/mm/yyyy"
# A refused field gets a red border; the message itself is in the list (never colour alone).
INVALID_STYLE = "border: 2px solid #b3261e; border-radius: 3px;"


def text_line(accessible_name: str, max_length: int = 80) -> QLineEdit:
    """A one-line field, named for screen readers and as long as the record's column allows."""
    field = QLineEdit()
    field.setAccessibleName(accessible_name)
    field.setMaxLength(max_length)
    return field


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


class PersonDialog(QDialog):
    """Add or edit one person's record: who is editing and with which rights, the problem list
    and Save/Cancel. `saved_id` holds the record's id once saved. Subclasses lay the parts out,
    implement `save` (ending in `save_or_show`) and name their fields in `_widgets`."""

    def __init__(
        self,
        people: PeopleService,
        user: SignedInUser,
        object_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.people = people
        self.user = user
        self.rights = people.rights(user)
        self.saved_id: int | None = None
        self.problems = ProblemList()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def save(self) -> None:
        raise NotImplementedError

    def _widgets(self) -> dict[str, QWidget]:
        """The field each problem's key marks."""
        raise NotImplementedError

    def save_or_show(self, problems: Sequence[FieldProblem], save: Callable[[], int]) -> None:
        """Save (`save` returns the record's id) unless the form has `problems`; whatever is
        refused, here or by the service, is listed under the form and the dialog stays open."""
        if problems:
            self.problems.show_problems(problems, self._widgets())
            return
        try:
            self.saved_id = save()
        except PersonNotSaved as refused:
            self.problems.show_problems(refused.problems, self._widgets())
            return
        except HvdeskError as error:
            self.problems.show_message(str(error))
            return
        self.accept()
