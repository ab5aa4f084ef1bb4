"""The board's all-day soak: 200 visits through 30,000 one-second ticks (an eight-hour day) on
the real board page, a poll every five ticks as in the app, with escalations raised and worked
on the alert cards along the way (the day of `tests/ui/soak_day.py`). Qt's event loop runs
after every tick (so every countdown is painted). Prints resident memory at the start, every
hour of the day and at the end, what was handled, and how long the day took to run.

    QT_QPA_PLATFORM=offscreen python benchmarks/board_soak.py [--ticks 30000] [--visits 200]

The test suite runs a shortened day (tests/ui/test_board_soak.py: 2,000 ticks of 15 s).
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from hvdesk.clock import FakeClock
from hvdesk.db.database import create_database
from hvdesk.db.keys import new_database_key
from hvdesk.resources_path import resource_path
from hvdesk.services.board_services import BoardServices
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.pages.board_page import BoardPage
from hvdesk.ui.timers import Timers
from tests.conftest import MONDAY_MORNING
from tests.ui.board_support import (
    Board,
    CountingSound,
    RecordingNotifier,
    build_board_school,
)
from tests.ui.soak_day import SoakDay

IGNORED = ("This plugin does not support",)  # the offscreen platform's own notes


def rss_mb() -> float:
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _Waiter:
    """What `Board.poll` needs of pytest-qt's qtbot: run the event loop until a poll is shown."""

    def __init__(self, app: QApplication) -> None:
        self.app = app

    def waitUntil(self, done: Callable[[], bool], timeout: int = 10_000) -> None:  # noqa: N802
        deadline = time.perf_counter() + timeout / 1000
        while not done():
            if time.perf_counter() > deadline:
                raise TimeoutError("the board's poll did not answer")
            self.app.processEvents()
            time.sleep(0.001)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ticks", type=int, default=30_000)
    parser.add_argument("--visits", type=int, default=200)
    parser.add_argument("--poll-every", type=int, default=5)
    args = parser.parse_args()

    problems: list[str] = []

    def on_qt_message(kind: QtMsgType, _context: object, message: str) -> None:
        if kind != QtMsgType.QtDebugMsg and not message.startswith(IGNORED):
            problems.append(message)

    qInstallMessageHandler(on_qt_message)
    warnings.simplefilter("error")
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setStyleSheet(resource_path("style.qss").read_text(encoding="utf-8"))
    folder = Path(tempfile.mkdtemp(prefix="hvdesk-soak-"))
    clock = FakeClock(MONDAY_MORNING)
    database = create_database(folder / "data", new_database_key())
    try:
        school = build_board_school(database, clock)
        timers = Timers(autostart=False)
        user = CurrentUser()
        sound, notifier = CountingSound(), RecordingNotifier()
        page = BoardPage(
            BoardServices.build(database, clock),
            clock,
            timers,
            user,
            sound=sound,
            notifier=notifier,
        )
        page.resize(1280, 800)
        page.show()
        user.sign_in(school.user)
        board = Board(page, school, user, sound, notifier, timers, clock, _Waiter(app))
        day = SoakDay.start(board, args.visits, timedelta(seconds=args.ticks))
        app.processEvents()
        gc.collect()
        start_mb = rss_mb()
        print(f"{args.visits} visits, {args.ticks} ticks of 1 s, a poll every {args.poll_every}")
        print(f"RSS at start: {start_mb:.1f} MB")
        started = time.perf_counter()
        for tick in range(1, args.ticks + 1):
            day.tick(1, poll=tick % args.poll_every == 0, act=True, paint=True)
            if tick % 3600 == 0:
                gc.collect()
                print(
                    f"  hour {tick // 3600}: RSS {rss_mb():.1f} MB, {page.model.rowCount()} "
                    f"rows, {len(page.alerts)} alerts, {time.perf_counter() - started:.0f} s"
                )
        elapsed = time.perf_counter() - started
        gc.collect()
        end_mb = rss_mb()
        print(f"RSS at end:   {end_mb:.1f} MB ({end_mb - start_mb:+.1f} MB)")
        print(
            f"Handled: {dict(day.handled)}; at most {day.most_alerts} alerts at once; "
            f"{sound.plays} sound plays"
        )
        print(
            f"The day ran in {elapsed:.0f} s ({elapsed / args.ticks * 1000:.2f} ms a tick, "
            "polls and actions included)"
        )
        page.close()
        page.deleteLater()
        app.processEvents()
    finally:
        database.close()
        shutil.rmtree(folder, ignore_errors=True)
    if problems:
        print(f"{len(problems)} Qt warnings, the first: {problems[0]}")
        return 1
    print("No crash, no warning.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
