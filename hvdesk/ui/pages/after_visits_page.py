"""After visits: the hand-off to CPOMS and the follow-ups, on two tabs.

"Not yet on CPOMS" lists the visits whose record is not yet on the school's safeguarding system,
oldest first. For the selected one the office opens the record, copies the plain-text summary to
the clipboard (to paste into CPOMS), saves the Record of Home Visit PDF (to attach there), and
ticks it as recorded, with the date and time it was put there; it then leaves the list.

A copied summary is taken off the clipboard again when the user signs out or the app locks.

"Follow-ups" lists the open follow-ups, earliest due first, overdue ones in bold and said in
words; "Mark done…" asks what was done. "Show done" adds the finished ones.

What each user sees and may do is decided by `VisitRecords`; buttons are only greyed to match.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QTimeZone
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hvdesk.errors import HvdeskError
from hvdesk.services.container import Services
from hvdesk.services.documents import DocumentKind
from hvdesk.services.identity import SignedInUser
from hvdesk.services.visit_records import FollowUpRow, HandOffRow
from hvdesk.ui.column_fitter import ColumnFitter
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.dialogs.inline_error import InlineError
from hvdesk.ui.document_actions import DocumentActions
from hvdesk.ui.formatting import show_date, show_date_time, show_when_by, sort_date, sort_instant
from hvdesk.ui.pages.base import Page, make_table
from hvdesk.ui.row_table_model import RIGHT, Column, RowTableModel
from hvdesk.ui.school_time_edit import from_qt, to_qt
from hvdesk.ui.visit_record.mark_done_dialog import MarkDoneDialog
from hvdesk.ui.visit_record.record_dialog import open_record_dialog

__all__ = ["AfterVisitsPage"]

log = logging.getLogger(__name__)

R = TypeVar("R")


def _written(row: HandOffRow) -> str:
    if row.written_at is None:
        return "Not written yet"
    return f"Written {show_when_by(row.written_at, row.written_by)}"


HAND_OFF_COLUMNS: list[Column[HandOffRow]] = [
    Column("Visit", lambda r: str(r.visit_id), align=RIGHT, shrink=False),
    Column(
        "Date",
        lambda r: show_date_time(r.planned_start),
        sort_key=lambda r: sort_instant(r.planned_start),
        shrink=False,
    ),
    Column("Pupil", lambda r: r.pupil or "—"),
    Column("Area", lambda r: r.area),
    Column("Visitors", lambda r: ", ".join(r.visitors), tooltip=lambda r: ", ".join(r.visitors)),
    Column("Record", _written, bold=lambda r: not r.is_written, stretch=True),
]


def _status(row: FollowUpRow) -> str:
    """Where a follow-up stands, in words (never by colour or weight alone)."""
    if row.done_at is not None:
        return f"Done {show_date_time(row.done_at)}"
    days = row.days_to_due
    if days < 0:
        return f"Overdue by {-days} day{'s' if days != -1 else ''}"
    if days == 0:
        return "Due today"
    return f"Due in {days} day{'s' if days != 1 else ''}"


FOLLOW_UP_COLUMNS: list[Column[FollowUpRow]] = [
    Column(
        "Due",
        lambda r: show_date(r.due_on),
        sort_key=lambda r: sort_date(r.due_on),
        bold=lambda r: r.is_overdue,
        shrink=False,
    ),
    Column("Status", _status, bold=lambda r: r.is_overdue, shrink=False),
    Column("Action", lambda r: r.action, tooltip=lambda r: r.done_note or r.action, stretch=True),
    Column("Owner", lambda r: r.owner),
    Column("Pupil", lambda r: r.pupil or "—"),
    Column("Visit", lambda r: str(r.visit_id), align=RIGHT, shrink=False),
]


class _Tab(QWidget, Generic[R]):
    """A table over one kind of row, with what is selected."""

    def __init__(self, name: str, columns: list[Column[R]]) -> None:
        super().__init__()
        self.model: RowTableModel[R] = RowTableModel(columns)
        self.table: QTableView = make_table(name)
        self.table.setModel(self.model)
        self.fitter = ColumnFitter(
            self.table, stretch=self.model.stretch_column(), keep=self.model.fixed_columns()
        )
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 8, 0, 0)
        self.layout_.setSpacing(8)
        self._fitted = False

    def set_rows(self, rows: list[R]) -> None:
        self.model.set_rows(rows)
        if rows and not self._fitted:
            self.fitter.fit()
            self._fitted = True

    def selected(self) -> R | None:
        chosen = self.table.selectionModel().selectedRows()
        if not chosen or chosen[0].row() >= self.model.rowCount():
            return None
        return self.model.row(chosen[0].row())

    def select(self, matches: Callable[[R], bool]) -> bool:
        for position in range(self.model.rowCount()):
            if matches(self.model.row(position)):
                self.table.selectRow(position)
                return True
        return False


class AfterVisitsPage(Page):
    """The hand-off to CPOMS and the follow-ups (see the module's notes)."""

    title = "After visits"
    icon_name = "after-visits"

    def __init__(
        self,
        services: Services,
        current_user: CurrentUser,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent=parent)
        self.clock = services.clock
        self.current_user = current_user
        self.records = services.visit_records
        self.documents = DocumentActions(services.documents, self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("afterVisitsTabs")
        self.layout_.addWidget(self.tabs, 1)
        self._build_hand_off()
        self._build_follow_ups()
        self._copied: str | None = None
        """The last summary put on the clipboard: cleared from it when the user signs out."""
        self.current_user.changed.connect(self.refresh)
        self._update_buttons()

    # --- building -----------------------------------------------------------------------------

    def _build_hand_off(self) -> None:
        tab: _Tab[HandOffRow] = _Tab("Visits not yet recorded on CPOMS", HAND_OFF_COLUMNS)
        self.hand_off = tab
        hint = QLabel(
            "Oldest first. For each visit: copy the summary and paste it into CPOMS, save the "
            "Record of Home Visit PDF and attach it there, then tick it as recorded."
        )
        hint.setWordWrap(True)
        tab.layout_.addWidget(hint)
        tab.layout_.addWidget(tab.table, 1)
        self.open_record_button = QPushButton("&Open record…")
        self.copy_button = QPushButton("&Copy summary")
        self.copy_button.setToolTip("Copy the record as plain text, to paste into CPOMS")
        self.save_pdf_button = QPushButton("Save &PDF to attach…")
        self.save_pdf_button.setToolTip("Save the Record of Home Visit as a PDF to attach in CPOMS")
        self.recorded_at = QDateTimeEdit()
        self.recorded_at.setAccessibleName("Date and time it was recorded on CPOMS")
        self.recorded_at.setTimeZone(QTimeZone.utc())  # holds school time: see to_qt
        self.recorded_at.setDisplayFormat("dd MMM yyyy HH:mm")
        self.recorded_at.setCalendarPopup(True)
        recorded_label = QLabel("Recorded on CPOMS at:")
        recorded_label.setBuddy(self.recorded_at)
        self.tick_button = QPushButton("&Tick as recorded on CPOMS")
        self.tick_button.setToolTip("Record that this visit is now on CPOMS, with when")
        self._tips = {
            button: button.toolTip()
            for button in (self.copy_button, self.save_pdf_button, self.tick_button)
        }
        actions = QHBoxLayout()
        actions.setSpacing(8)
        for button in (self.open_record_button, self.copy_button, self.save_pdf_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(recorded_label)
        actions.addWidget(self.recorded_at)
        actions.addWidget(self.tick_button)
        tab.layout_.addLayout(actions)
        self.hand_off_message = QLabel()
        self.hand_off_message.setObjectName("inlineDone")
        self.hand_off_message.setWordWrap(True)
        self.hand_off_message.hide()
        self.hand_off_error = InlineError()
        tab.layout_.addWidget(self.hand_off_message)
        tab.layout_.addWidget(self.hand_off_error)
        self.tabs.addTab(tab, "Not yet on CPOMS")

        self.open_record_button.clicked.connect(self.open_selected_record)
        self.copy_button.clicked.connect(self.copy_summary)
        self.save_pdf_button.clicked.connect(self.save_pdf)
        self.tick_button.clicked.connect(self.tick_recorded)
        tab.table.selectionModel().selectionChanged.connect(self._update_buttons)
        tab.table.doubleClicked.connect(lambda _index: self.open_selected_record())

    def _build_follow_ups(self) -> None:
        tab: _Tab[FollowUpRow] = _Tab("Follow-ups", FOLLOW_UP_COLUMNS)
        self.follow_ups = tab
        self.show_done = QCheckBox("&Show done follow-ups too")
        self.show_done.toggled.connect(self.refresh)
        tab.layout_.addWidget(self.show_done)
        tab.layout_.addWidget(tab.table, 1)
        self.mark_done_button = QPushButton("&Mark done…")
        self.open_follow_up_record_button = QPushButton("Open &record…")
        actions = QHBoxLayout()
        actions.addWidget(self.mark_done_button)
        actions.addWidget(self.open_follow_up_record_button)
        actions.addStretch(1)
        tab.layout_.addLayout(actions)
        self.follow_up_error = InlineError()
        tab.layout_.addWidget(self.follow_up_error)
        self.tabs.addTab(tab, "Follow-ups")
        self.mark_done_button.clicked.connect(self.mark_selected_done)
        self.open_follow_up_record_button.clicked.connect(self.open_follow_up_record)
        tab.table.selectionModel().selectionChanged.connect(self._update_buttons)

    # --- reading ------------------------------------------------------------------------------

    @property
    def user(self) -> SignedInUser | None:
        return self.current_user.user

    def refresh(self) -> None:
        user = self.user
        self.hand_off_error.hide()
        self.follow_up_error.hide()
        if user is None:
            self._forget_copied_summary()
            self.hand_off.set_rows([])
            self.follow_ups.set_rows([])
            self.summary_label.setText(
                "Sign in to see the visits waiting for CPOMS and the follow-ups."
            )
            self._update_buttons()
            return
        self.clear_problem()  # each read below says on the page if it fails
        hand_off = self._read(lambda: self.records.awaiting_cpoms(user))
        follow_ups = self._read(
            lambda: self.records.follow_ups(user, include_done=self.show_done.isChecked())
        )
        if hand_off is not None:
            self._keep_selection(self.hand_off, hand_off, lambda r: r.visit_id)
        if follow_ups is not None:
            self._keep_selection(self.follow_ups, follow_ups, lambda r: r.id)
        now = to_qt(self.clock.now())
        self.recorded_at.setMaximumDateTime(now)
        self.recorded_at.setDateTime(now)
        self._update_summary()
        self._update_buttons()

    def _keep_selection(self, tab: _Tab[R], rows: list[R], key: Callable[[R], object]) -> None:
        before = tab.selected()
        tab.set_rows(rows)
        if before is not None:
            tab.select(lambda r: key(r) == key(before))

    def _read(self, fetch: Callable[[], list[R]]) -> list[R] | None:
        try:
            rows = fetch()
        except HvdeskError as exc:  # refused, or the database could not be read: say which
            log.warning("Could not refresh the after-visits page: %s", type(exc).__name__)
            self.problem_label.setText(str(exc))
            self.problem_label.show()
            self.retry_button.show()
            return None
        return rows

    def _update_summary(self) -> None:
        waiting = self.hand_off.model.rows
        unwritten = sum(1 for r in waiting if not r.is_written)
        open_rows = [r for r in self.follow_ups.model.rows if not r.is_done]
        overdue = sum(1 for r in open_rows if r.is_overdue)
        parts = [
            f"{len(waiting)} visit{'s' if len(waiting) != 1 else ''} not yet on CPOMS"
            + (f" ({unwritten} with no record written yet)" if unwritten else ""),
            f"{len(open_rows)} open follow-up{'s' if len(open_rows) != 1 else ''}"
            + (f", {overdue} overdue" if overdue else ""),
        ]
        self.summary_label.setText("; ".join(parts) + ".")
        self.tabs.setTabText(0, f"Not yet on CPOMS ({len(waiting)})")
        self.tabs.setTabText(1, f"Follow-ups ({len(open_rows)} open, {overdue} overdue)")

    def _update_buttons(self) -> None:
        row = self.hand_off.selected()
        written = row is not None and row.is_written
        self.open_record_button.setEnabled(row is not None)
        self.copy_button.setEnabled(written)
        self.save_pdf_button.setEnabled(written)
        self.tick_button.setEnabled(written and row is not None and row.may_tick)
        self.recorded_at.setEnabled(self.tick_button.isEnabled())
        why: str | None = None
        if row is None:
            why = "Select a visit in the list first."
        elif not row.is_written:
            why = "Write the record first (Open record…)."
        elif not row.may_tick:
            why = "The office, the safeguarding leads and the visit's own staff tick this."
        for button, tip in self._tips.items():
            button.setToolTip(why if why and not button.isEnabled() else tip)
        follow_up = self.follow_ups.selected()
        self.mark_done_button.setEnabled(follow_up is not None and follow_up.may_mark_done)
        self.open_follow_up_record_button.setEnabled(follow_up is not None)

    # --- actions: the hand-off ----------------------------------------------------------------

    def open_selected_record(self) -> None:
        row = self.hand_off.selected()
        user = self.user
        if row is None or user is None:
            return
        if open_record_dialog(self.records, row.visit_id, user, self.clock, self):
            self.refresh()

    def copy_summary(self) -> None:
        """Put the selected visit's CPOMS summary on the clipboard."""
        row = self.hand_off.selected()
        user = self.user
        if row is None or user is None:
            return
        self._hand_off_feedback(None, None)
        try:
            text = self.records.cpoms_summary(row.visit_id, user)
        except HvdeskError as refused:
            self._hand_off_feedback(None, refused)
            return
        QGuiApplication.clipboard().setText(text)
        self._copied = text
        log.info("CPOMS summary of visit %d copied", row.visit_id)
        self._hand_off_feedback(
            f"The summary of visit {row.visit_id} is on the clipboard: paste it into CPOMS "
            "(Ctrl+V).",
            None,
        )

    def _forget_copied_summary(self) -> None:
        """A summary names a child: it does not stay on the clipboard after signing out (or the
        idle lock), unless something else was copied over it since."""
        clipboard = QGuiApplication.clipboard()
        if self._copied is not None and clipboard.text() == self._copied:
            clipboard.clear()
        self._copied = None

    def save_pdf(self) -> None:
        row = self.hand_off.selected()
        if row is None:
            return
        saved = self.documents.save_as(DocumentKind.VISIT_RECORD, row.visit_id)
        if saved is not None:
            self._hand_off_feedback(
                f"Saved the Record of Home Visit as {saved.name}: attach it in CPOMS.", None
            )

    def tick_recorded(self) -> None:
        """Tick the selected visit as recorded on CPOMS at the date and time shown."""
        row = self.hand_off.selected()
        user = self.user
        if row is None or user is None:
            return
        self._hand_off_feedback(None, None)
        try:
            self.records.mark_recorded_on_cpoms(
                row.visit_id, user, from_qt(self.recorded_at.dateTime())
            )
        except HvdeskError as refused:
            self._hand_off_feedback(None, refused)
            return
        self.refresh()
        self._hand_off_feedback(f"Visit {row.visit_id} is ticked as recorded on CPOMS.", None)

    def _hand_off_feedback(self, done: str | None, refused: HvdeskError | None) -> None:
        self.hand_off_message.setVisible(done is not None)
        self.hand_off_message.setText(done or "")
        if refused is not None:
            self.hand_off_error.show_message(str(refused))
        else:
            self.hand_off_error.hide()

    # --- actions: follow-ups ------------------------------------------------------------------

    def mark_selected_done(self) -> None:
        row = self.follow_ups.selected()
        user = self.user
        if row is None or user is None:
            return
        dialog = MarkDoneDialog(self.records, row, user, self)
        try:
            if dialog.exec():
                self.refresh()
        finally:
            dialog.deleteLater()

    def open_follow_up_record(self) -> None:
        row = self.follow_ups.selected()
        user = self.user
        if row is None or user is None:
            return
        if open_record_dialog(self.records, row.visit_id, user, self.clock, self):
            self.refresh()
