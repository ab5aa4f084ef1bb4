"""What every page shares: a heading, a one-line summary, a table, and loading that says so
when the database could not be read instead of silently showing old rows.

A list page also says which row is selected (`selected_row`, `selected_row_changed`) and opens
the menu a subclass offers for it on a right click or the Menu key (`context_menu`), so an action
bar under the table and its context menu always act on the same row."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import sqlalchemy.exc
from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from hvdesk.db.database import Database
from hvdesk.db.errors import known_error
from hvdesk.errors import HvdeskError
from hvdesk.ui.column_fitter import ColumnFitter
from hvdesk.ui.row_table_model import Column, RowFilterProxyModel, RowTableModel

log = logging.getLogger(__name__)

R = TypeVar("R")


class Page(QWidget):
    """A page of the main window: a heading and whatever the subclass adds below it."""

    title = ""
    icon_name = ""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.setObjectName(f"{type(self).__name__}")
        self.title_label = QLabel(self.title)
        self.title_label.setObjectName("pageTitle")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("pageSummary")
        self.summary_label.setWordWrap(True)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("inlineError")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(24, 18, 24, 12)
        self.layout_.setSpacing(10)
        self.layout_.addWidget(self.title_label)
        self.layout_.addWidget(self.summary_label)
        self.layout_.addWidget(self.problem_label)

    def refresh(self) -> None:
        """Read the page's data again (called when the page is shown)."""

    def focus_search(self) -> None:
        """Put the cursor in the page's search box, if it has one."""

    def load(self, query: Callable[[Session], R]) -> R | None:
        """Run one read; a database problem the office can act on is shown on the page (and
        the old rows stay, marked as not refreshed) rather than raised as a crash."""
        try:
            with self.database.session() as session:
                result = query(session)
        except (HvdeskError, sqlalchemy.exc.DBAPIError, OSError) as exc:
            if not self.show_out_of_date(exc, type(self).__name__):
                raise
            return None
        self.problem_label.hide()
        return result

    def show_out_of_date(self, exc: Exception, what: str) -> bool:
        """Say on the page that `what` could not be read again, so the old rows may be out of
        date, and what to do; False (nothing shown) when `exc` is not a database problem the
        office can act on: a bug, which the caller re-raises."""
        known = known_error(exc, self.database.place)
        if known is None:
            return False
        log.warning("Could not refresh %s: %s", what, type(known).__name__)
        self.problem_label.setText(
            f"Could not read the latest data, so what is shown may be out of date. {known}"
        )
        self.problem_label.show()
        return True


def make_table(accessible_name: str, object_name: str = "") -> QTableView:
    """A read-only, keyboard-friendly table: Tab leaves it, arrows move within it."""
    view = QTableView()
    if object_name:
        view.setObjectName(object_name)
    view.ensurePolished()  # the style sheet's font decides the row height below
    view.setAccessibleName(accessible_name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setTabKeyNavigation(False)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setShowGrid(False)
    view.verticalHeader().hide()
    line = view.fontMetrics().height()
    view.verticalHeader().setDefaultSectionSize(max(32, line + 14))
    header = view.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setHighlightSections(False)
    return view


class ListPage(Page, Generic[R]):
    """A searchable list: type to filter at once, click a heading to sort."""

    selected_row_changed = Signal()
    """A different row is selected, or none is, or the selected row's values changed."""

    noun = ("row", "rows")
    search_hint = "Type to search"
    empty_text = "Nothing is recorded yet."

    def __init__(
        self,
        database: Database,
        columns: Sequence[Column[R]],
        *,
        key: Callable[[R], object] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(database, parent)
        self.model: RowTableModel[R] = RowTableModel(columns, key=key, parent=self)
        self.proxy = RowFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)

        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(self.search_hint)
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName(f"Search {self.noun[1]}")
        self.search_box.textChanged.connect(self._search_changed)
        search_label = QLabel("&Search:")
        search_label.setBuddy(self.search_box)
        self.search_row = QHBoxLayout()
        self.search_row.setSpacing(8)
        self.search_row.addWidget(search_label)
        self.search_row.addWidget(self.search_box, 1)
        self.layout_.addLayout(self.search_row)

        self.table = make_table(self.title)
        self.table.setModel(self.proxy)
        self.fitter = ColumnFitter(
            self.table, stretch=self.model.stretch_column(), keep=self.model.fixed_columns()
        )
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep the service's order
        self.layout_.addWidget(self.table, 1)
        self._fitted = False

        self._last_selected: R | None = None
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(self._selection_may_have_changed)
        # A reset clears the selection without saying so; filtering or sorting may move it.
        for signal in (
            self.proxy.modelReset,
            self.proxy.layoutChanged,
            self.proxy.rowsRemoved,
            self.proxy.dataChanged,
        ):
            signal.connect(self._selection_may_have_changed)

    def query(self, session: Session) -> list[R]:
        """The page's rows; subclasses call their directory function."""
        raise NotImplementedError

    def refresh(self) -> None:
        rows = self.load(self.query)
        if rows is None:
            return
        self.model.set_rows(rows)
        if not self._fitted and rows:
            self.fitter.fit()
            self._fitted = True
        self._update_summary()

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    # -- the selected row and its menu ---------------------------------------------------------

    def selected_row(self) -> R | None:
        """The row selected in the table (as it reads now), or None."""
        selected = self.table.selectionModel().selectedRows()
        if not selected:
            return None
        source = self.proxy.mapToSource(selected[0])
        if not source.isValid() or source.row() >= self.model.rowCount():
            return None
        return self.model.row(source.row())

    def select_row(self, matches: Callable[[R], bool]) -> bool:
        """Select (and scroll to) the first shown row that `matches`; False if none does."""
        for position in range(self.proxy.rowCount()):
            index = self.proxy.index(position, 0)
            source = self.proxy.mapToSource(index)
            if matches(self.model.row(source.row())):
                self.table.selectRow(position)
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index)
                return True
        return False

    def context_menu(self, position: QPoint) -> QMenu | None:
        """The menu for the row at `position` in the table's viewport (already selected), or
        None for no menu. Subclasses that offer actions on a row override this."""
        return None

    def _context_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        if index.isValid() and not self.table.selectionModel().isRowSelected(index.row()):
            self.table.selectRow(index.row())
        menu = self.context_menu(position)
        if menu is None:
            return
        if menu.isEmpty():
            menu.deleteLater()
            return
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.table.viewport().mapToGlobal(position))

    def _selection_may_have_changed(self, *_: object) -> None:
        row = self.selected_row()
        if row != self._last_selected:
            self._last_selected = row
            self.selected_row_changed.emit()

    def _search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_summary()

    def _update_summary(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        singular, plural = self.noun
        if total == 0:
            self.summary_label.setText(self.empty_text)
        elif shown == total:
            self.summary_label.setText(f"{total} {singular if total == 1 else plural}")
        else:
            self.summary_label.setText(
                f"Showing {shown} of {total} {plural} matching “{self.search_box.text().strip()}”"
            )
