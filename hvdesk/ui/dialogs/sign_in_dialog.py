"""Signing in, and switching user at a shared PC (the DSL at the reception desk, then back).

A refused or locked attempt is explained under the fields and the dialog stays open, with the
password cleared. Enter moves from the username to the password, and signs in from there.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QWidget

from hvdesk.errors import HvdeskError
from hvdesk.services.accounts import Accounts
from hvdesk.services.identity import SignedInUser
from hvdesk.ui.dialogs.form_frame import (
    STRETCH,
    button_row,
    dialog_column,
    growing_form,
    password_field,
)
from hvdesk.ui.dialogs.inline_error import InlineError


def demo_sign_in_hint() -> str:
    """What the demo's sign-in dialog says about its accounts (imported only for the demo)."""
    from hvdesk.demo.accounts import DEMO_EXAMPLE_ACCOUNTS, DEMO_PASSWORD

    examples = ", ".join(f"{name} ({role.label})" for name, role in DEMO_EXAMPLE_ACCOUNTS)
    return f"Demo: every account's password is {DEMO_PASSWORD}\nTry for example {examples}."


class SignInDialog(QDialog):
    """Username and password; after `exec()`, `user` is who signed in (None if cancelled).

    With `current` set it is the switch-user dialog: cancelling keeps `current` signed in.
    """

    def __init__(
        self,
        accounts: Accounts,
        *,
        current: SignedInUser | None = None,
        demo_hint: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._accounts = accounts
        self.user: SignedInUser | None = None
        switching = current is not None
        self.setWindowTitle("hvdesk: switch user" if switching else "hvdesk: sign in")
        self.setMinimumWidth(520)

        heading = QLabel("Switch user" if switching else "Sign in")
        heading.setObjectName("dialogTitle")
        if current is not None:
            intro_text = (
                f"{current.display_name} is signed in. Signing in here takes over from them; "
                "Cancel keeps them signed in. To hand back, they sign in again the same way."
            )
        else:
            intro_text = (
                "Sign in to see addresses and pupil names and to record steps of a visit. "
                "Until then the board shows only staff names, countdowns and stages."
            )
        intro = QLabel(intro_text)
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)

        self.username_edit = QLineEdit()
        self.username_edit.setAccessibleName("Username")
        self.username_edit.setInputMethodHints(
            Qt.InputMethodHint.ImhNoAutoUppercase | Qt.InputMethodHint.ImhNoPredictiveText
        )
        self.password_edit = password_field("Password")
        for edit in (self.username_edit, self.password_edit):
            edit.textEdited.connect(self._clear_error)
        form = growing_form()
        form.addRow("&Username:", self.username_edit)
        form.addRow("&Password:", self.password_edit)

        self.demo_label = QLabel(demo_hint or "")
        self.demo_label.setObjectName("demoHint")
        self.demo_label.setWordWrap(True)
        self.demo_label.setTextFormat(Qt.TextFormat.PlainText)
        self.demo_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.demo_label.setVisible(demo_hint is not None)

        self.error_label = InlineError()

        self.buttons, self.sign_in_button, _ = button_row("&Sign in", self.submit, self.reject)
        dialog_column(
            self, heading, intro, form, self.demo_label, self.error_label, STRETCH, self.buttons
        )
        self.username_edit.setFocus()

    @property
    def error_text(self) -> str:
        """The message shown under the fields, empty when there is none."""
        return self.error_label.message

    def submit(self) -> None:
        """Sign in with what was typed; stay open and say why if that is refused."""
        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        if not username:
            self._show_error("Type your username.", self.username_edit)
            return
        if not password:
            if self.username_edit.hasFocus():  # Enter after the username: on to the password
                self.password_edit.setFocus()
            else:
                self._show_error("Type your password.", self.password_edit)
            return
        try:
            self.user = self._accounts.sign_in(username, password)
        except HvdeskError as exc:  # refused, locked, or the database is busy
            self.password_edit.clear()
            self._show_error(str(exc), self.password_edit)
            return
        self.password_edit.clear()
        self.accept()

    def _show_error(self, message: str, field: QLineEdit) -> None:
        self.error_label.show_for(field, message)
        self.adjustSize()  # grow for the message rather than squeeze the text above it

    def _clear_error(self) -> None:
        self.error_label.clear_from((self.username_edit, self.password_edit))
