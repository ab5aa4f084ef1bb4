"""The board's alert sound, behind a small interface.

`SoundSink` is anything with `play()`. The real one plays resources/sounds/alert.wav through
QtMultimedia's QSoundEffect, imported lazily on the first alert: QtMultimedia fails to import on
a PC without the PulseAudio library, and QSoundEffect cannot play without an audio device. In
either case the sink beeps meanwhile, reports the sound unavailable, and retries the device from
time to time (issue 13). Tests pass a sink that counts its plays.

`AlertSounder` decides *when* to play: at once when a new unacknowledged alert appears, then
every `repeat_seconds` (measured on the clock's monotonic time, so tests drive it with a
FakeClock) for as long as any alert is still unclaimed. Nothing but a claim silences it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtWidgets import QApplication, QLabel

from hvdesk.clock import Clock, SystemClock
from hvdesk.resources_path import resource_path

log = logging.getLogger(__name__)

REPEAT_SECONDS = 10.0
SOUND_FILE = "sounds/alert.wav"


class SoundSink(Protocol):
    """Plays the alert sound once."""

    def play(self) -> None: ...


class BeepSink:
    """The system beep: always available, the fallback of last resort."""

    def play(self) -> None:
        QApplication.beep()


UNAVAILABLE = "Alert sound unavailable: check the speakers."
RETRY_SECONDS = 60.0


class QtSoundSink(QObject):
    """The alert WAV through QSoundEffect; the beep meanwhile when there is no sound.

    Where the sound cannot be made (no QtMultimedia, no device, a sound server not running
    yet), it beeps, says so (`available` False, `availability_changed`), and tries the real
    sound again every `retry_seconds` on the clock's monotonic time: a sound service that
    starts late at login is picked up. `test_sound()` (Settings) tries again at once.
    """

    availability_changed = Signal(bool)

    def __init__(
        self,
        parent: QObject | None = None,
        clock: Clock | None = None,
        retry_seconds: float = RETRY_SECONDS,
    ) -> None:
        super().__init__(parent)
        self._effect: Any = None
        self._fallback: BeepSink | None = None
        self._clock: Clock = clock if clock is not None else SystemClock()
        self._retry_seconds = retry_seconds
        self._failed_at: float | None = None
        self._tried = False
        self.available: bool | None = None
        """None until the first sound; then whether the real sound could be played."""

    @property
    def uses_fallback(self) -> bool:
        return self._fallback is not None

    @property
    def problem(self) -> str | None:
        """What the board says in its status area when no real sound can be made."""
        return UNAVAILABLE if self.available is False else None

    def play(self) -> None:
        if not self._tried or self._retry_due():
            self._tried = True
            self._effect = self._make_effect()
            self._set_available(self._effect is not None)
        if self._effect is not None:
            status = self._effect.status()
            if status == type(self._effect).Status.Error:
                log.warning("The alert sound could not be played; using the system beep")
                self._effect = None
                self._set_available(False)
            else:
                self._effect.play()
                return
        if self._fallback is not None:
            self._fallback.play()

    def test_sound(self) -> bool:
        """Settings' "Test sound": try the real sound again now and play it once; returns
        whether it could be played (the beep is heard otherwise)."""
        self._tried = False
        self.play()
        return bool(self.available)

    def _retry_due(self) -> bool:
        if self._effect is not None or self._failed_at is None:
            return False
        return self._now() - self._failed_at >= self._retry_seconds

    def _now(self) -> float:
        return self._clock.monotonic()

    def _set_available(self, ok: bool) -> None:
        self._fallback = None if ok else BeepSink()
        self._failed_at = None if ok else self._now()
        if self.available is not ok:
            self.available = ok
            self.availability_changed.emit(ok)

    def _make_effect(self) -> Any:
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
        except ImportError as exc:  # no libpulse, or PySide6-Addons missing
            log.info("QtMultimedia unavailable (%s); alerts use the system beep", exc)
            return None
        try:
            if not QMediaDevices.audioOutputs():
                log.info("No audio output device; alerts use the system beep")
                return None
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(resource_path(SOUND_FILE))))
            effect.setVolume(1.0)
            return effect
        except (RuntimeError, OSError) as exc:
            log.warning("Could not set up the alert sound (%s); using the system beep", exc)
            return None


def test_alert_sound(sink: SoundSink) -> bool:
    """Settings' and the File menu's "Test the alert sound": play once now; True when a real
    sound (not the fallback beep) could be made. A sink without a device check just plays."""
    tester = getattr(sink, "test_sound", None)
    if tester is not None:
        return bool(tester())
    sink.play()
    return True


def sound_status_label(sink: SoundSink) -> QLabel:
    """A label for the board's status area that says, while it is so, that the alert sound
    cannot be made ("Alert sound unavailable: check the speakers."); hidden otherwise."""
    label = QLabel()
    label.setObjectName("soundProblem")
    label.setAccessibleName("Alert sound")
    label.hide()
    changed = getattr(sink, "availability_changed", None)
    if changed is not None:

        def show(ok: bool) -> None:
            label.setText("" if ok else UNAVAILABLE)
            label.setVisible(not ok)

        changed.connect(show)
    return label


class AlertSounder:
    """Repeats the alert sound while any alert is unacknowledged (unclaimed)."""

    def __init__(
        self, sink: SoundSink, clock: Clock, repeat_seconds: float = REPEAT_SECONDS
    ) -> None:
        self.sink = sink
        self.clock = clock
        self.repeat_seconds = repeat_seconds
        self._last_played: float | None = None
        self._pending: frozenset[object] = frozenset()
        self.plays = 0

    @property
    def sounding(self) -> bool:
        """Some alert is waiting for a claim: the sound keeps repeating."""
        return bool(self._pending)

    def update(self, unacknowledged: Iterable[object], *, ping: bool = False) -> bool:
        """Called on every tick and poll with the keys of the alerts nobody has claimed.
        Plays at once for a new one (or when `ping`: a prompt went up a stage), then every
        `repeat_seconds` while any is left; returns whether it played."""
        keys = frozenset(unacknowledged)
        new = bool(keys - self._pending)
        self._pending = keys
        now = self.clock.monotonic()
        if not keys:
            self._last_played = None
            if ping:
                self._play(now)
            return ping
        due = self._last_played is None or now - self._last_played >= self.repeat_seconds
        if new or due or ping:
            self._play(now)
            return True
        return False

    def _play(self, now: float) -> None:
        self._last_played = now
        self.plays += 1
        self.sink.play()
