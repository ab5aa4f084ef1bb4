"""The DSL's retention review: records past their date, legal holds, and the deletion log.

Deleting asks for confirmation naming how many records and which rule; the question and the
hold's reason are asked through injectable callables so tests answer them without a modal box.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hvdesk.errors import HvdeskError
from hvdesk.services.retention import DeletionRow, DueRecord, HoldRow, Retention
from hvdesk.ui.column_fitter import ColumnFitter
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.dialogs.inline_error import InlineError
from hvdesk.ui.formatting import show_date, show_date_time, sort_date, sort_instant
from hvdesk.ui.pages.base import make_table
from hvdesk.ui.row_table_model import RIGHT, Column, RowTableModel

Confirm = Callable[[str], bool]
AskReason = Callable[[str], str | None]

DUE_COLUMNS: list[Column[DueRecord]] = [
    Column(
        "Review from",
        lambda r: show_date(r.review_on),
        sort_key=lambda r: sort_date(r.review_on),
        shrink=False,
    ),
    Column("Category", lambda r: r.category.label),
    Column("Record", lambda r: r.label, stretch=True),
    Column("Legal hold", lambda r: r.held_by or "", tooltip=lambda r: r.held_by or ""),
]
HOLD_COLUMNS: list[Column[HoldRow]] = [
    Column("No.", lambda h: str(h.hold_id), align=RIGHT, shrink=False),
    Column("Record", lambda h: f"{h.record_type} {h.record_id}"),
    Column(
        "Placed",
        lambda h: show_date_time(h.placed_at),
        sort_key=lambda h: sort_instant(h.placed_at),
        shrink=False,
    ),
    Column("Reason", lambda h: h.reason, tooltip=lambda h: h.reason, stretch=True),
]
LOG_COLUMNS: list[Column[DeletionRow]] = [
    Column(
        "When",
        lambda d: show_date_time(d.deleted_at),
        sort_key=lambda d: sort_instant(d.deleted_at),
        shrink=False,
    ),
    Column("Category", lambda d: d.category_label),
    Column("By", lambda d: d.deleted_by),
    Column("Records", lambda d: str(d.record_count), align=RIGHT, shrink=False),
    Column("Rule", lambda d: d.rule, tooltip=lambda d: d.rule, stretch=True),
]


def _ask_confirm(parent: QWidget) -> Confirm:
    def ask(question: str) -> bool:
        answer = QMessageBox.question(parent, "Delete records", question)
        return answer == QMessageBox.StandardButton.Yes

    return ask


def _ask_reason(parent: QWidget) -> AskReason:
    def ask(prompt: str) -> str | None:
        text, ok = QInputDialog.getText(parent, "Legal hold", prompt)
        return text if ok else None

    return ask


class RetentionTab(QWidget):
    """Review what is due, delete it (all or nothing), and place or lift legal holds."""

    def __init__(
        self,
        retention: Retention,
        current_user: CurrentUser,
        parent: QWidget | None = None,
        *,
        confirm: Confirm | None = None,
        ask_reason: AskReason | None = None,
    ) -> None:
        super().__init__(parent)
        self.retention = retention
        self.current_user = current_user
        self._confirm = confirm or _ask_confirm(self)
        self._ask_reason = ask_reason or _ask_reason(self)

        intro = QLabel(
            "Records past their retention date (the rules are in Settings). Deleting is "
            "permanent: the log keeps the category, the rule, who and when, never the content. "
            "A record under a legal hold cannot be deleted."
        )
        intro.setWordWrap(True)
        self.error = InlineError()
        self._fitters: list[ColumnFitter] = []
        self.due_model: RowTableModel[DueRecord] = RowTableModel(
            DUE_COLUMNS, key=lambda r: (r.record_type, r.record_id)
        )
        self.due_view = self._table("Records due for review", self.due_model)
        self.due_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.delete_button = QPushButton("&Delete selected…")
        self.delete_button.clicked.connect(self.delete_selected)
        self.hold_button = QPushButton("Place legal &hold…")
        self.hold_button.clicked.connect(self.hold_selected)
        self.hold_model: RowTableModel[HoldRow] = RowTableModel(
            HOLD_COLUMNS, key=lambda h: h.hold_id
        )
        self.hold_view = self._table("Legal holds in force", self.hold_model)
        self.lift_button = QPushButton("&Lift hold")
        self.lift_button.clicked.connect(self.lift_selected)
        self.log_model: RowTableModel[DeletionRow] = RowTableModel(
            LOG_COLUMNS, key=lambda d: d.entry_id
        )
        self.log_view = self._table("Deletion log", self.log_model)

        due_buttons = QHBoxLayout()
        due_buttons.addWidget(self.delete_button)
        due_buttons.addWidget(self.hold_button)
        due_buttons.addStretch(1)
        hold_buttons = QHBoxLayout()
        hold_buttons.addWidget(self.lift_button)
        hold_buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.error)
        layout.addWidget(QLabel("<b>Due for review</b>"))
        layout.addWidget(self.due_view, 3)
        layout.addLayout(due_buttons)
        layout.addWidget(QLabel("<b>Legal holds</b>"))
        layout.addWidget(self.hold_view, 1)
        layout.addLayout(hold_buttons)
        layout.addWidget(QLabel("<b>Deletion log</b>"))
        layout.addWidget(self.log_view, 1)
        # Read when the page is shown (DataProtectionPage.refresh) or the user changes, not
        # here as well: the page is built just before it is first shown.
        current_user.changed.connect(self.refresh)

    def _table(self, name: str, model: RowTableModel[Any]) -> QTableView:
        view = make_table(name)
        view.setModel(model)
        self._fitters.append(
            ColumnFitter(view, stretch=model.stretch_column(), keep=model.fixed_columns())
        )
        return view

    def refresh(self) -> None:
        user = self.current_user.user
        self.error.hide()
        if user is None:
            self._fill([], [], [])
            return
        try:
            self._fill(
                self.retention.due(user), self.retention.holds(user), self.retention.deletions(user)
            )
        except HvdeskError as exc:
            self._fill([], [], [])
            self._say(exc)

    def _fill(self, due: list[DueRecord], holds: list[HoldRow], log: list[DeletionRow]) -> None:
        self.due_model.set_rows(due)
        self.hold_model.set_rows(holds)
        self.log_model.set_rows(log)
        for fitter in self._fitters:
            if fitter.view.model().rowCount():
                fitter.fit()

    def _say(self, exc: HvdeskError) -> None:
        self.error.show_message(str(exc))

    def _run(self, action: Callable[[], object]) -> None:
        """Do one change through the service, then show the lists as they now stand; a
        refusal is said under the lists and nothing is refreshed."""
        try:
            action()
        except HvdeskError as exc:
            self._say(exc)
            return
        self.refresh()

    def selected_due(self) -> list[DueRecord]:
        rows = sorted({i.row() for i in self.due_view.selectionModel().selectedRows()})
        return [self.due_model.row(r) for r in rows]

    def delete_selected(self) -> None:
        user = self.current_user.user
        chosen = self.selected_due()
        if user is None or not chosen:
            self._say(HvdeskError("No records are selected.", "Select the records to delete."))
            return
        categories = {r.category for r in chosen}
        if len(categories) > 1:
            self._say(
                HvdeskError(
                    "The selection mixes categories.",
                    "Delete one category at a time (each is logged under its own rule).",
                )
            )
            return
        category = categories.pop()
        question = (
            f"Delete {len(chosen)} record(s) of “{category.label}” permanently? The log keeps "
            "the category, rule, who and when; the content cannot be recovered."
        )
        if not self._confirm(question):
            return
        self._run(lambda: self.retention.delete(category, [r.record_id for r in chosen], user))

    def hold_selected(self) -> None:
        user = self.current_user.user
        chosen = self.selected_due()
        if user is None or len(chosen) != 1:
            self._say(HvdeskError("Select one record to hold.", ""))
            return
        record = chosen[0]
        reason = self._ask_reason(f"Why must {record.label} be kept (claim, investigation…)?")
        if reason is None:
            return
        self._run(
            lambda: self.retention.place_hold(record.record_type, record.record_id, reason, user)
        )

    def lift_selected(self) -> None:
        user = self.current_user.user
        rows = self.hold_view.selectionModel().selectedRows()
        if user is None or not rows:
            self._say(HvdeskError("Select the hold to lift.", ""))
            return
        self._run(
            lambda: self.retention.lift_hold(self.hold_model.row(rows[0].row()).hold_id, user)
        )
