"""Every repeating timer of the UI goes through here, so tests can fire them by hand and
check that none is left running (after qutebrowser's `usertypes.Timer`).

A tick never carries time: whatever a timer refreshes computes its values from the injected
clock, so a late or dropped tick costs nothing but a late repaint.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import QObject, Qt, QTimer


class Timer(QTimer):
    """A named QTimer that tests can `fire()` and that is tracked for leak checks."""

    _all: ClassVar[weakref.WeakSet[Timer]] = weakref.WeakSet()

    def __init__(self, name: str, interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if interval_ms < 0:
            raise ValueError("a timer interval cannot be negative")
        self.setObjectName(name)
        self.setInterval(interval_ms)
        self.name = name
        Timer._all.add(self)

    def fire(self) -> None:
        """Run one tick now, as if the interval had passed."""
        self.timeout.emit()

    @classmethod
    def running(cls) -> list[Timer]:
        """Timers still active anywhere in the process (a test that leaves one fails)."""
        found = []
        for timer in list(cls._all):
            try:
                if timer.isActive():
                    found.append(timer)
            except RuntimeError:  # the C++ side is already gone
                continue
        return found


class Timers:
    """Creates, starts and stops the timers of one window.

    With ``autostart=False`` (tests) timers are created but never started: a test moves a
    FakeClock and calls `fire()`, so nothing ticks behind its back.
    """

    def __init__(self, *, autostart: bool = True) -> None:
        self.autostart = autostart
        self._timers: list[Timer] = []

    def create(
        self, name: str, interval_ms: int, parent: QObject, callback: Callable[[], None]
    ) -> Timer:
        timer = Timer(name, interval_ms, parent)
        timer.timeout.connect(callback)
        self._timers.append(timer)
        if self.autostart:
            timer.start()
        return timer

    def create_single_shot(self, name: str, parent: QObject, callback: Callable[[], None]) -> Timer:
        """A precise one-shot timer that `arm` starts for a given delay (a deadline)."""
        timer = Timer(name, 0, parent)
        timer.setSingleShot(True)
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.timeout.connect(callback)
        self._timers.append(timer)
        return timer

    def arm(self, name: str, delay_ms: int) -> None:
        """Set a one-shot timer to fire in `delay_ms` (started unless `autostart` is off:
        a test reads the interval and fires it by hand)."""
        timer = self.get(name)
        timer.setInterval(max(0, delay_ms))
        if self.autostart:
            timer.start()

    def get(self, name: str) -> Timer:
        for timer in self._timers:
            if timer.name == name:
                return timer
        raise KeyError(name)

    def fire(self, name: str) -> None:
        self.get(name).fire()

    def names(self) -> list[str]:
        return [t.name for t in self._timers]

    def stop_all(self) -> None:
        """Stop every timer (the window is closing); safe to call twice."""
        for timer in self._timers:
            try:
                timer.stop()
            except RuntimeError:
                continue
