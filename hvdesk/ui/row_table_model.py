"""One table model for every list: read-model rows in, columns described once.

Rows arrive through `set_rows` only (vorta's archive table habit), so the model is tested
without a window. When the same rows come back in the same order (the board polling the
database) only the changed cells are announced, which keeps selection and scroll position;
a different set of rows resets the model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont, QIcon

R = TypeVar("R")

SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 1
ROW_ROLE = int(Qt.ItemDataRole.UserRole) + 2

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTRE = Qt.AlignmentFlag.AlignCenter

AnyIndex = QModelIndex | QPersistentModelIndex
SortKey = str | int | float


@dataclass(frozen=True)
class Column(Generic[R]):
    """How one column reads a row: its header, its text, and optionally sort key, icon,
    tooltip and emphasis. The sort key exists because "03 Feb" sorts before "23 Jan" as text."""

    header: str
    text: Callable[[R], str]
    align: Qt.AlignmentFlag = LEFT
    sort_key: Callable[[R], SortKey] | None = None
    icon: Callable[[R], QIcon | None] | None = None
    tooltip: Callable[[R], str] | None = None
    bold: Callable[[R], bool] | None = None
    searchable: bool = True
    stretch: bool = False  # takes spare width, and gives it up first (long free text)
    shrink: bool = True  # False for times, dates and numbers, which must never be elided


class RowTableModel(QAbstractTableModel, Generic[R]):
    """A read-only table over a list of frozen read-model rows."""

    def __init__(
        self,
        columns: Sequence[Column[R]],
        *,
        key: Callable[[R], object] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        if not columns:
            raise ValueError("a table needs at least one column")
        self._columns = tuple(columns)
        self._key = key
        self._rows: tuple[R, ...] = ()
        self._search: list[str | None] = []
        self._bold_font = QFont()
        self._bold_font.setBold(True)

    # -- what the office code uses ---------------------------------------------------------

    @property
    def columns(self) -> tuple[Column[R], ...]:
        return self._columns

    @property
    def rows(self) -> tuple[R, ...]:
        return self._rows

    def row(self, index: int) -> R:
        return self._rows[index]

    def stretch_column(self) -> int:
        """The column marked to stretch, else the last one."""
        for i, column in enumerate(self._columns):
            if column.stretch:
                return i
        return len(self._columns) - 1

    def fixed_columns(self) -> frozenset[int]:
        """Columns whose values must be read whole (never elided to fit)."""
        return frozenset(i for i, c in enumerate(self._columns) if not c.shrink)

    def column_index(self, header: str) -> int:
        for i, column in enumerate(self._columns):
            if column.header == header:
                return i
        raise KeyError(header)

    def set_rows(self, rows: Sequence[R]) -> None:
        """Replace every row. Same keys in the same order: announce only changed rows;
        otherwise reset (views then drop selection, which is right for a different list)."""
        new = tuple(rows)
        key = self._key
        if key is not None and new and [key(r) for r in new] == [key(r) for r in self._rows]:
            changed = [i for i, (a, b) in enumerate(zip(self._rows, new, strict=True)) if a != b]
            self._rows = new
            self._search = [None] * len(new)
            if changed:
                self.dataChanged.emit(
                    self.index(changed[0], 0),
                    self.index(changed[-1], len(self._columns) - 1),
                )
            return
        self.beginResetModel()
        self._rows = new
        self._search = [None] * len(new)
        self.endResetModel()

    def column_changed(self, column: int, first_row: int = 0, last_row: int | None = None) -> None:
        """Announce that one column's values moved on (a countdown): one signal, one column."""
        if not self._rows:
            return
        last = len(self._rows) - 1 if last_row is None else min(last_row, len(self._rows) - 1)
        first = max(0, first_row)
        if first > last:
            return
        self.dataChanged.emit(
            self.index(first, column),
            self.index(last, column),
            [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole],
        )

    def search_text(self, row: int) -> str:
        """The row's searchable text, case-folded once and kept until the rows change."""
        cached = self._search[row]
        if cached is None:
            item = self._rows[row]
            cached = "\n".join(c.text(item) for c in self._columns if c.searchable).casefold()
            self._search[row] = cached
        return cached

    # -- Qt's side of the contract ---------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.align
        if role == SORT_ROLE:
            return column.sort_key(row) if column.sort_key else column.text(row).casefold()
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DecorationRole and column.icon is not None:
            return column.icon(row)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row)
        if role == Qt.ItemDataRole.FontRole and column.bold is not None and column.bold(row):
            return self._bold_font
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].header
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._columns[section].align
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class RowFilterProxyModel(QSortFilterProxyModel):
    """Search-as-you-type over a `RowTableModel`: every typed word must appear in the row
    (so "smi amy" finds Amy Smith); sorts by each column's sort key."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._terms: list[str] = []
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_search(self, text: str) -> None:
        terms = text.casefold().split()
        if terms == self._terms:
            return
        self.beginFilterChange()
        self._terms = terms
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:  # noqa: N802
        if not self._terms:
            return True
        model = self.sourceModel()
        if not isinstance(model, RowTableModel):
            return True
        haystack = model.search_text(source_row)
        return all(term in haystack for term in self._terms)
