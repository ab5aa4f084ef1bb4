"""The board on a schedule (issue 14): an alert is raised when its deadline comes (a one-shot
timer armed at the earliest next change), not on the next tick; a tick lays nothing out; the
Qt-free schedule moves on only the rows that are due; the poll runs off the UI thread."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

from hvdesk.domain.escalation import EscalationStage
from hvdesk.services.board import BoardService
from hvdesk.services.board_alerts import AlertKind
from hvdesk.services.board_rows import BoardRow
from hvdesk.services.drill import ladder_policy
from hvdesk.services.live_board import LiveBoard
from hvdesk.ui.operations import QueryOp
from tests.ui.board_support import (
    BoardSchool,
    new_board_school,
    open_board,
    visit_on_site,
)


@pytest.fixture
def board_school(opener, data_dir, clock):
    yield from new_board_school(opener, data_dir, clock)


def test_the_alert_is_raised_at_the_deadline_not_on_the_next_tick(qtbot, board_school, timers):
    visit_on_site(board_school, ["Dawn"], length=timedelta(minutes=20))
    board = open_board(qtbot, board_school, timers)
    page, clock = board.page, board_school.clock
    deadline_timer = timers.get("board-deadline")
    # The first change is "due soon", ten minutes before the check-in call.
    assert deadline_timer.isSingleShot()
    assert deadline_timer.interval() == 10 * 60 * 1000
    clock.advance(10 * 60)
    timers.fire("board-deadline")  # no tick: the deadline timer alone
    assert page.model.row(0).state.stage is EscalationStage.DUE_SOON
    assert page.alerts == []
    assert deadline_timer.interval() == 10 * 60 * 1000  # armed again: the call itself
    clock.advance(10 * 60 - 0.25)  # a quarter second early: nothing yet
    timers.fire("board-deadline")
    assert page.alerts == []
    plays = board.sound.plays
    _settle()  # idle time: the panel makes a card ready for the next prompt
    clock.advance(0.25)
    timers.fire("board-deadline")
    assert page.model.row(0).state.stage is EscalationStage.CALL_STAFF
    assert [a.kind for a in page.alerts] == [AlertKind.ESCALATION]
    card = page.alert_panel.card(AlertKind.ESCALATION, page.model.row(0).visit_id)
    assert card is not None and card.isVisible()
    assert card.title_label.text() == "Stage 1: call the staff member"
    assert board.sound.plays == plays + 1
    # Stage 3 comes 15 minutes after the missed call (no one logged anything): armed for it.
    assert deadline_timer.interval() == 15 * 60 * 1000


class _LayoutSpy(QObject):
    """Counts the layout requests any widget of the page receives."""

    def __init__(self, root: QWidget) -> None:
        super().__init__()
        self.root = root
        self.requests: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            event.type() == QEvent.Type.LayoutRequest
            and isinstance(watched, QWidget)
            and (watched is self.root or self.root.isAncestorOf(watched))
        ):
            self.requests.append(watched.objectName() or type(watched).__name__)
        return False


def _settle() -> None:
    """Let every posted layout request and paint run (they travel up a parent at a time)."""
    for _ in range(20):
        QApplication.processEvents()


def test_a_tick_lays_nothing_out(qtbot, board_school, timers):
    """Overdue cards show clocks that change every second; the tick repaints them only."""
    for name in ("Dawn", "Eve", "Fay"):
        visit_on_site(board_school, [name], length=timedelta(minutes=1))
    board = open_board(qtbot, board_school, timers)
    board.tick(3 * 60)  # all three overdue: three cards with running clocks
    assert len(board.page.alerts) == 3
    _settle()
    spy = _LayoutSpy(board.page)
    QApplication.instance().installEventFilter(spy)
    try:
        before = [c.time_label.text() for c in board.page.alert_panel.cards.values()]
        for _ in range(5):
            board.tick(1)
            _settle()
        after = [c.time_label.text() for c in board.page.alert_panel.cards.values()]
    finally:
        QApplication.instance().removeEventFilter(spy)
    assert before != after  # the clocks moved
    assert spy.requests == [], spy.requests


def test_the_schedule_moves_on_only_the_rows_that_are_due(board_school: BoardSchool):
    """Qt-free: the heap gives the earliest change; advancing past it re-evaluates that row."""
    clock = board_school.clock
    soon = visit_on_site(board_school, ["Dawn"], length=timedelta(minutes=12))
    later = visit_on_site(board_school, ["Eve"], length=timedelta(minutes=40))
    snapshot = BoardService(board_school.database, clock).read(include_private=False)
    policy = snapshot.policy
    assert policy is not None
    live = LiveBoard()
    live.set_rows(BoardRow(e, ladder_policy(policy, e.is_drill)) for e in snapshot.entries)
    first = live.next_change_at()
    assert first == clock.now() + timedelta(minutes=2)  # "due soon" for the 12-minute visit
    assert live.advance(clock.now() + timedelta(minutes=1)) == []
    moved = live.advance(first)
    assert [live.rows[p].visit_id for p in moved] == [soon]
    assert live.rows[live.position(soon)].state.stage is EscalationStage.DUE_SOON
    assert live.rows[live.position(later)].state.stage is EscalationStage.NONE
    assert live.next_change_at() == clock.now() + timedelta(minutes=12)


def _on_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def test_a_background_read_answers_on_the_ui_thread(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    answers: list[tuple[str, bool]] = []
    QueryOp(
        parent,
        lambda: threading.current_thread() is threading.main_thread(),
        lambda on_main: answers.append(("ok", on_main)),
    ).run_in_background()
    QueryOp(
        parent,
        lambda: 1 / 0,
        lambda _r: answers.append(("ok", False)),
        lambda exc: answers.append(
            (type(exc).__name__, threading.current_thread() is threading.main_thread())
        ),
    ).run_in_background()
    qtbot.waitUntil(lambda: len(answers) == 2, timeout=5000)
    assert sorted(answers) == [("ZeroDivisionError", True), ("ok", False)]


def test_a_background_read_for_a_closed_window_is_dropped(qtbot):
    parent = QWidget()
    answers: list[object] = []
    started = threading.Event()
    release = threading.Event()

    def slow() -> int:
        started.set()
        release.wait(5)
        return 1

    QueryOp(parent, slow, answers.append).run_in_background()
    assert started.wait(5)
    parent.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    release.set()
    qtbot.wait(200)
    assert answers == []
