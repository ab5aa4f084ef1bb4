"""The board's alert sound, behind a small interface.

`SoundSink` is anything with `play()`. The real one plays resources/sounds/alert.wav through
QtMultimedia's QSoundEffect, imported lazily on the first alert: QtMultimedia fails to import on
a PC without the PulseAudio library, and QSoundEffect cannot play without an audio device. In
either case the sink falls back to `QApplication.beep()` for good, so an alert is never silent
because of a sound card. Tests pass a sink that counts its plays.

`AlertSounder` decides *when* to play: at once when a new unacknowledged alert appears, then
every `repeat_seconds` (measured on the clock's monotonic time, so tests drive it with a
FakeClock) for as long as any alert is still unclaimed. Nothing but a claim silences it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QUrl
from PySide6.QtWidgets import QApplication

from hvdesk.clock import Clock
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


class QtSoundSink(QObject):
    """The alert WAV through QSoundEffect, falling back to the beep when there is no sound."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._effect: Any = None
        self._fallback: BeepSink | None = None
        self._tried = False

    @property
    def uses_fallback(self) -> bool:
        return self._fallback is not None

    def play(self) -> None:
        if not self._tried:
            self._tried = True
            self._effect = self._make_effect()
            if self._effect is None:
                self._fallback = BeepSink()
        if self._effect is not None:
            status = self._effect.status()
            if status == type(self._effect).Status.Error:
                log.warning("The alert sound could not be played; using the system beep")
                self._effect = None
                self._fallback = BeepSink()
            else:
                self._effect.play()
                return
        if self._fallback is not None:
            self._fallback.play()

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
