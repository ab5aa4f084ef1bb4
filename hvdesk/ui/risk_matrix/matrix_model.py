"""The hazard table of one assessment as an editable Qt model, and the view that edits it.

The model holds the rows as the domain's frozen `HazardRow`s and replaces a row on each edit,
so what the dialog saves is exactly what the table shows. Scores and bands are worked out by the
domain (`HazardRow.score`, `BandThresholds.band`), never here.

What may be edited: who is at risk, the four scores and the controls of every row; the hazard
itself only on a free row (the others name a standard hazard, a known risk or an incident as
recorded). Only free rows may be removed.

Keyboard: on a score cell, typing 1 to 5 sets it at once; F2, Enter or a double click opens a
spin box (scores) or a line editor (text).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from hvdesk.domain.risk import SCALE, BandThresholds
from hvdesk.domain.risk_matrix import HazardRow, RowSource, row_problems
from hvdesk.ui.risk_matrix.bands import BAND_FILL, BAND_INK, SOURCE_LABELS, SOURCE_TOOLTIPS

AnyIndex = QModelIndex | QPersistentModelIndex

NUMBER, HAZARD, SOURCE, WHO, SEVERITY, LIKELIHOOD, RISK = range(7)
CONTROLS, RESIDUAL_SEVERITY, RESIDUAL_LIKELIHOOD, RESIDUAL_RISK = range(7, 11)

HEADERS = (
    "No.",
    "Hazard",
    "Source",
    "Who is at risk",
    "Severity",
    "Likelihood",
    "Risk",
    "Controls",
    "Severity\nafter",
    "Likelihood\nafter",
    "Risk\nafter",
)
HEADER_TIPS = {
    SEVERITY: "How bad the harm would be, 1 (minor) to 5 (fatal or major injury)",
    LIKELIHOOD: "How likely the harm is, 1 (remote) to 5 (almost certain)",
    RISK: "Severity × likelihood before controls, and its band",
    CONTROLS: "What the visitors will do to bring the risk down",
    RESIDUAL_SEVERITY: "Severity once the controls are in place",
    RESIDUAL_LIKELIHOOD: "Likelihood once the controls are in place",
    RESIDUAL_RISK: "Severity × likelihood after controls, and its band: this drives what the "
    "visit requires",
}
SCORE_COLUMNS = (SEVERITY, LIKELIHOOD, RESIDUAL_SEVERITY, RESIDUAL_LIKELIHOOD)
_FIELDS = {
    HAZARD: "hazard",
    WHO: "who_at_risk",
    SEVERITY: "severity",
    LIKELIHOOD: "likelihood",
    CONTROLS: "controls",
    RESIDUAL_SEVERITY: "residual_severity",
    RESIDUAL_LIKELIHOOD: "residual_likelihood",
}
TEXT_LIMIT = 200  # hazards.hazard and hazards.who_at_risk are 200 characters
CHANGED_TINT = QColor("#fff4cc")
PROBLEM_TINT = QColor("#fdecea")
PLACEHOLDER_INK = QColor("#5c6670")

CENTRE = Qt.AlignmentFlag.AlignCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def new_free_row() -> HazardRow:
    """A row added by hand: the assessor names the hazard; scores start in the middle."""
    return HazardRow("", "Visiting staff", 3, 3, None, 3, 3, RowSource.FREE)


class MatrixModel(QAbstractTableModel):
    """The rows of one assessment, editable while the visit is."""

    rows_edited = Signal()

    def __init__(self, bands: BandThresholds, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bands = bands
        self._rows: list[HazardRow] = []
        self._changed: frozenset[int] = frozenset()
        self._problems: frozenset[int] = frozenset()
        self._editable = True
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)

    # -- what the dialog uses -------------------------------------------------------------------

    @property
    def rows(self) -> list[HazardRow]:
        return list(self._rows)

    @property
    def bands(self) -> BandThresholds:
        return self._bands

    @property
    def editable(self) -> bool:
        return self._editable

    def set_rows(self, rows: Sequence[HazardRow], changed: Iterable[int] = ()) -> None:
        """Load rows; `changed` are the row numbers (from 1) new since the last assessment."""
        self.beginResetModel()
        self._rows = list(rows)
        self._changed = frozenset(changed)
        self._problems = frozenset()
        self.endResetModel()

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self._announce_all()

    def is_changed(self, row: int) -> bool:
        """Whether the row (from 0) is new at the household since its last assessment."""
        return row + 1 in self._changed

    def has_problem(self, row: int) -> bool:
        return row + 1 in self._problems

    def mark_problems(self) -> list[str]:
        """Check every row (`row_problems`), tint the rows that have one, and return the list."""
        self._problems = frozenset(
            number for number, row in enumerate(self._rows, 1) if row_problems([row])
        )
        self._announce_all()
        return row_problems(self._rows)

    def clear_problems(self) -> None:
        if self._problems:
            self._problems = frozenset()
            self._announce_all()

    def is_removable(self, row: int) -> bool:
        return self._editable and 0 <= row < len(self._rows) and self._is_free(row)

    def add_free_row(self) -> int:
        """Append a free row; returns its index (from 0)."""
        position = len(self._rows)
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.append(new_free_row())
        self.endInsertRows()
        self.rows_edited.emit()
        return position

    def remove_row(self, row: int) -> bool:
        """Remove a free row; the others are part of the assessment and stay."""
        if not self.is_removable(row):
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self._changed = frozenset(n - 1 if n > row + 1 else n for n in self._changed)
        self._problems = frozenset(
            n - 1 if n > row + 1 else n for n in self._problems if n != row + 1
        )
        self.endRemoveRows()
        self._announce_all()
        self.rows_edited.emit()
        return True

    # -- Qt's side of the contract --------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(section)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._may_edit(index.row(), index.column()):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(index.row(), row, column)
        if role == Qt.ItemDataRole.EditRole:
            field = _FIELDS.get(column)
            value = getattr(row, field) if field else None
            return "" if value is None and column == CONTROLS else value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return CENTRE if column in (*SCORE_COLUMNS, RISK, RESIDUAL_RISK, NUMBER) else LEFT
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(index.row(), row, column)
        if role == Qt.ItemDataRole.ForegroundRole and column in (RISK, RESIDUAL_RISK):
            score = row.score if column == RISK else row.residual_score
            return QBrush(BAND_INK[self._bands.band(score)])
        if role == Qt.ItemDataRole.FontRole and column in (RISK, RESIDUAL_RISK):
            return self._bold
        unnamed = column == HAZARD and not row.hazard.strip()
        if role == Qt.ItemDataRole.ForegroundRole and unnamed:
            return QBrush(PLACEHOLDER_INK)
        if role == Qt.ItemDataRole.FontRole and unnamed:
            return self._italic
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(index.row(), row, column)
        return None

    def setData(  # noqa: N802
        self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row, column = index.row(), index.column()
        if not self._may_edit(row, column):
            return False
        field = _FIELDS[column]
        if column in SCORE_COLUMNS:
            score = _as_score(value)
            if score is None:
                return False
            new_value: object = score
        else:
            text = str(value or "").strip()
            if column != CONTROLS:
                text = text[:TEXT_LIMIT]
            new_value = (text or None) if column == CONTROLS else text
        current = self._rows[row]
        if getattr(current, field) == new_value:
            return True
        changes: dict[str, Any] = {field: new_value}
        self._rows[row] = replace(current, **changes)
        if self._problems:
            self.mark_problems()  # keep the marks true while the assessor puts things right
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))
        self.rows_edited.emit()
        return True

    # -- helpers --------------------------------------------------------------------------------

    def _is_free(self, row: int) -> bool:
        return self._rows[row].source == RowSource.FREE

    def _may_edit(self, row: int, column: int) -> bool:
        if not self._editable or column not in _FIELDS:
            return False
        return column != HAZARD or self._is_free(row)

    def _text(self, index: int, row: HazardRow, column: int) -> str:
        if column == NUMBER:
            return str(index + 1)
        if column == SOURCE:
            label = SOURCE_LABELS.get(row.source, row.source)
            return f"{label} (new)" if self.is_changed(index) else label
        if column in (RISK, RESIDUAL_RISK):
            score = row.score if column == RISK else row.residual_score
            return f"{score}\n{self._bands.band(score).label}"
        if column == HAZARD and not row.hazard.strip():
            return "(name the hazard)" if self._editable else ""
        value = getattr(row, _FIELDS[column])
        return "" if value is None else str(value)

    def _background(self, index: int, row: HazardRow, column: int) -> QBrush | None:
        if column in (RISK, RESIDUAL_RISK):
            score = row.score if column == RISK else row.residual_score
            return QBrush(BAND_FILL[self._bands.band(score)])
        if self.has_problem(index) and column in (NUMBER, HAZARD, SOURCE):
            return QBrush(PROBLEM_TINT)
        if self.is_changed(index):
            return QBrush(CHANGED_TINT)
        return None

    def _tooltip(self, index: int, row: HazardRow, column: int) -> str | None:
        if self.has_problem(index):
            return "\n".join(row_problems([row])).replace("Row 1", f"Row {index + 1}")
        if column == SOURCE:
            tip = SOURCE_TOOLTIPS.get(row.source, "")
            return f"{tip}; new since the last assessment" if self.is_changed(index) else tip
        if column in (HAZARD, CONTROLS, WHO):
            return self._text(index, row, column) or None
        if column in SCORE_COLUMNS and self._editable:
            return "Type 1 to 5"
        return None

    def _announce_all(self) -> None:
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(HEADERS) - 1)
            )


def _as_score(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        score = int(str(value).strip())
    except ValueError:
        return None
    return score if score in SCALE else None


class MatrixDelegate(QStyledItemDelegate):
    """A 1–5 spin box for the scores; a line editor kept to the database's length for text."""

    def createEditor(  # noqa: N802
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        if index.column() in SCORE_COLUMNS:
            box = QSpinBox(parent)
            box.setRange(SCALE.start, SCALE.stop - 1)
            box.setAccessibleName(HEADERS[index.column()].replace("\n", " "))
            return box
        editor = QLineEdit(parent)
        editor.setAccessibleName(HEADERS[index.column()].replace("\n", " "))
        if index.column() != CONTROLS:
            editor.setMaxLength(TEXT_LIMIT)
        return editor

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:  # noqa: N802
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QSpinBox):
            editor.setValue(int(value))
            editor.selectAll()
        elif isinstance(editor, QLineEdit):
            editor.setText(str(value or ""))

    def setModelData(  # noqa: N802
        self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex
    ) -> None:
        if isinstance(editor, QSpinBox):
            editor.interpretText()
            model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class MatrixView(QTableView):
    """The hazard table: a digit typed on a score cell sets that score straight away."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("riskMatrixTable")
        self.setAccessibleName("Hazards, scored before and after controls")
        self.setItemDelegate(MatrixDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setWordWrap(True)
        self.setAlternatingRowColors(False)
        self.setTabKeyNavigation(False)  # Tab leaves the table, as in every other form
        self.verticalHeader().hide()
        # Eleven columns on an office monitor: headings padded less than elsewhere.
        self.setStyleSheet("QHeaderView::section { padding: 5px 4px; }")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        index = self.currentIndex()
        text = event.text()
        if (
            index.isValid()
            and index.column() in SCORE_COLUMNS
            and len(text) == 1
            and text.isdigit()
            and self.state() != QAbstractItemView.State.EditingState
        ):
            if index.flags() & Qt.ItemFlag.ItemIsEditable:
                self.model().setData(index, text, Qt.ItemDataRole.EditRole)
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            self.state() != QAbstractItemView.State.EditingState
        ):
            # Enter edits the cell; it never reaches the dialog's Save button from the table.
            if index.isValid() and index.flags() & Qt.ItemFlag.ItemIsEditable:
                self.edit(index)
            event.accept()
            return
        super().keyPressEvent(event)
