"""How many visits each month, by where they ended up: the numbers a termly safeguarding
report asks for."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from hvdesk.clock import Clock
from hvdesk.db.database import Database
from hvdesk.domain.visits import VisitStatus
from hvdesk.services.directory import MonthlyVisitCounts, visit_counts_by_month
from hvdesk.ui.column_fitter import ColumnFitter
from hvdesk.ui.pages.base import Page, make_table
from hvdesk.ui.row_table_model import RIGHT, Column, RowTableModel

MONTHS = 12


def _two_lines(label: str) -> str:
    """Long status names as two lines in the heading, so ten columns fit a school monitor."""
    words = label.split()
    if len(label) <= 10 or len(words) < 2:
        return label
    best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(label) / 2))
    return " ".join(words[:best]) + "\n" + " ".join(words[best:])


def _status_column(status: VisitStatus) -> Column[MonthlyVisitCounts]:
    count: Callable[[MonthlyVisitCounts], int] = lambda m: m.count(status)  # noqa: E731
    return Column(
        _two_lines(status.label),
        lambda m: str(count(m)),
        align=RIGHT,
        sort_key=count,
        tooltip=lambda m: f"{status.label}: {count(m)} in {m.month:%B %Y}",
        shrink=False,
    )


COLUMNS: list[Column[MonthlyVisitCounts]] = [
    Column(
        "Month",
        lambda m: f"{m.month:%b %Y}",
        sort_key=lambda m: m.month.toordinal(),
        tooltip=lambda m: f"{m.month:%B %Y}",
    ),
    *(_status_column(s) for s in VisitStatus),
    Column(
        "Total",
        lambda m: str(m.total),
        align=RIGHT,
        sort_key=lambda m: m.total,
        bold=lambda m: True,
        shrink=False,
    ),
]


class ReportsPage(Page):
    """Visit counts per month for the last twelve months, by status."""

    title = "Reports: visits per month"
    icon_name = "reports"

    def __init__(self, database: Database, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.clock = clock
        self.model: RowTableModel[MonthlyVisitCounts] = RowTableModel(
            COLUMNS, key=lambda m: m.month, parent=self
        )
        self.table = make_table("Visits per month by status")
        self.table.setModel(self.model)
        self.fitter = ColumnFitter(self.table, stretch=0, keep=self.model.fixed_columns())
        self.layout_.addWidget(self.table, 1)

    def query(self, session: Session) -> list[MonthlyVisitCounts]:
        return visit_counts_by_month(session, self.clock, MONTHS)

    def refresh(self) -> None:
        months = self.load(self.query)
        if months is None:
            return
        self.model.set_rows(months)
        self.fitter.fit()
        total = sum(m.total for m in months)
        first, last = months[0].month, months[-1].month
        self.summary_label.setText(
            f"{total} {'visit' if total == 1 else 'visits'} planned to start between "
            f"{first:%B %Y} and {last:%B %Y}, counted by where each visit stands now."
        )
