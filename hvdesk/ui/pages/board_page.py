"""The reception board: who is out on a visit now, and how long until they are due back.

The countdown is `planned_end - clock.now()` worked out afresh at every paint, so a late or
dropped tick can never make it drift; the one-second timer only announces that the countdown
column changed (one `dataChanged`, one column, the visible rows). The database is read again
every few seconds, and the same visits coming back do not reset the table, so selection and
scrolling survive. The full escalation ladder is a later piece of work: this page says
"On time" or "Overdue" in words and with an icon, never by colour alone.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QLabel, QWidget

from hvdesk.clock import Clock, format_school_time
from hvdesk.db.database import Database
from hvdesk.services.directory import OutVisitRow, list_visits_out
from hvdesk.ui.column_fitter import ColumnFitter
from hvdesk.ui.formatting import countdown, show_time_near
from hvdesk.ui.icons import icon
from hvdesk.ui.pages.base import Page, make_table
from hvdesk.ui.row_table_model import RIGHT, Column, RowTableModel
from hvdesk.ui.timers import Timers

TICK_MS = 1000
POLL_MS = 5000
# Above this many rows a dataChanged range makes Qt repaint the whole viewport: emit over the
# visible rows only (ENGINEERING-NOTES, board refresh).
FULL_RANGE_ROWS = 200

COUNTDOWN_HEADER = "Time to\nplanned end"
STATE_HEADER = "Status"
ON_TIME = "On time"
OVERDUE = "Overdue"


class BoardPage(Page):
    """Visits out now, soonest planned end first."""

    title = "Out on visits now"
    icon_name = "board"

    def __init__(
        self,
        database: Database,
        clock: Clock,
        timers: Timers,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(database, parent)
        self.clock = clock
        self.model: RowTableModel[OutVisitRow] = RowTableModel(
            self._columns(), key=lambda r: r.visit_id, parent=self
        )
        self.countdown_column = self.model.column_index(COUNTDOWN_HEADER)
        self.state_column = self.model.column_index(STATE_HEADER)
        self._overdue: frozenset[int] = frozenset()

        self.table = make_table("Visits out now", "boardTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(False)
        self.fitter = ColumnFitter(
            self.table,
            stretch=self.model.stretch_column(),
            keep=self.model.fixed_columns(),
            widest=420,
        )
        self.empty_label = QLabel("No one is out on a visit right now.")
        self.empty_label.setObjectName("emptyNote")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()
        self.updated_label = QLabel()
        self.updated_label.setObjectName("pageSummary")
        self.layout_.addWidget(self.table, 1)
        self.layout_.addWidget(self.empty_label)
        self.layout_.addStretch(0)
        self.layout_.addWidget(self.updated_label)
        self._fitted = False

        self.tick_timer = timers.create("board-countdown", TICK_MS, self, self.tick)
        self.poll_timer = timers.create("board-refresh", POLL_MS, self, self.refresh)

    def _columns(self) -> list[Column[OutVisitRow]]:
        return [
            Column("Visitors", lambda r: ", ".join(r.visitors) or "(no visitor recorded)"),
            Column("Area", lambda r: r.area),
            Column(
                "Signed\nout",
                lambda r: show_time_near(r.signed_out_at, self.clock.now()) or "Not recorded",
                align=RIGHT,
                shrink=False,
            ),
            Column(
                "Planned\nend",
                lambda r: show_time_near(r.planned_end, self.clock.now()),
                align=RIGHT,
                shrink=False,
            ),
            Column(
                COUNTDOWN_HEADER,
                self._countdown_text,
                align=RIGHT,
                bold=self._is_overdue,
                shrink=False,
            ),
            Column(
                STATE_HEADER,
                self._state_text,
                icon=self._state_icon,
                bold=self._is_overdue,
                shrink=False,
            ),
            Column("Purpose", lambda r: r.purpose, tooltip=lambda r: r.purpose, stretch=True),
        ]

    # -- values computed from the clock at paint time ----------------------------------------

    def _is_overdue(self, row: OutVisitRow) -> bool:
        return self.clock.now() > row.planned_end

    def _countdown_text(self, row: OutVisitRow) -> str:
        return countdown(row.planned_end - self.clock.now())

    def _state_text(self, row: OutVisitRow) -> str:
        return OVERDUE if self._is_overdue(row) else ON_TIME

    def _state_icon(self, row: OutVisitRow) -> QIcon:
        return icon("overdue" if self._is_overdue(row) else "on-time")

    # -- refreshing ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the visits out from the database (on show, and every few seconds)."""
        rows = self.load(list_visits_out)
        if rows is None:
            return
        self.model.set_rows(rows)
        has_rows = bool(rows)
        self.table.setVisible(has_rows)
        self.empty_label.setVisible(not has_rows)
        if has_rows and not self._fitted:
            self.fitter.fit()
            self._fitted = True
        self._overdue = self._overdue_now()
        self._update_summary()
        self.updated_label.setText(
            f"Read from the database at {format_school_time(self.clock.now(), '%H:%M:%S')}"
        )

    def tick(self) -> None:
        """One second passed: the countdowns moved; the status words change only when a
        visit has just become overdue (or its end was moved)."""
        first, last = self._visible_rows()
        if first is None or last is None:
            return
        self.model.column_changed(self.countdown_column, first, last)
        overdue = self._overdue_now()
        if overdue != self._overdue:
            self._overdue = overdue
            self.model.column_changed(self.state_column, first, last)
            self._update_summary()

    def _overdue_now(self) -> frozenset[int]:
        now = self.clock.now()
        return frozenset(r.visit_id for r in self.model.rows if now > r.planned_end)

    def _visible_rows(self) -> tuple[int | None, int | None]:
        count = self.model.rowCount()
        if count == 0:
            return None, None
        if count <= FULL_RANGE_ROWS:
            return 0, count - 1
        top = self.table.rowAt(0)
        bottom = self.table.rowAt(self.table.viewport().height() - 1)
        return (0 if top < 0 else top), (count - 1 if bottom < 0 else bottom)

    def _update_summary(self) -> None:
        out = self.model.rowCount()
        overdue = len(self._overdue)
        if out == 0:
            self.summary_label.setText("Everyone is back: no visits are out.")
            return
        visits = "1 visit is out" if out == 1 else f"{out} visits are out"
        late = (
            "none is overdue"
            if overdue == 0
            else ("1 is overdue" if overdue == 1 else f"{overdue} are overdue")
        )
        self.summary_label.setText(f"{visits}; {late}.")
