"""The first run of a new school database: create the administrator, who creates the rest.

Shown once the database exists and has no administrator. "Later" leaves hvdesk usable in
privacy mode and asks again at the next start.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QWidget

from hvdesk.domain.passwords import MIN_LENGTH
from hvdesk.errors import HvdeskError
from hvdesk.services.accounts import Accounts, PasswordRejected
from hvdesk.services.identity import SignedInUser
from hvdesk.ui.dialogs.form_frame import (
    STRETCH,
    button_row,
    dialog_column,
    growing_form,
    password_field,
)
from hvdesk.ui.dialogs.inline_error import InlineError

EXPLANATION = (
    "This school database has no administrator yet. The administrator creates everyone "
    "else's account (reception, the DSL and deputies, visiting staff) and can set a new "
    "password for someone who has forgotten theirs."
)
PASSWORD_RULES = (
    f"Choose a password of at least {MIN_LENGTH} characters that is not your username. "
    "A few unrelated words are easy to remember and hard to guess."
)


class FirstAdminDialog(QDialog):
    """Name, username and password (twice); after `exec()`, `user` is the new administrator,
    signed in, or None if the office chose to do it later."""

    def __init__(self, accounts: Accounts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._accounts = accounts
        self.user: SignedInUser | None = None
        self.setWindowTitle("hvdesk: create the administrator")
        self.setMinimumWidth(560)

        heading = QLabel("Create the administrator account")
        heading.setObjectName("dialogTitle")
        heading.setWordWrap(True)
        intro = QLabel(EXPLANATION)
        intro.setWordWrap(True)
        rules = QLabel(PASSWORD_RULES)
        rules.setWordWrap(True)

        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Your name")
        self.name_edit.setPlaceholderText("As the office knows you, e.g. Jo Smith")
        self.username_edit = QLineEdit()
        self.username_edit.setAccessibleName("Username")
        self.username_edit.setPlaceholderText("e.g. j.smith")
        self.password_edit = password_field("Password")
        self.again_edit = password_field("Password again")
        for edit in (self.name_edit, self.username_edit, self.password_edit, self.again_edit):
            edit.textEdited.connect(self._clear_error)
        form = growing_form()
        form.addRow("Your &name:", self.name_edit)
        form.addRow("&Username:", self.username_edit)
        form.addRow("&Password:", self.password_edit)
        form.addRow("Password &again:", self.again_edit)

        self.error_label = InlineError()

        self.buttons, self.create_button, self.later_button = button_row(
            "&Create administrator", self.submit, self.reject, cancel_label="&Later"
        )
        dialog_column(self, heading, intro, form, rules, self.error_label, STRETCH, self.buttons)
        self.name_edit.setFocus()

    @property
    def error_text(self) -> str:
        return self.error_label.message

    def submit(self) -> None:
        """Create the administrator; stay open and say what to change if that fails."""
        if not self.name_edit.text().strip():
            self._show_error("Type your name.", self.name_edit)
            return
        if not self.username_edit.text().strip():
            self._show_error("Choose a username.", self.username_edit)
            return
        if self.password_edit.text() != self.again_edit.text():
            self.again_edit.clear()
            self._show_error(
                "The two passwords are not the same. Type the password again.", self.again_edit
            )
            return
        try:
            self.user = self._accounts.create_first_administrator(
                self.username_edit.text(), self.name_edit.text(), self.password_edit.text()
            )
        except HvdeskError as exc:
            field = self.password_edit if isinstance(exc, PasswordRejected) else self.username_edit
            self._show_error(str(exc), field)
            return
        self.password_edit.clear()
        self.again_edit.clear()
        self.accept()

    def _show_error(self, message: str, field: QLineEdit) -> None:
        self.error_label.show_for(field, message)
        self.adjustSize()  # grow for the message rather than squeeze the text above it

    def _clear_error(self) -> None:
        fields = (self.name_edit, self.username_edit, self.password_edit, self.again_edit)
        self.error_label.clear_from(fields)
