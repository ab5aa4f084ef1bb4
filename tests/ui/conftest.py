"""UI fixtures: real encrypted databases (the hand-made school or the demo), and a check
that no test leaves a window open or a timer running (after napari's leak fixtures)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

from hvdesk.clock import FakeClock
from hvdesk.db.database import Database
from hvdesk.db.keys import KeyStore
from hvdesk.demo.school import DemoSummary
from hvdesk.services.demo import create_demo_database
from hvdesk.services.opening import DatabaseOpener
from hvdesk.ui.about import AboutInfo
from hvdesk.ui.main_window import MainWindow
from hvdesk.ui.timers import Timer, Timers
from tests.conftest import MONDAY_MORNING, MemoryKeyring
from tests.ui.school import School, build_school


@pytest.fixture(autouse=True)
def _no_leaked_windows_or_timers(qapp: QApplication) -> Iterator[None]:
    before = set(qapp.topLevelWidgets())
    yield
    leftover = [w for w in qapp.topLevelWidgets() if w not in before and w.isVisible()]
    running = Timer.running()
    for widget in leftover:
        widget.close()
        widget.deleteLater()
    for timer in running:
        timer.stop()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qapp.processEvents()
    assert not running, f"timers left running: {[t.name for t in running]}"
    assert not leftover, f"windows left open: {[type(w).__name__ for w in leftover]}"


@dataclass
class SmallSchool:
    database: Database
    school: School


@pytest.fixture
def small_school(opener: DatabaseOpener, data_dir: Path, clock: FakeClock) -> Iterator[SmallSchool]:
    database = opener.create(data_dir).database
    with database.session() as session:
        school = build_school(session, clock.now())
    yield SmallSchool(database, school)
    database.close()


@dataclass
class Demo:
    database: Database
    summary: DemoSummary
    folder: Path


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """One demo school per test module (seeding takes most of a second); tests only read it.
    Seeded at the conftest clock's start, so the function-scoped `clock` agrees with it."""
    folder = tmp_path_factory.mktemp("demo") / "data"
    opener = DatabaseOpener(KeyStore(MemoryKeyring()), FakeClock(MONDAY_MORNING))
    opened, summary = create_demo_database(folder, opener, FakeClock(MONDAY_MORNING))
    yield Demo(opened.database, summary, folder)
    opened.database.close()


@pytest.fixture
def timers() -> Timers:
    """Timers that never start by themselves: tests fire them after moving the clock."""
    return Timers(autostart=False)


def open_window(
    database: Database,
    clock: FakeClock,
    timers: Timers,
    *,
    demo: bool = False,
    folder: Path | None = None,
) -> MainWindow:
    about = AboutInfo(
        data_dir=folder or database.path.parent,
        log_file=Path("/var/log/hvdesk/hvdesk.log"),
        demo=demo,
        throwaway=demo,
    )
    window = MainWindow(database, clock, about, timers=timers)
    window.resize(1280, 800)
    return window


@pytest.fixture
def demo_window(demo: Demo, clock: FakeClock, timers: Timers) -> Iterator[MainWindow]:
    window = open_window(demo.database, clock, timers, demo=True, folder=demo.folder)
    window.show()
    yield window
    window.close()
    window.deleteLater()


@pytest.fixture
def small_window(
    small_school: SmallSchool, clock: FakeClock, timers: Timers
) -> Iterator[MainWindow]:
    window = open_window(small_school.database, clock, timers)
    window.show()
    yield window
    window.close()
    window.deleteLater()


@pytest.fixture
def quiet_hvdesk_logging() -> Iterator[None]:
    """run_gui attaches a log file handler; close it so no file is left open."""
    yield
    root = logging.getLogger("hvdesk")
    for handler in list(root.handlers):
        if getattr(handler, "_hvdesk", False):
            root.removeHandler(handler)
            handler.close()
