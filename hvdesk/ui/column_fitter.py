"""Columns sized to their contents, squeezed to the window's width rather than spilling past
it: on a 1280-pixel office monitor a horizontal scroll bar hides the status column."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QHeaderView, QTableView

MIN_STRETCH = 160
MIN_COLUMN = 56


def distribute(
    natural: list[int], available: int, stretch: int, keep: frozenset[int] = frozenset()
) -> list[int]:
    """Widths that fill `available`. The stretch column (long free text) takes any spare room
    and is the first to give room up, down to MIN_STRETCH; then the widest of the other
    columns are trimmed to a common cap, so short values (names, areas) stay whole and only
    the longest are elided. Columns in `keep` (times, dates, numbers) are never trimmed.
    Pure, so it is tested without a window."""
    widths = list(natural)
    excess = sum(widths) - available
    if excess > 0:
        give = max(0, min(excess, widths[stretch] - MIN_STRETCH))
        widths[stretch] -= give
        excess -= give
    if excess > 0:
        flexible = [i for i in range(len(widths)) if i != stretch and i not in keep]
        if flexible:
            budget = sum(widths[i] for i in flexible) - excess
            cap = _cap([widths[i] for i in flexible], budget)
            for i in flexible:
                widths[i] = min(widths[i], cap)
    spare = available - sum(widths)
    if spare > 0:
        widths[stretch] += spare
    return widths


def _cap(values: list[int], budget: int) -> int:
    """The highest cap L (not below MIN_COLUMN) with sum(min(v, L)) <= budget."""
    remaining = budget
    ordered = sorted(values)
    for taken, value in enumerate(ordered):
        level = remaining // (len(ordered) - taken)
        if level < value:
            return max(MIN_COLUMN, level)
        remaining -= value
    return ordered[-1]


class ColumnFitter(QObject):
    """Keeps a table's columns fitted to its viewport as rows load and the window resizes."""

    def __init__(
        self,
        view: QTableView,
        *,
        stretch: int = -1,
        keep: frozenset[int] = frozenset(),
        widest: int = 360,
        wrap: bool = False,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.stretch = stretch
        self.keep = keep
        self.wrap = wrap  # word-wrapped cells: rows grow to their text after each layout
        self.widest = widest
        self.natural: list[int] = []
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.viewport().installEventFilter(self)

    def fit(self) -> None:
        """Measure the contents (after new rows) and lay the columns out again."""
        model = self.view.model()
        if model is None or model.columnCount() == 0:
            return
        self.view.resizeColumnsToContents()
        header = self.view.horizontalHeader()
        self.natural = [min(header.sectionSize(i), self.widest) for i in range(header.count())]
        self.apply()

    def apply(self) -> None:
        header = self.view.horizontalHeader()
        if not self.natural or len(self.natural) != header.count():
            return
        available = self.view.viewport().width()
        if available <= 0:
            return
        stretch = self.stretch % len(self.natural)
        widths = distribute(self.natural, available, stretch, self.keep)
        for section, width in enumerate(widths):
            header.resizeSection(section, width)
        if self.wrap:
            self.view.resizeRowsToContents()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            if self.natural:
                self.apply()
            else:
                self.fit()  # never fitted (an empty list): headers still need their width
        return False
