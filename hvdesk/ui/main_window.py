"""The main window: side navigation, the pages, and a status bar that always says which
database is open (and whether it is the demo), for which school, and the time in the UK."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from hvdesk.clock import Clock, format_school_time
from hvdesk.db.database import Database
from hvdesk.domain.policy import SchoolPolicy, SettingError
from hvdesk.services.directory import school_policy
from hvdesk.ui.about import AboutDialog, AboutInfo
from hvdesk.ui.icons import icon
from hvdesk.ui.pages.base import Page
from hvdesk.ui.pages.board_page import BoardPage
from hvdesk.ui.pages.incidents_page import IncidentsPage
from hvdesk.ui.pages.pupils_page import PupilsPage
from hvdesk.ui.pages.reports_page import ReportsPage
from hvdesk.ui.pages.settings_page import SettingsPage
from hvdesk.ui.pages.staff_page import StaffPage
from hvdesk.ui.pages.visits_page import VisitsPage
from hvdesk.ui.timers import Timers

CLOCK_FORMAT = "%a %d %b %Y, %H:%M"
NAV_WIDTH = 190


@dataclass(frozen=True)
class Section:
    """One entry of the side navigation."""

    name: str
    page: Page


class MainWindow(QMainWindow):
    """The office's desk. Takes its dependencies in; owns its timers and stops them on close."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        about: AboutInfo,
        *,
        timers: Timers | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.clock = clock
        self.about = about
        self.timers = timers if timers is not None else Timers()
        self.policy = self._read_policy()
        self.setObjectName("mainWindow")
        title = f"hvdesk: {self.policy.school_name}"
        self.setWindowTitle(f"{title} [DEMO]" if about.demo else title)
        self.setWindowIcon(icon("hvdesk"))
        self.resize(1280, 800)

        self.board_page = BoardPage(database, clock, self.timers)
        self.visits_page = VisitsPage(database)
        self.pupils_page = PupilsPage(database)
        self.staff_page = StaffPage(database)
        self.incidents_page = IncidentsPage(database)
        self.reports_page = ReportsPage(database, clock)
        self.settings_page = SettingsPage(database)
        self.sections = [
            Section("Board", self.board_page),
            Section("Visits", self.visits_page),
            Section("Pupils", self.pupils_page),
            Section("Staff", self.staff_page),
            Section("Incidents", self.incidents_page),
            Section("Reports", self.reports_page),
            Section("Settings", self.settings_page),
        ]

        self.stack = QStackedWidget()
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName("Sections")
        self.navigation.setIconSize(QSize(24, 24))
        self.navigation.setMinimumWidth(NAV_WIDTH)
        self.navigation.setMaximumWidth(NAV_WIDTH + 60)
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for number, section in enumerate(self.sections, start=1):
            item = QListWidgetItem(icon(section.page.icon_name), section.name)
            item.setToolTip(f"{section.page.title} (Ctrl+{number})")
            self.navigation.addItem(item)
            self.stack.addWidget(section.page)

        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.navigation)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([NAV_WIDTH, 1280 - NAV_WIDTH])
        self.setCentralWidget(splitter)

        self._build_menus()
        self._build_status_bar()
        self.navigation.currentRowChanged.connect(self._show_section)
        self.navigation.setCurrentRow(0)
        self.clock_timer = self.timers.create("status-clock", 1000, self, self.update_clock)

    # -- building ------------------------------------------------------------------------------

    def _read_policy(self) -> SchoolPolicy:
        try:
            with self.database.session() as session:
                return school_policy(session)
        except SettingError:
            return SchoolPolicy()  # the Settings page explains which setting is unusable

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        go_menu = self.menuBar().addMenu("&Go")
        self.section_actions: list[QAction] = []
        for number, section in enumerate(self.sections, start=1):
            action = QAction(icon(section.page.icon_name), section.name, self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, i=number - 1: self.show_section(i))
            go_menu.addAction(action)
            self.section_actions.append(action)
        go_menu.addSeparator()
        find = QAction("&Find in this list", self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(lambda: self.current_page().focus_search())
        refresh = QAction("&Refresh", self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(lambda: self.current_page().refresh())
        go_menu.addActions([find, refresh])

        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About hvdesk", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setSizeGripEnabled(False)
        self.demo_label = QLabel(
            "DEMO: invented data, deleted when hvdesk closes"
            if self.about.throwaway
            else "DEMO: invented data"
        )
        self.demo_label.setObjectName("demoBadge")
        self.demo_label.setAccessibleName("Demo database")
        folder = self.database.path.parent
        self.database_label = QLabel(f"Database: {folder}")
        self.database_label.setToolTip(str(self.database.path))
        self.database_label.setTextFormat(Qt.TextFormat.PlainText)
        self.school_label = QLabel(self.policy.school_name)
        self.school_label.setTextFormat(Qt.TextFormat.PlainText)
        self.clock_label = QLabel()
        self.clock_label.setObjectName("clockLabel")
        self.clock_label.setToolTip("The time in the UK (Europe/London)")
        if self.about.demo:
            bar.addWidget(self.demo_label)
        bar.addWidget(self.database_label, 1)
        bar.addPermanentWidget(self.school_label)
        bar.addPermanentWidget(self.clock_label)
        self.update_clock()

    # -- behaviour -----------------------------------------------------------------------------

    def current_page(self) -> Page:
        return self.sections[self.stack.currentIndex()].page

    def show_section(self, index: int) -> None:
        self.navigation.setCurrentRow(index)

    def _show_section(self, index: int) -> None:
        if index < 0:
            return
        self.stack.setCurrentIndex(index)
        self.sections[index].page.refresh()

    def update_clock(self) -> None:
        text = f"{format_school_time(self.clock.now(), CLOCK_FORMAT)} UK time"
        if self.clock_label.text() != text:
            self.clock_label.setText(text)

    def show_about(self) -> None:
        AboutDialog(self.about, self).exec()

    def bring_to_front(self) -> None:
        """A second start asked for this window (it may be minimised or behind others)."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.timers.stop_all()
        super().closeEvent(event)
