"""From a deadline passing to its alert painted, on the real clock, worst of 50, against its
floor: a bare window whose precise single-shot timer, armed for the same instant, changes a
label (the least a Qt program can do to show something at a given time).

The board runs as in the office: the real clock, its timers started, signed in, 1280x800 on the
app's style sheet. Each run puts five visits out whose check-in calls fall due 0.3 s apart a
couple of seconds ahead, and notes when each one's alert card is first painted; then they are
recorded back, and the floor does the same five instants. Ten runs of each, by turns: 50
deadlines each.

    python -m benchmarks.deadline
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

import sqlalchemy as sa
from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel

from benchmarks.board import app, open_board
from benchmarks.harness import Figure, figure, interleaved
from hvdesk.clock import FakeClock, SystemClock
from hvdesk.db.database import create_database
from hvdesk.db.keys import new_database_key
from hvdesk.db.models import Visit
from hvdesk.ui.board.alert_card import AlertCard
from hvdesk.ui.timers import Timers
from tests.ui.board_support import build_board_school, crowd

PER_RUN = 5
"""Deadlines a run (few enough that every alert card is in view on a 1280x800 board)."""
RUNS = 10
SPACING = 0.3
LEAD = 2.0


class _Painted(QObject):
    """Notes the wall-clock time of the first paint of each alert card (by visit)."""

    def __init__(self) -> None:
        super().__init__()
        self.at: dict[int, float] = {}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and isinstance(watched, AlertCard):
            self.at.setdefault(watched.visit_id, time.time())
        return False


def _run_loop(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def figures(quick: bool) -> list[Figure]:
    qt = app()
    folder = Path(tempfile.mkdtemp(prefix="hvdesk-deadline-bench-"))
    clock = SystemClock()
    database = create_database(folder / "data", new_database_key())
    school = build_board_school(database, FakeClock(clock.now() - timedelta(minutes=30)))
    timers = Timers(autostart=True)
    page, user = open_board(database, clock, timers)
    user.sign_in(school.user)
    painted = _Painted()
    qt.installEventFilter(painted)
    label = QLabel("waiting")
    label.resize(300, 40)
    label.show()
    label_paints: list[float] = []

    class _LabelPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if watched is label and event.type() == QEvent.Type.Paint:
                label_paints.append(time.time())
            return False

    label_spy = _LabelPaint()
    label.installEventFilter(label_spy)
    log = school.visit_log()

    def board_run() -> float:
        visits = crowd(school, PER_RUN, within=timedelta(hours=1))
        start = time.time() + LEAD
        deadlines = {v: start + i * SPACING for i, v in enumerate(visits)}
        with database.session() as session:
            for visit_id, due in deadlines.items():
                session.execute(
                    sa.update(Visit)
                    .where(Visit.id == visit_id)
                    .values(planned_end=datetime.fromtimestamp(due, UTC))
                )
        page.refresh()  # as after any action on the board: the new visits are on it
        _run_loop(LEAD + PER_RUN * SPACING + 1.0)
        late = [(painted.at.get(v, float("inf")) - due) * 1000 for v, due in deadlines.items()]
        for visit_id in visits:
            log.left(visit_id, school.user)
            log.returned(visit_id, school.user)
        page.refresh()
        runs_late.extend(late)
        return max(late)

    def floor_run() -> float:
        start = time.time() + LEAD
        instants = [start + i * SPACING for i in range(PER_RUN)]
        late: list[float] = []
        for n, due in enumerate(instants):
            timer = QTimer(label)
            timer.setSingleShot(True)
            timer.setTimerType(Qt.TimerType.PreciseTimer)
            timer.timeout.connect(lambda n=n: label.setText(f"due {n}"))
            timer.start(max(0, int((due - time.time()) * 1000)))
        before = len(label_paints)
        _run_loop(LEAD + PER_RUN * SPACING + 1.0)
        paints = label_paints[before:]
        for due in instants:
            after = [p for p in paints if p >= due]
            late.append(((after[0] if after else float("inf")) - due) * 1000)
        floors_late.extend(late)
        return max(late)

    runs_late: list[float] = []
    floors_late: list[float] = []
    try:
        interleaved(board_run, floor_run, RUNS)
    finally:
        qt.removeEventFilter(painted)
        timers.stop_all()
        page.close()
        label.close()
        database.close()
        shutil.rmtree(folder, ignore_errors=True)
    return [
        figure(
            f"deadline passes -> alert painted (real clock, worst of {len(runs_late)})",
            "<= 250 ms",
            runs_late,
            floors_late,
            floor="a bare window's precise single-shot timer changing a label",
            worst=True,
        )
    ]


if __name__ == "__main__":
    from benchmarks.harness import table

    print(table(figures(quick=False)))
