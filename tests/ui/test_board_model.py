"""The board's table model: Qt's contract, cheap ticks, stages that flip on the second, polls
without resets, and privacy."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from hvdesk.domain.escalation import EscalationStage
from hvdesk.ui.board.board_model import NOT_UPDATING, Col, board_countdown
from hvdesk.ui.pages.board_page import FULL_RANGE_ROWS
from tests.ui.board_support import (
    Board,
    BoardSchool,
    authorised_visit,
    new_board_school,
    open_board,
    visit_on_site,
)


@pytest.fixture
def board_school(opener, data_dir, clock) -> Iterator[BoardSchool]:
    yield from new_board_school(opener, data_dir, clock)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (20 * 60, "20:00"),
        (20 * 60 - 0.4, "19:59"),
        (59, "00:59"),
        (0, "00:00"),
        (-0.5, "-00:01"),  # overdue never reads as a reassuring 00:00
        (-61, "-01:01"),
        (59 * 60 + 59, "59:59"),
        (60 * 60, "1:00:00"),
        (125 * 60 + 7, "2:05:07"),
        (-95 * 60, "-1:35:00"),
    ],
)
def test_countdown_reads_minutes_then_hours(seconds: float, text: str):
    assert board_countdown(timedelta(seconds=seconds)) == text
    assert board_countdown(None) == ""


@pytest.fixture
def three_out(qtbot, board_school: BoardSchool, timers) -> Board:
    """Dawn and Eve on a pair visit ending in 20 min, Fay on one ending in 40 min, and an
    authorised visit not yet due to leave."""
    visit_on_site(board_school, ["Dawn", "Eve"], length=timedelta(minutes=20))
    visit_on_site(board_school, ["Fay"], length=timedelta(minutes=40), home=1)
    authorised_visit(board_school, ["Sam"], start_in=timedelta(hours=2))
    return open_board(qtbot, board_school, timers)


def test_one_row_per_visit_with_pair_names_and_urgency_order(three_out: Board):
    assert three_out.row_texts(Col.STAFF) == ["Dawn Reid /\nEve Okafor", "Fay Lamb", "Sam Patel"]
    assert three_out.row_texts(Col.COUNTDOWN) == ["20:00", "40:00", "2:15:00"]
    assert three_out.row_texts(Col.STAGE) == ["On visit", "On visit", "Awaiting departure"]
    assert three_out.row_texts(Col.DEPARTED) == ["10:30", "10:30", "Not yet"]
    assert three_out.row_texts(Col.MOBILE)[0] == "07700 900001\n07700 900002"
    assert three_out.row_texts(Col.AREA)[0] == "Holbeck: 1 Mill Lane, Leeds, LS1 1AA"
    assert three_out.row_texts(Col.PURPOSE)[0].startswith("Amy Smith: Welfare check")


def test_model_contract_holds_through_ticks_and_polls(qtmodeltester, three_out: Board):
    qtmodeltester.check(three_out.page.model, force_py=True)
    for _ in range(3):
        three_out.tick(7)
    three_out.poll()
    visit_on_site(three_out.school, ["Sam"], length=timedelta(minutes=5))
    three_out.poll()  # a new, more urgent row: inserted, then moved to the top
    qtmodeltester.check(three_out.page.model, force_py=True)
    assert three_out.row_texts(Col.STAFF)[0] == "Sam Patel"


def test_a_tick_announces_only_the_countdown_column_and_never_resets(three_out: Board):
    model = three_out.page.model
    changes: list[tuple[int, int, int, int]] = []
    resets: list[bool] = []
    model.dataChanged.connect(
        lambda tl, br, roles=(): changes.append((tl.row(), tl.column(), br.row(), br.column()))
    )
    model.modelReset.connect(lambda: resets.append(True))
    model.layoutChanged.connect(lambda *a: resets.append(True))
    for _ in range(5):
        three_out.tick()
    assert changes == [(0, Col.COUNTDOWN, 2, Col.COUNTDOWN)] * 5
    assert three_out.row_texts(Col.COUNTDOWN) == ["19:55", "39:55", "2:14:55"]
    assert resets == []


def test_the_stage_flips_at_the_deadline_without_a_database_read(three_out: Board, monkeypatch):
    page = three_out.page
    reads: list[bool] = []
    original = page.board_service.read
    monkeypatch.setattr(
        page.board_service, "read", lambda *a, **k: reads.append(True) or original(*a, **k)
    )
    changes: list[tuple[int, int]] = []
    page.model.dataChanged.connect(lambda tl, br, roles=(): changes.append((tl.row(), br.column())))

    three_out.tick(10 * 60 - 1)  # one second before "due soon"
    three_out.poll()
    assert three_out.row_texts(Col.STAGE)[0] == "On visit"
    reads.clear()
    three_out.tick(1)
    assert three_out.row_texts(Col.STAGE)[0] == "Due soon: check-in call"
    three_out.tick(10 * 60 - 1)
    three_out.poll()
    assert three_out.row_texts(Col.COUNTDOWN)[0] == "00:01"
    assert page.alerts == []
    reads.clear()
    changes.clear()
    three_out.tick(1)  # the check-in deadline itself
    assert three_out.row_texts(Col.STAGE)[0] == "Stage 1: call staff"
    assert three_out.row_texts(Col.COUNTDOWN)[0] == "00:00"
    assert page.model.row(0).state.stage is EscalationStage.CALL_STAFF
    assert [a.visit_id for a in page.alerts] == [page.model.row(0).visit_id]
    assert reads == []  # the engine moved it on, not a poll
    assert changes == [(0, Col.COUNTDOWN), (0, len(Col) - 1)]  # then the whole row, once


def test_rows_are_tinted_and_iconed_by_stage_never_by_colour_alone(three_out: Board):
    three_out.tick(20 * 60)
    model = three_out.page.model
    stage = model.index(0, Col.STAGE)
    calm = model.index(1, Col.STAGE)
    assert model.data(stage) == "Stage 1: call staff"
    assert model.data(stage, Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(calm, Qt.ItemDataRole.BackgroundRole) is None
    icons = [model.data(i, Qt.ItemDataRole.DecorationRole) for i in (stage, calm)]
    assert all(i is not None and not i.isNull() for i in icons)
    assert icons[0].cacheKey() != icons[1].cacheKey()
    assert "Call Dawn Reid and Eve Okafor's work mobile" in model.data(
        stage, Qt.ItemDataRole.ToolTipRole
    )


def test_a_poll_with_the_same_visits_keeps_selection_and_never_resets(three_out: Board):
    page = three_out.page
    resets: list[bool] = []
    page.model.modelReset.connect(lambda: resets.append(True))
    page.table.selectRow(1)
    three_out.tick(3)
    three_out.poll()
    assert resets == []
    assert page.table.selectionModel().selectedRows()[0].row() == 1
    assert page.selected_row() is not None and page.selected_row().names == "Fay Lamb"


def test_selection_follows_its_visit_when_the_order_changes(three_out: Board):
    page = three_out.page
    page.select_visit(page.model.row(1).visit_id)  # Fay
    fay = page.model.row(1).visit_id
    visit_on_site(three_out.school, ["Sam"], length=timedelta(minutes=5))
    three_out.poll()
    assert three_out.row_texts(Col.STAFF) == [
        "Sam Patel",
        "Dawn Reid /\nEve Okafor",
        "Fay Lamb",
        "Sam Patel",
    ]
    selected = page.table.selectionModel().selectedRows()
    assert [page.model.row(i.row()).visit_id for i in selected] == [fay]


def test_a_returned_visit_leaves_the_board_without_a_reset(three_out: Board):
    page = three_out.page
    resets: list[bool] = []
    page.model.modelReset.connect(lambda: resets.append(True))
    three_out.school.visit_log().returned(page.model.row(0).visit_id, three_out.school.user)
    three_out.poll()
    assert three_out.row_texts(Col.STAFF) == ["Fay Lamb", "Sam Patel"]
    assert resets == []


def test_many_rows_tick_only_the_visible_ones(qtbot, board_school: BoardSchool, timers):
    board = open_board(qtbot, board_school, timers)
    page = board.page
    rows = list(page.model.rows)
    visit_on_site(board_school, ["Dawn"])
    board.poll()
    template = page.model.rows[0]
    from hvdesk.services.board_rows import BoardRow

    many = [
        BoardRow(
            type(template.entry)(**{**template.entry.__dict__, "visit_id": 5000 + i, "plan": None}),
            template.policy,
        )
        for i in range(FULL_RANGE_ROWS + 50)
    ]
    page.model.set_rows([*rows, *many])
    changes: list[tuple[int, int]] = []
    page.model.dataChanged.connect(lambda tl, br, roles=(): changes.append((tl.row(), br.row())))
    board.tick()
    first, last = changes[0]
    assert first == 0
    assert last < 60  # the rows on screen, not all 250


def test_privacy_mode_shows_names_countdowns_and_stages_only(qtbot, board_school, timers):
    visit_on_site(board_school, ["Dawn", "Eve"], length=timedelta(minutes=20))
    board = open_board(qtbot, board_school, timers, signed_in=False)
    page, model = board.page, board.page.model
    for column in (Col.AREA, Col.PURPOSE, Col.MOBILE):
        assert page.table.isColumnHidden(column)
    every_cell = [
        str(model.data(model.index(r, c), role))
        for r in range(model.rowCount())
        for c in range(model.columnCount())
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
    ]
    for private in ("Mill Lane", "Holbeck", "Amy", "Welfare", "07700", "Attendance officer"):
        assert not any(private in cell for cell in every_cell), private
    assert board.row_texts(Col.STAFF) == ["Dawn Reid /\nEve Okafor"]
    assert board.row_texts(Col.COUNTDOWN) == ["20:00"]
    assert board.row_texts(Col.STAGE) == ["On visit"]
    assert "Privacy mode" in page.summary_label.text()

    board.sign_in()
    assert not page.table.isColumnHidden(Col.AREA)
    assert board.row_texts(Col.AREA) == ["Holbeck: 1 Mill Lane, Leeds, LS1 1AA"]
    board.current_user.sign_out()
    assert page.table.isColumnHidden(Col.AREA)
    assert board.row_texts(Col.AREA) == [""]


def test_stale_data_turns_countdowns_into_not_updating(three_out: Board, monkeypatch):
    from hvdesk.errors import DatabaseLocked

    page = three_out.page

    def locked(*args: object, **kwargs: object) -> None:
        raise DatabaseLocked("The database is in use by another program.", "Close it.")

    monkeypatch.setattr(page.board_service, "read", locked)
    for _ in range(3):
        three_out.tick(5)
        three_out.poll()
    assert page.problem_bar.isHidden()  # 15 s is not yet stale
    three_out.tick(1)
    assert not page.problem_bar.isHidden()
    assert page.problem_bar.text().startswith("Board not updating since 10:30:00 — ")
    assert "in use by another program" in page.problem_bar.text()
    assert three_out.row_texts(Col.COUNTDOWN) == [NOT_UPDATING] * 3

    monkeypatch.undo()
    three_out.poll()
    assert page.problem_bar.isHidden()
    assert three_out.row_texts(Col.COUNTDOWN) == ["19:44", "39:44", "2:14:44"]


def test_a_clock_jump_is_said_in_red_then_the_board_is_read_again(three_out: Board):
    page = three_out.page
    clock = three_out.clock
    clock.set(clock.now() + timedelta(minutes=7))  # the wall clock jumps; no time passed
    three_out.timers.fire("board-countdown")
    assert not page.problem_bar.isHidden()
    assert "clock jumped forward by 7 min 0 s" in page.problem_bar.text()
    assert three_out.row_texts(Col.COUNTDOWN)[0] == NOT_UPDATING
    three_out.tick(1)  # the next tick reads the board again on the new clock
    assert page.problem_bar.isHidden()
    assert three_out.row_texts(Col.COUNTDOWN)[0] == "12:59"


def test_the_watchdog_alone(clock):
    from hvdesk.ui.board.board_watchdog import BoardWatchdog

    watchdog = BoardWatchdog(clock)
    assert watchdog.check() is None  # nothing read yet: nothing to call stale
    watchdog.read_succeeded()
    clock.advance(15)
    assert watchdog.check() is None
    clock.advance(1)
    problem = watchdog.check()
    assert problem is not None and problem.text.startswith("Board not updating since 10:30:00")
    assert "the database has not answered" in problem.text
    watchdog.read_succeeded()
    assert watchdog.check() is None
    clock.set(clock.now() - timedelta(hours=1, minutes=2))  # the PC's clock set back
    problem = watchdog.check()
    assert problem is not None and "jumped back by 1 h 2 min" in problem.text
    assert watchdog.clock_jumped
    watchdog.read_succeeded()
    assert watchdog.check() is None and not watchdog.clock_jumped
    clock.set(clock.now() + timedelta(seconds=59))  # within the tolerance: not a jump
    assert watchdog.check() is None
