"""The reception board: who is out, how long until each call is due, and the escalation ladder.

How it stays right without trusting timers (see `hvdesk.ui.board.board_model`): the one-second
tick only announces that the countdown column moved, and moves a row's stage on with the pure
engine when its `next_change_at` passes; every five seconds the board service is read again and
its answer wins. The board watches itself (`BoardWatchdog`): data older than 15 seconds or a
jump of the PC's clock turns the countdowns into "not updating" under a red bar.

Prompts (`hvdesk.ui.board.alerts`) cannot be missed: a card (or, when there are many, a one-line
row that opens in place) per prompt across the top (never a modal dialog), the row tinted with
words and an icon, the window brought forward, a tray message when minimised (never the only
channel), and a sound that repeats every ten seconds until someone signed in claims the alert.
The table keeps at least six rows on screen however many prompts there are. Every outcome is one
click on the card; every quick action is one key on the selected row. Nothing is recorded
anonymously: with nobody signed in the board is in privacy mode (names, countdowns and stages
only) and any action asks the window to sign someone in (`sign_in_requested`).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import datetime

import sqlalchemy.exc
from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from hvdesk.clock import Clock, format_school_time
from hvdesk.db.database import Database
from hvdesk.db.errors import known_error
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.visits import ActionOutcome, EscalationAction
from hvdesk.errors import HvdeskError
from hvdesk.services.accounts import Accounts
from hvdesk.services.board import BoardService, BoardSnapshot
from hvdesk.services.directory import list_pupils, list_staff
from hvdesk.services.documents import DocumentService
from hvdesk.services.drill import ladder_policy
from hvdesk.services.identity import SignedInUser
from hvdesk.services.monitoring import Monitoring
from hvdesk.services.visit_log import VisitLog
from hvdesk.ui.board.alert_banner import (
    AlertCard,
    AlertPanel,
    CardCommand,
    CardRequest,
    alert_heading,
)
from hvdesk.ui.board.alert_sound import (
    AlertSounder,
    QtSoundSink,
    SoundSink,
    sound_status_label,
)
from hvdesk.ui.board.alerts import Alert, AlertKey, AlertKind, board_alerts
from hvdesk.ui.board.board_model import (
    PRIVATE_COLUMNS,
    BoardModel,
    BoardRow,
    Col,
    look,
)
from hvdesk.ui.board.board_watchdog import BoardProblem, BoardWatchdog
from hvdesk.ui.board.drill_dialog import DrillWindow
from hvdesk.ui.board.handover_dialog import MonitoringStrip
from hvdesk.ui.board.police_sheet_dialog import PoliceSheetWindow
from hvdesk.ui.board.quick_actions import QuickActionBar, QuickCommand, QuickRequest
from hvdesk.ui.board.tray import Notifier, TrayNotifier
from hvdesk.ui.board.urgent_departure_dialog import UrgentDepartureWindow, UrgentRequest
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.pages.base import Page, make_table
from hvdesk.ui.timers import Timers

log = logging.getLogger(__name__)

TICK_MS = 1000
POLL_MS = 5000
# Above this many rows a dataChanged range makes Qt repaint the whole viewport: emit over the
# visible rows only (ENGINEERING-NOTES, board refresh).
FULL_RANGE_ROWS = 200
WIDEST_COLUMN = 340
SHRINK_ORDER: tuple[tuple[Col, int], ...] = (
    (Col.PURPOSE, 160),
    (Col.AREA, 150),
    (Col.CLAIMED, 140),
    (Col.PURPOSE, 100),
    (Col.AREA, 120),
    (Col.CLAIMED, 0),
    (Col.PURPOSE, 70),
    (Col.AREA, 100),
    (Col.STAGE, 240),
    (Col.MOBILE, 0),
    (Col.STAFF, 150),
)
"""Who gives width up first when the columns do not fit, and down to what (never below the
column's one-line heading): the purpose (elided, whole in its tooltip), then the area, then
who claimed it; the stage words and the staff names last. Times are never squeezed."""

MIN_TABLE_ROWS = 6
"""However many prompts there are, the table keeps at least this many rows on screen at first
(the office can drag the divider)."""
FEW_PROMPTS_ROWS = 12
"""With few prompts the table keeps more: this many rows less one per prompt (never fewer
than `MIN_TABLE_ROWS`), so one prompt leaves the table 11 rows and six or more leave it 6."""

SIGN_IN_FIRST = "Sign in to record this: every step on the board names who recorded it."

_LADDER: dict[CardCommand, tuple[EscalationAction, ActionOutcome, str]] = {
    CardCommand.NO_ANSWER: (
        EscalationAction.CALLED_STAFF,
        ActionOutcome.NO_ANSWER,
        "called the staff member: no answer",
    ),
    CardCommand.SAFE_EXTEND: (
        EscalationAction.CALLED_STAFF,
        ActionOutcome.SAFE,
        "called the staff member: safe, time extended",
    ),
    CardCommand.SUPERVISOR_INFORMED: (
        EscalationAction.INFORMED_SUPERVISOR,
        ActionOutcome.INFORMED,
        "supervisor informed",
    ),
    CardCommand.CONTACT_REACHED: (
        EscalationAction.CALLED_EMERGENCY_CONTACT,
        ActionOutcome.REACHED,
        "emergency contact reached",
    ),
    CardCommand.CONTACT_NO_ANSWER: (
        EscalationAction.CALLED_EMERGENCY_CONTACT,
        ActionOutcome.NO_ANSWER,
        "emergency contact: no answer",
    ),
    CardCommand.POLICE_INFORMED: (
        EscalationAction.INFORMED_POLICE,
        ActionOutcome.INFORMED,
        "police informed",
    ),
    CardCommand.HEADTEACHER_TOLD: (
        EscalationAction.INFORMED_HEADTEACHER,
        ActionOutcome.INFORMED,
        "headteacher informed",
    ),
}

_QUICK_DONE: dict[QuickCommand, str] = {
    QuickCommand.SIGN_OUT: "signed out",
    QuickCommand.ARRIVED: "arrival recorded",
    QuickCommand.CALL_RECEIVED: "call received",
    QuickCommand.SAFE_WORD: "SAFE WORD recorded: call the police (999) now",
    QuickCommand.LEFT: "left the home: the home-safe call is now due",
    QuickCommand.RETURNED: "back at base / home safe",
    QuickCommand.CANCEL: "visit cancelled",
}


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
        database: Database,
        clock: Clock,
        timers: Timers,
        current_user: CurrentUser | None = None,
        *,
        sound: SoundSink | None = None,
        notifier: Notifier | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(database, parent)
        self.clock = clock
        self.current_user = current_user if current_user is not None else CurrentUser(self)
        self.board_service = BoardService(database, clock)
        self.visit_log = VisitLog(database, clock)
        self.documents = DocumentService(database, clock)
        self.monitoring = Monitoring(database, clock)
        self.accounts = Accounts(database, clock)
        self.sound = sound if sound is not None else QtSoundSink(self, clock)
        self.sounder = AlertSounder(self.sound, clock)
        self.notifier: Notifier = notifier if notifier is not None else TrayNotifier(self)
        self.may_take_window: Callable[[], bool] = lambda: True
        """Whether a new alert may raise the window (the main window says no while a form
        is open or the user is typing: issue 13)."""
        self.watchdog = BoardWatchdog(clock)
        self.snapshot: BoardSnapshot | None = None
        self.policy = SchoolPolicy()
        self.alerts: list[Alert] = []
        self._seen: dict[AlertKey, int] = {}
        self._reread_next_tick = False
        self._fitted_for: bool | None = None
        self.sheet_windows: dict[int, PoliceSheetWindow] = {}
        self.urgent_window: UrgentDepartureWindow | None = None
        self.drill_window: DrillWindow | None = None
        self._watched_window: QWidget | None = None
        self._natural: dict[Col, int] = {}
        self._fitted_width = 0
        self._build()
        self.current_user.changed.connect(self._user_changed)
        self._apply_privacy()
        self.tick_timer = timers.create("board-countdown", TICK_MS, self, self.tick)
        self.poll_timer = timers.create("board-refresh", POLL_MS, self, self.refresh)

    # -- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.problem_bar = QLabel()
        self.problem_bar.setObjectName("boardProblem")
        self.problem_bar.setWordWrap(True)
        self.problem_bar.setAccessibleName("Board not updating")
        self.problem_bar.hide()

        self.monitoring_strip = MonitoringStrip()
        self.monitoring_strip.start_requested.connect(self._start_monitoring)
        self.monitoring_strip.hand_over_requested.connect(self._hand_over)
        self.urgent_button = QPushButton("&Urgent departure…")
        self.urgent_button.setObjectName("urgentButton")
        self.urgent_button.setToolTip(
            "Record staff leaving now for an unplanned emergency visit (authorised afterwards)"
        )
        self.drill_button = QPushButton("Start &drill…")
        self.drill_button.setToolTip("A practice visit marked DRILL that walks the whole ladder")
        self.urgent_button.clicked.connect(self.open_urgent_departure)
        self.drill_button.clicked.connect(self.open_drill)
        # The heading and the summary share their lines with the board's own actions, so
        # the alert cards and the table keep the height.
        for widget in (self.title_label, self.summary_label):
            self.layout_.removeWidget(widget)
        self.layout_.setContentsMargins(20, 12, 20, 8)  # the board is all the height it gets
        self.layout_.setSpacing(8)
        self.updated_label = QLabel()
        self.updated_label.setObjectName("boardUpdated")
        self.updated_label.setWordWrap(True)
        heading = QHBoxLayout()
        heading.setSpacing(8)
        heading.addWidget(self.title_label)
        heading.addSpacing(8)
        heading.addWidget(self.updated_label, 1)
        heading.addWidget(self.urgent_button)
        heading.addWidget(self.drill_button)
        summary = QHBoxLayout()
        summary.setSpacing(12)
        summary.addWidget(self.summary_label, 1)
        self.sound_label = sound_status_label(self.sound)  # issue 13: no silent failure
        summary.addWidget(self.sound_label)
        summary.addWidget(self.monitoring_strip)
        self.layout_.insertLayout(0, heading)
        self.layout_.insertLayout(1, summary)

        self.alert_panel = AlertPanel()
        self.alert_panel.requested.connect(self._card_request)
        self.alert_panel.shape_changed.connect(self._alerts_reshaped)

        self.model = BoardModel(self)
        self.table = make_table("Visits on the board", "boardTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setResizeContentsPrecision(60)  # measure the first rows, not hundreds
        line = self.table.fontMetrics().lineSpacing()
        self.table.verticalHeader().setDefaultSectionSize(line + 10)
        self._extra_line = line  # each further line of a row (a pair visit's second name)
        self.table.selectionModel().currentRowChanged.connect(self._selection_changed)

        self.empty_label = QLabel("No one is out on a visit right now.")
        self.empty_label.setObjectName("emptyNote")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()

        self.quick_bar = QuickActionBar()
        self.quick_bar.requested.connect(self._quick_request)
        for action in self.quick_bar.actions_.values():
            self.table.addAction(action)

        table_host = QWidget()
        table_layout = QVBoxLayout(table_host)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.setSpacing(6)
        table_layout.addWidget(self.table, 1)
        table_layout.addWidget(self.empty_label)
        table_layout.addWidget(self.quick_bar)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("boardSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.alert_panel)
        self.splitter.addWidget(table_host)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.splitterMoved.connect(self._divider_dragged)
        self._divider_set_by_hand = False
        self._sharing = False
        self.splitter.installEventFilter(self)
        self.table.viewport().installEventFilter(self)

        self.layout_.addWidget(self.problem_bar)
        self.layout_.addWidget(self.splitter, 1)

    # -- reading -------------------------------------------------------------------------------

    @property
    def signed_in(self) -> bool:
        return self.current_user.user is not None

    def refresh(self) -> None:
        """Read the board again (on show, every five seconds, and after every action)."""
        signed_in = self.signed_in
        try:
            snapshot = self.board_service.read(include_private=signed_in)
        except (HvdeskError, sqlalchemy.exc.DBAPIError, OSError) as exc:
            known = known_error(exc, self.database.path)
            if known is None:
                raise
            log.warning("Could not read the board: %s", type(known).__name__)
            self.watchdog.read_failed(f"{known.what} {known.todo}".strip())
            self._show_problem(self.watchdog.check())
            return
        self.watchdog.read_succeeded()
        self.snapshot = snapshot
        if snapshot.policy is not None:
            self.policy = snapshot.policy
        now = snapshot.read_at
        self.model.set_now(now)
        rows = [
            BoardRow(entry, ladder_policy(self.policy, entry.is_drill))
            for entry in snapshot.entries
        ]
        self.model.set_private(not signed_in)
        self.model.set_rows(rows)
        self._fit_rows()
        has_rows = bool(rows)
        self.table.setVisible(has_rows)
        self.empty_label.setVisible(not has_rows)
        if has_rows and self._fitted_for is not signed_in:
            self._fit_columns()
        self._show_problem(None)
        self.model.set_stale(False)
        self._update_alerts(now)
        self._selection_changed()
        me = self.current_user.user.user_id if self.current_user.user is not None else None
        self.monitoring_strip.set_shift(snapshot.monitoring, me)
        self._update_summary()
        self.updated_label.setText(
            f"Read from the database at {format_school_time(now, '%H:%M:%S')} (UK time)."
        )

    def tick(self) -> None:
        """One second passed: countdowns move, stages flip on time, the watchdog looks."""
        if self._reread_next_tick:
            self._reread_next_tick = False
            self.refresh()
        now = self.clock.now()
        problem = self.watchdog.check()
        if self.watchdog.clock_jumped:
            self._reread_next_tick = True
        self._show_problem(problem)
        first, last = self._visible_rows()
        self.model.set_stale(problem is not None, first, last if last is not None else -1)
        changed = self.model.tick(now, first, last if last is not None else -1)
        if changed:
            self._update_alerts(now)
            self._update_summary()
            self._selection_changed()
        else:
            self.alert_panel.tick(now)
            self._sound()

    def _visible_rows(self) -> tuple[int, int | None]:
        count = self.model.rowCount()
        if count == 0:
            return 0, None
        if count <= FULL_RANGE_ROWS:
            return 0, count - 1
        top = self.table.rowAt(0)
        bottom = self.table.rowAt(self.table.viewport().height() - 1)
        return (0 if top < 0 else top), (count - 1 if bottom < 0 else bottom)

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

    def _update_alerts(self, now: datetime) -> None:
        end_of_day = self.snapshot.end_of_day if self.snapshot is not None else ()
        self.alerts = board_alerts(self.model.rows, end_of_day)
        names = {
            row.visit_id: f"{row.names}: {look(row.entry, row.state).text}"
            for row in self.model.rows
            if row.visit_id in end_of_day
        }
        self.alert_panel.set_alerts(self.alerts, private=not self.signed_in, now=now, names=names)
        raised = [a for a in self.alerts if a.rank > self._seen.get(a.key, -1)]
        self._seen = {a.key: a.rank for a in self.alerts}
        self._sound(ping=bool(raised))
        if raised:
            self._bring_forward(raised)

    def _alerts_reshaped(self) -> None:
        """A prompt came, went, opened or folded: share the height out afresh."""
        self._divider_set_by_hand = False
        self._share_height()

    def _divider_dragged(self, *_: int) -> None:
        self._divider_set_by_hand = True

    def _share_height(self) -> None:
        """The prompts get the height they need, the table the rest, but never fewer than
        `MIN_TABLE_ROWS` rows: few prompts leave the table most of the board, many take all
        but those rows (and say how many more are out of view)."""
        if self._sharing or not self.alerts:
            return
        total = self.splitter.height() - self.splitter.handle(1).sizeHint().height()
        if total <= 0:
            return
        self._sharing = True
        try:
            keep = max(MIN_TABLE_ROWS, FEW_PROMPTS_ROWS - len(self.alerts))
            panel, width = self.alert_panel, self.splitter.width()
            most = total - self._table_needs(MIN_TABLE_ROWS)
            room = max(total - self._table_needs(keep), min(panel.first_card_height(width), most))
            panel.fit_full_cards(room, width)
            cards = panel.snapped_height(min(panel.wanted_height(width), room), width)
            cards = max(panel.least_height(width), cards)
            self.splitter.setSizes([cards, max(0, total - cards)])
        finally:
            self._sharing = False

    def _table_needs(self, keep: int) -> int:
        """The height of the table's part showing its first `keep` rows whole."""
        count = self.model.rowCount()
        if count == 0:
            rows = self.empty_label.sizeHint().height()
        else:
            rows = (
                sum(self.table.rowHeight(r) for r in range(min(count, keep)))
                + self.table.horizontalHeader().sizeHint().height()
                + 2 * self.table.frameWidth()
            )
        bar = self.quick_bar
        width = self.splitter.width()
        below = bar.heightForWidth(width) if bar.hasHeightForWidth() else bar.sizeHint().height()
        return rows + 6 + below

    def _sound(self, *, ping: bool = False) -> None:
        """Repeat while any alert is unclaimed; chime once for any prompt raised or stepped up
        (one that cannot be claimed chimes once and then stays on screen)."""
        self.sounder.update([a.sound_key for a in self.alerts if a.needs_claim], ping=ping)

    def _bring_forward(self, raised: list[Alert]) -> None:
        first = raised[0]
        what = self._alert_words(first)
        window = self.window()
        if window.isMinimized():
            self.notifier.notify("hvdesk: action needed on the board", what)
        if self.may_take_window():  # never take the window from a form (issue 13)
            if window.isMinimized():
                window.showNormal()
            window.raise_()
            window.activateWindow()
        QApplication.alert(window)
        self.alert_raised.emit(what)

    def _alert_words(self, alert: Alert) -> str:
        if alert.row is None:
            return "End of day: colleagues still out or not confirmed home safe."
        text, _icon = alert_heading(alert, alert.row)
        prefix = "DRILL: " if alert.row.entry.is_drill else ""
        remaining = alert.row.state.remaining
        late = ""
        if remaining is not None and remaining.total_seconds() < 0:
            late = f" ({int(-remaining.total_seconds() // 60)} min overdue)"
        return f"{prefix}{alert.row.names}: {text}{late}"

    # -- privacy -------------------------------------------------------------------------------

    def _user_changed(self) -> None:
        self._apply_privacy()
        self.refresh()  # brings (or drops) the addresses and purposes, and measures them
        if self._fitted_for is None and self.model.rowCount():
            # The read failed: fit the old rows to the columns now shown, and measure
            # again on the next read that succeeds.
            self._fit_columns()
            self._fitted_for = None

    def _apply_privacy(self) -> None:
        private = not self.signed_in
        self.model.set_private(private)
        for column in PRIVATE_COLUMNS:
            self.table.setColumnHidden(column, private)
        self._fitted_for = None  # measured again on the next read
        if private:
            for window in list(self.sheet_windows.values()):
                window.close()  # the sheet shows addresses: not for a public hatch
        self.monitoring_strip.set_shift(
            self.snapshot.monitoring if self.snapshot is not None else None,
            self.current_user.user.user_id if self.current_user.user is not None else None,
        )

    def _fit_rows(self) -> None:
        """A pair visit's row is two lines high (a name and a work mobile a line); the others
        one. Sizes only change when a row's visitors do."""
        header = self.table.verticalHeader()
        one = header.defaultSectionSize()
        for position in range(self.model.rowCount()):
            lines = self.model.lines(position)
            header.resizeSection(position, one + (lines - 1) * self._extra_line)

    def _fit_columns(self, *, measure: bool = True) -> None:
        """Columns sized to their contents within the width: times, countdowns, stages and
        staff names whole (a pair on two lines); the purpose, then the area, then who
        claimed it give room up first, never below their one-line heading (an elided cell
        shows its whole text as a tooltip). Spare width goes to the purpose (to who claimed
        it in privacy mode). Contents are measured on the first rows and when privacy
        changes; a resize only shares the width out again."""
        header = self.table.horizontalHeader()
        visible = [c for c in Col if not self.table.isColumnHidden(c)]
        if measure or not self._natural:
            self._fitted_for = self.signed_in
            self.table.resizeColumnsToContents()
            self._natural = {c: header.sectionSize(c) for c in Col}
        widths = {c: min(self._natural[c], WIDEST_COLUMN) for c in visible}
        if Col.STAGE in widths:
            widths[Col.STAGE] = self._natural[Col.STAGE]
        available = self.table.viewport().width()
        if available <= 0:
            return
        self._fitted_width = available
        excess = sum(widths.values()) - available
        for column, floor in SHRINK_ORDER:
            if excess <= 0:
                break
            floor = max(floor, header.sectionSizeHint(column))
            if column in widths and widths[column] > floor:
                give = min(excess, widths[column] - floor)
                widths[column] -= give
                excess -= give
        if excess < 0:
            spare = Col.PURPOSE if Col.PURPOSE in widths else Col.CLAIMED
            widths[spare if spare in widths else Col.STAFF] -= excess
        for column, width in widths.items():
            header.resizeSection(column, width)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        window = self.window()
        if window is not self and window is not self._watched_window:
            window.installEventFilter(self)  # its closing closes the sheets and forms too
            self._watched_window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self._watched_window and event.type() == QEvent.Type.Close:
            self.close_windows()
            return False
        if (
            watched is self.splitter
            and event.type() == QEvent.Type.Resize
            and not self._divider_set_by_hand
        ):
            self._share_height()
            return False
        if (
            watched is self.table.viewport()
            and event.type() == QEvent.Type.Resize
            and self.model.rowCount()
            and self.table.viewport().width() != self._fitted_width
        ):
            self._fit_columns(measure=False)
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

    def context_menu(self, position: QPoint) -> QMenu | None:
        """The quick actions (and the claim) for the row under `position`, which it selects."""
        index = self.table.indexAt(position)
        if not index.isValid():
            return None
        self.table.selectRow(index.row())
        self._selection_changed()
        menu = QMenu(self)
        for action in self.quick_bar.actions_.values():
            menu.addAction(action)
        row = self.model.row(index.row())
        claimable = [a for a in self.alerts if a.row is row and a.kind.claimable]
        if claimable:
            menu.addSeparator()
            claim = menu.addAction("Claim the alert: I am dealing with it")
            claim.triggered.connect(
                lambda: self._card_request(CardRequest(row.visit_id, CardCommand.CLAIM))
            )
        return menu

    def _context_menu(self, position: QPoint) -> None:
        menu = self.context_menu(position)
        if menu is not None:
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            menu.popup(self.table.viewport().mapToGlobal(position))

    # -- acting --------------------------------------------------------------------------------

    def _user(self) -> SignedInUser | None:
        user = self.current_user.user
        if user is None:
            self.sign_in_requested.emit()
        return user

    def _record(self, what: Callable[[SignedInUser], object]) -> str | None:
        """Run one recording as the signed-in user; the error text for the office, if any."""
        user = self._user()
        if user is None:
            return SIGN_IN_FIRST
        try:
            what(user)
        except (HvdeskError, sqlalchemy.exc.DBAPIError, OSError) as exc:
            known = known_error(exc, self.database.path)
            if known is None:
                raise
            return str(known)
        return None

    def _done(self, visit_id: int, words: str) -> None:
        row = self.model.row_of(visit_id)
        names = self.model.row(row).names if row is not None else f"visit {visit_id}"
        user = self.current_user.user
        who = f" by {user.display_name}" if user is not None else ""
        when = format_school_time(self.clock.now(), "%H:%M")
        self.refresh()
        self.quick_bar.show_done(f"Recorded at {when}{who}: {names}, {words}.")

    def _card_request(self, request: CardRequest) -> None:
        card = self._card_for(request)
        visit_id, command = request.visit_id, request.command
        if command is CardCommand.SHOW:
            self.select_visit(visit_id)
            return
        if command is CardCommand.POLICE_SHEET:
            problem = self.open_police_sheet(visit_id)
            if problem and card is not None:
                card.show_error(problem)
            return
        if command is CardCommand.CANCEL:
            if self.select_visit(visit_id):
                self.quick_bar.trigger(QuickCommand.CANCEL)
            return
        log_ = self.visit_log
        words: str
        error: str | None
        if command is CardCommand.CLAIM:
            error = self._record(lambda by: log_.claim(visit_id, by))
            words = "alert claimed"
        elif command is CardCommand.RESOLVE:
            text = request.text or ""
            error = self._record(lambda by: log_.resolve(visit_id, text, by))
            words = "escalation resolved (sent for review)"
        elif command is CardCommand.SIGN_OUT:
            error = self._record(lambda by: log_.sign_out(visit_id, by))
            words = "signed out"
        elif command is CardCommand.RETURNED:
            error = self._record(lambda by: log_.returned(visit_id, by))
            words = "back at base / home safe"
        else:
            action, outcome, words = _LADDER[command]
            minutes = request.minutes if command is CardCommand.SAFE_EXTEND else None
            contact = request.text if command is CardCommand.SUPERVISOR_INFORMED else None
            reference = request.text if command is CardCommand.POLICE_INFORMED else None
            note = request.text if command is CardCommand.SAFE_EXTEND else None
            if minutes is not None:
                words += f" by {minutes} min"
            if contact:
                words += f" ({contact})"
            if reference:
                words += f" (reference {reference})"
            error = self._record(
                lambda by: log_.escalation_action(
                    visit_id,
                    action,
                    outcome,
                    by,
                    contact_name=contact,
                    reference=reference,
                    note=note,
                    extend_minutes=minutes,
                )
            )
        if error is not None:
            if card is not None:
                card.show_error(error)
            else:
                self.quick_bar.show_error(error)
            return
        if card is not None:
            card.close_input()
        self._done(visit_id, words)

    def _card_for(self, request: CardRequest) -> AlertCard | None:
        """The card a request came from (for its inline errors), or the visit's first card."""
        if request.kind is not None:
            return self.alert_panel.card(request.kind, request.visit_id)
        for card in self.alert_panel.cards.values():
            if card.visit_id == request.visit_id:
                return card
        return None

    def _quick_request(self, request: QuickRequest) -> None:
        visit_id, command = request.visit_id, request.command
        if command is QuickCommand.POLICE_SHEET:
            problem = self.open_police_sheet(visit_id)
            if problem:
                self.quick_bar.show_error(problem)
            return
        log_ = self.visit_log
        calls: dict[QuickCommand, Callable[[SignedInUser], object]] = {
            QuickCommand.SIGN_OUT: lambda by: log_.sign_out(visit_id, by),
            QuickCommand.ARRIVED: lambda by: log_.arrived(visit_id, by),
            QuickCommand.CALL_RECEIVED: lambda by: log_.call_received(
                visit_id, by, extend_minutes=request.minutes, reason=request.text
            ),
            QuickCommand.SAFE_WORD: lambda by: log_.safe_word(visit_id, by),
            QuickCommand.LEFT: lambda by: log_.left(visit_id, by),
            QuickCommand.RETURNED: lambda by: log_.returned(visit_id, by),
        }
        if command is QuickCommand.CANCEL:
            cause = request.cause
            if cause is None:
                return
            calls[command] = lambda by: log_.cancel(visit_id, cause, by, note=request.text)
        error = self._record(calls[command])
        if error is not None:
            self.quick_bar.show_error(error)
            return
        self.quick_bar.close_form()
        words = _QUICK_DONE[command]
        if command is QuickCommand.CALL_RECEIVED and request.minutes:
            words += f", time extended by {request.minutes} min"
        if command is QuickCommand.CANCEL and request.cause is not None:
            words += f" ({request.cause.label.lower()})"
            if request.cause.is_safety:
                words += ": tell the headteacher"
        self._done(visit_id, words)

    # -- windows of the board ------------------------------------------------------------------

    def open_police_sheet(self, visit_id: int) -> str | None:
        """Show the police information sheet (signed in only: it holds the address)."""
        if self._user() is None:
            return SIGN_IN_FIRST.replace("record this", "see the police sheet")
        try:
            sheet = self.board_service.police_sheet(visit_id)
        except (HvdeskError, sqlalchemy.exc.DBAPIError, OSError) as exc:
            known = known_error(exc, self.database.path)
            if known is None:
                raise
            return str(known)
        old = self.sheet_windows.pop(visit_id, None)
        if old is not None:
            old.close()
        # Top-level windows owned here (not Qt children of the page): closing one deletes it
        # once, whatever else still holds it.
        window = PoliceSheetWindow(
            sheet, functools.partial(self.documents.render, "police-sheet", visit_id)
        )
        window.finished.connect(lambda _result, v=visit_id: self._sheet_closed(v))
        self.sheet_windows[visit_id] = window
        window.show()
        window.raise_()
        return None

    def _sheet_closed(self, visit_id: int) -> None:
        window = self.sheet_windows.pop(visit_id, None)
        if window is not None:
            window.deleteLater()

    def _urgent_closed(self) -> None:
        if self.urgent_window is not None:
            self.urgent_window.deleteLater()
        self.urgent_window = None

    def _drill_closed(self) -> None:
        if self.drill_window is not None:
            self.drill_window.deleteLater()
        self.drill_window = None

    def _busy_staff(self) -> frozenset[int]:
        return frozenset(
            v.staff_id
            for row in self.model.rows
            if row.state.phase.is_out
            for v in row.entry.visitors
        )

    def open_urgent_departure(self) -> UrgentDepartureWindow | None:
        if self._user() is None:
            self.quick_bar.show_error(SIGN_IN_FIRST)
            return None
        if self.urgent_window is not None:
            self.urgent_window.raise_()
            self.urgent_window.activateWindow()
            return self.urgent_window
        with self.database.session() as session:
            pupils = list_pupils(session)
            staff = list_staff(session)
        window = UrgentDepartureWindow(pupils, staff, self._busy_staff(), self.clock, self)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.submitted.connect(self._record_urgent)
        window.finished.connect(self._urgent_closed)
        self.urgent_window = window
        window.show()
        return window

    def _record_urgent(self, request: UrgentRequest) -> None:
        self._record_new_visit(
            self.urgent_window,
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
        self.select_visit(created[0])

    def open_drill(self) -> DrillWindow | None:
        if self._user() is None:
            self.quick_bar.show_error(SIGN_IN_FIRST)
            return None
        if self.drill_window is not None:
            self.drill_window.raise_()
            return self.drill_window
        with self.database.session() as session:
            staff = list_staff(session)
        window = DrillWindow(staff, self._busy_staff(), self)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.submitted.connect(self._start_drill)
        window.finished.connect(self._drill_closed)
        self.drill_window = window
        window.show()
        return window

    def _start_drill(self, staff_ids: tuple[int, ...]) -> None:
        self._record_new_visit(
            self.drill_window,
            lambda by: self.visit_log.start_drill(staff_ids, by),
            "DRILL started",
        )

    # -- monitoring ----------------------------------------------------------------------------

    def _start_monitoring(self) -> None:
        error = self._record(lambda by: self.monitoring.start(by))
        if error is not None:
            self.quick_bar.show_error(error)
            return
        self.refresh()
        self._load_colleagues()

    def _load_colleagues(self) -> None:
        try:
            users = self.accounts.list_users_for_handover()
        except (HvdeskError, sqlalchemy.exc.DBAPIError, OSError) as exc:
            if known_error(exc, self.database.path) is None:
                raise
            return
        self.monitoring_strip.set_colleagues(users)

    def _hand_over(self, to_user_id: int) -> None:
        error = self._record(lambda by: self.monitoring.hand_over(by, to_user_id))
        if error is not None:
            self.quick_bar.show_error(error)
            return
        self.monitoring_strip.close_picker()
        self.refresh()
        shift = self.snapshot.monitoring if self.snapshot is not None else None
        if shift is not None:
            self.quick_bar.show_done(f"Board handed over to {shift.display_name}.")

    # -- words ---------------------------------------------------------------------------------

    def _update_summary(self) -> None:
        rows = self.model.rows
        if not rows:
            self.summary_label.setText("Everyone is back: no visits are out.")
            return
        out = sum(1 for r in rows if r.state.phase.is_out)
        visits = "1 visit is out" if out == 1 else f"{out} visits are out"
        prompts = [a for a in self.alerts if a.kind is not AlertKind.END_OF_DAY]
        if not prompts:
            action = "nothing needs action"
        else:
            action = "1 needs action" if len(prompts) == 1 else f"{len(prompts)} need action"
            unclaimed = sum(1 for a in prompts if a.needs_claim)
            if unclaimed:
                action += f" ({unclaimed} not claimed)"
        privacy = "" if self.signed_in else " Privacy mode: sign in to see addresses and numbers."
        self.summary_label.setText(f"{visits}; {action}.{privacy}")

    def close_windows(self) -> None:
        """Close the board's own windows (police sheets, the urgent and drill forms)."""
        for window in list(self.sheet_windows.values()):
            window.close()
        for form in (self.urgent_window, self.drill_window):
            if form is not None:
                form.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.close_windows()
        super().closeEvent(event)
