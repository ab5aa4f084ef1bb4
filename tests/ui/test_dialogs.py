"""The recovery key, unlock and error dialogs, driven without any modal event loop."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog

from hvdesk.db.keys import format_recovery_key, parse_recovery_key
from hvdesk.errors import DiskFull, InvalidRecoveryKey, WrongKey
from hvdesk.ui.dialogs.error_dialog import BugDialog, ErrorDialog
from hvdesk.ui.dialogs.recovery_key_dialog import RecoveryKeyDialog, key_lines
from hvdesk.ui.dialogs.unlock_dialog import UnlockDialog

KEY = format_recovery_key(bytes(range(32)))


def typo(key: str) -> str:
    """The same key with one character changed, as a hurried typist might."""
    position = 5
    swapped = "B" if key[position] != "B" else "C"
    return key[:position] + swapped + key[position + 1 :]


@pytest.fixture
def recovery_dialog(qtbot, tmp_path) -> Iterator[RecoveryKeyDialog]:
    dialog = RecoveryKeyDialog(KEY, folder=tmp_path / "data")
    qtbot.addWidget(dialog)
    dialog.show()
    yield dialog
    dialog.done(QDialog.DialogCode.Accepted)  # close() is refused, on purpose


def test_recovery_key_dialog_shows_the_key_selectably(recovery_dialog):
    label = recovery_dialog.key_label
    assert label.text().replace("\n", "-") == KEY
    assert label.text() == key_lines(KEY) and label.text().count("\n") == 1
    assert label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByKeyboard
    assert recovery_dialog.done_button.text().replace("&", "") == (
        "I have printed or written it down"
    )
    assert recovery_dialog.done_button.isDefault()


def test_recovery_key_dialog_explains_what_the_key_is(recovery_dialog):
    from PySide6.QtWidgets import QLabel

    words = " ".join(lbl.text() for lbl in recovery_dialog.findChildren(QLabel))
    for phrase in ("school safe", "new PC", "credential store", "Nobody can recover"):
        assert phrase in words


def test_escape_does_not_lose_the_key(qtbot, recovery_dialog):
    qtbot.keyClick(recovery_dialog, Qt.Key.Key_Escape)
    assert recovery_dialog.isVisible()
    assert "Keep a copy of the key first" in recovery_dialog.note_label.text()
    recovery_dialog.done_button.click()
    assert recovery_dialog.result() == QDialog.DialogCode.Accepted
    assert not recovery_dialog.isVisible()


def test_copy_puts_the_key_on_the_clipboard(recovery_dialog):
    recovery_dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == KEY
    QGuiApplication.clipboard().clear()


def test_print_to_a_pdf_printer(recovery_dialog, tmp_path: Path):
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "key.pdf"
    printer.setOutputFileName(str(target))
    recovery_dialog.print_to(printer)
    assert target.read_bytes().startswith(b"%PDF")
    page = recovery_dialog.printable_html()
    assert key_lines(KEY).split("\n")[0] in page and "school safe" in page


def test_recovery_key_dialog_without_a_credential_store(qtbot):
    dialog = RecoveryKeyDialog(KEY, key_saved=False)
    qtbot.addWidget(dialog)
    from PySide6.QtWidgets import QLabel

    words = " ".join(lbl.text() for lbl in dialog.findChildren(QLabel))
    assert "every time it starts" in words


@pytest.fixture
def unlock(qtbot):
    tried: list[str] = []

    def attempt(typed: str) -> str:
        tried.append(typed)
        if parse_recovery_key(typed) != bytes(range(32)):
            raise WrongKey("This key does not open the database.", "Enter the printed key.")
        return "opened"

    dialog = UnlockDialog(
        "The key is not stored for this account.", attempt, folder=Path("/srv/hvdesk")
    )
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tried = tried  # type: ignore[attr-defined]
    return dialog


def test_unlock_rejects_a_typo_inline_without_trying_it(qtbot, unlock):
    qtbot.keyClicks(unlock.key_edit, typo(KEY))
    qtbot.keyClick(unlock.key_edit, Qt.Key.Key_Return)
    assert unlock.isVisible()
    assert "typo" in unlock.error_text
    assert unlock.error_label.isVisible()
    assert unlock.tried == []  # caught by the check digits, the database was not touched


def test_unlock_rejects_a_wrong_key_inline(qtbot, unlock):
    other = format_recovery_key(bytes(32))
    unlock.key_edit.setText(other)
    unlock.open_button.click()
    assert unlock.isVisible()
    assert "does not open" in unlock.error_text
    assert unlock.tried == [other]


def test_unlock_reports_a_short_key(qtbot, unlock):
    unlock.key_edit.setText("ABCD-EFGH")
    unlock.open_button.click()
    assert "were entered" in unlock.error_text


def test_unlock_accepts_the_right_key_in_lower_case_without_dashes(qtbot, unlock):
    unlock.key_edit.setText(typo(KEY))
    unlock.open_button.click()
    assert unlock.error_text
    qtbot.keyClicks(unlock.key_edit, "x")  # typing again clears the old message
    assert unlock.error_text == ""
    unlock.key_edit.setText(KEY.replace("-", " ").lower())
    unlock.open_button.click()
    assert unlock.result() == QDialog.DialogCode.Accepted
    assert unlock.opened == "opened"
    assert unlock.failure is None


def test_unlock_passes_other_errors_to_the_caller(qtbot):
    def attempt(typed: str) -> None:
        raise DiskFull("The disk is full.", "Free some space.")

    dialog = UnlockDialog("Needed.", attempt)
    qtbot.addWidget(dialog)
    dialog.key_edit.setText(KEY)
    dialog.try_open()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert isinstance(dialog.failure, DiskFull)


def test_unlock_shows_the_reason(qtbot, unlock):
    assert unlock.reason_label.text() == "The key is not stored for this account."


def test_error_dialog_shows_title_what_and_todo(qtbot):
    error = InvalidRecoveryKey("What went wrong.", "What to do.")
    dialog = ErrorDialog(error)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "hvdesk: Recovery key not recognised"
    assert dialog.text() == "What went wrong."
    assert dialog.informativeText() == "What to do."


def test_bug_dialog_names_the_log_file(qtbot, tmp_path):
    dialog = BugDialog(tmp_path / "hvdesk.log")
    qtbot.addWidget(dialog)
    assert "bug" in dialog.text()
    assert str(tmp_path / "hvdesk.log") in dialog.informativeText()
