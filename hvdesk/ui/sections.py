"""The main window's sections: each navigation entry and the page behind it, built from the
app's services the first time it is shown or asked for.

At start nobody is signed in and only the Board can be shown, so the other pages (and their
modules) cost nothing until someone signs in and opens one. Each page receives its services
here; no page builds one.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from hvdesk.domain.policy import SchoolPolicy
from hvdesk.services.container import Services
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.pages.base import Page
from hvdesk.ui.timers import Timers

BOARD = 0  # the one section privacy mode shows
SETTINGS_TITLE = "Settings: the school's home-visit policy"


class Section:
    """One entry of the side navigation; its page is built when first needed."""

    def __init__(
        self,
        name: str,
        title: str,
        icon_name: str,
        build: Callable[[], Page],
        placed: Callable[[Section, Page], None],
    ) -> None:
        self.name = name
        self.title = title
        self.icon_name = icon_name
        self._build = build
        self._placed = placed
        self._page: Page | None = None

    @property
    def is_built(self) -> bool:
        return self._page is not None

    @property
    def page(self) -> Page:
        if self._page is None:
            self._page = self._build()
            self._placed(self, self._page)
        return self._page

    def built_page(self) -> Page | None:
        """The page if it has been built, without building it."""
        return self._page


class PageBuilder:
    """Builds each page of the window from the services, the desk's user and its timers."""

    def __init__(
        self,
        services: Services,
        timers: Timers,
        current_user: CurrentUser,
        *,
        open_risk_assessment: Callable[[int, QWidget | None], None],
        open_visit_record: Callable[[int, QWidget | None], None],
        policy_changed: Callable[[SchoolPolicy], None] | None = None,
    ) -> None:
        self.services = services
        self._policy_changed = policy_changed
        self.timers = timers
        self.current_user = current_user
        self._open_risk_assessment = open_risk_assessment
        self._open_visit_record = open_visit_record

    def specs(self, board: Page) -> list[tuple[str, str, str, Callable[[], Page]]]:
        """(name, title, icon, build) of every section, in the order of a visit's life: watch,
        plan, authorise, record; then people, review, figures, and the data protection
        officer's pages."""
        return [
            ("Board", board.title, board.icon_name, lambda: board),
            ("Visits", "Visits", "visits", self.visits),
            ("Authorisations", "Authorisations", "authorisations", self.authorisations),
            ("After visits", "After visits", "after-visits", self.after_visits),
            ("Incidents", "Incidents", "incidents", self.incidents),
            ("Pupils", "Pupils", "pupils", self.pupils),
            ("Staff", "Staff", "staff", self.staff),
            ("Reports", "Reports: the year in figures", "reports", self.reports),
            ("Data protection", "Data protection", "data-protection", self.data_protection),
            ("Audit trail", "Audit trail", "audit", self.audit),
            ("Settings", SETTINGS_TITLE, "settings", self.settings),
        ]

    def board(self) -> Page:
        from hvdesk.ui.pages.board_page import BoardPage

        return BoardPage(
            self.services.board_services, self.services.clock, self.timers, self.current_user
        )

    def visits(self) -> Page:
        from hvdesk.ui.pages.visits_page import VisitsPage

        page = VisitsPage(self.services, current_user=self.current_user)
        page.risk_assessment_requested.connect(self._open_risk_assessment)
        page.visit_record_requested.connect(self._open_visit_record)
        return page

    def authorisations(self) -> Page:
        from hvdesk.ui.pages.authorisations_page import AuthorisationsPage

        return AuthorisationsPage(self.services, self.timers, self.current_user)

    def after_visits(self) -> Page:
        from hvdesk.ui.pages.after_visits_page import AfterVisitsPage

        return AfterVisitsPage(self.services, self.current_user)

    def incidents(self) -> Page:
        from hvdesk.ui.pages.incidents_page import IncidentsPage

        return IncidentsPage(self.services, current_user=self.current_user)

    def pupils(self) -> Page:
        from hvdesk.ui.pages.pupils_page import PupilsPage

        return PupilsPage(self.services, current_user=self.current_user)

    def staff(self) -> Page:
        from hvdesk.ui.pages.staff_page import StaffPage

        return StaffPage(self.services, current_user=self.current_user)

    def reports(self) -> Page:
        from hvdesk.ui.pages.reports_page import ReportsPage

        return ReportsPage(self.services)

    def data_protection(self) -> Page:
        from hvdesk.ui.pages.data_protection_page import DataProtectionPage

        return DataProtectionPage(self.services, self.current_user)

    def audit(self) -> Page:
        from hvdesk.ui.pages.audit_page import AuditPage

        return AuditPage(self.services, current_user=self.current_user)

    def settings(self) -> Page:
        from hvdesk.ui.pages.settings_page import SettingsPage

        page = SettingsPage(self.services.school_settings, self.current_user)
        if self._policy_changed is not None:
            page.policy_changed.connect(self._policy_changed)
        return page
