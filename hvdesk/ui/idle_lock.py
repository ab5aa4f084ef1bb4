"""Signing out a desk nobody is using, so the board at the hatch falls back to privacy mode.

Any keyboard, mouse or touch input anywhere in hvdesk counts as use. Idle time is measured on
the injected clock's monotonic time (a PC clock change neither locks early nor never), checked
by a timer from `Timers`, so tests move a FakeClock and fire the timer by hand.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal

from hvdesk.clock import Clock
from hvdesk.services.identity import SignedInUser
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.timers import Timer, Timers

log = logging.getLogger(__name__)

CHECK_MS = 5000
INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
    }
)


class IdleLock(QObject):
    """Signs `current_user` out after `minutes` without input (0: never) and emits `locked`.

    Watches every event of the application (an event filter that only notes the time and never
    consumes anything); call `stop()` when the window closes.
    """

    locked = Signal()

    def __init__(
        self,
        current_user: CurrentUser,
        clock: Clock,
        timers: Timers,
        minutes: int,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._current_user = current_user
        self._clock = clock
        self.minutes = minutes
        self._last_input = clock.monotonic()
        self.last_user: SignedInUser | None = None
        """Who was signed in when the desk last locked (None after a deliberate sign-out)."""
        self._app = QCoreApplication.instance()
        if self._app is not None:
            self._app.installEventFilter(self)
        current_user.changed.connect(self.note_input)
        self.timer: Timer = timers.create("idle-lock", CHECK_MS, self, self.check)

    @property
    def idle_seconds(self) -> float:
        return self._clock.monotonic() - self._last_input

    def note_input(self) -> None:
        """Someone is at the desk (they typed, clicked, or just signed in)."""
        self._last_input = self._clock.monotonic()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in INPUT_EVENTS:
            self._last_input = self._clock.monotonic()
        return False

    def check(self) -> None:
        """Sign out if the desk has been idle for the set time."""
        user = self._current_user.user
        if user is None or self.minutes <= 0 or self.idle_seconds < self.minutes * 60:
            return
        log.info("Account %d locked after %d idle minutes", user.user_id, self.minutes)
        self.last_user = user  # issue 13: the same person reopens the screen lock with a PIN
        self._current_user.sign_out()
        self.locked.emit()

    def stop(self) -> None:
        """Stop watching (the window is closing); safe to call twice."""
        self.timer.stop()
        if self._app is not None:
            self._app.removeEventFilter(self)
            self._app = None
