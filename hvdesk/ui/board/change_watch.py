"""Refreshing the board the moment another PC changes something (server mode).

A daemon thread waits on `LiveUpdates` (PostgreSQL NOTIFY, heard within a second) and emits
`changed`, which Qt delivers on the UI thread, where the board reads itself again. On the
encrypted file there is no other PC: the watch does not start and the five-second poll stays
the board's only refresh; on a server the poll stays as the fallback, and a lost connection is
the watchdog's stale-data warning until the feed listens again by itself.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Signal

from hvdesk.services.live_updates import LiveUpdates

log = logging.getLogger(__name__)

WAIT_SECONDS = 1.0


class ChangeWatch(QObject):
    """Emits `changed` when any PC records a change; start() after the board is shown."""

    changed = Signal()

    def __init__(self, updates: LiveUpdates, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._updates = updates
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._watch, name="board-change-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2 * WAIT_SECONDS + 1)
            self._thread = None
        self._updates.close()

    def _watch(self) -> None:
        while not self._stop.is_set():
            if self._updates.wait_for_change(WAIT_SECONDS) and not self._stop.is_set():
                self.changed.emit()
