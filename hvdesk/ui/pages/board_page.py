"""The reception board: who is out, how long until each call is due, and the escalation ladder.

How it stays right without trusting timers: each visit's state is worked out outside Qt
(`hvdesk.services.board_rows`, `hvdesk.services.live_board`); the table model only shows it.
A single-shot timer is armed at the earliest next change across the board, so a stage (and
its alert) comes when it is due, not on the next tick; the one-second tick only moves the
countdowns. Every five seconds the board service is read again off the UI thread
(`hvdesk.ui.operations.QueryOp`) and its answer wins. The board watches itself
(`BoardWatchdog`): data older than 15 seconds or a jump of the PC's clock turns the countdowns
into "not updating" under a red bar.

Prompts cannot be missed: a card (or, when there are many, a one-line row that opens in place)
per prompt across the top (never a modal dialog), the row tinted with words and an icon, the
window brought forward, a tray message when minimised, and a sound that repeats every ten
seconds until someone signed in claims the alert (`AlertNotice`). The table keeps at least six
rows on screen however many prompts there are. Every outcome is one click on the card; every
quick action is one key on the selected row. Nothing is recorded anonymously: with nobody
signed in the board is in privacy mode (names, countdowns and stages only) and any action asks
the window to sign someone in (`sign_in_requested`).
"""

from __future__ import annotations

import logging
import math
from datetime import datetime

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QMenu,
    QWidget,
)

from hvdesk.clock import Clock, format_school_time
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.services.board import BoardSnapshot
from hvdesk.services.board_alerts import Alert, board_alerts
from hvdesk.services.board_rows import BoardRow, look
from hvdesk.services.board_services import BoardServices
from hvdesk.services.board_view import BoardView, board_view
from hvdesk.ui.board.alert_notice import AlertNotice
from hvdesk.ui.board.alert_sound import QtSoundSink, SoundSink
from hvdesk.ui.board.alert_words import CardCommand, CardRequest
from hvdesk.ui.board.board_layout import lay_out_board
from hvdesk.ui.board.board_model import PRIVATE_COLUMNS, BoardModel, Col
from hvdesk.ui.board.board_recorder import SIGN_IN_FIRST, BoardRecorder
from hvdesk.ui.board.board_summary import board_summary
from hvdesk.ui.board.board_watchdog import BoardProblem, BoardWatchdog
from hvdesk.ui.board.board_windows import BoardWindows
from hvdesk.ui.board.change_watch import ChangeWatch
from hvdesk.ui.board.conduct_calls import attach_conduct_calls
from hvdesk.ui.board.drill_dialog import DrillWindow
from hvdesk.ui.board.height_sharing import MIN_TABLE_ROWS
from hvdesk.ui.board.police_sheet_dialog import PoliceSheetWindow
from hvdesk.ui.board.quick_actions import QuickRequest
from hvdesk.ui.board.row_menu import row_menu
from hvdesk.ui.board.stress_page import (
    add_stress_widgets,
)
from hvdesk.ui.board.table_fitting import FULL_RANGE_ROWS
from hvdesk.ui.board.tray import Notifier, TrayNotifier
from hvdesk.ui.board.urgent_departure_dialog import UrgentDepartureWindow
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.operations import QueryOp
from hvdesk.ui.pages.base import Page
from hvdesk.ui.timers import Timers

__all__ = ["FULL_RANGE_ROWS", "MIN_TABLE_ROWS", "SIGN_IN_FIRST", "BoardPage"]

log = logging.getLogger(__name__)

TICK_MS = 1000
POLL_MS = 5000


class BoardPage(Page):
    """The out-on-visit board.

    Signals for the main window:
    * `sign_in_requested`: an action (or a claim) needs a signed-in user and nobody is.
    * `alert_raised(str)`: a new prompt appeared or one went up a stage (the text says which);
      the window may switch to the board page. The page itself raises the window.
    """

    title = "Out on visits now"
    icon_name = "board"

    sign_in_requested = Signal()
    alert_raised = Signal(str)

    def __init__(
        self,
        services: BoardServices,
        clock: Clock,
        timers: Timers,
        current_user: CurrentUser | None = None,
        *,
        sound: SoundSink | None = None,
        notifier: Notifier | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent=parent)
        self.services = services
        self.clock = clock
        self.timers = timers
        self.current_user = current_user if current_user is not None else CurrentUser(self)
        self.board_service = services.board
        self.visit_log = services.visit_log
        self.sound = sound if sound is not None else QtSoundSink(self, clock)
        notifier = notifier if notifier is not None else TrayNotifier(self)
        self.notice = AlertNotice(self.sound, notifier, clock)
        self.watchdog = BoardWatchdog(clock)
        self.windows = BoardWindows(services, clock, self)
        self.recorder = BoardRecorder(self, services, self.windows)
        self.snapshot: BoardSnapshot | None = None
        self.policy = SchoolPolicy()
        self.alerts: list[Alert] = []
        self._reread_next_tick = False
        self._reads_begun = 0
        """Counts reads begun, so a background poll that an action's read overtook is dropped."""
        self.poll_running = False
        self._watched_window: QWidget | None = None
        self._build()
        self.current_user.changed.connect(self._user_changed)
        self._apply_privacy()
        self.tick_timer = timers.create("board-countdown", TICK_MS, self, self.tick)
        self.poll_timer = timers.create("board-refresh", POLL_MS, self, self.poll)
        self.deadline_timer = timers.create_single_shot("board-deadline", self, self.deadline_due)
        self.change_watch: ChangeWatch | None = None  # issue 16: another PC's change, at once
        if (updates := services.live_updates()) is not None:
            self.change_watch = ChangeWatch(updates, self)
            self.change_watch.changed.connect(self.poll)

    # -- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.model = BoardModel(self)
        w = lay_out_board(self.layout_, self.title_label, self.summary_label, self.model)
        self.problem_bar, self.updated_label = w.problem_bar, w.updated_label
        self.urgent_button, self.drill_button = w.urgent_button, w.drill_button
        self.monitoring_strip, self.alert_panel = w.monitoring_strip, w.alert_panel
        self.table, self.fitter, self.empty_label = w.table, w.fitter, w.empty_label
        self.quick_bar, self.splitter, self.heights = w.quick_bar, w.splitter, w.heights
        self.stress, self.sound_label, self.claim_action = add_stress_widgets(self, w.summary)
        self.monitoring_strip.start_requested.connect(self._start_monitoring)
        self.monitoring_strip.hand_over_requested.connect(self._hand_over)
        self.urgent_button.clicked.connect(self.open_urgent_departure)
        self.drill_button.clicked.connect(self.open_drill)
        self.alert_panel.requested.connect(self._card_request)
        self.alert_panel.shape_changed.connect(self._alerts_reshaped)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().currentRowChanged.connect(self._selection_changed)
        self.quick_bar.requested.connect(self._quick_request)
        self.conduct_bar = attach_conduct_calls(self)  # issue 18: calls about the home
        self.splitter.installEventFilter(self)
        self.table.viewport().installEventFilter(self)

    # -- reading -------------------------------------------------------------------------------

    @property
    def signed_in(self) -> bool:
        return self.current_user.user is not None

    def refresh(self) -> None:
        """Read the board now (on show, after every action, on signing in or out): a short
        read, since only visits whose timeline changed are evaluated again."""
        self._reads_begun += 1
        signed_in = self.signed_in
        try:
            view = board_view(self.board_service.read(include_private=signed_in), self.policy)
        except Exception as exc:
            self._read_failed(exc)
            return
        self._show(view, signed_in)

    def poll(self) -> None:
        """The five-second read, off the UI thread; its answer is shown when it comes (unless
        a read begun since has already shown a newer one)."""
        if self.poll_running:
            return
        self.poll_running = True
        self._reads_begun += 1
        begun, signed_in = self._reads_begun, self.signed_in
        service, policy = self.board_service, self.policy

        def shown(view: BoardView) -> None:
            self.poll_running = False
            if begun == self._reads_begun and signed_in == self.signed_in:
                self._show(view, signed_in)

        def failed(exc: BaseException) -> None:
            self.poll_running = False
            self._read_failed(exc)

        QueryOp(
            self, lambda: board_view(service.read(include_private=signed_in), policy), shown, failed
        ).run_in_background()

    def _read_failed(self, exc: BaseException) -> None:
        known = self.services.known(exc)
        if known is None:
            raise exc
        log.warning("Could not read the board: %s", type(known).__name__)
        self.watchdog.read_failed(f"{known.what} {known.todo}".strip())
        self._show_problem(self.watchdog.check())

    def _show(self, view: BoardView, signed_in: bool) -> None:
        """Show a read made ready off the UI thread (rows, prompts, counts worked out)."""
        self.watchdog.read_succeeded()
        snapshot = self.snapshot = view.snapshot
        self.policy = view.policy
        now = snapshot.read_at
        self.model.set_now(now)
        rows = view.rows
        self.model.set_private(not signed_in)
        self.model.set_rows(rows, view.schedule)
        self.fitter.fit_rows()
        has_rows = bool(rows)
        self.table.setVisible(has_rows)
        self.empty_label.setVisible(not has_rows)
        if has_rows and self.fitter.fitted_for is not signed_in:
            self.fitter.fit_columns(signed_in)
        self._show_problem(None)
        self.model.set_stale(False)
        self._update_alerts(now, view.alerts)
        self._selection_changed()
        me = self.current_user.user.user_id if self.current_user.user is not None else None
        self.monitoring_strip.set_shift(snapshot.monitoring, me)
        self._update_summary(view.out)
        self.updated_label.setText(
            f"Read from the database at {format_school_time(now, '%H:%M:%S')} (UK time)."
        )
        self._arm_deadline()

    def tick(self) -> None:
        """One second passed: countdowns move, the watchdog looks (and anything due that the
        deadline timer has not yet caught moves on too)."""
        if self._reread_next_tick:
            self._reread_next_tick = False
            self.refresh()
        now = self.clock.now()
        problem = self.watchdog.check()
        if self.watchdog.clock_jumped:
            self._reread_next_tick = True
        self._show_problem(problem)
        first, last = self.fitter.visible_rows()
        self.model.set_stale(problem is not None, first, last if last is not None else -1)
        changed = self.model.tick(now, first, last if last is not None else -1)
        if changed:
            self._stages_moved(now)
        else:
            self.alert_panel.tick(now)
            self.notice.sound_for(self.alerts)

    def deadline_due(self) -> None:
        """The earliest next change has come: move those rows on and raise their alerts now."""
        now = self.clock.now()
        changed = self.model.advance(now)
        if changed:
            self.model.announce_rows(changed)
            self._stages_moved(now)
        self._arm_deadline()

    def _stages_moved(self, now: datetime) -> None:
        self._update_alerts(now)
        self._update_summary()
        self._selection_changed()
        self._arm_deadline()

    def _arm_deadline(self) -> None:
        """Set the one-shot timer to the earliest next change across the board."""
        due = self.model.next_change_at()
        if due is None:
            self.deadline_timer.stop()
            return
        wait = (due - self.clock.now()).total_seconds()
        self.timers.arm("board-deadline", max(0, math.ceil(wait * 1000)))

    def _show_problem(self, problem: BoardProblem | None) -> None:
        if problem is None:
            if not self.problem_bar.isHidden():
                self.problem_bar.hide()
            return
        text = problem.text
        if self.problem_bar.text() != text:
            self.problem_bar.setText(text)
        self.problem_bar.show()

    # -- alerts --------------------------------------------------------------------------------

    def _update_alerts(self, now: datetime, alerts: list[Alert] | None = None) -> None:
        end_of_day = self.snapshot.end_of_day if self.snapshot is not None else ()
        self.alerts = alerts if alerts is not None else board_alerts(self.model.rows, end_of_day)
        names = {
            row.visit_id: f"{row.names}: {look(row.entry, row.state).text}"
            for row in self.model.rows
            if row.visit_id in end_of_day
        }
        self.alert_panel.set_alerts(self.alerts, private=not self.signed_in, now=now, names=names)
        raised = self.notice.update(self.alerts)
        if raised:
            self.alert_raised.emit(self.notice.bring_forward(self.window(), raised))

    def _alerts_reshaped(self) -> None:
        """A prompt came, went, opened or folded: share the height out afresh."""
        self.heights.set_by_hand = False
        self.heights.share(len(self.alerts))

    # -- privacy -------------------------------------------------------------------------------

    def _user_changed(self) -> None:
        self._apply_privacy()
        self.refresh()  # brings (or drops) the addresses and purposes, and measures them
        self.recorder.user_changed()  # issue 13: the blocked action goes on, messages clear
        if self.fitter.fitted_for is None and self.model.rowCount():
            # The read failed: fit the old rows to the columns now shown, and measure
            # again on the next read that succeeds.
            self.fitter.fit_columns(self.signed_in)
            self.fitter.fitted_for = None

    def _apply_privacy(self) -> None:
        private = not self.signed_in
        self.model.set_private(private)
        for column in PRIVATE_COLUMNS:
            self.table.setColumnHidden(column, private)
        self.fitter.fitted_for = None  # measured again on the next read
        if private:
            self.windows.close_sheets()  # the sheet shows addresses: not for a public hatch
        self.monitoring_strip.set_shift(
            self.snapshot.monitoring if self.snapshot is not None else None,
            self.current_user.user.user_id if self.current_user.user is not None else None,
        )

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self.change_watch is not None:
            self.change_watch.start()
        window = self.window()
        if window is not self and window is not self._watched_window:
            window.installEventFilter(self)  # its closing closes the sheets and forms too
            self._watched_window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if "heights" not in self.__dict__:  # still being built (or its Python side is gone)
            return False
        if watched is self._watched_window and event.type() == QEvent.Type.Close:
            self.close_windows()
            return False
        if (
            watched is self.splitter
            and event.type() == QEvent.Type.Resize
            and not self.heights.set_by_hand
        ):
            self.heights.share(len(self.alerts))
            return False
        if (
            watched is self.table.viewport()
            and event.type() == QEvent.Type.Resize
            and self.model.rowCount()
            and self.table.viewport().width() != self.fitter.fitted_width
        ):
            self.fitter.fit_columns(self.signed_in, measure=False)
        return False

    # -- selection and menus -------------------------------------------------------------------

    def selected_row(self) -> BoardRow | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        selected = self.table.selectionModel().selectedRows()
        if not selected:
            return None
        return self.model.row(index.row())

    def select_visit(self, visit_id: int) -> bool:
        position = self.model.row_of(visit_id)
        if position is None:
            return False
        self.table.selectRow(position)
        self.table.setCurrentIndex(self.model.index(position, Col.STAFF))
        self.table.scrollTo(self.model.index(position, Col.STAFF))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self._selection_changed()
        return True

    def _selection_changed(self, *_: QModelIndex) -> None:
        self.quick_bar.set_row(self.selected_row())
        self.conduct_bar.set_row(self.selected_row())

    def context_menu(self, position: QPoint) -> QMenu | None:
        """The quick actions (and the claim) for the row under `position`, which it selects."""
        index = self.table.indexAt(position)
        if not index.isValid():
            return None
        self.table.selectRow(index.row())
        self._selection_changed()
        row = self.model.row(index.row())
        return row_menu(
            self,
            self.quick_bar.actions_.values(),
            claimable=any(a.row is row and a.kind.claimable for a in self.alerts),
            claim=lambda: self._card_request(CardRequest(row.visit_id, CardCommand.CLAIM)),
        )

    def _context_menu(self, position: QPoint) -> None:
        menu = self.context_menu(position)
        if menu is not None:
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            menu.popup(self.table.viewport().mapToGlobal(position))

    # -- acting (`BoardRecorder`) -------------------------------------------------------------

    @property
    def sheet_windows(self) -> dict[int, PoliceSheetWindow]:
        return self.windows.sheets

    @property
    def urgent_window(self) -> UrgentDepartureWindow | None:
        return self.windows.urgent

    @property
    def drill_window(self) -> DrillWindow | None:
        return self.windows.drill

    def open_police_sheet(self, visit_id: int) -> str | None:
        """Show the police information sheet (signed in only: it holds the address)."""
        return self.recorder.open_police_sheet(visit_id)

    def open_urgent_departure(self) -> UrgentDepartureWindow | None:
        return self.recorder.open_urgent_departure()

    def open_drill(self) -> DrillWindow | None:
        return self.recorder.open_drill()

    def _card_request(self, request: CardRequest) -> None:
        self.recorder.card_request(request)

    def _quick_request(self, request: QuickRequest) -> None:
        self.recorder.quick_request(request)

    def _start_monitoring(self) -> None:
        self.recorder.start_monitoring()

    def _hand_over(self, to_user_id: int) -> None:
        self.recorder.hand_over(to_user_id)

    # -- words ---------------------------------------------------------------------------------

    def _update_summary(self, out: int | None = None) -> None:
        if out is None:
            out = sum(1 for r in self.model.rows if r.state.phase.is_out)
        rows = self.model.rowCount()
        self.summary_label.setText(board_summary(rows, out, self.alerts, self.signed_in))

    def close_windows(self) -> None:
        """Close the board's own windows (police sheets, the urgent and drill forms), and let
        a poll still reading finish."""
        self.windows.close_all()
        QueryOp.wait_for_all()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.close_windows()
        if self.change_watch is not None:
            self.change_watch.stop()
        super().closeEvent(event)
