"""How the board's height is shared between the prompts and the table: the prompts get what
they need, the table the rest, but never fewer than `MIN_TABLE_ROWS` rows."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QSplitter, QTableView, QWidget

from hvdesk.ui.board.alert_panel import AlertPanel

MIN_TABLE_ROWS = 6
"""However many prompts there are, the table keeps at least this many rows on screen at first
(the office can drag the divider)."""
FEW_PROMPTS_ROWS = 12
"""With few prompts the table keeps more: this many rows less one per prompt (never fewer
than `MIN_TABLE_ROWS`), so one prompt leaves the table 11 rows and six or more leave it 6."""


class HeightSharer:
    """Sets the divider between the alert panel and the table (until the office drags it)."""

    def __init__(
        self,
        splitter: QSplitter,
        panel: AlertPanel,
        table: QTableView,
        empty_label: QLabel,
        below_table: QWidget,
    ) -> None:
        self.splitter = splitter
        self.panel = panel
        self.table = table
        self.empty_label = empty_label
        self.below_table = below_table
        self.set_by_hand = False
        self._sharing = False
        splitter.splitterMoved.connect(self._dragged)

    def _dragged(self, *_: int) -> None:
        self.set_by_hand = True

    def share(self, prompts: int) -> None:
        """Few prompts leave the table most of the board, many take all but
        `MIN_TABLE_ROWS` rows (and the panel says how many more are out of view)."""
        if self._sharing or not prompts:
            return
        splitter = self.splitter
        total = splitter.height() - splitter.handle(1).sizeHint().height()
        if total <= 0:
            return
        self._sharing = True
        try:
            keep = max(MIN_TABLE_ROWS, FEW_PROMPTS_ROWS - prompts)
            panel, width = self.panel, splitter.width()
            most = total - self.table_needs(MIN_TABLE_ROWS)
            room = max(total - self.table_needs(keep), min(panel.first_card_height(width), most))
            panel.fit_full_cards(room, width)
            cards = panel.snapped_height(min(panel.wanted_height(width), room), width)
            cards = max(panel.least_height(width), cards)
            splitter.setSizes([cards, max(0, total - cards)])
        finally:
            self._sharing = False

    def table_needs(self, keep: int) -> int:
        """The height of the table's part showing its first `keep` rows whole."""
        table = self.table
        count = table.model().rowCount()
        if count == 0:
            rows = self.empty_label.sizeHint().height()
        else:
            rows = (
                sum(table.rowHeight(r) for r in range(min(count, keep)))
                + table.horizontalHeader().sizeHint().height()
                + 2 * table.frameWidth()
            )
        bar = self.below_table
        width = self.splitter.width()
        below = bar.heightForWidth(width) if bar.hasHeightForWidth() else bar.sizeHint().height()
        return rows + 6 + below
