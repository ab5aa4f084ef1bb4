"""Log a subject access request: whose records (found by name), who asked, when it arrived.

The reply's deadline is shown as the date is picked, so the office sees it before saving.
A refusal (no requester, a date after today, nobody chosen) is shown under the form and the
box to fix gets the focus; nothing is saved until the service accepts the whole request.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from hvdesk.domain.subject_access import subject_access_due_on
from hvdesk.errors import HvdeskError
from hvdesk.services.identity import SignedInUser
from hvdesk.services.subject_access import PersonChoice, RequestNotSaved, SubjectAccess
from hvdesk.ui.dialogs.form_frame import button_row, dialog_column, growing_form
from hvdesk.ui.dialogs.inline_error import InlineError
from hvdesk.ui.finder_parts import finder_column, search_box

MIN_SEARCH = 2
NOBODY = "Nobody chosen yet: type part of their name, then pick them."
PERSON_ROLE = int(Qt.ItemDataRole.UserRole)


class LogRequestDialog(QDialog):
    """After `exec()` returns Accepted, `request_id` is the new request's number."""

    def __init__(
        self,
        service: SubjectAccess,
        user: SignedInUser,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._user = user
        self.request_id: int | None = None
        today = service.today()
        self.setWindowTitle("Log a subject access request")
        self.setMinimumWidth(620)

        heading = QLabel("Log a subject access request")
        heading.setObjectName("dialogTitle")
        intro = QLabel(
            "Find the person the request is about (a pupil, a parent or other adult, or a "
            "member of staff), then say who asked and when the request reached the school."
        )
        intro.setWordWrap(True)

        self.search_edit = search_box(
            "Type part of a name, e.g. “jackson” or “ella jack”", "Search for the person"
        )
        self.search_edit.textChanged.connect(self._search)
        self.results = QListWidget()
        self.results.setAccessibleName("People found")
        self.results.setMinimumHeight(150)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.results.currentItemChanged.connect(self._chosen_changed)
        self.chosen_label = QLabel(NOBODY)
        self.chosen_label.setTextFormat(Qt.TextFormat.PlainText)

        self.requester_edit = QLineEdit()
        self.requester_edit.setAccessibleName("Requested by")
        self.requester_edit.setPlaceholderText(
            "Who asked: the person, a parent (name them), a solicitor…"
        )
        self.received_edit = QDateEdit()
        self.received_edit.setCalendarPopup(True)
        self.received_edit.setDisplayFormat("dd MMM yyyy")
        self.received_edit.setAccessibleName("Received on")
        self.received_edit.setMaximumDate(_qdate(today))
        self.received_edit.setDate(_qdate(today))
        self.received_edit.dateChanged.connect(self._update_due)
        self.due_label = QLabel()
        self.due_label.setAccessibleName("Reply due by")
        self.note_edit = QLineEdit()
        self.note_edit.setAccessibleName("Note")
        self.note_edit.setPlaceholderText("Optional: how it arrived, identity checked…")
        for edit in (self.search_edit, self.requester_edit, self.note_edit):
            edit.textEdited.connect(self._clear_error)

        form = growing_form()
        person = QWidget()
        finder_column(person, self.search_edit, self.results, self.chosen_label)
        person_label = QLabel("&Whose records:")
        person_label.setBuddy(self.search_edit)
        form.addRow(person_label, person)
        form.addRow("&Requested by:", self.requester_edit)
        form.addRow("Re&ceived on:", self.received_edit)
        form.addRow("Reply due by:", self.due_label)
        form.addRow("&Note:", self.note_edit)

        self.error_label = InlineError()
        self.buttons, self.log_button, _ = button_row("&Log request", self.submit, self.reject)
        dialog_column(self, heading, intro, form, self.error_label, self.buttons)
        self._update_due()
        self.search_edit.setFocus()
        self._fit()

    # --- state -------------------------------------------------------------------------------

    @property
    def chosen(self) -> PersonChoice | None:
        item = self.results.currentItem()
        if item is None:
            return None
        choice = item.data(PERSON_ROLE)
        return choice if isinstance(choice, PersonChoice) else None

    @property
    def received_on(self) -> date:
        picked = self.received_edit.date()
        return date(picked.year(), picked.month(), picked.day())

    @property
    def error_text(self) -> str:
        return self.error_label.message

    def choose(self, kind: str, person_id: int) -> bool:
        """Select a person among the results (True if they are listed)."""
        for row in range(self.results.count()):
            choice = self.results.item(row).data(PERSON_ROLE)
            if choice.kind == kind and choice.person_id == person_id:
                self.results.setCurrentRow(row)
                return True
        return False

    # --- behaviour ---------------------------------------------------------------------------

    def submit(self) -> None:
        """Log the request; stay open and say what to change if it is refused."""
        chosen = self.chosen
        if chosen is None:
            self._show_error("Search for the person and choose them from the list.", "person")
            return
        try:
            self.request_id = self._service.log_request(
                chosen.kind,
                chosen.person_id,
                self.requester_edit.text(),
                self.received_on,
                self._user,
                note=self.note_edit.text(),
            )
        except RequestNotSaved as exc:
            self._show_error(str(exc), exc.field)
            return
        except HvdeskError as exc:
            self._show_error(str(exc), None)
            return
        self.accept()

    def _search(self, text: str) -> None:
        self.results.clear()
        if len(text.strip()) < MIN_SEARCH:
            return
        try:
            found = self._service.find_people(text, self._user)
        except HvdeskError as exc:
            self._show_error(str(exc), "person")
            return
        for choice in found:
            item = QListWidgetItem(f"{choice.name} — {choice.detail}")
            item.setData(PERSON_ROLE, choice)
            self.results.addItem(item)
        if len(found) == 1:
            self.results.setCurrentRow(0)

    def _chosen_changed(self, *_: object) -> None:
        chosen = self.chosen
        self.chosen_label.setText(
            f"Chosen: {chosen.name} ({chosen.detail})" if chosen is not None else NOBODY
        )

    def _update_due(self, *_: object) -> None:
        due = subject_access_due_on(self.received_on)
        self.due_label.setText(f"{due:%A %d %B %Y} (one calendar month)")

    def _show_error(self, message: str, field: str | None) -> None:
        if field == "requested_by":
            self.error_label.show_for(self.requester_edit, message)
        elif field == "note":
            self.error_label.show_for(self.note_edit, message)
        elif field == "received_on":
            self.error_label.show_message(message)
            self.received_edit.setFocus()
        else:
            self.error_label.show_for(self.search_edit, message)
        self._fit()  # grow for the message rather than squeeze the form

    def _fit(self) -> None:
        """As tall as the wrapped text needs at this width: a top-level window is otherwise
        sized to its minimum, which squeezes the list under the wrapped intro."""
        layout = self.layout()
        if layout is None:
            return
        width = max(self.width(), self.minimumWidth())
        needed = layout.heightForWidth(width)
        if needed > self.height():
            self.resize(width, needed)

    def _clear_error(self) -> None:
        self.error_label.clear_from((self.search_edit, self.requester_edit, self.note_edit))


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
