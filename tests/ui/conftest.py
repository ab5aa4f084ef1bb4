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
from hvdesk.db.database import Database, database_path
from hvdesk.db.keys import KeyStore
from hvdesk.demo.school import DemoSummary
from hvdesk.services.container import Services
from hvdesk.services.opening import DatabaseOpener
from hvdesk.ui.about import AboutInfo
from hvdesk.ui.main_window import MainWindow
from hvdesk.ui.timers import Timer, Timers
from tests.board_school import Template, demo_template  # noqa: F401  (a fixture)
from tests.conftest import MONDAY_MORNING
from tests.school_copies import Seeded, copy_files, open_copy, seed
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


def _build_small_school(database: Database, clock: FakeClock) -> School:
    with database.session() as session:
        return build_school(session, clock.now())


@pytest.fixture(scope="session")
def small_template(tmp_path_factory: pytest.TempPathFactory) -> Seeded[School]:
    """The hand-made school, built once per session at the conftest clock's start."""
    folder = tmp_path_factory.mktemp("small-template") / "data"
    return seed(folder, MONDAY_MORNING, _build_small_school)


@pytest.fixture
def small_school(
    small_template: Seeded[School],
    opener: DatabaseOpener,
    keystore: KeyStore,
    data_dir: Path,
    clock: FakeClock,
) -> Iterator[SmallSchool]:
    """A copy of the hand-made school for one test, opened the way the app opens it (its key in
    the test's credential store)."""
    assert clock.now() == MONDAY_MORNING
    copy_files(small_template, data_dir)
    keystore.save(database_path(data_dir), small_template.key)
    database = opener.open(data_dir).database
    yield SmallSchool(database, small_template.built)
    database.close()


@dataclass
class Demo:
    database: Database
    summary: DemoSummary
    folder: Path


@pytest.fixture(scope="module")
def demo(
    demo_template: Template,  # noqa: F811  (the fixture imported above)
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Demo]:
    """The demo school for one test module (tests only read it): a copy of the one seeded once
    per session (`demo_template`), at the conftest clock's start, so the function-scoped
    `clock` agrees with it. A copy takes milliseconds; seeding took about two seconds."""
    folder = tmp_path_factory.mktemp("demo") / "data"
    database = open_copy(demo_template, folder, FakeClock(MONDAY_MORNING))
    yield Demo(database, demo_template.built, folder)
    database.close()


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
    window = MainWindow(Services.build(database, clock), about, timers=timers)
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
