"""The main window's status bar: always says which data folder is open (and whether it is the
demo), for which school, when the last backup was, and the time in the UK."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from hvdesk.clock import format_school_time
from hvdesk.services.container import Services
from hvdesk.ui.about import AboutInfo
from hvdesk.ui.backup_watch import BackupWatch
from hvdesk.ui.dialogs.sign_in_dialog import demo_sign_in_hint
from hvdesk.ui.timers import Timers

CLOCK_FORMAT = "%a %d %b %Y, %H:%M"


class DeskStatus:
    """Fills a window's status bar and keeps its clock; owns the automatic backup watch."""

    def __init__(
        self,
        bar: QStatusBar,
        services: Services,
        about: AboutInfo,
        school_name: str,
        timers: Timers,
        window: QWidget,
    ) -> None:
        self._clock = services.clock
        bar.setSizeGripEnabled(False)
        self.demo_label = QLabel(
            "DEMO: invented data, deleted when hvdesk closes"
            if about.throwaway
            else "DEMO: invented data"
        )
        self.demo_label.setObjectName("demoBadge")
        self.demo_label.setAccessibleName("Demo database")
        if about.demo:
            self.demo_label.setToolTip(demo_sign_in_hint())
        self.database_label = QLabel(f"Database: {services.database_where}")
        self.database_label.setToolTip(services.database_where)
        self.database_label.setTextFormat(Qt.TextFormat.PlainText)
        self.school_label = QLabel(school_name)
        self.school_label.setTextFormat(Qt.TextFormat.PlainText)
        self.clock_label = QLabel()
        self.clock_label.setObjectName("clockLabel")
        self.clock_label.setToolTip("The time in the UK (Europe/London)")
        if about.demo:
            bar.addWidget(self.demo_label)
        bar.addWidget(self.database_label, 1)
        # A throwaway demo is deleted on exit: backing it up would only litter the disk.
        self.backup_watch = BackupWatch(
            services.backups,
            services.clock,
            timers,
            window,
            automatic=not about.throwaway and not services.is_server,  # a server: IT's backups
        )
        bar.addPermanentWidget(self.backup_watch.label)
        self.backup_watch.label.setVisible(not about.throwaway)
        bar.addPermanentWidget(self.school_label)
        bar.addPermanentWidget(self.clock_label)
        self.update_clock()

    def update_clock(self) -> None:
        text = f"{format_school_time(self._clock.now(), CLOCK_FORMAT)} UK time"
        if self.clock_label.text() != text:
            self.clock_label.setText(text)
