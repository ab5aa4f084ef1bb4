"""The recovery key, shown once when a database is created, to be printed for the school safe.

hvdesk never stores the recovery key: if this dialog is dismissed without a copy being kept,
the only other copy of the key is the credential store of this Windows account. So the way
out is a button that says what the user is confirming, and Escape does not close it.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QWidget,
)

from hvdesk.ui.dialogs.form_frame import STRETCH, dialog_column

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

GROUPS_PER_LINE = 7

EXPLANATION = (
    "hvdesk keeps the school's records encrypted. This computer remembers the key for your "
    "account, so normally you will not need this. hvdesk asks for the recovery key instead:"
)
WHEN_NEEDED = (
    "on a new PC, or when the database is opened from another Windows account;",
    "if this computer's credential store is lost, for example when IT resets a Windows "
    "password or rebuilds the PC.",
)
NOBODY_CAN_RECOVER = (
    "Nobody can recover this key for you: not hvdesk, not IT, not the supplier. Without it, "
    "the records cannot be opened on another PC."
)
NO_STORE = (
    "This computer has no credential store, so hvdesk will ask for the recovery key every "
    "time it starts."
)


def key_lines(recovery_key: str) -> str:
    """The key split over two lines, so it can be read aloud and copied by hand in halves."""
    groups = recovery_key.split("-")
    lines = [
        "-".join(groups[i : i + GROUPS_PER_LINE]) for i in range(0, len(groups), GROUPS_PER_LINE)
    ]
    return "\n".join(lines)


class RecoveryKeyDialog(QDialog):
    """Shows the recovery key once, with Print and Copy."""

    def __init__(
        self,
        recovery_key: str,
        *,
        key_saved: bool = True,
        folder: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.recovery_key = recovery_key
        self.folder = folder
        self.key_saved = key_saved
        self.setWindowTitle("hvdesk: your recovery key")
        self.setMinimumSize(740, 460)

        heading = QLabel("Print this recovery key and keep it in the school safe")
        heading.setObjectName("dialogTitle")
        heading.setWordWrap(True)
        bullets = "".join(f"<li>{html.escape(line)}</li>" for line in WHEN_NEEDED)
        body = QLabel(
            f"<p>{html.escape(EXPLANATION)}</p><ul>{bullets}</ul>"
            f"<p><b>{html.escape(NOBODY_CAN_RECOVER)}</b></p>"
            + ("" if key_saved else f"<p>{html.escape(NO_STORE)}</p>")
        )
        body.setTextFormat(Qt.TextFormat.RichText)
        body.setWordWrap(True)

        self.key_label = QLabel(key_lines(recovery_key))
        self.key_label.setObjectName("recoveryKey")
        self.key_label.setTextFormat(Qt.TextFormat.PlainText)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.key_label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.key_label.setAccessibleName("Recovery key")
        self.key_label.setAccessibleDescription(recovery_key)

        where = QLabel(f"Database folder: {folder}" if folder is not None else "")
        where.setTextFormat(Qt.TextFormat.PlainText)
        where.setWordWrap(True)
        where.setVisible(folder is not None)

        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.note_label.setTextFormat(Qt.TextFormat.PlainText)
        self.note_label.hide()

        self.buttons = QDialogButtonBox()
        self.print_button = QPushButton("&Print…")
        self.print_button.setAccessibleName("Print the recovery key")
        self.copy_button = QPushButton("&Copy")
        self.copy_button.setAccessibleName("Copy the recovery key to the clipboard")
        self.done_button = QPushButton("I have printed or &written it down")
        self.done_button.setDefault(True)
        self.done_button.setAutoDefault(True)
        self.buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.done_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.print_button.clicked.connect(self.print_key)
        self.copy_button.clicked.connect(self.copy_key)
        self.buttons.accepted.connect(self.accept)

        dialog_column(
            self, heading, body, self.key_label, where, self.note_label, STRETCH, self.buttons
        )
        self.done_button.setFocus()

    def reject(self) -> None:
        """Escape or the window's close button: the key must not vanish by accident."""
        self._note(
            "Keep a copy of the key first (Print, or write it down), then press "
            "“I have printed or written it down”."
        )

    def copy_key(self) -> None:
        QGuiApplication.clipboard().setText(self.recovery_key)
        self._note(
            "Copied. Paste it only into something you print straight away: a copy left in "
            "a file or an email would let anyone holding that file open the records."
        )

    def print_key(self) -> None:
        """Ask for a printer, then print the key with what it is for."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter  # only when printing

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print the recovery key")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)
            self._note("Sent to the printer. Check the printout is readable before you go on.")

    def print_to(self, printer: QPrinter) -> None:
        """The printed page: what this is, the key in large type, and where to keep it."""
        document = QTextDocument()
        document.setHtml(self.printable_html())
        document.print_(printer)

    def printable_html(self) -> str:
        key = html.escape(key_lines(self.recovery_key)).replace("\n", "<br>")
        bullets = "".join(f"<li>{html.escape(line)}</li>" for line in WHEN_NEEDED)
        folder = (
            f"<p>Database folder: {html.escape(str(self.folder))}</p>"
            if self.folder is not None
            else ""
        )
        return (
            "<h1>hvdesk recovery key</h1>"
            "<p><b>Keep this page in the school safe.</b></p>"
            f"<p style='font-family: monospace; font-size: 20pt; font-weight: bold'>{key}</p>"
            f"{folder}<p>{html.escape(EXPLANATION)}</p><ul>{bullets}</ul>"
            f"<p>{html.escape(NOBODY_CAN_RECOVER)}</p>"
        )

    def _note(self, text: str) -> None:
        self.note_label.setText(text)
        self.note_label.show()
