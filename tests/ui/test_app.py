"""`run_gui` from start to first paint, through each way a database can be reached.

No modal dialog may block: QMessageBox.question, the dialogs' exec() and the error dialogs are
replaced by functions that answer the way the test needs, and the window quits after its
first paint (the start-up benchmark's hook).
"""

from __future__ import annotations

import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox, QWizard

import hvdesk.app as app_module
from hvdesk.app import run_gui
from hvdesk.clock import FakeClock
from hvdesk.db.database import database_path
from hvdesk.db.keys import KeyStore
from hvdesk.errors import HvdeskError, NotADatabase
from hvdesk.services.opening import DatabaseOpener
from hvdesk.ui.dialogs.first_admin_dialog import FirstAdminDialog
from hvdesk.ui.dialogs.recovery_key_dialog import RecoveryKeyDialog
from hvdesk.ui.dialogs.unlock_dialog import UnlockDialog
from hvdesk.ui.first_run import FirstRunAssistant
from hvdesk.ui.main_window import MainWindow
from hvdesk.ui.single_instance import SingleInstance
from tests.conftest import MemoryKeyring
from tests.ui.test_first_run import walk


class Gui:
    """Runs run_gui with test stand-ins and records what the user would have seen."""

    def __init__(self, tmp_path: Path, clock: FakeClock, keyring: MemoryKeyring) -> None:
        self.tmp_path = tmp_path
        self.clock = clock
        self.keystore = KeyStore(keyring)
        self.name = f"hvdesk-test-{uuid.uuid4().hex[:12]}"
        self.windows: list[dict[str, Any]] = []
        self.errors: list[HvdeskError] = []
        self.bugs: list[Path | None] = []
        self.first_admin_asked = 0
        # What the first-administrator dialog is given: None chooses "Later".
        self.first_admin: tuple[str, str, str] | None = None

    def run(self, data_dir: Path | None, demo: bool = False) -> int:
        return run_gui(
            data_dir,
            demo,
            ["hvdesk"],
            clock=self.clock,
            keystore=self.keystore,
            instance=SingleInstance(self.name, self.tmp_path / "run"),
            log_dir=self.tmp_path / "log",
            exit_after_first_paint=True,
            on_window=self._seen,
        )

    def _seen(self, window: MainWindow) -> None:
        self.windows.append(
            {
                "title": window.windowTitle(),
                "folder": window.about.data_dir,
                "demo_badge": window.demo_label.isVisibleTo(window),
                "badge_text": window.demo_label.text(),
                "visits": window.board_page.model.rowCount(),
                "user": window.current_user.user,
            }
        )

    def answer_first_admin(self, dialog: FirstAdminDialog) -> int:
        self.first_admin_asked += 1
        if self.first_admin is None:
            dialog.later_button.click()
        else:
            name, username, password = self.first_admin
            dialog.name_edit.setText(name)
            dialog.username_edit.setText(username)
            dialog.password_edit.setText(password)
            dialog.again_edit.setText(password)
            dialog.create_button.click()
        return dialog.result()


@pytest.fixture
def gui(qapp, tmp_path, clock, memory_keyring, monkeypatch, quiet_hvdesk_logging) -> Iterator[Gui]:
    recorder = Gui(tmp_path, clock, memory_keyring)
    monkeypatch.setattr(
        app_module, "show_error", lambda error, parent=None: recorder.errors.append(error)
    )
    monkeypatch.setattr(
        app_module, "show_bug", lambda log_file, parent=None: recorder.bugs.append(log_file)
    )
    monkeypatch.setattr(
        FirstAdminDialog, "exec", lambda dialog: recorder.answer_first_admin(dialog)
    )

    def set_up(assistant: FirstRunAssistant) -> int:
        """A database never set up gets the first-run assistant: the office walks it."""
        assistant.show()
        walk(assistant, tmp_path)
        return assistant.result()

    monkeypatch.setattr(FirstRunAssistant, "exec", set_up)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    yield recorder
    qapp.setStyleSheet("")


def never(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("this dialog must not be shown here")


def test_throwaway_demo_opens_and_is_deleted_at_exit(gui: Gui, monkeypatch, capsys):
    monkeypatch.setattr(RecoveryKeyDialog, "exec", never)
    assert gui.run(None, demo=True) == 0
    assert "first-paint" in capsys.readouterr().out
    [seen] = gui.windows
    assert seen["demo_badge"] and "deleted when hvdesk closes" in seen["badge_text"]
    assert "[DEMO]" in seen["title"]
    assert seen["visits"] > 0
    assert seen["folder"].name.startswith("hvdesk-demo-")
    assert seen["user"] is None and gui.first_admin_asked == 0  # demo accounts exist
    assert not seen["folder"].exists()  # thrown away
    assert gui.keystore.backend.secrets == {}  # type: ignore[attr-defined]  # never stored
    assert gui.errors == [] and gui.bugs == []


def test_demo_in_a_given_folder_is_kept_and_its_key_stored(gui: Gui, monkeypatch, data_dir):
    monkeypatch.setattr(RecoveryKeyDialog, "exec", never)
    assert gui.run(data_dir, demo=True) == 0
    assert database_path(data_dir).exists()
    assert gui.keystore.load(database_path(data_dir)) is not None
    assert gui.windows[0]["badge_text"] == "DEMO: invented data"


def test_missing_database_is_created_and_set_up_by_the_assistant(
    gui: Gui, monkeypatch, data_dir, tmp_path
):
    """Issue 15: from no database at all to a working board, signed in as the new
    administrator; the recovery key is shown by the assistant, once."""
    questions: list[str] = []

    def agree(parent: Any, title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        questions.append(text)
        return QMessageBox.StandardButton.Yes

    shown: list[str | None] = []

    def set_up(self: FirstRunAssistant) -> int:
        shown.append(self.recovery_key)
        self.show()
        walk(self, tmp_path)
        return self.result()

    monkeypatch.setattr(QMessageBox, "question", agree)
    monkeypatch.setattr(RecoveryKeyDialog, "exec", never)
    monkeypatch.setattr(FirstRunAssistant, "exec", set_up)
    assert gui.run(data_dir) == 0
    assert str(data_dir) in questions[0]
    assert len(shown) == 1 and shown[0] is not None and len(shown[0]) == 69
    assert database_path(data_dir).exists()
    [seen] = gui.windows
    assert seen["visits"] == 0 and not seen["demo_badge"]
    assert seen["title"] == "hvdesk: St Hilda's Church of England School"
    assert seen["user"] is not None and seen["user"].username == "j.smith"
    assert gui.first_admin_asked == 0
    # The next start opens in privacy mode, with no assistant.
    monkeypatch.setattr(FirstRunAssistant, "exec", never)
    assert gui.run(data_dir) == 0
    assert gui.windows[1]["user"] is None


def test_a_set_up_stopped_half_way_closes_and_resumes_at_the_next_start(
    gui: Gui, monkeypatch, data_dir, tmp_path
):
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)

    def stop_at_the_key(self: FirstRunAssistant) -> int:
        self.show()
        walk(self, tmp_path, stop_at_key=True)
        self.button(QWizard.WizardButton.CancelButton).click()
        return self.result()

    monkeypatch.setattr(FirstRunAssistant, "exec", stop_at_the_key)
    assert gui.run(data_dir) == 0
    assert gui.windows == []  # no board before the set-up is done

    def finish(self: FirstRunAssistant) -> int:
        assert self.recovery_key is None and self.administrator.resuming
        self.show()
        walk(self, tmp_path)
        return self.result()

    monkeypatch.setattr(FirstRunAssistant, "exec", finish)
    assert gui.run(data_dir) == 0
    [seen] = gui.windows
    assert seen["user"] is not None and seen["user"].username == "j.smith"


def test_a_school_in_use_without_an_administrator_is_asked_for_one_at_each_start(
    gui: Gui, monkeypatch, data_dir, clock
):
    from tests.ui.school import build_school

    created = DatabaseOpener(gui.keystore, clock).create(data_dir)
    with created.database.session() as session:
        build_school(session, clock.now())
    created.database.close()
    monkeypatch.setattr(FirstRunAssistant, "exec", never)
    assert gui.run(data_dir) == 0
    assert gui.run(data_dir) == 0
    assert gui.first_admin_asked == 2


def test_missing_database_is_not_created_when_the_user_declines(gui: Gui, monkeypatch, data_dir):
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    monkeypatch.setattr(RecoveryKeyDialog, "exec", never)
    assert gui.run(data_dir) == 0
    assert not data_dir.exists()
    assert gui.windows == []


def test_key_needed_asks_for_the_recovery_key_until_it_is_right(
    gui: Gui, monkeypatch, data_dir, clock
):
    other_store = KeyStore(MemoryKeyring())
    created = DatabaseOpener(other_store, clock).create(data_dir)
    created.database.close()
    key = created.recovery_key
    assert key is not None
    messages: list[str] = []

    def type_a_typo_then_the_key(self: UnlockDialog) -> int:
        messages.append(self.reason_label.text())
        self.key_edit.setText(key[:-1] + ("A" if key[-1] != "A" else "B"))
        self.try_open()
        messages.append(self.error_text)
        self.key_edit.setText(key)
        self.try_open()
        return self.result()

    monkeypatch.setattr(UnlockDialog, "exec", type_a_typo_then_the_key)
    assert gui.run(data_dir) == 0
    assert "not stored for this account" in messages[0]
    assert "typo" in messages[1]
    assert len(gui.windows) == 1
    assert gui.keystore.load(database_path(data_dir)) is not None  # remembered now


def test_key_needed_and_the_user_gives_up(gui: Gui, monkeypatch, data_dir, clock):
    DatabaseOpener(KeyStore(MemoryKeyring()), clock).create(data_dir).database.close()
    monkeypatch.setattr(UnlockDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert gui.run(data_dir) == 0
    assert gui.windows == [] and gui.errors == []


def test_an_unusable_file_is_explained_and_exits_1(gui: Gui, data_dir):
    data_dir.mkdir()
    sqlite3.connect(database_path(data_dir)).execute("CREATE TABLE t (x)").connection.close()
    assert gui.run(data_dir) == 1
    [error] = gui.errors
    assert isinstance(error, NotADatabase)
    assert "unencrypted" in error.what
    assert gui.windows == []


def test_a_second_start_raises_the_first_and_exits_0(gui: Gui, qtbot, data_dir):
    first = SingleInstance(gui.name, gui.tmp_path / "run")
    assert first.acquire()
    try:
        with qtbot.waitSignal(first.raise_requested, timeout=3000):
            assert gui.run(data_dir) == 0
    finally:
        first.release()
    assert gui.windows == [] and gui.errors == [] and not data_dir.exists()


def test_a_bug_is_logged_with_its_traceback_and_reported(gui: Gui, monkeypatch, data_dir):
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(app_module, "MainWindow", broken)
    monkeypatch.setattr(RecoveryKeyDialog, "exec", never)
    assert gui.run(data_dir, demo=True) == 1
    log_file = gui.tmp_path / "log" / "hvdesk.log"
    assert gui.bugs == [log_file]
    text = log_file.read_text(encoding="utf-8")
    assert "Traceback" in text and "simulated bug" in text


def test_a_known_database_error_while_starting_is_explained(gui: Gui, monkeypatch, data_dir):
    import sqlalchemy.exc

    from hvdesk.errors import DatabaseLocked

    def locked(*args: Any, **kwargs: Any) -> None:
        raise sqlalchemy.exc.OperationalError("SELECT 1", {}, Exception("database is locked"))

    monkeypatch.setattr(app_module, "MainWindow", locked)
    assert gui.run(data_dir, demo=True) == 1
    assert [type(e) for e in gui.errors] == [DatabaseLocked]
    assert gui.bugs == []
