"""The main window: side navigation, the pages, who is signed in (or that the window is in
privacy mode) at the right of the menu bar (`user_bar`), and the status bar (`status_bar`).

The window owns the one `CurrentUser`. With no one signed in (at start, after signing out, and
after the idle lock) it is in privacy mode: only the Board can be shown, since the screen may
face a public reception hatch; the other sections list pupils, families and addresses. It gets
the app's services from the composition root (`app.py`) and hands them to its pages
(`sections`); it builds none itself.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from hvdesk.domain.people import Role
from hvdesk.domain.permissions import may_see_private_board_details
from hvdesk.domain.policy import SchoolPolicy, SettingError
from hvdesk.errors import HvdeskError
from hvdesk.services.container import Services
from hvdesk.services.identity import SignedInUser
from hvdesk.services.screen_lock import ScreenLock
from hvdesk.ui.about import AboutDialog, AboutInfo
from hvdesk.ui.alert_interrupt import AlertBar, AlertInterrupt, with_bar_on_top
from hvdesk.ui.board.alert_sound import UNAVAILABLE, SoundSink, test_alert_sound
from hvdesk.ui.board.tray import Notifier
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.dialogs.error_dialog import show_error
from hvdesk.ui.dialogs.sign_in_dialog import SignInDialog, demo_sign_in_hint
from hvdesk.ui.icons import icon
from hvdesk.ui.idle_lock import IdleLock
from hvdesk.ui.pages.base import Page
from hvdesk.ui.screen_lock_flow import ScreenLockFlow
from hvdesk.ui.sections import BOARD, PageBuilder, Section
from hvdesk.ui.status_bar import DeskStatus
from hvdesk.ui.timers import Timers
from hvdesk.ui.user_bar import PRIVACY_TEXT, UserBar
from hvdesk.ui.window_geometry import remember

if TYPE_CHECKING:
    from hvdesk.ui.pages.after_visits_page import AfterVisitsPage
    from hvdesk.ui.pages.audit_page import AuditPage
    from hvdesk.ui.pages.authorisations_page import AuthorisationsPage
    from hvdesk.ui.pages.board_page import BoardPage
    from hvdesk.ui.pages.data_protection_page import DataProtectionPage
    from hvdesk.ui.pages.incidents_page import IncidentsPage
    from hvdesk.ui.pages.pupils_page import PupilsPage
    from hvdesk.ui.pages.reports_page import ReportsPage
    from hvdesk.ui.pages.settings_page import SettingsPage
    from hvdesk.ui.pages.staff_page import StaffPage
    from hvdesk.ui.pages.visits_page import VisitsPage

__all__ = ["BOARD", "PRIVACY_TEXT", "MainWindow"]

log = logging.getLogger(__name__)

NAV_WIDTH = 190
MAX_SHORTCUT = 9  # Ctrl+1 to Ctrl+9


class MainWindow(QMainWindow):
    """The office's desk. Takes its services in; owns its timers and stops them on close."""

    def __init__(
        self,
        services: Services,
        about: AboutInfo,
        *,
        timers: Timers | None = None,
        sound: SoundSink | None = None,
        notifier: Notifier | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.clock = services.clock
        self.about = about
        self.timers = timers if timers is not None else Timers()
        self.accounts = services.accounts
        self.current_user = CurrentUser(self)
        self.policy = self._read_policy()
        self.setObjectName("mainWindow")
        title = f"hvdesk: {self.policy.school_name}"
        self.setWindowTitle(f"{title} [DEMO]" if about.demo else title)
        self.setWindowIcon(icon("hvdesk"))
        self.resize(1280, 800)

        builder = PageBuilder(
            services,
            self.timers,
            self.current_user,
            open_risk_assessment=self.open_risk_assessment,
            open_visit_record=self.open_visit_record,
            policy_changed=self.policy_changed,
        )
        self.board_page: BoardPage = builder.board(sound, notifier)  # type: ignore[assignment]
        self.sections = [
            Section(name, title, icon_name, build, self._place)
            for name, title, icon_name, build in builder.specs(self.board_page)
        ]
        self.stack = QStackedWidget()
        self.navigation = self._build_navigation()
        self.sections[BOARD].page  # noqa: B018  (built already: record it as placed)

        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.navigation)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([NAV_WIDTH, 1280 - NAV_WIDTH])
        self.alert_bar = AlertBar()
        self.setCentralWidget(with_bar_on_top(self.alert_bar, splitter))

        self._build_menus()
        self.user_bar = UserBar(
            self.sign_in_action, self.switch_user_action, self.sign_out_action, self
        )
        self.user_label = self.user_bar.user_label
        self.sign_in_button = self.user_bar.sign_in_button
        self.switch_user_button = self.user_bar.switch_user_button
        self.sign_out_button = self.user_bar.sign_out_button
        self.menuBar().setCornerWidget(self.user_bar, Qt.Corner.TopRightCorner)
        self.status = DeskStatus(
            self.statusBar(), services, about, self.policy.school_name, self.timers, self
        )
        self.demo_label = self.status.demo_label
        self.database_label = self.status.database_label
        self.school_label = self.status.school_label
        self.clock_label = self.status.clock_label
        self.backup_watch = self.status.backup_watch
        self.navigation.currentRowChanged.connect(self._show_section)
        self.navigation.setCurrentRow(BOARD)
        self.clock_timer = self.timers.create("status-clock", 1000, self, self.update_clock)
        self.idle_lock = IdleLock(
            self.current_user, self.clock, self.timers, self.policy.idle_lock_minutes, self
        )
        self.screen_lock = lock_flow(self, services.screen_lock)
        self.current_user.changed.connect(self._user_changed)
        self.board_page.sign_in_requested.connect(self.sign_in)
        # Never take the window from a form (issue 13): the board, or a bar across every page.
        self.alert_interrupt = AlertInterrupt.install(
            self, self.alert_bar, self.board_page, lambda: self.show_section(BOARD)
        )
        self._user_changed()

    # -- building ------------------------------------------------------------------------------

    def _read_policy(self) -> SchoolPolicy:
        try:
            return self.services.directory.policy()
        except SettingError:
            return SchoolPolicy()  # the Settings page explains which setting is unusable

    def _build_navigation(self) -> QListWidget:
        navigation = QListWidget()
        navigation.setObjectName("navigation")
        navigation.setAccessibleName("Sections")
        navigation.setIconSize(QSize(24, 24))
        navigation.setMinimumWidth(NAV_WIDTH)
        navigation.setMaximumWidth(NAV_WIDTH + 60)
        navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for number, section in enumerate(self.sections, start=1):
            item = QListWidgetItem(icon(section.icon_name), section.name)
            shortcut = f" (Ctrl+{number})" if number <= MAX_SHORTCUT else ""
            item.setToolTip(f"{section.title}{shortcut}")
            navigation.addItem(item)
            # A stand-in until the page is first needed (see Section).
            self.stack.addWidget(self.board_page if number - 1 == BOARD else QWidget())
        return navigation

    def _place(self, section: Section, page: Page) -> None:
        """Put a newly built page where its stand-in was."""
        index = self.sections.index(section)
        stand_in = self.stack.widget(index)
        if stand_in is None or stand_in is page:
            return
        current = self.stack.currentIndex()
        self.stack.removeWidget(stand_in)
        self.stack.insertWidget(index, page)
        stand_in.deleteLater()
        self.stack.setCurrentIndex(current)
        log.debug("Built the %s page", section.name)

    def _built(self, name: str) -> Any:
        return next(s for s in self.sections if s.name == name).page

    def policy_changed(self, policy: SchoolPolicy) -> None:
        """A setting was changed on the Settings page: the window, the idle lock and the board
        follow it now (issue 15)."""
        self.policy = policy
        title = f"hvdesk: {policy.school_name}"
        self.setWindowTitle(f"{title} [DEMO]" if self.about.demo else title)
        self.school_label.setText(policy.school_name)
        self.idle_lock.minutes = policy.idle_lock_minutes
        self.board_page.refresh()

    @property
    def visits_page(self) -> VisitsPage:
        page: VisitsPage = self._built("Visits")
        return page

    @property
    def authorisations_page(self) -> AuthorisationsPage:
        page: AuthorisationsPage = self._built("Authorisations")
        return page

    @property
    def after_visits_page(self) -> AfterVisitsPage:
        page: AfterVisitsPage = self._built("After visits")
        return page

    @property
    def incidents_page(self) -> IncidentsPage:
        page: IncidentsPage = self._built("Incidents")
        return page

    @property
    def pupils_page(self) -> PupilsPage:
        page: PupilsPage = self._built("Pupils")
        return page

    @property
    def staff_page(self) -> StaffPage:
        page: StaffPage = self._built("Staff")
        return page

    @property
    def reports_page(self) -> ReportsPage:
        page: ReportsPage = self._built("Reports")
        return page

    @property
    def data_protection_page(self) -> DataProtectionPage:
        page: DataProtectionPage = self._built("Data protection")
        return page

    @property
    def audit_page(self) -> AuditPage:
        page: AuditPage = self._built("Audit trail")
        return page

    @property
    def settings_page(self) -> SettingsPage:
        page: SettingsPage = self._built("Settings")
        return page

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.sign_in_action = QAction("Sign &in…", self)
        self.sign_in_action.setShortcut(QKeySequence("Ctrl+L"))
        self.sign_in_action.triggered.connect(self.sign_in)
        self.switch_user_action = QAction("S&witch user…", self)
        self.switch_user_action.triggered.connect(self.switch_user)
        self.sign_out_action = QAction("Sign &out", self)
        self.sign_out_action.triggered.connect(self.sign_out)
        file_menu.addActions([self.sign_in_action, self.switch_user_action, self.sign_out_action])
        self.set_pin_action, self.test_sound_action = stress_actions(self, file_menu)
        file_menu.addSeparator()
        self.back_up_action = QAction("&Back up now…", self)
        self.back_up_action.triggered.connect(self.back_up_now)
        file_menu.addAction(self.back_up_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        go_menu = self.menuBar().addMenu("&Go")
        self.section_actions: list[QAction] = []
        for number, section in enumerate(self.sections, start=1):
            action = QAction(icon(section.icon_name), section.name, self)
            if number <= MAX_SHORTCUT:
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

    # -- behaviour -----------------------------------------------------------------------------

    def current_page(self) -> Page:
        return self.sections[self.stack.currentIndex()].page

    def section_index(self, page: Page) -> int:
        """Where a page sits in the navigation (so callers never count positions)."""
        return next(i for i, section in enumerate(self.sections) if section.built_page() is page)

    def show_section(self, index: int) -> None:
        """Show a section; in privacy mode only the Board (the others stay greyed out)."""
        self.navigation.setCurrentRow(index)

    def may_show_section(self, index: int) -> bool:
        return index == BOARD or may_see_private_board_details(self._role())

    def _show_section(self, index: int) -> None:
        if index < 0:
            return
        if not self.may_show_section(index):
            self.navigation.setCurrentRow(BOARD)
            return
        page = self.sections[index].page  # built now if this is its first showing
        self.stack.setCurrentIndex(index)
        page.refresh()

    # -- who is at the desk --------------------------------------------------------------------

    def sign_in(self) -> None:
        """File > Sign in…: from privacy mode (when someone is signed in, switch user)."""
        if self.current_user.is_signed_in:
            self.switch_user()
            return
        user = self.screen_lock.sign_in()  # the PIN after the idle lock (issue 13)
        if user is not None:
            self.current_user.sign_in(user)

    def switch_user(self) -> None:
        """Someone else takes over this desk (the DSL at reception, then back); Cancel keeps
        whoever is signed in."""
        current = self.current_user.user
        if current is None:
            self.sign_in()
            return
        user = self._ask_sign_in(current)
        if user is not None:
            log.info("Desk switched from account %d to account %d", current.user_id, user.user_id)
            self.current_user.sign_in(user)

    def sign_out(self) -> None:
        user = self.current_user.user
        if user is not None:
            log.info("Account %d signed out", user.user_id)
            self.screen_lock.forget()
            self.current_user.sign_out()

    def _ask_sign_in(self, current: SignedInUser | None) -> SignedInUser | None:
        hint = demo_sign_in_hint() if self.about.demo else None
        dialog = SignInDialog(self.accounts, current=current, demo_hint=hint, parent=self)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return dialog.user if accepted else None
        finally:
            dialog.deleteLater()

    def _role(self) -> Role | None:
        user = self.current_user.user
        return user.role if user is not None else None

    def _user_changed(self) -> None:
        user = self.current_user.user
        signed_in = user is not None
        self.user_bar.show_user(user, self.policy.idle_lock_minutes)
        # A menu bar places its corner widget by its size when it is set, not when its
        # contents change: set it again.
        self.menuBar().setCornerWidget(self.user_bar, Qt.Corner.TopRightCorner)
        self.sign_in_action.setEnabled(not signed_in)
        self.switch_user_action.setEnabled(signed_in)
        self.sign_out_action.setEnabled(signed_in)
        self.set_pin_action.setEnabled(signed_in)
        for index, section in enumerate(self.sections):
            allowed = self.may_show_section(index)
            item = self.navigation.item(index)
            flags = item.flags()
            item.setFlags(
                flags | Qt.ItemFlag.ItemIsEnabled if allowed else flags & ~Qt.ItemFlag.ItemIsEnabled
            )
            item.setToolTip(
                f"{section.title} (Ctrl+{index + 1})"
                if allowed
                else f"Sign in to open {section.name} (Ctrl+L)"
            )
            self.section_actions[index].setEnabled(allowed)
        if not signed_in:
            self._close_dialogs()
            self.show_section(BOARD)

    def _close_dialogs(self) -> None:
        """Nothing private stays on screen after signing out or the idle lock."""
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()

    def update_clock(self) -> None:
        self.status.update_clock()

    def open_risk_assessment(self, visit_id: int, parent: QWidget | None = None) -> None:
        """The risk matrix of a visit, over the request dialog when it asked for it."""
        user = self.current_user.user
        if user is None:
            return
        from hvdesk.ui.risk_matrix import open_risk_assessment
        from hvdesk.ui.visit_request.dialog import VisitRequestDialog

        open_risk_assessment(self.services.risk_assessments, user, visit_id, parent or self)
        if isinstance(parent, VisitRequestDialog):
            parent.recheck()  # its "risk assessment" problem may have cleared
        self.visits_page.refresh()

    def open_visit_record(self, visit_id: int, parent: QWidget | None = None) -> None:
        """The after-visit record (facts, opinions, follow-ups) of a visit."""
        user = self.current_user.user
        if user is None:
            return
        from hvdesk.ui.visit_record.record_dialog import open_record_dialog

        records = self.services.visit_records
        if open_record_dialog(records, visit_id, user, self.clock, parent or self):
            self.visits_page.refresh()
            self.after_visits_page.refresh()

    def back_up_now(self, target: Path | None = None) -> None:
        """An encrypted backup where the user chooses (a USB stick, a share), checked."""
        if target is None:
            suggested = self.backup_watch.backups.folder() / (
                f"hvdesk-{self.clock.now().strftime('%Y%m%d-%H%M')}.db"
            )
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Back up the database", str(suggested), "hvdesk backup (*.db)"
            )
            if not chosen:
                return
            target = Path(chosen)
        try:
            self.backup_watch.backups.back_up(target, by=self.current_user.user)
        except HvdeskError as exc:
            show_error(exc, self)
            return
        finally:
            self.backup_watch.refresh()
        self.statusBar().showMessage(f"Backup written and checked: {target.name}", 10_000)

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
        closing(self)  # issue 13: its size and place kept, the alert interrupt stopped
        self.timers.stop_all()
        self.idle_lock.stop()
        super().closeEvent(event)


def test_sound(self: MainWindow) -> bool:
    """Play the alert sound once now (and try the sound device again); the status bar
    says whether a real sound could be made. Settings may call this too."""
    ok = test_alert_sound(self.board_page.sound)
    self.statusBar().showMessage(
        "Alert sound played." if ok else UNAVAILABLE + " The system beep was used.", 10_000
    )
    return ok


def set_pin(self: MainWindow) -> None:
    """File > Screen-lock PIN…"""
    user = self.current_user.user
    if user is not None and self.screen_lock.set_pin(user):
        self.statusBar().showMessage("Your screen-lock PIN is saved.", 10_000)


def lock_flow(self: MainWindow, lock: ScreenLock) -> ScreenLockFlow:
    """The screen lock's sign-in: the PIN after the idle lock, else a full sign-in."""
    return ScreenLockFlow(self, lock, self.idle_lock, lambda: self._ask_sign_in(None))


def stress_actions(self: MainWindow, file_menu: QMenu) -> tuple[QAction, QAction]:
    """File > Screen-lock PIN… and File > Test the alert sound (issue 13)."""
    pin = QAction("Screen-lock &PIN…", self)
    pin.triggered.connect(lambda: set_pin(self))
    sound = QAction("&Test the alert sound", self)
    sound.triggered.connect(lambda: test_sound(self))
    file_menu.addActions([pin, sound])
    return pin, sound


def closing(self: MainWindow) -> None:
    if not self.about.throwaway:
        remember(self, self.about.data_dir)
    self.alert_interrupt.stop()
