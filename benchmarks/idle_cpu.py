"""CPU of the open board with nobody touching it, against a bare window with a table of the
same rows left alone for as long, by turns in one process.

The board runs as in the office: the demo school seeded at the real time (so its colleagues
are out, due, and overdue at each step of the ladder, with their alert cards), the real clock,
its timers started (the tick, the poll off the UI thread, the deadline timer), nobody signed
in, 1280x800 (offscreen). A run is the process's CPU time over a few seconds of wall time, as
a share of one core.

    python -m benchmarks.idle_cpu
"""

from __future__ import annotations

import os
import shutil
import time
from datetime import UTC, datetime

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTableView

from benchmarks.board import SIZE, app
from benchmarks.demo_school import demo_school
from benchmarks.harness import Figure, figure, interleaved
from hvdesk.clock import SystemClock
from hvdesk.services.board_services import BoardServices
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.pages.board_page import BoardPage
from hvdesk.ui.timers import Timers
from tests.ui.board_support import CountingSound, RecordingNotifier


def _share_of_a_core(seconds: float) -> float:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    wall, cpu = time.perf_counter(), time.process_time()
    loop.exec()
    return (time.process_time() - cpu) / (time.perf_counter() - wall) * 100


def figures(quick: bool) -> list[Figure]:
    qt = app()
    school = demo_school(datetime.now(UTC))  # seeded at the real time: its board is live now
    seconds = 3.0 if quick else 10.0
    try:
        clock = SystemClock()
        timers = Timers(autostart=False)
        page = BoardPage(
            BoardServices.build(school.database, clock),
            clock,
            timers,
            CurrentUser(),
            sound=CountingSound(),
            notifier=RecordingNotifier(),
        )
        page.resize(*SIZE)
        page.show()
        page.refresh()
        rows, alerts = page.model.rowCount(), len(page.alerts)
        model = QStandardItemModel(rows, page.model.columnCount())
        for r in range(rows):
            for c in range(page.model.columnCount()):
                text = page.model.data(page.model.index(r, c))
                model.setItem(r, c, QStandardItem(str(text or "")))
        bare = QTableView()
        bare.setModel(model)
        bare.resize(*SIZE)

        def board_run() -> float:
            page.show()
            for name in ("board-countdown", "board-refresh"):
                timers.get(name).start()
            page.refresh()  # arms the deadline timer
            timers.autostart = True
            page.deadline_due()
            value = _share_of_a_core(seconds)
            timers.autostart = False
            timers.stop_all()
            page.hide()
            return value

        def floor_run() -> float:
            bare.show()
            value = _share_of_a_core(seconds)
            bare.hide()
            return value

        values, floors = interleaved(board_run, floor_run, 5)
        page.close()
        bare.close()
        qt.processEvents()
    finally:
        school.database.close()
        shutil.rmtree(school.folder, ignore_errors=True)
    return [
        figure(
            f"CPU of the open board, nobody touching it ({rows} rows, {alerts} alerts)",
            "<= 0.5%",
            values,
            floors,
            unit="%",
            floor=f"a bare window with a table of the same {rows} rows",
        )
    ]


if __name__ == "__main__":
    from benchmarks.harness import table

    print(table(figures(quick=False)))
