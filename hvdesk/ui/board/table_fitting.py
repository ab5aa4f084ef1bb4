"""The board table's sizes: a pair visit's row two lines high, columns sized to their contents
within the width, and which rows are on screen (the only ones a tick announces)."""

from __future__ import annotations

from PySide6.QtWidgets import QTableView

from hvdesk.ui.board.board_model import BoardModel, Col

FULL_RANGE_ROWS = 200
"""Above this many rows a dataChanged range makes Qt repaint the whole viewport: emit over the
visible rows only (ENGINEERING-NOTES, board refresh)."""
WIDEST_COLUMN = 340
SHRINK_ORDER: tuple[tuple[Col, int], ...] = (
    (Col.PURPOSE, 160),
    (Col.AREA, 150),
    (Col.CLAIMED, 140),
    (Col.PURPOSE, 100),
    (Col.AREA, 120),
    (Col.CLAIMED, 0),
    (Col.PURPOSE, 70),
    (Col.AREA, 100),
    (Col.STAGE, 240),
    (Col.MOBILE, 0),
    (Col.STAFF, 150),
)
"""Who gives width up first when the columns do not fit, and down to what (never below the
column's one-line heading): the purpose (elided, whole in its tooltip), then the area, then
who claimed it; the stage words and the staff names last. Times are never squeezed."""


class TableFitter:
    """Sizes the board's rows and columns; remembers what it measured."""

    def __init__(self, table: QTableView, model: BoardModel) -> None:
        self.table = table
        self.model = model
        line = table.fontMetrics().lineSpacing()
        table.verticalHeader().setDefaultSectionSize(line + 10)
        self._extra_line = line  # each further line of a row (a pair visit's second name)
        self._natural: dict[Col, int] = {}
        self.fitted_width = 0
        self.fitted_for: bool | None = None
        """Whether the columns were measured signed in (True), out (False), or not yet."""
        self._tall: set[int] = set()
        """The rows (positions) now taller than one line."""

    def fit_rows(self) -> None:
        """A pair visit's row is two lines high (a name and a work mobile a line); the others
        one. Only the rows taller than one line (and those that were) are touched."""
        header = self.table.verticalHeader()
        one = header.defaultSectionSize()
        tall = {p: lines for p, lines in enumerate(self.model.all_lines()) if lines > 1}
        for position in self._tall - tall.keys():
            if position < self.model.rowCount():
                header.resizeSection(position, one)
        for position, lines in tall.items():
            wanted = one + (lines - 1) * self._extra_line
            if header.sectionSize(position) != wanted:
                header.resizeSection(position, wanted)
        self._tall = set(tall)

    def fit_columns(self, signed_in: bool, *, measure: bool = True) -> None:
        """Columns sized to their contents within the width: times, countdowns, stages and
        staff names whole (a pair on two lines); the purpose, then the area, then who
        claimed it give room up first, never below their one-line heading (an elided cell
        shows its whole text as a tooltip). Spare width goes to the purpose (to who claimed
        it in privacy mode). Contents are measured on the first rows and when privacy
        changes; a resize only shares the width out again."""
        table = self.table
        header = table.horizontalHeader()
        visible = [c for c in Col if not table.isColumnHidden(c)]
        if measure or not self._natural:
            self.fitted_for = signed_in
            table.resizeColumnsToContents()
            self._natural = {c: header.sectionSize(c) for c in Col}
        widths = {c: min(self._natural[c], WIDEST_COLUMN) for c in visible}
        if Col.STAGE in widths:
            widths[Col.STAGE] = self._natural[Col.STAGE]
        available = table.viewport().width()
        if available <= 0:
            return
        self.fitted_width = available
        excess = sum(widths.values()) - available
        for column, floor in SHRINK_ORDER:
            if excess <= 0:
                break
            floor = max(floor, header.sectionSizeHint(column))
            if column in widths and widths[column] > floor:
                give = min(excess, widths[column] - floor)
                widths[column] -= give
                excess -= give
        if excess < 0:
            spare = Col.PURPOSE if Col.PURPOSE in widths else Col.CLAIMED
            widths[spare if spare in widths else Col.STAFF] -= excess
        for column, width in widths.items():
            header.resizeSection(column, width)

    def visible_rows(self) -> tuple[int, int | None]:
        """The rows a tick announces: all of a short board, the ones on screen of a long one."""
        count = self.model.rowCount()
        if count == 0:
            return 0, None
        if count <= FULL_RANGE_ROWS:
            return 0, count - 1
        top = self.table.rowAt(0)
        bottom = self.table.rowAt(self.table.viewport().height() - 1)
        return (0 if top < 0 else top), (count - 1 if bottom < 0 else bottom)
