"""What the board's buttons do: each card button, quick action and form recorded through the
visit log as the signed-in user, and the board told what was recorded (or what went wrong,
where it was asked). Nothing is recorded anonymously: with nobody signed in, the window is
asked to sign someone in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtWidgets import QApplication

from hvdesk.clock import Clock, format_school_time
from hvdesk.services.board import BoardSnapshot
from hvdesk.services.board_services import BoardServices
from hvdesk.services.identity import SignedInUser
from hvdesk.ui.board.alert_card import AlertCard
from hvdesk.ui.board.alert_panel import AlertPanel
from hvdesk.ui.board.alert_words import CardCommand, CardRequest
from hvdesk.ui.board.board_commands import QUICK_DONE, card_recording, quick_recording
from hvdesk.ui.board.board_model import BoardModel
from hvdesk.ui.board.board_windows import BoardWindows
from hvdesk.ui.board.drill_dialog import DrillWindow
from hvdesk.ui.board.handover_dialog import MonitoringStrip
from hvdesk.ui.board.quick_actions import SPECS, QuickActionBar, QuickCommand, QuickRequest
from hvdesk.ui.board.stress_commands import (
    QUICK_DOOR,
    STRESS_COMMANDS,
    door_recording,
    stress_recording,
)
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
ENDING_KEYS = frozenset({QuickCommand.RETURNED, QuickCommand.ARRIVED, QuickCommand.LEFT})


class BoardRecorder:
    """Carries out the requests of one board page."""

    def __init__(self, page: BoardSurface, services: BoardServices, windows: BoardWindows) -> None:
        self.page = page
        self.services = services
        self.visit_log = services.visit_log
        self.windows = windows
        self.confirming: tuple[int, QuickCommand] | None = None
        """Issue 13: a one-key action that would end an escalation, asked about once."""
        self.pending: Callable[[], None] | None = None
        """Issue 13: what was asked for while nobody was signed in; it goes on after sign-in."""

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

    def user_changed(self) -> None:
        """After a sign-in, the blocked action goes on and stale messages clear; after a
        sign-out, no line of what was last recorded stays on a public screen."""
        pending, self.pending = self.pending, None
        for card in self.page.alert_panel.cards.values():
            card.clear_error()
        self.page.quick_bar.clear_message()
        if pending is not None and self.page.current_user.user is not None:
            pending()

    def card_request(self, request: CardRequest) -> None:
        card = self._card_for(request)
        visit_id, command = request.visit_id, request.command
        if command is CardCommand.SHOW:
            self.page.select_visit(visit_id)
            return
        if self.page.current_user.user is None:
            self._after_sign_in(lambda: self.card_request(request), card)
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
        if command in STRESS_COMMANDS:
            recording, words = stress_recording(self.services, request)
        else:
            recording, words = card_recording(self.visit_log, request)
        error = self._record(recording)
        if error is not None:
            if card is not None:
                card.show_error(error)
            else:
                self.page.quick_bar.show_error(error)
            return
        focus = QApplication.focusWidget()
        on_card = card is not None and focus is not None and card.isAncestorOf(focus)
        if card is not None:
            card.close_input()
        self._done(visit_id, words)
        self._keep_focus(request, on_card)

    def _keep_focus(self, request: CardRequest, was_on_card: bool) -> None:
        """After an action the keyboard stays on the card it was taken on (its next step),
        never on another colleague's card (issue 13)."""
        if not was_on_card:
            return
        card = self._card_for(request)
        if card is None or not card.isVisible():
            return
        focus = QApplication.focusWidget()
        due = [b for b in card.buttons.values() if not b.isHidden() and b.property("outstanding")]
        if due:
            due[0].setFocus(Qt.FocusReason.OtherFocusReason)  # the next step of this card
        elif not (focus and card.isAncestorOf(focus)):
            card.first_control().setFocus(Qt.FocusReason.OtherFocusReason)

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
        if self._needs_confirmation(request):
            return
        found = (
            door_recording(self.services, request)
            if request.command in QUICK_DOOR
            else quick_recording(self.visit_log, request)
        )
        if found is None:
            return
        recording, words = found
        error = self._record(recording)
        if error is not None:
            self.page.quick_bar.show_error(error)
            return
        self.page.quick_bar.close_form()
        self._done(request.visit_id, words)

    def _needs_confirmation(self, request: QuickRequest) -> bool:
        """One key that ends or changes an open escalation (returned, arrived, left) asks
        once, naming the person and the stage; the same key again records it. On a visit not
        yet overdue, one key stays one key."""
        if request.command not in ENDING_KEYS:
            self.confirming = None
            return False
        at = self.page.model.row_of(request.visit_id)
        row = self.page.model.row(at) if at is not None else None
        escalated = row is not None and (
            row.state.stage.is_escalated or row.state.awaiting_resolution
        )
        key = (request.visit_id, request.command)
        if not escalated or self.confirming == key:
            self.confirming = None
            return False
        assert row is not None
        self.confirming = key
        stage = row.state.stage.label if row.state.stage.is_escalated else "awaiting resolution"
        what = QUICK_DONE[request.command]
        self.page.quick_bar.show_error(
            f"Confirm: record “{what}” for {row.names}, visit {request.visit_id} ({stage})? "
            f"Press {SPECS[request.command].key} again (or the button) to record it."
        )
        return True

    # -- windows of the board ------------------------------------------------------------------

    def _after_sign_in(self, then: Callable[[], None], card: AlertCard | None) -> None:
        """Nobody is signed in: ask for a sign-in; what was asked for goes on after it (and
        until then the card says why nothing happened)."""
        self.pending = then
        self.page.sign_in_requested.emit()
        if self.page.current_user.user is None:
            message = SIGN_IN_FIRST
            if card is not None:
                card.show_error(message)
            else:
                self.page.quick_bar.show_error(message)

    def open_police_sheet(self, visit_id: int) -> str | None:
        """Show the police information sheet (signed in only: it holds the address)."""
        if self.page.current_user.user is None:
            self.pending = lambda: self._open_sheet_later(visit_id)
            self.page.sign_in_requested.emit()
            if self.page.current_user.user is None:
                return SIGN_IN_FIRST.replace("record this", "see the police sheet")
            return None  # signed in: the sheet opened as the sign-in finished
        return self.windows.open_police_sheet(visit_id)

    def _open_sheet_later(self, visit_id: int) -> None:
        problem = self.open_police_sheet(visit_id)
        if problem:
            self.page.quick_bar.show_error(problem)

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
