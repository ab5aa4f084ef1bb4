"""Column widths for the hazard table, and rows that wrap but never grow past a few lines
(long controls would otherwise make one row fill the table; the whole text is in the cell's
tooltip and in its editor).

Scores and bands keep their natural width, since they must be read whole; the room left is
shared by the text columns in fixed proportions, the controls taking the most."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QTableView

from hvdesk.ui.column_fitter import ColumnFitter

MAX_LINES = 3
CELL_PADDING = 18  # the style sheet's 8 pixels each side, and the grid line
ROW_PADDING = 14
SMALLEST_TEXT_COLUMN = 90


class CappedRowFitter(ColumnFitter):
    """Shares the spare width among `shares` (column -> weight); rows capped at MAX_LINES."""

    def __init__(self, view: QTableView, shares: Mapping[int, float]) -> None:
        super().__init__(view, stretch=max(shares, key=lambda c: shares[c]))
        self.shares = dict(shares)

    def apply(self) -> None:
        header = self.view.horizontalHeader()
        model = self.view.model()
        if not self.natural or len(self.natural) != header.count() or model is None:
            return
        available = self.view.viewport().width()
        if available <= 0:
            return
        fixed = sum(w for c, w in enumerate(self.natural) if c not in self.shares)
        spare = max(0, available - fixed)
        total = sum(self.shares.values())
        widths = [
            max(SMALLEST_TEXT_COLUMN, int(spare * self.shares[c] / total))
            if c in self.shares
            else w
            for c, w in enumerate(self.natural)
        ]
        over = sum(widths) - available
        if over > 0:  # the smallest widths overflowed: the widest text column gives way
            widths[self.stretch] = max(SMALLEST_TEXT_COLUMN, widths[self.stretch] - over)
        else:
            widths[self.stretch] -= over
        for section, width in enumerate(widths):
            header.resizeSection(section, width)
        metrics = QFontMetrics(self.view.font())
        cap = metrics.lineSpacing() * MAX_LINES + ROW_PADDING
        for row in range(model.rowCount()):
            # Qt's own hint ignores the style sheet's cell padding and so wraps too early.
            needed = max(
                metrics.boundingRect(
                    QRect(0, 0, max(1, widths[column] - CELL_PADDING), 10_000),
                    int(Qt.TextFlag.TextWordWrap),
                    str(model.index(row, column).data() or ""),
                ).height()
                for column in range(len(widths))
            )
            self.view.setRowHeight(row, min(max(needed + ROW_PADDING, 0), cap))
