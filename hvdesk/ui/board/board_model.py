"""The board's table model: one row per visit, a live countdown, and the ladder stage in words.

Cheap ticks. Once a second the page calls `tick(now, first, last)`: the countdown is worked out
afresh from `deadline - now` at paint time (a late or dropped tick costs nothing but a late
repaint), and one `dataChanged` over the countdown column of the visible rows announces it. No
reset, no other column, unless a row's stage has changed.

Stages flip on the second. Each row keeps the engine's inputs from the last poll (the entry's
`plan` and `timeline`); when the clock passes a row's `next_change_at`, the row is evaluated again
by the pure engine (`evaluate`) at now, and only that row is announced (all its columns: the
stage, its colour and icon). The service's snapshot at the next poll always wins.

Polls without resets. `set_rows` compares keys (visit ids): rows that went are removed, new
ones inserted, a new order is a layout change (persistent indexes, hence selection and scroll
position, follow their visits), and changed rows are announced. A reset never happens after the
first fill, so the office never loses the row it was acting on.

Privacy. With `private=False` the model gives out no area, address, purpose, pupil or phone,
whatever the rows hold; the page also hides those columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon

from hvdesk.domain.escalation import EscalationStage
from hvdesk.services.board_rows import SHORT_STAGE_WORDS, BoardRow, board_countdown
from hvdesk.services.live_board import LiveBoard, Schedule
from hvdesk.ui.formatting import show_time_near
from hvdesk.ui.icons import icon

AnyIndex = QModelIndex | QPersistentModelIndex

KEY_ROLE = int(Qt.ItemDataRole.UserRole) + 11
"""The row's visit id."""

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

NOT_UPDATING = "stale"
"""What a countdown reads while the board is not updating (the red bar says why)."""
NO_COUNTDOWN = "—"
"""The countdown of a safe-word emergency: no deadline applies, act now."""


class Col(IntEnum):
    """The board's columns, in order."""

    STAFF = 0
    AREA = 1
    PURPOSE = 2
    DEPARTED = 3
    COUNTDOWN = 4
    STAGE = 5
    CLAIMED = 6
    MOBILE = 7


HEADERS: dict[Col, str] = {
    Col.STAFF: "Staff",
    Col.AREA: "Area / address",
    Col.PURPOSE: "Purpose",
    Col.DEPARTED: "Departed",
    Col.COUNTDOWN: "Call due in",
    Col.STAGE: "Stage",
    Col.CLAIMED: "Claimed by",
    Col.MOBILE: "Work mobile",
}
"""One line each, so the header stays one line high and the rows keep the height."""

PAIR_JOIN = " /\n"
"""How the staff cell shows a pair visit: one name a line ("Daniel Osei /", "Ioana Popescu"),
never elided to "Daniel Osei & Ioa…". Their work mobiles stack the same way."""

PRIVATE_COLUMNS: frozenset[Col] = frozenset({Col.AREA, Col.PURPOSE, Col.MOBILE})
"""Hidden, and empty in the model, while nobody is signed in (privacy mode)."""


# --- the model -----------------------------------------------------------------------------


class BoardModel(QAbstractTableModel):
    """The rows of the board, most urgent first (the service's order)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[BoardRow] = []
        self._index_of: dict[int, int] = {}
        self.live = LiveBoard()
        """When each row next changes (Qt-free): the tick asks it which rows moved on."""
        self.private = False
        self.stale = False
        self.now: datetime | None = None
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)
        self._brushes: dict[str, QBrush] = {}
        self._icons: dict[str, QIcon] = {}

    # -- what the page uses ----------------------------------------------------------------

    @property
    def rows(self) -> tuple[BoardRow, ...]:
        return tuple(self._rows)

    def row(self, index: int) -> BoardRow:
        return self._rows[index]

    def row_of(self, visit_id: int) -> int | None:
        return self._index_of.get(visit_id)

    def set_now(self, now: datetime) -> None:
        self.now = now

    def set_private(self, private: bool) -> None:
        """Show (or stop showing) what only a signed-in user may see."""
        if private == self.private:
            return
        self.private = private
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Col) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(Col) - 1))

    def set_stale(self, stale: bool, first: int = 0, last: int | None = None) -> None:
        if stale == self.stale:
            return
        self.stale = stale
        self._announce_column(Col.COUNTDOWN, first, last)

    def set_rows(self, rows: Sequence[BoardRow], schedule: Schedule | None = None) -> None:
        """Take a new snapshot's rows, keeping what views hold (selection, scroll position).
        `schedule`: the rows' schedule, made beforehand (off the UI thread)."""
        new = list(rows)
        if not self._rows:
            if new:
                self.beginInsertRows(QModelIndex(), 0, len(new) - 1)
                self._rows = new
                self._reindex()
                self.endInsertRows()
            self.live.set_rows(self._rows, schedule)
            return
        order = [r.visit_id for r in new]
        if order == [r.visit_id for r in self._rows]:  # the same visits in the same order
            self._replace(new, schedule)
            return
        wanted = {r.visit_id: r for r in new}
        # 1. Rows whose visits left the board.
        for position in range(len(self._rows) - 1, -1, -1):
            if self._rows[position].visit_id not in wanted:
                self.beginRemoveRows(QModelIndex(), position, position)
                del self._rows[position]
                self.endRemoveRows()
        self._reindex()
        # 2. Rows for visits new to the board, at the end for now.
        added = [r for r in new if r.visit_id not in self._index_of]
        if added:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(added) - 1)
            self._rows.extend(added)
            self._reindex()
            self.endInsertRows()
        # 3. The service's order (most urgent first), as a layout change.
        if [r.visit_id for r in self._rows] != order:
            self._reorder(order)
        self._replace(new, schedule if [r.visit_id for r in self._rows] == order else None)

    def _replace(self, new: list[BoardRow], schedule: Schedule | None) -> None:
        """4. The same visits in the same order: take the new rows, announce those whose
        shown situation changed."""
        rows = self._rows
        changed = [
            position
            for position, (current, fresh) in enumerate(zip(rows, new, strict=True))
            if current is not fresh and not current.same_situation(fresh)
        ]
        self._rows = new
        self.live.set_rows(new, schedule)
        self._announce_rows(changed)

    def tick(self, now: datetime, first: int, last: int) -> list[int]:
        """A second passed: move on the rows whose next change has come (the schedule
        knows which), announce the countdown of the visible rows. Returns the positions of
        rows whose stage changed."""
        self.now = now
        changed = self.advance(now)
        self._announce_column(Col.COUNTDOWN, first, last)
        self._announce_rows(changed)
        return changed

    def advance(self, now: datetime) -> list[int]:
        """Move on the rows whose next change has come, without announcing them; their
        positions. (The deadline timer and the tick both ask this.)"""
        self.now = now
        return self.live.advance(now)

    def next_change_at(self) -> datetime | None:
        """The earliest instant a row's stage changes by time alone."""
        return self.live.next_change_at()

    def announce_rows(self, positions: Sequence[int]) -> None:
        """Whole rows changed (their stage moved on)."""
        self._announce_rows(positions)

    def _announce_rows(self, positions: Sequence[int]) -> None:
        for start, end in _runs(positions):
            self.dataChanged.emit(self.index(start, 0), self.index(end, len(Col) - 1))

    # -- internals -------------------------------------------------------------------------

    def _reindex(self) -> None:
        self._index_of = {r.visit_id: i for i, r in enumerate(self._rows)}

    def _reorder(self, order: list[int]) -> None:
        self.layoutAboutToBeChanged.emit()
        old_ids = [r.visit_id for r in self._rows]
        by_id = {r.visit_id: r for r in self._rows}
        self._rows = [by_id[visit_id] for visit_id in order]
        self._reindex()
        moved_from: list[QModelIndex] = []
        moved_to: list[QModelIndex] = []
        for persistent in self.persistentIndexList():
            if not persistent.isValid() or persistent.row() >= len(old_ids):
                continue
            visit_id = old_ids[persistent.row()]
            moved_from.append(persistent)
            moved_to.append(self.index(self._index_of[visit_id], persistent.column()))
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()

    def _announce_column(self, column: Col, first: int, last: int | None) -> None:
        if not self._rows:
            return
        end = len(self._rows) - 1 if last is None else min(last, len(self._rows) - 1)
        start = max(0, first)
        if start > end:
            return
        self.dataChanged.emit(
            self.index(start, column),
            self.index(end, column),
            [Qt.ItemDataRole.DisplayRole],
        )

    def _brush(self, colour: str) -> QBrush:
        brush = self._brushes.get(colour)
        if brush is None:
            brush = self._brushes[colour] = QBrush(QColor(colour))
        return brush

    def _icon(self, name: str) -> QIcon:
        found = self._icons.get(name)
        if found is None:
            found = self._icons[name] = icon(name)
        return found

    # -- cell values -----------------------------------------------------------------------

    def text(self, row: BoardRow, column: Col) -> str:
        entry, state = row.entry, row.state
        if self.private and column in PRIVATE_COLUMNS:
            return ""
        if column is Col.STAFF:
            names = PAIR_JOIN.join(v.name for v in entry.visitors) or "(no staff recorded)"
            if entry.is_drill:
                names = f"DRILL: {names}"
            if entry.needs_retrospective_authorisation:
                names += " (urgent: authorise)"
            return names
        if column is Col.AREA:
            private = entry.private
            if private is not None and not self.private:
                return f"{entry.area}: {private.address}"
            return entry.area
        if column is Col.PURPOSE:
            private = entry.private
            if private is None:
                return ""
            if private.pupil_name:
                return f"{private.pupil_name}: {private.purpose}"
            return private.purpose
        if column is Col.DEPARTED:
            if entry.departed_at is None:
                return "Not yet"
            return show_time_near(entry.departed_at, self.now or entry.departed_at)
        if column is Col.COUNTDOWN:
            if self.stale:
                return NOT_UPDATING
            if state.stage is EscalationStage.EMERGENCY:
                return NO_COUNTDOWN
            if state.deadline is None or self.now is None:
                return ""
            return board_countdown(state.deadline - self.now)
        if column is Col.STAGE:
            text = SHORT_STAGE_WORDS.get(state.stage) or row.look().text
            return f"DRILL: {text}" if entry.is_drill else text
        if column is Col.CLAIMED:
            if entry.claimed_by is None:
                return ""
            if entry.claimed_at is None:
                return entry.claimed_by
            when = show_time_near(entry.claimed_at, self.now or entry.claimed_at)
            return f"{entry.claimed_by} ({when})"
        # Col.MOBILE
        return "\n".join(v.work_mobile for v in entry.visitors if v.work_mobile)

    def all_lines(self) -> list[int]:
        """`lines` of every row, in order."""
        return [max(1, len(r.entry.visitors)) for r in self._rows]

    def lines(self, position: int) -> int:
        """How many lines the row's cells take: one a visitor (a pair visit shows two)."""
        return max(1, len(self._rows[position].entry.visitors))

    def _overdue(self, row: BoardRow) -> bool:
        deadline = row.state.deadline
        return deadline is not None and self.now is not None and deadline <= self.now

    # -- Qt's side of the contract ---------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(Col)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = _COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return _one_line(self.text(row, column))
        if role == KEY_ROLE:
            return row.visit_id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column in (Col.COUNTDOWN, Col.DEPARTED) else LEFT
        if role == Qt.ItemDataRole.BackgroundRole:
            background = row.look().background
            return self._brush(background) if background is not None else None
        if role == Qt.ItemDataRole.ForegroundRole:
            seen = row.look()
            if column is Col.COUNTDOWN and self.stale:
                return self._brush("#5c6670" if seen.background is None else seen.foreground)
            return self._brush(seen.foreground) if seen.background is not None else None
        if role == Qt.ItemDataRole.DecorationRole:
            if column is Col.STAGE:
                return self._icon(row.look().icon_name)
            if column is Col.STAFF and row.entry.is_drill:
                return self._icon("drill")
            return None
        if role == Qt.ItemDataRole.FontRole:
            if column is Col.COUNTDOWN and self.stale:
                return self._italic
            if column is Col.STAGE and (row.state.stage.is_escalated or row.entry.needs_attention):
                return self._bold
            if column is Col.COUNTDOWN and self._overdue(row):
                return self._bold
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is Col.STAGE:
                return row.instruction()
            if column is Col.COUNTDOWN and self.stale:
                return "The board is not updating: see the red bar above."
            if column is Col.COUNTDOWN and row.state.stage is EscalationStage.EMERGENCY:
                return "The safe word was used: no countdown applies, act now."
            if column is Col.STAFF and not self.private:
                return "\n".join(f"{v.name}: {v.job_role}" for v in row.entry.visitors)
            if column in (Col.STAFF, Col.AREA, Col.PURPOSE, Col.CLAIMED, Col.MOBILE):
                return _one_line(self.text(row, column)) or None
            return None
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Col):
            return None
        column = Col(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if column is Col.AREA and self.private:
                return "Area"
            return HEADERS[column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column in (Col.COUNTDOWN, Col.DEPARTED) else LEFT
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


_COLUMNS = tuple(Col)
"""The columns by position (indexing a tuple costs less than calling the enum per cell)."""


def _one_line(text: str) -> str:
    """A cell's text on one line (for screen readers and tooltips): "Dawn Reid and Eve Okafor"."""
    return text.replace(PAIR_JOIN, " and ").replace("\n", ", ")


def _runs(positions: Sequence[int]) -> list[tuple[int, int]]:
    """Consecutive runs of sorted positions, as (first, last) pairs."""
    runs: list[tuple[int, int]] = []
    for position in sorted(positions):
        if runs and position == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], position)
        else:
            runs.append((position, position))
    return runs
