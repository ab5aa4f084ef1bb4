"""Records that need the DSL's review (issue 18): a rule of conduct not kept, or a child found
alone. Listed on the After visits page (its own tab) and on the DSL's queue (Authorisations).

Each row says why in words. "Open record…" opens the record; "Mark reviewed" takes a short
note of what the DSL decided and records it (the service decides who may: the DSL or a deputy
who was not on the visit), and the row leaves the list.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hvdesk.clock import Clock
from hvdesk.errors import HvdeskError
from hvdesk.services.identity import SignedInUser
from hvdesk.services.visit_conduct import ReviewRow, VisitConduct
from hvdesk.services.visit_records import VisitRecords
from hvdesk.ui.column_fitter import ColumnFitter
from hvdesk.ui.dialogs.inline_error import InlineError
from hvdesk.ui.formatting import show_date_time, sort_instant
from hvdesk.ui.pages.base import make_table
from hvdesk.ui.row_table_model import RIGHT, Column, RowTableModel
from hvdesk.ui.visit_record.record_dialog import open_record_dialog

__all__ = ["REVIEW_COLUMNS", "ConductReviewBox", "ConductReviewList", "conduct_review_box"]

REVIEW_COLUMNS: list[Column[ReviewRow]] = [
    Column("Visit", lambda r: str(r.visit_id), align=RIGHT, shrink=False),
    Column(
        "Date",
        lambda r: show_date_time(r.planned_start),
        sort_key=lambda r: sort_instant(r.planned_start),
        shrink=False,
    ),
    Column("Pupil", lambda r: r.pupil or "—"),
    Column("Visitors", lambda r: ", ".join(r.visitors)),
    Column(
        "Why it needs review",
        lambda r: "; ".join(r.reasons),
        tooltip=lambda r: "\n".join(r.reasons),
        stretch=True,
    ),
]


class ConductReviewList(QWidget):
    """The list, its two actions and their messages."""

    def __init__(
        self,
        conduct: VisitConduct,
        records: VisitRecords,
        clock: Clock,
        user: Callable[[], SignedInUser | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.conduct = conduct
        self.records = records
        self.clock = clock
        self.user = user
        self.model: RowTableModel[ReviewRow] = RowTableModel(REVIEW_COLUMNS)
        self.table: QTableView = make_table("Records that need the DSL's review")
        self.table.setModel(self.model)
        self.fitter = ColumnFitter(
            self.table, stretch=self.model.stretch_column(), keep=self.model.fixed_columns()
        )
        self._fitted = False
        self.hint = QLabel(
            "A rule of conduct was not kept, or a child was found alone: the DSL (or a deputy "
            "who was not on the visit) reads the record and notes what was decided."
        )
        self.hint.setWordWrap(True)
        self.open_button = QPushButton("Open record…")
        self.note = QLineEdit()
        self.note.setAccessibleName("Note of the DSL's review")
        self.note.setPlaceholderText(
            "What was decided, e.g. spoke to the visitor; no further action"
        )
        self.review_button = QPushButton("Mark reviewed")
        self.message = QLabel()
        self.message.setObjectName("inlineDone")
        self.message.setWordWrap(True)
        self.message.hide()
        self.error = InlineError()
        actions = QHBoxLayout()
        actions.addWidget(self.open_button)
        actions.addWidget(self.note, 1)
        actions.addWidget(self.review_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(self.error)
        self.open_button.clicked.connect(self.open_selected)
        self.review_button.clicked.connect(self.mark_reviewed)
        self.note.returnPressed.connect(self.mark_reviewed)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self._update_buttons()

    @property
    def rows(self) -> tuple[ReviewRow, ...]:
        return self.model.rows

    def refresh(self) -> None:
        user = self.user()
        self.error.hide()
        rows: list[ReviewRow] = []
        if user is not None:
            try:
                rows = self.conduct.awaiting_review(user)
            except HvdeskError as refused:
                self.error.show_message(str(refused))
        before = self.selected()
        self.model.set_rows(rows)
        if rows and not self._fitted:
            self.fitter.fit()
            self._fitted = True
        if before is not None:
            self.select(before.visit_id)
        self._update_buttons()

    def selected(self) -> ReviewRow | None:
        chosen = self.table.selectionModel().selectedRows()
        if not chosen or chosen[0].row() >= self.model.rowCount():
            return None
        return self.model.row(chosen[0].row())

    def select(self, visit_id: int) -> bool:
        for position in range(self.model.rowCount()):
            if self.model.row(position).visit_id == visit_id:
                self.table.selectRow(position)
                return True
        return False

    def _update_buttons(self) -> None:
        row = self.selected()
        self.open_button.setEnabled(row is not None)
        may = row is not None and row.may_mark_reviewed
        self.review_button.setEnabled(may)
        self.note.setEnabled(may)
        if row is not None and not row.may_mark_reviewed:
            self.review_button.setToolTip(
                "The DSL or a deputy who was not on the visit marks it reviewed."
            )
        else:
            self.review_button.setToolTip("Record the review, with the note")

    def open_selected(self) -> None:
        row, user = self.selected(), self.user()
        if row is None or user is None:
            return
        if open_record_dialog(self.records, row.visit_id, user, self.clock, self):
            self.refresh()

    def mark_reviewed(self) -> None:
        row, user = self.selected(), self.user()
        if row is None or user is None:
            return
        self.error.hide()
        self.message.hide()
        try:
            self.conduct.mark_reviewed(row.visit_id, self.note.text(), user)
        except HvdeskError as refused:
            self.error.show_message(str(refused))
            return
        self.note.clear()
        self.refresh()
        self.message.setText(f"Visit {row.visit_id}: the DSL's review is recorded.")
        self.message.show()


class ConductReviewBox(QGroupBox):
    """The list as a box on the DSL's queue, shown only while something waits for review."""

    def __init__(self, review: ConductReviewList) -> None:
        super().__init__("Records that need the DSL's review")
        self.review = review
        self.setToolTip(review.hint.text())
        review.hint.hide()  # the queue comes first: the box keeps to a few lines
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 4)
        layout.addWidget(review)
        review.table.setMaximumHeight(96)
        self.hide()

    def refresh(self) -> None:
        self.review.refresh()
        self.setTitle(f"Records that need the DSL's review ({len(self.review.rows)})")
        self.setVisible(bool(self.review.rows))


def conduct_review_box(
    conduct: VisitConduct,
    records: VisitRecords,
    clock: Clock,
    user: Callable[[], SignedInUser | None],
) -> ConductReviewBox:
    """The box for the Authorisations page."""
    return ConductReviewBox(ConductReviewList(conduct, records, clock, user))
