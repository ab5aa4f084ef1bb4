"""The board's own windows: a police information sheet per visit, and one urgent-departure
form and one drill form at a time. Top-level windows owned here (not Qt children of the page):
closing one deletes it once, whatever else still holds it."""

from __future__ import annotations

import functools
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from hvdesk.clock import Clock
from hvdesk.services.board_services import BoardServices
from hvdesk.services.directory import PupilRow, StaffRow
from hvdesk.ui.board.drill_dialog import DrillWindow
from hvdesk.ui.board.police_sheet_dialog import PoliceSheetWindow
from hvdesk.ui.board.urgent_departure_dialog import UrgentDepartureWindow, UrgentRequest


class BoardWindows:
    """Opens, raises and closes the board's windows."""

    def __init__(self, services: BoardServices, clock: Clock, parent: QWidget) -> None:
        self._services = services
        self._clock = clock
        self._parent = parent
        self.sheets: dict[int, PoliceSheetWindow] = {}
        self.urgent: UrgentDepartureWindow | None = None
        self.drill: DrillWindow | None = None

    def open_police_sheet(self, visit_id: int) -> str | None:
        """Show a visit's police sheet (the caller checked someone is signed in: it holds the
        address); the office's words if it could not be read."""
        try:
            sheet = self._services.board.police_sheet(visit_id)
        except Exception as exc:
            known = self._services.known(exc)
            if known is None:
                raise
            return str(known)
        old = self.sheets.pop(visit_id, None)
        if old is not None:
            old.close()
        window = PoliceSheetWindow(
            sheet, functools.partial(self._services.documents.render, "police-sheet", visit_id)
        )
        window.finished.connect(lambda _result, v=visit_id: self._sheet_closed(v))
        self.sheets[visit_id] = window
        window.show()
        window.raise_()
        return None

    def _sheet_closed(self, visit_id: int) -> None:
        window = self.sheets.pop(visit_id, None)
        if window is not None:
            window.deleteLater()

    def open_urgent(
        self, busy: frozenset[int], submitted: Callable[[UrgentRequest], None]
    ) -> UrgentDepartureWindow | str:
        """The urgent-departure form (raised if open); the office's words if the staff and
        pupils could not be read."""
        if self.urgent is not None:
            self.urgent.raise_()
            self.urgent.activateWindow()
            return self.urgent
        people = self._people()
        if isinstance(people, str):
            return people
        staff, pupils = people
        window = UrgentDepartureWindow(pupils, staff, busy, self._clock, self._parent)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.submitted.connect(submitted)
        window.finished.connect(self._urgent_closed)
        self.urgent = window
        window.show()
        return window

    def open_drill(
        self, busy: frozenset[int], submitted: Callable[[tuple[int, ...]], None]
    ) -> DrillWindow | str:
        """The drill form (raised if open); the office's words if the staff could not be
        read."""
        if self.drill is not None:
            self.drill.raise_()
            return self.drill
        people = self._people()
        if isinstance(people, str):
            return people
        window = DrillWindow(people[0], busy, self._parent)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.submitted.connect(submitted)
        window.finished.connect(self._drill_closed)
        self.drill = window
        window.show()
        return window

    def _people(self) -> tuple[list[StaffRow], list[PupilRow]] | str:
        try:
            return self._services.staff_and_pupils()
        except Exception as exc:
            known = self._services.known(exc)
            if known is None:
                raise
            return str(known)

    def _urgent_closed(self) -> None:
        if self.urgent is not None:
            self.urgent.deleteLater()
        self.urgent = None

    def _drill_closed(self) -> None:
        if self.drill is not None:
            self.drill.deleteLater()
        self.drill = None

    def close_sheets(self) -> None:
        """Close every police sheet (they show addresses: not for a public hatch)."""
        for window in list(self.sheets.values()):
            window.close()

    def close_all(self) -> None:
        self.close_sheets()
        for form in (self.urgent, self.drill):
            if form is not None:
                form.close()
