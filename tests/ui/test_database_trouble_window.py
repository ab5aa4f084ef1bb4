"""A busy database and a full disk, met in the window: the office reads what happened and
"try again", the dialog stays open, and pressing the same button again works once the cause
has gone. A real second process holds the lock; a real small filesystem fills up."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from hvdesk.clock import FakeClock
from hvdesk.db.database import Database, database_path, open_database
from hvdesk.db.engine import BUSY_TIMEOUT_ENV
from hvdesk.db.keys import KeyStore
from hvdesk.services.accounts import Accounts
from hvdesk.ui.dialogs.sign_in_dialog import SignInDialog
from tests.trouble import fill, holding_the_write_lock, tiny_filesystem
from tests.ui.conftest import SmallSchool

PASSWORD = "a long enough password"


@pytest.fixture(autouse=True)
def _short_busy_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BUSY_TIMEOUT_ENV, "0.5")


@pytest.fixture
def key(small_school: SmallSchool, clock: FakeClock) -> bytes:
    accounts = Accounts(small_school.database, clock)
    accounts.create_first_administrator("p.stanton", "Paul Stanton", PASSWORD)
    stored = KeyStore().load(small_school.database.path)
    assert stored is not None
    return stored


def _sign_in(dialog: SignInDialog) -> None:
    dialog.username_edit.setText("p.stanton")
    dialog.password_edit.setText(PASSWORD)
    dialog.sign_in_button.click()


def test_signing_in_while_another_pc_writes_says_try_again_and_the_retry_works(
    qtbot, small_school: SmallSchool, key: bytes, clock: FakeClock
) -> None:
    dialog = SignInDialog(Accounts(small_school.database, clock))
    qtbot.addWidget(dialog)
    dialog.show()
    with holding_the_write_lock(small_school.database.path, key):
        _sign_in(dialog)
        assert dialog.isVisible() and dialog.user is None
        assert "Another PC or program is writing" in dialog.error_text
        assert "try again" in dialog.error_text
        assert "bug" not in dialog.error_text
    _sign_in(dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.user is not None and dialog.user.username == "p.stanton"


@pytest.fixture
def on_a_tiny_disk(
    tmp_path: Path, small_school: SmallSchool, key: bytes, clock: FakeClock
) -> Iterator[tuple[Database, Path]]:
    with tiny_filesystem(tmp_path / "tiny-disk") as disk:
        small_school.database.close()
        folder = disk / "school"
        folder.mkdir()
        shutil.copy2(small_school.database.path, database_path(folder))
        database = open_database(folder, key, clock)
        try:
            yield database, disk
        finally:
            database.close()


def test_signing_in_on_a_full_disk_says_so_and_the_retry_works_once_there_is_room(
    qtbot, on_a_tiny_disk: tuple[Database, Path], clock: FakeClock
) -> None:
    database, disk = on_a_tiny_disk
    dialog = SignInDialog(Accounts(database, clock))
    qtbot.addWidget(dialog)
    dialog.show()
    filler = fill(disk)
    for _ in range(50):  # each sign-in is written; soon the write-ahead log needs a new page
        _sign_in(dialog)
        if dialog.user is not None:
            dialog.user = None
            dialog.show()
            continue
        break
    assert dialog.user is None and dialog.isVisible()
    assert "is full" in dialog.error_text and "try again" in dialog.error_text
    assert "bug" not in dialog.error_text
    filler.unlink()
    _sign_in(dialog)
    assert dialog.user is not None and dialog.user.username == "p.stanton"
