"""The board between two reads, Qt-free: which rows are on it, in the service's order, and when
the next of them changes stage.

A row's stage moves with time alone (due soon, stage 1 at the agreed time, stage 3 fifteen
minutes later...), and the engine says when (`VisitState.next_change_at`). The schedule keeps
those instants in a heap, so the board knows the earliest next change across all its rows in
O(1) and, when it comes, re-evaluates only the rows that are due: the window arms one
single-shot timer at `next_change_at()` and the alert is raised when it is due, not on the
next one-second tick. The service's next read always wins (`set_rows` replaces the schedule).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Sequence
from datetime import datetime

from hvdesk.services.board_rows import BoardRow

__all__ = ["LiveBoard", "Schedule", "schedule_of"]

Schedule = tuple[dict[int, int], list[tuple[datetime, int, int]]]
"""Each row's position by visit id, and the heap of (next change, tie-breaker, visit id)."""

_TIES = itertools.count()


def schedule_of(rows: Sequence[BoardRow]) -> Schedule:
    """The positions and the heap of next changes of rows in this order (Qt-free, so a
    worker thread can make it)."""
    heap = [
        (when, next(_TIES), row.visit_id)
        for row in rows
        if (when := row.scheduled_at()) is not None
    ]
    heapq.heapify(heap)
    return {row.visit_id: i for i, row in enumerate(rows)}, heap


class LiveBoard:
    """The rows on the board and the heap of their next changes."""

    def __init__(self) -> None:
        self._rows: list[BoardRow] = []
        self._position: dict[int, int] = {}
        self._heap: list[tuple[datetime, int, int]] = []
        """(when, tie-breaker, visit id); an entry is stale when its row's next change moved."""

    @property
    def rows(self) -> Sequence[BoardRow]:
        return self._rows

    def position(self, visit_id: int) -> int | None:
        return self._position.get(visit_id)

    def set_rows(self, rows: Iterable[BoardRow], schedule: Schedule | None = None) -> None:
        """Take a read's rows (most urgent first) and schedule each one's next change
        (`schedule`: the same rows' schedule worked out beforehand, off the UI thread)."""
        self._rows = list(rows)
        if schedule is None:
            schedule = schedule_of(self._rows)
        self._position, self._heap = schedule

    def next_change_at(self) -> datetime | None:
        """The earliest instant at which some row's stage changes; None if none will."""
        heap = self._heap
        while heap:
            when, _, visit_id = heap[0]
            if self._is_current(when, visit_id):
                return when
            heapq.heappop(heap)
        return None

    def advance(self, now: datetime) -> list[int]:
        """Move on every row whose next change has come; the positions of rows whose
        shown state changed (sorted). Rows not due are not looked at."""
        changed: set[int] = set()
        heap = self._heap
        while heap and heap[0][0] <= now:
            when, _, visit_id = heapq.heappop(heap)
            if not self._is_current(when, visit_id):
                continue
            position = self._position[visit_id]
            row = self._rows[position]
            if row.due_for_evaluation(now) and row.reevaluate(now):
                changed.add(position)
            later = row.scheduled_at()
            if later is not None and later > now:
                heapq.heappush(heap, (later, next(_TIES), visit_id))
        return sorted(changed)

    def _is_current(self, when: datetime, visit_id: int) -> bool:
        position = self._position.get(visit_id)
        return position is not None and self._rows[position].scheduled_at() == when
