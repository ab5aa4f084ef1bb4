"""The daily automatic backup, and the status bar's "last backup" that turns amber when old.

A timer checks every ten minutes whether a backup is due (none in the last 24 hours) and makes
one; a failure shows in the status bar in red with what to do, and is retried at the next check.
It never interrupts the board with a dialog.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QWidget

from hvdesk.clock import Clock
from hvdesk.errors import HvdeskError, ServerModeOnly
from hvdesk.services.backups import Backups
from hvdesk.ui.formatting import show_time_near
from hvdesk.ui.restyle import set_style_properties
from hvdesk.ui.timers import Timers

log = logging.getLogger(__name__)

CHECK_EVERY_MS = 10 * 60 * 1000


class BackupWatch(QObject):
    """Owns the status-bar label and the automatic backup timer of one window."""

    def __init__(
        self,
        backups: Backups,
        clock: Clock,
        timers: Timers,
        parent: QWidget,
        *,
        automatic: bool = True,
    ) -> None:
        super().__init__(parent)
        self.backups = backups
        self._clock = clock
        self.label = QLabel()
        self.label.setObjectName("backupLabel")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setAccessibleName("Last backup")
        self.failure: HvdeskError | None = None
        if automatic:
            self.timer = timers.create("daily-backup", CHECK_EVERY_MS, self, self.check)
        self.refresh()

    def check(self) -> None:
        """Make the daily backup if it is due, then show where things stand."""
        try:
            self.backups.back_up_if_due()
            self.failure = None
        except HvdeskError as exc:
            self.failure = exc
            log.warning("Automatic backup failed: %s", type(exc).__name__)
        self.refresh()

    def refresh(self) -> None:
        try:
            status = self.backups.status()
        except ServerModeOnly as exc:  # a server's backups are IT's (issue 16)
            self.label.setText("Backups: by the server")
            self.label.setToolTip(f"{exc.what} {exc.todo}")
            set_style_properties(self.label, state="ok")
            return
        if self.failure is not None:
            text = "Backup failed"
            state = "failed"
            tip = f"{self.failure.what} {self.failure.todo}"
        elif status.failed_check is not None:
            text, state = "Backup check failed", "failed"
            tip = f"{status.failed_check} Use an earlier backup, and make a new one now."
        elif status.last_at is None:
            text, state = "No backup yet", "stale"
            tip = f"Backups go to {status.folder}. The first is made within ten minutes."
        else:
            text = f"Last backup: {show_time_near(status.last_at, self._clock.now())}"
            state = "stale" if status.stale else "ok"
            tip = f"Backups go to {status.folder}."
            if status.stale:
                tip += " The last backup is old: check the backup folder can be reached."
        self.label.setText(text)
        self.label.setToolTip(tip)
        set_style_properties(self.label, state=state)
