"""Telling the office what went wrong and what to do, or that it met a bug."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from hvdesk.errors import HvdeskError


class ErrorDialog(QMessageBox):
    """An `HvdeskError`: its title, what happened, and what to do about it."""

    def __init__(self, error: HvdeskError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error = error
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(f"hvdesk: {error.title}")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(error.what)
        if error.todo:
            self.setInformativeText(error.todo)
        self.setStandardButtons(QMessageBox.StandardButton.Ok)


class BugDialog(QMessageBox):
    """Something hvdesk did not expect: say it is a bug and where the details were written."""

    def __init__(self, log_file: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle("hvdesk: unexpected problem")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(
            "hvdesk met a problem it did not expect. This is a bug in hvdesk, not "
            "something you did wrong."
        )
        if log_file is not None:
            where = (
                f"The details were written to the log file:\n{log_file}\n\n"
                "Please send that file to whoever supports hvdesk at your school."
            )
        else:
            where = (
                "The log file could not be written, so please note what you were doing "
                "and tell whoever supports hvdesk at your school."
            )
        self.setInformativeText(where + " Nothing is sent anywhere automatically.")
        self.setStandardButtons(QMessageBox.StandardButton.Ok)


def show_error(error: HvdeskError, parent: QWidget | None = None) -> None:
    ErrorDialog(error, parent).exec()


def show_bug(log_file: Path | None, parent: QWidget | None = None) -> None:
    BugDialog(log_file, parent).exec()
