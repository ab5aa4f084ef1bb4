"""Never take the window from a form (issue 13): how a new alert reaches someone busy typing.

With no dialog open and nothing typed in the last few seconds, a new alert shows the Board (as
before). While a dialog is open, or the user typed in the last `TYPING_SECONDS`, the window is
left alone: a bar across the top of every page says what, who and how overdue (the board plays
the sound and, when minimised, shows a tray message), and one click on the bar or one key
(F8) goes to the alert. An open dialog gets the same strip across its own top, so the alert is
seen over the form; its F8 shows the Board behind the form and nothing typed is lost (the form
stays open until its user saves or closes it).

Typing is noted on the injected clock's monotonic time, so tests move a FakeClock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QBoxLayout,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from hvdesk.clock import Clock

__all__ = [
    "GO_KEY",
    "TYPING_SECONDS",
    "AlertBar",
    "AlertInterrupt",
    "TypingWatch",
    "with_bar_on_top",
]

TYPING_SECONDS = 5.0
_TEXT_INPUTS = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox)
_COMMAND_KEYS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)
GO_KEY = "F8"


class TypingWatch(QObject):
    """Notes when a key was last pressed anywhere in hvdesk (never consumes the key)."""

    def __init__(self, clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._last: float | None = None
        self._last_at: datetime | None = None
        self._app = QCoreApplication.instance()
        if self._app is not None:
            self._app.installEventFilter(self)

    def typed_within(self, seconds: float) -> bool:
        """A key was typed less than `seconds` ago, by the monotonic clock and the wall clock
        alike (a wall clock moved on by hours since means nobody is typing now)."""
        if self._last is None or self._last_at is None:
            return False
        since = (self._clock.now() - self._last_at).total_seconds()
        return self._clock.monotonic() - self._last < seconds and 0 <= since < seconds

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Typing is a key without Ctrl or Alt into a text box (a Ctrl+5 to change page, or a
        single key on the board's table, is not someone writing something)."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(watched, _TEXT_INPUTS)
            and isinstance(event, QKeyEvent)
            and not event.modifiers() & _COMMAND_KEYS
        ):
            self._last = self._clock.monotonic()
            self._last_at = self._clock.now()
        return False

    def stop(self) -> None:
        if self._app is not None:
            self._app.removeEventFilter(self)
            self._app = None


class AlertBar(QFrame):
    """The strip across the top: the alert's words and one button to go to it."""

    go_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, in_dialog: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("alertInterruptBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel()
        self.label.setObjectName("alertInterruptText")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        words = "Show the board" if in_dialog else "Go to the alert"
        self.button = QPushButton(f"{words} ({GO_KEY})")
        self.button.setObjectName("alertInterruptGo")
        self.button.setAutoDefault(False)
        self.button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.button.clicked.connect(self.go_requested.emit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self.shortcut = QShortcut(QKeySequence(GO_KEY), parent or self)
        self.shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.shortcut.activated.connect(self._key)
        self.hide()

    def show_alert(self, text: str) -> None:
        self.label.setText(text)
        self.button.setAccessibleName(f"{self.button.text()}: {text}")
        self.setAccessibleName(f"New alert: {text}")
        self.show()

    def _key(self) -> None:
        if self.isVisible():
            self.go_requested.emit()


def with_bar_on_top(bar: AlertBar, content: QWidget) -> QWidget:
    """The window's centre: the bar across the top of every page, the pages below."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(bar)
    layout.addWidget(content, 1)
    return holder


class AlertInterrupt(QObject):
    """Decides, for each new alert, whether to show the Board or the bar."""

    def __init__(
        self,
        window: QWidget,
        bar: AlertBar,
        clock: Clock,
        show_board: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._window = window
        self.bar = bar
        self._show_board = show_board
        self.typing = TypingWatch(clock, self)
        self.dialog_bars: dict[QDialog, AlertBar] = {}
        bar.go_requested.connect(self.go)

    @classmethod
    def install(
        cls, window: QWidget, bar: AlertBar, board: Any, show_board: Callable[[], None]
    ) -> AlertInterrupt:
        """Wire the board page's alerts through a new interrupt for `window`."""
        interrupt = cls(window, bar, board.clock, show_board, window)
        board.stress.may_take_window = lambda: not interrupt.busy()
        board.alert_raised.connect(interrupt.on_alert)
        return interrupt

    def busy(self) -> bool:
        """A form is open, or the user typed a moment ago: do not take the window."""
        return bool(self._open_dialogs()) or self.typing.typed_within(TYPING_SECONDS)

    def on_alert(self, text: str) -> None:
        if not self.busy():
            self.bar.hide()
            self._show_board()
            return
        self.bar.show_alert(text)
        for dialog in self._open_dialogs():
            strip = self.dialog_bars.get(dialog)
            if strip is None:
                strip = AlertBar(dialog, in_dialog=True)
                strip.go_requested.connect(self._show_board)
                self.dialog_bars[dialog] = strip
                dialog.destroyed.connect(lambda _o=None, d=dialog: self.dialog_bars.pop(d, None))
                layout = dialog.layout()
                if isinstance(layout, QBoxLayout):
                    layout.insertWidget(0, strip)  # above the form: nothing of it is covered
                    strip.label.setMinimumWidth(strip.label.fontMetrics().averageCharWidth() * 40)
            strip.show_alert(f"New alert on the board: {text} (what you typed here is kept)")
            if isinstance(dialog.layout(), QBoxLayout):
                dialog.adjustSize()  # room for the strip; what is typed stays where it is
            if not isinstance(dialog.layout(), QBoxLayout):
                strip.setGeometry(0, 0, dialog.width(), strip.heightForWidth(dialog.width()))
                strip.raise_()

    def go(self) -> None:
        """One click or F8: the Board, at the alert."""
        self.bar.hide()
        self._show_board()

    def _open_dialogs(self) -> list[QDialog]:
        modal = QApplication.activeModalWidget()
        found = [d for d in self._window.findChildren(QDialog) if d.isVisible()]
        if isinstance(modal, QDialog) and modal not in found:
            found.append(modal)
        return found

    def stop(self) -> None:
        self.typing.stop()
