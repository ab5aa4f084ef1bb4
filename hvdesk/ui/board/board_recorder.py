"""What the board's buttons do: each card button, quick action and form recorded through the
visit log as the signed-in user, and the board told what was recorded (or what went wrong,
where it was asked). Nothing is recorded anonymously: with nobody signed in, the window is
asked to sign someone in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import SignalInstance

from hvdesk.clock import Clock, format_school_time
from hvdesk.services.board import BoardSnapshot
from hvdesk.services.board_services import BoardServices
from hvdesk.services.identity import SignedInUser
from hvdesk.ui.board.alert_card import AlertCard
from hvdesk.ui.board.alert_panel import AlertPanel
from hvdesk.ui.board.alert_words import CardCommand, CardRequest
from hvdesk.ui.board.board_commands import card_recording, quick_recording
from hvdesk.ui.board.board_model import BoardModel
from hvdesk.ui.board.board_windows import BoardWindows
from hvdesk.ui.board.drill_dialog import DrillWindow
from hvdesk.ui.board.handover_dialog import MonitoringStrip
from hvdesk.ui.board.quick_actions import QuickActionBar, QuickCommand, QuickRequest
from hvdesk.ui.board.urgent_departure_dialog import UrgentDepartureWindow, UrgentRequest
from hvdesk.ui.current_user import CurrentUser


class BoardSurface(Protocol):
    """What of the board page the recorder works through."""

    quick_bar: QuickActionBar
    alert_panel: AlertPanel
    model: BoardModel
    monitoring_strip: MonitoringStrip
    snapshot: BoardSnapshot | None
    current_user: CurrentUser
    clock: Clock

    @property
    def sign_in_requested(self) -> SignalInstance: ...

    def refresh(self) -> None: ...

    def select_visit(self, visit_id: int) -> bool: ...


SIGN_IN_FIRST = "Sign in to record this: every step on the board names who recorded it."


class BoardRecorder:
    """Carries out the requests of one board page."""

    def __init__(self, page: BoardSurface, services: BoardServices, windows: BoardWindows) -> None:
        self.page = page
        self.services = services
        self.visit_log = services.visit_log
        self.windows = windows

    def _user(self) -> SignedInUser | None:
        user = self.page.current_user.user
        if user is None:
            self.page.sign_in_requested.emit()
        return user

    def _record(self, what: Callable[[SignedInUser], object]) -> str | None:
        """Run one recording as the signed-in user; the error text for the office, if any."""
        user = self._user()
        if user is None:
            return SIGN_IN_FIRST
        try:
            what(user)
        except Exception as exc:
            known = self.services.known(exc)
            if known is None:
                raise
            return str(known)
        return None

    def _done(self, visit_id: int, words: str) -> None:
        row = self.page.model.row_of(visit_id)
        names = self.page.model.row(row).names if row is not None else f"visit {visit_id}"
        user = self.page.current_user.user
        who = f" by {user.display_name}" if user is not None else ""
        when = format_school_time(self.page.clock.now(), "%H:%M")
        self.page.refresh()
        self.page.quick_bar.show_done(f"Recorded at {when}{who}: {names}, {words}.")

    def card_request(self, request: CardRequest) -> None:
        card = self._card_for(request)
        visit_id, command = request.visit_id, request.command
        if command is CardCommand.SHOW:
            self.page.select_visit(visit_id)
            return
        if command is CardCommand.POLICE_SHEET:
            problem = self.open_police_sheet(visit_id)
            if problem and card is not None:
                card.show_error(problem)
            return
        if command is CardCommand.CANCEL:
            if self.page.select_visit(visit_id):
                self.page.quick_bar.trigger(QuickCommand.CANCEL)
            return
        recording, words = card_recording(self.visit_log, request)
        error = self._record(recording)
        if error is not None:
            if card is not None:
                card.show_error(error)
            else:
                self.page.quick_bar.show_error(error)
            return
        if card is not None:
            card.close_input()
        self._done(visit_id, words)

    def _card_for(self, request: CardRequest) -> AlertCard | None:
        """The card a request came from (for its inline errors), or the visit's first card."""
        if request.kind is not None:
            return self.page.alert_panel.card(request.kind, request.visit_id)
        for card in self.page.alert_panel.cards.values():
            if card.visit_id == request.visit_id:
                return card
        return None

    def quick_request(self, request: QuickRequest) -> None:
        if request.command is QuickCommand.POLICE_SHEET:
            problem = self.open_police_sheet(request.visit_id)
            if problem:
                self.page.quick_bar.show_error(problem)
            return
        found = quick_recording(self.visit_log, request)
        if found is None:
            return
        recording, words = found
        error = self._record(recording)
        if error is not None:
            self.page.quick_bar.show_error(error)
            return
        self.page.quick_bar.close_form()
        self._done(request.visit_id, words)

    # -- windows of the board ------------------------------------------------------------------

    def open_police_sheet(self, visit_id: int) -> str | None:
        """Show the police information sheet (signed in only: it holds the address)."""
        if self._user() is None:
            return SIGN_IN_FIRST.replace("record this", "see the police sheet")
        return self.windows.open_police_sheet(visit_id)

    def _busy_staff(self) -> frozenset[int]:
        return frozenset(
            v.staff_id
            for row in self.page.model.rows
            if row.state.phase.is_out
            for v in row.entry.visitors
        )

    def open_urgent_departure(self) -> UrgentDepartureWindow | None:
        if self._user() is None:
            self.page.quick_bar.show_error(SIGN_IN_FIRST)
            return None
        window = self.windows.open_urgent(self._busy_staff(), self._record_urgent)
        if isinstance(window, str):
            self.page.quick_bar.show_error(window)
            return None
        return window

    def _record_urgent(self, request: UrgentRequest) -> None:
        self._record_new_visit(
            self.windows.urgent,
            lambda by: self.visit_log.urgent_departure(
                request.household_id,
                request.staff_ids,
                request.purpose,
                request.expected_back,
                by,
                pupil_id=request.pupil_id,
            ),
            "urgent departure recorded (to be authorised afterwards)",
        )

    def _record_new_visit(
        self,
        form: UrgentDepartureWindow | DrillWindow | None,
        what: Callable[[SignedInUser], int],
        words: str,
    ) -> None:
        """Record the visit a board form asked for: the form closes and the new row is
        selected, or the error shows in the form."""
        created: list[int] = []
        error = self._record(lambda by: created.append(what(by)))
        if error is not None:
            if form is not None:
                form.show_error(error)
            return
        if form is not None:
            form.close()
        self._done(created[0], words)
        self.page.select_visit(created[0])

    def open_drill(self) -> DrillWindow | None:
        if self._user() is None:
            self.page.quick_bar.show_error(SIGN_IN_FIRST)
            return None
        window = self.windows.open_drill(self._busy_staff(), self._start_drill)
        if isinstance(window, str):
            self.page.quick_bar.show_error(window)
            return None
        return window

    def _start_drill(self, staff_ids: tuple[int, ...]) -> None:
        self._record_new_visit(
            self.windows.drill,
            lambda by: self.visit_log.start_drill(staff_ids, by),
            "DRILL started",
        )

    # -- monitoring ----------------------------------------------------------------------------

    def start_monitoring(self) -> None:
        error = self._record(lambda by: self.services.monitoring.start(by))
        if error is not None:
            self.page.quick_bar.show_error(error)
            return
        self.page.refresh()
        self._load_colleagues()

    def _load_colleagues(self) -> None:
        try:
            users = self.services.accounts.list_users_for_handover()
        except Exception as exc:
            if self.services.known(exc) is None:
                raise
            return
        self.page.monitoring_strip.set_colleagues(users)

    def hand_over(self, to_user_id: int) -> None:
        error = self._record(lambda by: self.services.monitoring.hand_over(by, to_user_id))
        if error is not None:
            self.page.quick_bar.show_error(error)
            return
        self.page.monitoring_strip.close_picker()
        self.page.refresh()
        shift = self.page.snapshot.monitoring if self.page.snapshot is not None else None
        if shift is not None:
            self.page.quick_bar.show_done(f"Board handed over to {shift.display_name}.")
