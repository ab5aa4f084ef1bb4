"""The screen lock (issue 13): the same person reopens the desk with their short PIN (or their
password); anyone else signs in in full. And the small dialog that sets one's PIN.

The PIN field has the focus when the dialog opens, so from an alert on a locked board to the
numbers on screen is one key (Ctrl+L, or the card's "Sign in") and the PIN.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QWidget

from hvdesk.errors import HvdeskError
from hvdesk.services.identity import SignedInUser
from hvdesk.services.screen_lock import ScreenLock
from hvdesk.ui.dialogs.form_frame import (
    STRETCH,
    button_row,
    dialog_column,
    growing_form,
    password_field,
)
from hvdesk.ui.dialogs.inline_error import InlineError

__all__ = ["SetPinDialog", "UnlockDialog"]


class UnlockDialog(QDialog):
    """Reopen `locked`'s desk. After `exec()`: `user` is set when unlocked, and
    `someone_else` is True when a different person chose to sign in in full."""

    def __init__(
        self, lock: ScreenLock, locked: SignedInUser, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._lock = lock
        self._locked = locked
        self.user: SignedInUser | None = None
        self.someone_else = False
        self.setWindowTitle("hvdesk: screen locked")
        self.setMinimumWidth(480)
        heading = QLabel(f"Locked: {locked.display_name}")
        heading.setObjectName("dialogTitle")
        heading.setTextFormat(Qt.TextFormat.PlainText)
        intro = QLabel(
            f"{locked.display_name}: type your screen-lock PIN (or your password) to carry on. "
            "Anyone else: sign in in full."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label = InlineError()
        self.secret_edit = password_field(f"PIN or password for {locked.display_name}")
        self.secret_edit.textEdited.connect(
            lambda _t: self.error_label.clear_from((self.secret_edit,))
        )
        form = growing_form()
        form.addRow("&PIN or password:", self.secret_edit)
        self.buttons, self.unlock_button, _ = button_row("&Unlock", self.submit, self.reject)
        self.other_button = QPushButton("Someone &else: sign in in full")
        self.other_button.setAutoDefault(False)
        self.other_button.clicked.connect(self._other)
        dialog_column(
            self, heading, intro, form, self.error_label, self.other_button, STRETCH, self.buttons
        )
        self.secret_edit.setFocus()

    def submit(self) -> None:
        secret = self.secret_edit.text()
        if not secret:
            self.error_label.show_for(self.secret_edit, "Type your PIN or your password.")
            return
        try:
            self.user = self._lock.unlock(self._locked, secret)
        except HvdeskError as exc:
            self.secret_edit.clear()
            self.error_label.show_for(self.secret_edit, str(exc))
            self.adjustSize()
            return
        self.secret_edit.clear()
        self.accept()

    def _other(self) -> None:
        self.someone_else = True
        self.reject()


class SetPinDialog(QDialog):
    """Choose (or change) one's screen-lock PIN: typed twice."""

    def __init__(self, lock: ScreenLock, user: SignedInUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lock = lock
        self._user = user
        self.setWindowTitle("hvdesk: screen-lock PIN")
        self.setMinimumWidth(480)
        heading = QLabel("Your screen-lock PIN")
        heading.setObjectName("dialogTitle")
        intro = QLabel(
            "After a while without use hvdesk locks the screen. You reopen it with this PIN "
            "(4 to 8 digits); after 3 wrong tries only your password works."
        )
        intro.setWordWrap(True)
        self.pin_edit = password_field("New PIN")
        self.again_edit = password_field("New PIN again")
        for edit in (self.pin_edit, self.again_edit):
            edit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
            edit.setMaxLength(8)
        form = growing_form()
        form.addRow("&New PIN:", self.pin_edit)
        form.addRow("&Again:", self.again_edit)
        self.error_label = InlineError()
        self.buttons, self.save_button, _ = button_row("&Save PIN", self.submit, self.reject)
        dialog_column(self, heading, intro, form, self.error_label, STRETCH, self.buttons)
        self.pin_edit.setFocus()

    def submit(self) -> None:
        if self.pin_edit.text() != self.again_edit.text():
            self.again_edit.clear()
            self.error_label.show_for(self.again_edit, "The two PINs are not the same.")
            return
        try:
            self._lock.set_pin(self._user, self.pin_edit.text())
        except HvdeskError as exc:
            self.error_label.show_for(self.pin_edit, str(exc))
            return
        self.accept()
