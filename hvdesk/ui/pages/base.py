"""What every page shares: a heading, a one-line summary, a table, and reading that says so
when the data could not be read (with a way to try again) instead of silently showing old rows.

A page asks its services and gets frozen read-models back; it never sees a database session.
A service raises a typed `HvdeskError` for anything the office can act on (a locked or full
database, a refusal); the page shows its message and leaves the old rows, marked as not
refreshed. Any other exception is a bug and goes on up to the bug dialog.

A list page also says which row is selected (`selected_row`, `selected_row_changed`) and opens
the menu a subclass offers for it on a right click or the Menu key (`context_menu`), so an action
bar under the table and its context menu always act on the same row."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hvdesk.errors import HvdeskError
from hvdesk.ui.column_fitter import ColumnFitter
from hvdesk.ui.row_table_model import Column, RowFilterProxyModel, RowTableModel

log = logging.getLogger(__name__)

R = TypeVar("R")


class Page(QWidget):
    """A page of the main window: a heading and whatever the subclass adds below it. A page
    reads through its services with `read`, never through a database session."""

    title = ""
    icon_name = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
        self.retry_button = QPushButton("&Try again")
        self.retry_button.setAutoDefault(False)
        self.retry_button.setToolTip("Read this page's data again")
        self.retry_button.clicked.connect(self.refresh)
        self.retry_button.hide()
        problem_row = QHBoxLayout()
        problem_row.setSpacing(8)
        problem_row.addWidget(self.problem_label, 1)
        problem_row.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignTop)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(24, 18, 24, 12)
        self.layout_.setSpacing(10)
        self.layout_.addWidget(self.title_label)
        self.layout_.addWidget(self.summary_label)
        self.layout_.addLayout(problem_row)

    def refresh(self) -> None:
        """Read the page's data again (called when the page is shown)."""

    def focus_search(self) -> None:
        """Put the cursor in the page's search box, if it has one."""

    def read(self, call: Callable[[], R], what: str = "") -> R | None:
        """Run one read through a service; a problem the office can act on is shown on the
        page with a way to try again (the old rows stay, marked as not refreshed) rather than
        raised as a crash. None when the read failed."""
        try:
            result = call()
        except HvdeskError as exc:
            self.show_out_of_date(exc, what or type(self).__name__)
            return None
        self.clear_problem()
        return result

    def show_out_of_date(self, exc: BaseException, what: str) -> bool:
        """Say on the page that `what` could not be read again, so the old rows may be out of
        date, what to do, and offer to try again; False (nothing shown) when `exc` is not an
        `HvdeskError`: a bug, which the caller re-raises."""
        if not isinstance(exc, HvdeskError):
            return False
        log.warning("Could not refresh %s: %s", what, type(exc).__name__)
        self.problem_label.setText(
            f"Could not read the latest data, so what is shown may be out of date. {exc}"
        )
        self.problem_label.show()
        self.retry_button.show()
        return True

    def clear_problem(self) -> None:
        """The last read worked: nothing to warn about."""
        self.problem_label.hide()
        self.retry_button.hide()


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
        columns: Sequence[Column[R]],
        *,
        key: Callable[[R], object] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent=parent)
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

    def rows(self) -> list[R]:
        """The page's rows, asked of its service; subclasses say which."""
        raise NotImplementedError

    def refresh(self) -> None:
        rows = self.read(self.rows)
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
