# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""Issue 13 on the real main window over a copy of the demo school, with the fake clock: an
alert never takes the window from a form (3), the window opens maximised and remembers its
place (5), the alert sound is reported and retried (12), and the screen lock reopens with the
same person's PIN (13). Keyboard and mouse both."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from hvdesk.demo.accounts import DEMO_PASSWORD
from hvdesk.services.container import Services
from hvdesk.services.visit_records import VisitRecords
from hvdesk.ui.about import AboutInfo
from hvdesk.ui.alert_interrupt import TYPING_SECONDS
from hvdesk.ui.board import alert_sound
from hvdesk.ui.dialogs.screen_lock_dialog import SetPinDialog, UnlockDialog
from hvdesk.ui.dialogs.sign_in_dialog import SignInDialog
from hvdesk.ui.main_window import BOARD, PRIVACY_TEXT, MainWindow
from hvdesk.ui.timers import Timers
from hvdesk.ui.visit_record.record_dialog import VisitRecordDialog
from hvdesk.ui.window_geometry import FILE_NAME, remember, show_as_remembered
from tests.board_school import School, demo_template, school  # noqa: F401
from tests.ui.conftest import open_window

DSL = "s.whitfield"
RECEPTION = "k.lewis"


@pytest.fixture
def window(school: School, timers: Timers) -> Iterator[MainWindow]:
    window = open_window(school.database, school.clock, timers, folder=school.data_dir)
    window.show()
    yield window
    window.close()
    window.deleteLater()


def _tick(window: MainWindow, timers: Timers, seconds: float) -> None:
    window.clock.advance(seconds)  # type: ignore[attr-defined]
    timers.fire("board-countdown")


def _activate(qtbot: Any, widget: Any) -> None:
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=2000)


# --- 3. never take the window from a form --------------------------------------------------------


def test_an_alert_while_the_dsl_types_a_record_shows_a_bar_and_keeps_the_form(
    qtbot, school: School, window: MainWindow, timers: Timers
) -> None:
    window.current_user.sign_in(school.user(DSL))
    _activate(qtbot, window)
    QTest.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)  # After visits
    after_visits = window.stack.currentWidget()
    assert after_visits is window.after_visits_page

    returned = school.one("out_on_time")
    school.log.returned(returned, school.user(RECEPTION))
    records = VisitRecords(school.database, school.clock)
    form = VisitRecordDialog(records, returned, school.user(DSL), school.clock, window)
    form.open()
    _activate(qtbot, form)
    school.clock.advance(9 * 60)  # the board has not ticked yet
    form.observations.setFocus()
    qtbot.keyClicks(form.observations, "Mum at home; child seen and well.")
    plays = window.board_page.sound.plays  # type: ignore[attr-defined]

    # The due-soon colleague's call is now overdue: a new alert, stage 1.
    _tick(window, timers, 1)
    assert window.stack.currentWidget() is after_visits  # the window was not taken
    assert form.isVisible() and form.observations.toPlainText() == (
        "Mum at home; child seen and well."
    )
    assert window.alert_bar.isVisible()
    text = window.alert_bar.label.text()  # what, who, how overdue (the most urgent new one)
    assert ": Stage " in text and text.endswith("min overdue)")
    strip = window.alert_interrupt.dialog_bars[form]
    assert strip.isVisible() and "New alert on the board" in strip.label.text()
    assert window.board_page.sound.plays > plays  # type: ignore[attr-defined]

    # One key in the form shows the board behind it; what was typed stays.
    QTest.keyClick(form, Qt.Key.Key_F8)
    assert window.stack.currentIndex() == BOARD
    assert form.isVisible() and "child seen" in form.observations.toPlainText()
    form.reject()
    form.deleteLater()


def test_an_alert_while_typing_in_a_page_shows_the_bar_and_one_click_goes_to_it(
    qtbot, school: School, window: MainWindow, timers: Timers
) -> None:
    window.current_user.sign_in(school.user(DSL))
    _activate(qtbot, window)
    QTest.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)  # Pupils
    pupils = window.stack.currentWidget()
    school.clock.advance(9 * 60)  # the board has not ticked yet
    QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(QApplication.focusWidget(), "Nowa")
    _tick(window, timers, 2)  # typed two seconds ago
    assert window.stack.currentWidget() is pupils
    assert window.alert_bar.isVisible()
    assert pupils.search_box.text() == "Nowa"  # type: ignore[attr-defined]
    qtbot.mouseClick(window.alert_bar.button, Qt.MouseButton.LeftButton)
    assert window.stack.currentIndex() == BOARD and not window.alert_bar.isVisible()


def test_with_no_form_and_no_typing_an_alert_still_goes_to_the_board(
    qtbot, school: School, window: MainWindow, timers: Timers
) -> None:
    window.current_user.sign_in(school.user(DSL))
    _activate(qtbot, window)
    QTest.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    school.clock.advance(TYPING_SECONDS + 1)
    _tick(window, timers, 9 * 60)
    assert window.stack.currentIndex() == BOARD
    assert not window.alert_bar.isVisible()


# --- 5. maximised first, then as left --------------------------------------------------------


def test_the_window_opens_maximised_first_then_where_it_was_left(
    qtbot, school: School, timers: Timers, tmp_path: Path
) -> None:
    first = open_window(school.database, school.clock, timers, folder=tmp_path)
    show_as_remembered(first, tmp_path)
    qtbot.waitUntil(first.isMaximized, timeout=2000)
    first.showNormal()
    first.setGeometry(40, 50, 700, 500)  # the test screen is small; any size will do
    remember(first, tmp_path)
    saved = tmp_path / FILE_NAME
    assert saved.stat().st_mode & 0o777 == 0o600
    first.close()
    first.deleteLater()

    again = open_window(school.database, school.clock, timers, folder=tmp_path)
    show_as_remembered(again, tmp_path)
    assert not again.isMaximized()
    assert (again.width(), again.height()) == (700, 500)
    again.close()
    again.deleteLater()

    saved.write_bytes(b"not base64 at all")  # a damaged file: maximised, no error
    third = open_window(school.database, school.clock, timers, folder=tmp_path)
    show_as_remembered(third, tmp_path)
    qtbot.waitUntil(third.isMaximized, timeout=2000)
    third.close()
    third.deleteLater()


# --- 12. a sound the office can rely on ------------------------------------------------------


class _Effect:
    class Status:
        Error = "error"
        Ready = "ready"

    def __init__(self) -> None:
        self.plays = 0

    def status(self) -> str:
        return self.Status.Ready

    def play(self) -> None:
        self.plays += 1


def test_an_unavailable_sound_is_reported_retried_and_tested_from_the_menu(
    qtbot, school: School, timers: Timers, monkeypatch: pytest.MonkeyPatch
) -> None:
    beeps: list[bool] = []
    monkeypatch.setattr(alert_sound.QApplication, "beep", lambda: beeps.append(True))
    device: list[_Effect | None] = [None]  # no sound server yet
    monkeypatch.setattr(alert_sound.QtSoundSink, "_make_effect", lambda self: device[0])
    sink = alert_sound.QtSoundSink(clock=school.clock)
    about = AboutInfo(school.data_dir, Path("/var/log/hvdesk/hvdesk.log"), demo=False)
    services = Services.build(school.database, school.clock)
    window = MainWindow(services, about, timers=timers, sound=sink)
    window.show()  # the demo school has alerts: the board sounds at once
    try:
        label = window.board_page.sound_label
        assert beeps and sink.available is False  # the beep meanwhile, and it says so
        assert label.isVisibleTo(window) and label.text() == alert_sound.UNAVAILABLE
        device[0] = _Effect()  # the sound service starts late at login
        school.clock.advance(30)
        before = len(beeps)
        sink.play()
        assert len(beeps) == before + 1  # not retried yet
        school.clock.advance(31)
        sink.play()
        assert device[0].plays == 1 and sink.available and not label.isVisibleTo(window)
        window.test_sound_action.trigger()
        assert device[0].plays == 2
        assert window.statusBar().currentMessage() == "Alert sound played."
    finally:
        window.close()
        window.deleteLater()
        sink.deleteLater()


# --- 13. unlocked in seconds -----------------------------------------------------------------


def _typing_into(dialog_type: type, text: str, *, other: bool = False) -> Callable:
    """An `exec` that types into the real dialog by keyboard and presses Enter."""

    def exec_(self: Any) -> int:
        self.show()
        if other:
            self.other_button.click()
            return int(self.result())
        field = self.secret_edit if isinstance(self, UnlockDialog) else self.username_edit
        assert self.focusWidget() is field  # the PIN box has the focus: type at once
        QTest.keyClicks(field, text)
        QTest.keyClick(field, Qt.Key.Key_Return)
        return int(self.result())

    return exec_


def test_the_same_person_reopens_the_lock_with_a_pin_and_someone_else_signs_in_in_full(
    qtbot, school: School, window: MainWindow, timers: Timers, monkeypatch: pytest.MonkeyPatch
) -> None:
    karen = school.user(RECEPTION)

    def full_sign_in(username: str) -> Callable:
        def exec_(self: SignInDialog) -> int:
            self.username_edit.setText(username)
            self.password_edit.setText(DEMO_PASSWORD)
            self.sign_in_button.click()
            return int(self.result())

        return exec_

    monkeypatch.setattr(SignInDialog, "exec", full_sign_in(RECEPTION))
    window.sign_in_action.trigger()
    assert window.current_user.user == karen

    def set_pin(self: SetPinDialog) -> int:
        self.show()
        QTest.keyClicks(self.pin_edit, "4071")
        QTest.keyClicks(self.again_edit, "4071")
        QTest.keyClick(self.again_edit, Qt.Key.Key_Return)
        return int(self.result())

    monkeypatch.setattr(SetPinDialog, "exec", set_pin)
    window.set_pin_action.trigger()
    assert window.statusBar().currentMessage() == "Your screen-lock PIN is saved."

    school.clock.advance(timedelta(minutes=10))
    timers.fire("idle-lock")
    assert not window.current_user.is_signed_in and window.user_label.text() == PRIVACY_TEXT
    card_numbers = window.board_page  # the board asks for a sign-in from an alert card

    monkeypatch.setattr(UnlockDialog, "exec", _typing_into(UnlockDialog, "4071"))
    card_numbers.sign_in_requested.emit()
    assert window.current_user.user == karen  # one key and the PIN

    # Wrong PINs close the PIN; the password still opens it.
    school.clock.advance(timedelta(minutes=10))
    timers.fire("idle-lock")
    shown: list[UnlockDialog] = []

    def wrong(self: UnlockDialog) -> int:
        shown.append(self)
        self.show()
        for _ in range(3):
            QTest.keyClicks(self.secret_edit, "9999")
            QTest.keyClick(self.secret_edit, Qt.Key.Key_Return)
        assert "stopped working" in self.error_label.message
        QTest.keyClicks(self.secret_edit, DEMO_PASSWORD)
        QTest.keyClick(self.secret_edit, Qt.Key.Key_Return)
        return int(self.result())

    monkeypatch.setattr(UnlockDialog, "exec", wrong)
    _activate(qtbot, window)
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # one key
    assert shown and window.current_user.user == karen

    # Someone else at the desk signs in in full; the lock is forgotten.
    school.clock.advance(timedelta(minutes=10))
    timers.fire("idle-lock")
    monkeypatch.setattr(UnlockDialog, "exec", _typing_into(UnlockDialog, "", other=True))
    monkeypatch.setattr(SignInDialog, "exec", full_sign_in(DSL))
    window.sign_in_action.trigger()
    assert window.current_user.user == school.user(DSL)
    assert window.screen_lock.locked_user is None
