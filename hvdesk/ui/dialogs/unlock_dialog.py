"""Asking for the recovery key when this PC does not hold the database key.

The dialog stays open on a typo (the key's check digits catch it before any attempt to open)
and on a well-formed key that does not open this database, saying which it was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QWidget,
)

from hvdesk.errors import InvalidRecoveryKey, WrongKey
from hvdesk.services.opening import check_recovery_key
from hvdesk.ui.dialogs.form_frame import STRETCH, button_row, dialog_column
from hvdesk.ui.dialogs.inline_error import InlineError


class UnlockDialog(QDialog):
    """Type the recovery key; `attempt` (opening the database with it) runs on OK.

    After `exec()`: `opened` is what `attempt` returned; `failure` is an error other than a
    typo or wrong key that the caller must show (or a bug it must log).
    """

    def __init__(
        self,
        reason: str,
        attempt: Callable[[str], object] | None = None,
        *,
        folder: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._attempt = attempt
        self.opened: object | None = None
        self.failure: Exception | None = None
        self.recovery_key = ""
        self.setWindowTitle("hvdesk: recovery key needed")
        # Room for the wrapped explanations and the error line without the layout squeezing
        # them (Qt sizes word-wrapped labels poorly in a top-level dialog).
        self.setMinimumSize(680, 520)

        heading = QLabel("Enter the recovery key to open the school's records")
        heading.setObjectName("dialogTitle")
        heading.setWordWrap(True)
        self.reason_label = QLabel(reason)
        self.reason_label.setWordWrap(True)
        self.reason_label.setTextFormat(Qt.TextFormat.PlainText)
        where = QLabel(
            "The recovery key was printed when the database was created and should be in the "
            "school safe. It is 14 groups of four letters and digits; dashes and spaces are "
            "optional, and capitals do not matter."
            + (f"\n\nDatabase folder: {folder}" if folder is not None else "")
        )
        where.setWordWrap(True)
        where.setTextFormat(Qt.TextFormat.PlainText)

        self.key_edit = QLineEdit()
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(max(mono.pointSizeF(), 13.0))
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.key_edit.setFont(mono)
        self.key_edit.setPlaceholderText("ABCD-EFGH-…")
        self.key_edit.setAccessibleName("Recovery key")
        self.key_edit.textEdited.connect(self._clear_error)
        key_label = QLabel("Recovery &key:")
        key_label.setBuddy(self.key_edit)

        self.error_label = InlineError()

        self.buttons, self.open_button, _ = button_row(
            "&Open the database", self.try_open, self.reject, cancel_label="Close hvdesk"
        )
        dialog_column(
            self,
            heading,
            self.reason_label,
            where,
            key_label,
            self.key_edit,
            self.error_label,
            STRETCH,
            self.buttons,
        )
        self.key_edit.setFocus()

    @property
    def error_text(self) -> str:
        """The message shown under the key, empty when there is none."""
        return self.error_label.message

    def try_open(self) -> None:
        """Check the key's form, then try it; stay open on a typo or a wrong key."""
        typed = self.key_edit.text()
        try:
            check_recovery_key(typed)
        except InvalidRecoveryKey as exc:
            self._show_error(exc.what, exc.todo)
            return
        if self._attempt is not None:
            try:
                self.opened = self._attempt(typed)
            except (InvalidRecoveryKey, WrongKey) as exc:
                self._show_error(exc.what, exc.todo)
                return
            except Exception as exc:  # the caller shows it, or logs it as a bug
                self.failure = exc
                self.done(QDialog.DialogCode.Rejected)
                return
        self.recovery_key = typed
        self.accept()

    def _show_error(self, what: str, todo: str) -> None:
        self.error_label.show_for(self.key_edit, f"{what} {todo}".strip())

    def _clear_error(self) -> None:
        self.error_label.clear_from((self.key_edit,))
