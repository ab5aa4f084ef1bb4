"""A tray notification when the board's window is minimised: an extra channel, never the only one.

The system tray is absent on some desktops (and offscreen), and Windows may suppress tray
messages (Focus Assist), so the board also raises its window, shows the alert banner and plays
the sound. `Notifier` is the small interface the board talks to; tests pass one that records.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QSystemTrayIcon

from hvdesk.ui.icons import icon


class Notifier(Protocol):
    """Shows a short message outside the window, if the desktop can."""

    def notify(self, title: str, message: str) -> bool: ...


class TrayNotifier(QObject):
    """A QSystemTrayIcon created only when the desktop has a tray, and only on first use."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tray: QSystemTrayIcon | None = None

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def notify(self, title: str, message: str) -> bool:
        """Show the message; False when there is no tray (the other channels still alert)."""
        if not self.available():
            return False
        if self._tray is None:
            self._tray = QSystemTrayIcon(icon("overdue"), self)
            self._tray.setToolTip("hvdesk: out-on-visit board")
            self._tray.show()
        self._tray.showMessage(title, message, QSystemTrayIcon.MessageIcon.Critical, 15_000)
        return True

    def hide(self) -> None:
        if self._tray is not None:
            self._tray.hide()
