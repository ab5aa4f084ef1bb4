"""The audit trail viewer: who created, changed, deleted, viewed, printed or signed in, when.

For the DSL (and deputies) and the administrator. The page asks the service, which refuses
anyone else and records every look (so this page never reads the table itself); a refusal is
shown on the page, in the service's words. Filters: a username, a kind of record and its number,
and a range of school dates (both days included)."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from hvdesk.clock import school_time_to_utc, to_school_time
from hvdesk.errors import HvdeskError
from hvdesk.services.audit import MAX_ROWS, AuditFilter, AuditRow, may_read_audit
from hvdesk.services.container import Services
from hvdesk.ui.column_fitter import ColumnFitter
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.formatting import show_date_time, sort_instant
from hvdesk.ui.pages.base import Page, make_table
from hvdesk.ui.row_table_model import Column, RowTableModel

log = logging.getLogger(__name__)

ANY = "Any"
ACTION_WORDS = {
    "create": "Created",
    "update": "Changed",
    "delete": "Deleted",
    "bulk_create": "Created (bulk)",
    "bulk_update": "Changed (bulk)",
    "bulk_delete": "Deleted (bulk)",
    "view": "Viewed",
    "print": "Printed",
    "export": "Exported",
    "sign_in": "Signed in",
    "sign_in_failed": "Sign-in refused",
    "audit_viewed": "Read the audit trail",
}

COLUMNS: list[Column[AuditRow]] = [
    Column(
        "When",
        lambda r: show_date_time(r.at),
        sort_key=lambda r: sort_instant(r.at),
        shrink=False,
    ),
    Column("Who", lambda r: r.username, shrink=False),
    Column("What", lambda r: ACTION_WORDS.get(r.action, r.action), shrink=False),
    Column(
        "Record",
        lambda r: " ".join(p for p in (r.record_type or "", _number(r.record_id)) if p),
    ),
    Column("Details", lambda r: r.what_changed, tooltip=lambda r: r.what_changed, stretch=True),
    Column("Entry", lambda r: str(r.entry_id), sort_key=lambda r: r.entry_id, shrink=False),
]


def _number(record_id: int | None) -> str:
    return f"#{record_id}" if record_id is not None else ""


class AuditPage(Page):
    """The audit trail, newest first, filtered."""

    title = "Audit trail"
    icon_name = "audit"

    def __init__(
        self,
        services: Services,
        parent: QWidget | None = None,
        *,
        current_user: CurrentUser | None = None,
    ) -> None:
        super().__init__(parent=parent)
        self.clock = services.clock
        self.current_user = current_user or CurrentUser(self)
        self.trail = services.audit_trail

        self.user_box = QLineEdit()
        self.user_box.setPlaceholderText("username, e.g. k.lewis")
        self.user_box.setClearButtonEnabled(True)
        self.record_box = QComboBox()
        self.record_box.setAccessibleName("Kind of record")
        self.record_id_box = QLineEdit()
        self.record_id_box.setPlaceholderText("number")
        self.record_id_box.setValidator(QIntValidator(1, 2_000_000_000, self))
        self.record_id_box.setMaximumWidth(110)
        today = to_school_time(self.clock.now()).date()
        self.from_box = _date_edit(today - timedelta(days=30))
        self.to_box = _date_edit(today)
        self._to_set_by_page = self.to_box.date()  # until someone picks a date: "today"
        self.show_button = QPushButton("&Show")
        self.show_button.setDefault(True)
        self.show_button.clicked.connect(self.refresh)
        for box in (self.user_box, self.record_id_box):
            box.returnPressed.connect(self.refresh)

        filters = QGridLayout()
        filters.setHorizontalSpacing(8)
        filters.setVerticalSpacing(6)
        for column, (text, field) in enumerate(
            (
                ("&User:", self.user_box),
                ("&Record:", self.record_box),
                ("N&umber:", self.record_id_box),
                ("&From:", self.from_box),
                ("&To:", self.to_box),
            )
        ):
            label = QLabel(text)
            label.setBuddy(field)
            filters.addWidget(label, 0, column * 2)
            filters.addWidget(field, 0, column * 2 + 1)
        filters.addWidget(self.show_button, 0, 10)
        filters.setColumnStretch(1, 1)
        self.layout_.addLayout(filters)

        self.model: RowTableModel[AuditRow] = RowTableModel(
            COLUMNS, key=lambda r: r.entry_id, parent=self
        )
        self.table = make_table(self.title, "auditTable")
        self.table.setModel(self.model)
        self.fitter = ColumnFitter(
            self.table, stretch=self.model.stretch_column(), keep=self.model.fixed_columns()
        )
        self.layout_.addWidget(self.table, 1)
        self._fitted = False
        self.current_user.changed.connect(self._user_changed)
        self._fill_record_kinds()

    def wanted(self) -> AuditFilter:
        """The filter the boxes describe (school dates, both days included, as UTC)."""
        if self.to_box.date() == self._to_set_by_page:  # a page left open overnight
            today = to_school_time(self.clock.now()).date()
            self._to_set_by_page = QDate(today.year, today.month, today.day)
            self.to_box.setDate(self._to_set_by_page)
        record_type = self.record_box.currentText()
        number = self.record_id_box.text().strip()
        start = school_time_to_utc(datetime.combine(_day(self.from_box), time()))
        end = school_time_to_utc(datetime.combine(_day(self.to_box) + timedelta(days=1), time()))
        return AuditFilter(
            username=self.user_box.text().strip() or None,
            record_type=None if record_type == ANY else record_type,
            record_id=int(number) if number else None,
            start=start,
            end=end,
        )

    def refresh(self) -> None:
        """Ask the service again (each look is recorded in the trail)."""
        user = self.current_user.user
        if user is None or not may_read_audit(user.role):
            self.model.set_rows([])
            self._say(
                "The audit trail is for the DSL and the administrator. Sign in as one of them "
                "to read it."
            )
            return
        try:
            rows = self.trail.entries(user, self.wanted())
        except HvdeskError as exc:
            self.model.set_rows([])
            self._say(str(exc))
            return
        self.clear_problem()
        self.model.set_rows(rows)
        if rows and not self._fitted:
            self.fitter.fit()
            self._fitted = True
        shown = len(rows)
        capped = " (the newest; narrow the filter to see older ones)" if shown >= MAX_ROWS else ""
        self.summary_label.setText(
            f"{shown} entr{'y' if shown == 1 else 'ies'}{capped}, newest first. Every look at "
            "the trail is itself recorded."
        )

    def _say(self, message: str) -> None:
        self.summary_label.setText("")
        self.problem_label.setText(message)
        self.problem_label.show()

    def _user_changed(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self.model.set_rows([])

    def _fill_record_kinds(self) -> None:
        self.record_box.clear()
        self.record_box.addItem(ANY)
        try:
            kinds = self.trail.record_types()
        except HvdeskError:
            kinds = []
        self.record_box.addItems(kinds)


def _date_edit(day: date) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd MMM yyyy")
    edit.setDate(QDate(day.year, day.month, day.day))
    edit.setAlignment(Qt.AlignmentFlag.AlignLeft)
    return edit


def _day(edit: QDateEdit) -> date:
    chosen = edit.date()
    return date(chosen.year(), chosen.month(), chosen.day())
