"""The board's one-second tick at 50, 200, 1,000 and 5,000 out against a bare QTableView
repainting the same rows, and the five-second poll's longest stall of the UI thread at 1,000
and 5,000 out.

For each size, a real `BoardPage` (signed in, 1280x800, offscreen, the app's style sheet) on a
fresh encrypted database with that many visits out, check-ins spread over the next eight hours
(the test suite's small school and its bulk "crowd", tests/ui/board_support.py).

* Tick: the fake clock moves one second, the tick timer fires and Qt paints what it announced
  (a run: the mean of 20 ticks). Floor: a bare QTableView over a QStandardItemModel holding the
  board's own texts, one column of the visible rows changed and announced, and painted.
* Poll: before each run one call is recorded on a visit (so the read has something to read),
  then the poll fires and the event loop runs until its answer is shown; the figure is the
  longest the UI thread was busy in one go (firing it, each pass of the event loop). Floor:
  the same passes of the event loop with no poll.

    python -m benchmarks.board
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QTableView

from benchmarks.harness import Figure, figure, interleaved
from hvdesk.clock import Clock, FakeClock
from hvdesk.db.database import Database, create_database
from hvdesk.db.keys import new_database_key
from hvdesk.resources_path import resource_path
from hvdesk.services.board_services import BoardServices
from hvdesk.ui.board.board_model import Col
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.pages.board_page import BoardPage
from hvdesk.ui.timers import Timers
from tests.conftest import MONDAY_MORNING
from tests.ui.board_support import (
    CountingSound,
    RecordingNotifier,
    build_board_school,
    crowd,
)

SIZE = (1280, 800)
TICK_SIZES = (50, 200, 1000, 5000)
POLL_SIZES = (1000, 5000)
TICKS_PER_RUN = 20


def app() -> QApplication:
    found = QApplication.instance()
    if not isinstance(found, QApplication):
        found = QApplication([])
        found.setStyleSheet(resource_path("style.qss").read_text(encoding="utf-8"))
    return found


def settle(qt: QApplication) -> None:
    for _ in range(5):
        qt.processEvents()


class BareTable:
    """The floor: a QTableView over the board's texts; a tick changes one visible column."""

    def __init__(self, page: BoardPage) -> None:
        source = page.model
        self.model = QStandardItemModel(source.rowCount(), source.columnCount())
        for r in range(source.rowCount()):
            for c in range(source.columnCount()):
                text = source.data(source.index(r, c))
                self.model.setItem(r, c, QStandardItem(str(text or "")))
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.resize(*SIZE)
        self.view.show()
        settle(app())
        bottom = self.view.rowAt(self.view.viewport().height() - 1)
        self.last = source.rowCount() - 1 if bottom < 0 else bottom
        self.count = 0

    def tick(self) -> None:
        self.count += 1
        column = int(Col.COUNTDOWN)
        self.model.blockSignals(True)
        for r in range(self.last + 1):
            self.model.item(r, column).setData(f"{self.count % 60:02d}:{r % 60:02d}", 0)
        self.model.blockSignals(False)
        self.model.dataChanged.emit(
            self.model.index(0, column),
            self.model.index(self.last, column),
            [Qt.ItemDataRole.DisplayRole],
        )
        app().processEvents()

    def close(self) -> None:
        self.view.close()
        self.view.deleteLater()


def _ms_per_tick(action: object) -> float:
    started = time.perf_counter()
    for _ in range(TICKS_PER_RUN):
        action()  # type: ignore[operator]
    return (time.perf_counter() - started) * 1000 / TICKS_PER_RUN


def _longest_pass(fire: object, until: object, passes: int = 40) -> float:
    """The longest the UI thread was busy in one go: `fire()`, then passes of the event loop
    (at least `passes`, and until `until()` is false)."""
    qt = app()
    started = time.perf_counter()
    fire()  # type: ignore[operator]
    longest = time.perf_counter() - started
    count = 0
    while count < passes or until():  # type: ignore[operator]
        started = time.perf_counter()
        qt.processEvents()
        longest = max(longest, time.perf_counter() - started)
        count += 1
        time.sleep(0.001)
    return longest * 1000


def figures(quick: bool) -> list[Figure]:
    folder = Path(tempfile.mkdtemp(prefix="hvdesk-board-bench-"))
    found: list[Figure] = []
    try:
        for size in TICK_SIZES:
            found += _one_size(size, folder, 5 if quick else 9)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return found


def open_board(database: Database, clock: Clock, timers: Timers) -> tuple[BoardPage, CurrentUser]:
    """The real board page at the benchmark's window size, shown, with silent sound and tray."""
    user = CurrentUser()
    page = BoardPage(
        BoardServices.build(database, clock),
        clock,
        timers,
        user,
        sound=CountingSound(),
        notifier=RecordingNotifier(),
    )
    page.resize(*SIZE)
    page.show()
    return page, user


def _one_size(size: int, folder: Path, runs: int) -> list[Figure]:
    qt = app()
    found: list[Figure] = []
    clock = FakeClock(MONDAY_MORNING)
    database = create_database(folder / f"data-{size}", new_database_key())
    school = build_board_school(database, clock)
    visits = crowd(school, size, within=timedelta(hours=8))
    timers = Timers(autostart=False)
    page, user = open_board(database, clock, timers)
    user.sign_in(school.user)
    settle(qt)
    bare = BareTable(page)

    def tick() -> None:
        clock.advance(1)
        timers.fire("board-countdown")
        qt.processEvents()

    values, floors = interleaved(lambda: _ms_per_tick(tick), lambda: _ms_per_tick(bare.tick), runs)
    found.append(
        figure(
            f"tick ({size} out)",
            "<= 1.3x",
            values,
            floors,
            floor="a bare QTableView repainting the same rows",
        )
    )
    bare.close()
    if size in POLL_SIZES:
        log = school.visit_log()
        turn = [0]

        def poll() -> float:
            turn[0] += 1
            clock.advance(1)
            log.call_received(visits[turn[0] % len(visits)], school.user)
            return _longest_pass(lambda: timers.fire("board-refresh"), lambda: page.poll_running)

        values, floors = interleaved(poll, lambda: _longest_pass(lambda: None, lambda: False), runs)
        found.append(
            figure(
                f"poll ({size} out): longest stall of the UI thread",
                "<= 16 ms",
                values,
                floors,
                floor="the same passes of the event loop with no poll",
                worst=True,
            )
        )
    page.close()
    page.deleteLater()
    settle(qt)
    database.close()
    return found


if __name__ == "__main__":
    from benchmarks.harness import table

    print(table(figures(quick=False)))
