"""Signing in, switching user, signing out and the idle lock, on a real encrypted database.

Modal `exec()` calls are replaced by functions that type into the real dialog and press its
button, so nothing blocks; the idle lock is driven by moving the FakeClock and firing its timer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox

from hvdesk.clock import FakeClock
from hvdesk.demo.accounts import DEMO_PASSWORD
from hvdesk.domain.people import Role
from hvdesk.services.accounts import Accounts
from hvdesk.services.identity import SignedInUser
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.dialogs.first_admin_dialog import FirstAdminDialog
from hvdesk.ui.dialogs.sign_in_dialog import SignInDialog
from hvdesk.ui.idle_lock import IdleLock
from hvdesk.ui.main_window import BOARD, PRIVACY_TEXT, MainWindow
from hvdesk.ui.timers import Timers
from tests.ui.conftest import SmallSchool, open_window

PASSWORD = "a long enough password"


@pytest.fixture
def accounts(small_school: SmallSchool, clock: FakeClock) -> Accounts:
    accounts = Accounts(small_school.database, clock)
    admin = accounts.create_first_administrator("p.stanton", "Paul Stanton", PASSWORD)
    accounts.create_account(admin, "k.lewis", "Karen Lewis", Role.RECEPTION, PASSWORD)
    accounts.create_account(admin, "s.whitfield", "Sarah Whitfield", Role.DSL, PASSWORD)
    return accounts


@pytest.fixture
def window(
    accounts: Accounts, small_school: SmallSchool, clock: FakeClock, timers: Timers
) -> Iterator[MainWindow]:
    window = open_window(small_school.database, clock, timers)
    window.show()
    yield window
    window.close()
    window.deleteLater()


def typing(username: str, password: str, seen: list[SignInDialog] | None = None) -> Callable:
    """An `exec` that types into the dialog, presses Sign in, and returns what exec would."""

    def exec_(self: SignInDialog) -> int:
        if seen is not None:
            seen.append(self)
        self.username_edit.setText(username)
        self.password_edit.setText(password)
        self.sign_in_button.click()
        return self.result()

    return exec_


def sign_in(window: MainWindow, monkeypatch, username: str = "k.lewis") -> None:
    monkeypatch.setattr(SignInDialog, "exec", typing(username, PASSWORD))
    window.sign_in_action.trigger()
    assert window.current_user.is_signed_in


# --- the dialog -------------------------------------------------------------------------------


def test_a_wrong_password_is_explained_and_the_right_one_signs_in(qtbot, accounts: Accounts):
    dialog = SignInDialog(accounts)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username_edit.setText("k.lewis")
    dialog.password_edit.setText("not my password")
    dialog.sign_in_button.click()
    assert dialog.isVisible() and dialog.user is None
    assert "username or password is not right" in dialog.error_text
    assert dialog.password_edit.text() == ""
    assert dialog.focusWidget() is dialog.password_edit
    qtbot.keyClicks(dialog.password_edit, "a")
    assert dialog.error_text == ""  # typing again clears the message
    dialog.password_edit.setText(PASSWORD)
    dialog.sign_in_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()
    assert dialog.user is not None
    assert (dialog.user.display_name, dialog.user.role) == ("Karen Lewis", Role.RECEPTION)
    assert dialog.password_edit.text() == ""


def test_enter_moves_to_the_password_then_signs_in(qtbot, accounts: Accounts):
    dialog = SignInDialog(accounts)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    dialog.username_edit.setFocus()
    qtbot.keyClicks(dialog.username_edit, "s.whitfield")
    QTest.keyClick(dialog.username_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.error_text == ""
    assert dialog.password_edit.hasFocus()
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    QTest.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.user is not None and dialog.user.role is Role.DSL


def test_empty_fields_and_a_lock_are_explained_in_the_dialog(qtbot, accounts, clock):
    dialog = SignInDialog(accounts)
    qtbot.addWidget(dialog)
    dialog.sign_in_button.click()
    assert dialog.error_text == "Type your username."
    for _ in range(8):
        dialog.username_edit.setText("k.lewis")
        dialog.password_edit.setText("wrong password!")
        dialog.sign_in_button.click()
        clock.advance(timedelta(seconds=60))
    assert "locked for 15 minutes" in dialog.error_text
    assert "(UK time)" in dialog.error_text
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_the_demo_sign_in_shows_the_demo_password(qtbot, demo, demo_window, monkeypatch):
    seen: list[SignInDialog] = []
    monkeypatch.setattr(SignInDialog, "exec", typing("s.whitfield", DEMO_PASSWORD, seen))
    demo_window.sign_in_action.trigger()
    [dialog] = seen
    assert not dialog.demo_label.isHidden()
    assert DEMO_PASSWORD in dialog.demo_label.text() and "s.whitfield" in dialog.demo_label.text()
    assert demo_window.current_user.user is not None
    assert demo_window.current_user.user.role is Role.DSL
    assert DEMO_PASSWORD in demo_window.demo_label.toolTip()


def test_a_school_database_shows_no_demo_hint(window: MainWindow, monkeypatch):
    seen: list[SignInDialog] = []
    monkeypatch.setattr(SignInDialog, "exec", typing("k.lewis", PASSWORD, seen))
    window.sign_in_action.trigger()
    assert seen[0].demo_label.isHidden()


# --- the window -------------------------------------------------------------------------------


def test_the_window_starts_in_privacy_mode_on_the_board(window: MainWindow):
    assert not window.current_user.is_signed_in
    assert window.user_label.text() == PRIVACY_TEXT
    assert window.sign_in_button.isVisible()
    assert not window.sign_out_button.isVisible() and not window.switch_user_button.isVisible()
    assert window.sign_in_action.isEnabled() and not window.sign_out_action.isEnabled()
    assert window.stack.currentIndex() == BOARD
    pupils = window.section_index(window.pupils_page)
    window.show_section(pupils)  # names the hatch must not see
    assert window.stack.currentIndex() == BOARD
    assert not window.section_actions[pupils].isEnabled()
    item = window.navigation.item(pupils)
    assert not item.flags() & Qt.ItemFlag.ItemIsEnabled
    assert "Sign in" in item.toolTip()


def test_signing_in_names_the_user_and_opens_every_section(window: MainWindow, monkeypatch):
    sign_in(window, monkeypatch)
    assert window.user_label.text() == "Signed in: Karen Lewis (Reception / school office)"
    assert window.sign_out_button.isVisible() and window.switch_user_button.isVisible()
    assert not window.sign_in_button.isVisible()
    window.show_section(window.section_index(window.pupils_page))
    assert window.stack.currentWidget() is window.pupils_page
    assert all(action.isEnabled() for action in window.section_actions)


def test_ctrl_l_opens_the_sign_in(qtbot, window: MainWindow, monkeypatch):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    monkeypatch.setattr(SignInDialog, "exec", typing("s.whitfield", PASSWORD))
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.current_user.user is not None
    assert window.current_user.user.username == "s.whitfield"


def test_switch_user_hands_the_desk_over_and_back(window: MainWindow, monkeypatch):
    sign_in(window, monkeypatch, "k.lewis")
    seen: list[SignInDialog] = []
    monkeypatch.setattr(SignInDialog, "exec", typing("s.whitfield", PASSWORD, seen))
    window.switch_user_action.trigger()
    assert seen[0].windowTitle() == "hvdesk: switch user"
    assert window.user_label.text() == "Signed in: Sarah Whitfield (Designated Safeguarding Lead)"
    monkeypatch.setattr(SignInDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    window.switch_user_action.trigger()  # cancelled: the DSL stays signed in
    assert window.current_user.user is not None
    assert window.current_user.user.username == "s.whitfield"
    monkeypatch.setattr(SignInDialog, "exec", typing("k.lewis", PASSWORD))
    window.switch_user_button.click()
    assert window.user_label.text().startswith("Signed in: Karen Lewis")


def test_the_switch_user_dialog_says_who_is_signed_in(qtbot, accounts: Accounts):
    current = accounts.sign_in("k.lewis", PASSWORD)
    dialog = SignInDialog(accounts, current=current)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "hvdesk: switch user"
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert any("Karen Lewis is signed in" in text for text in texts)


def test_signing_out_returns_to_the_board_in_privacy_mode(window: MainWindow, monkeypatch):
    sign_in(window, monkeypatch)
    window.show_section(window.section_index(window.staff_page))
    changes: list[bool] = []
    window.current_user.changed.connect(lambda: changes.append(window.current_user.is_signed_in))
    window.sign_out_button.click()
    assert changes == [False]
    assert window.user_label.text() == PRIVACY_TEXT
    assert window.stack.currentIndex() == BOARD and window.navigation.currentRow() == BOARD


# --- the idle lock ----------------------------------------------------------------------------


def test_idle_lock_signs_out_after_the_set_minutes_without_input(
    window: MainWindow, clock: FakeClock, timers: Timers, monkeypatch
):
    assert window.policy.idle_lock_minutes == 10
    sign_in(window, monkeypatch)
    window.show_section(window.section_index(window.pupils_page))
    clock.advance(timedelta(minutes=9, seconds=59))
    timers.fire("idle-lock")
    assert window.current_user.is_signed_in
    clock.advance(timedelta(seconds=1))
    timers.fire("idle-lock")
    assert not window.current_user.is_signed_in
    assert window.user_label.text() == PRIVACY_TEXT
    assert window.stack.currentIndex() == BOARD


def test_idle_lock_waits_while_someone_is_using_hvdesk(
    window: MainWindow, clock: FakeClock, timers: Timers, monkeypatch
):
    sign_in(window, monkeypatch)
    clock.advance(timedelta(minutes=9))
    QTest.keyClick(window.user_label, Qt.Key.Key_Shift)  # a key press anywhere counts
    clock.advance(timedelta(minutes=9))
    timers.fire("idle-lock")
    assert window.current_user.is_signed_in
    QTest.mouseMove(window.stack, window.stack.rect().center())
    clock.advance(timedelta(minutes=9, seconds=55))
    timers.fire("idle-lock")
    assert window.current_user.is_signed_in
    clock.advance(timedelta(minutes=1))
    timers.fire("idle-lock")
    assert not window.current_user.is_signed_in


def test_idle_lock_closes_open_dialogs(
    qtbot, window: MainWindow, clock: FakeClock, timers: Timers, monkeypatch
):
    sign_in(window, monkeypatch)
    box = QMessageBox(QMessageBox.Icon.Information, "Visit", "22 Park Road", parent=window)
    box.show()
    clock.advance(timedelta(minutes=10))
    timers.fire("idle-lock")
    assert not box.isVisible()


def test_signing_in_after_a_long_idle_spell_starts_the_count_afresh(
    window: MainWindow, clock: FakeClock, timers: Timers, monkeypatch
):
    clock.advance(timedelta(hours=2))  # the board sat in privacy mode all morning
    sign_in(window, monkeypatch)
    timers.fire("idle-lock")
    assert window.current_user.is_signed_in


def test_no_idle_lock_when_the_setting_is_zero(qapp, clock: FakeClock):
    current = CurrentUser()
    timers = Timers(autostart=False)
    lock = IdleLock(current, clock, timers, minutes=0)
    current.sign_in(SignedInUser(1, "k.lewis", "Karen Lewis", Role.RECEPTION))
    clock.advance(timedelta(days=1))
    timers.fire("idle-lock")
    assert current.is_signed_in
    lock.stop()
    lock.stop()  # twice is harmless
    assert not lock.timer.isActive()


# --- the first administrator ------------------------------------------------------------------


def test_first_admin_dialog_checks_then_creates_the_administrator(
    qtbot, small_school: SmallSchool, clock: FakeClock
):
    accounts = Accounts(small_school.database, clock)
    dialog = FirstAdminDialog(accounts)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name_edit.setText("Paul Stanton")
    dialog.username_edit.setText("p.stanton")
    dialog.password_edit.setText(PASSWORD)
    dialog.again_edit.setText(PASSWORD + "!")
    dialog.create_button.click()
    assert "not the same" in dialog.error_text and dialog.isVisible()
    dialog.password_edit.setText("too short")
    dialog.again_edit.setText("too short")
    dialog.create_button.click()
    assert "at least 10 characters" in dialog.error_text
    assert dialog.focusWidget() is dialog.password_edit
    assert accounts.needs_first_administrator()
    dialog.password_edit.setText(PASSWORD)
    dialog.again_edit.setText(PASSWORD)
    dialog.create_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.user is not None and dialog.user.role is Role.ADMINISTRATOR
    assert not accounts.needs_first_administrator()
    assert accounts.sign_in("p.stanton", PASSWORD) == dialog.user


def test_first_admin_dialog_can_be_left_for_later(qtbot, small_school, clock):
    accounts = Accounts(small_school.database, clock)
    dialog = FirstAdminDialog(accounts)
    qtbot.addWidget(dialog)
    dialog.later_button.click()
    assert dialog.result() == QDialog.DialogCode.Rejected and dialog.user is None
    assert accounts.needs_first_administrator()


def test_a_board_action_in_privacy_mode_offers_the_sign_in(window: MainWindow, monkeypatch):
    monkeypatch.setattr(SignInDialog, "exec", typing("k.lewis", PASSWORD))
    window.board_page.sign_in_requested.emit()
    assert window.current_user.user is not None
    assert window.current_user.user.username == "k.lewis"


def test_the_demo_about_box_gives_the_demo_password(tmp_path):
    from hvdesk.ui.about import AboutInfo, about_html

    assert DEMO_PASSWORD in about_html(AboutInfo(tmp_path, None, demo=True))
    assert DEMO_PASSWORD not in about_html(AboutInfo(tmp_path, None, demo=False))
