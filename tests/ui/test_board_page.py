"""The reception board: countdowns move with the clock, one column per tick, no resets."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt

from hvdesk.clock import FakeClock
from hvdesk.db.models import Visit
from hvdesk.domain.visits import VisitStatus
from hvdesk.ui.pages.board_page import FULL_RANGE_ROWS, ON_TIME, OVERDUE, BoardPage
from hvdesk.ui.timers import Timers


@pytest.fixture
def board(qtbot, small_school, clock, timers) -> BoardPage:
    page = BoardPage(small_school.database, clock, timers)
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    page.refresh()
    return page


def texts(page: BoardPage, header: str) -> list[str]:
    column = page.model.column_index(header)
    return [page.model.data(page.model.index(r, column)) for r in range(page.model.rowCount())]


def test_board_lists_the_visits_out_with_area_not_address(board, small_school):
    model = board.model
    assert model.rowCount() == len(small_school.school.out_visit_ids)
    assert texts(board, "Visitors") == ["Eve Okafor", "Dawn Reid, Eve Okafor"]
    assert texts(board, "Area") == ["Headingley", "Holbeck"]
    # 10:30 UTC on 23 November is 10:30 in London (GMT).
    assert texts(board, "Planned\nend") == ["10:25", "10:50"]
    assert texts(board, "Signed\nout") == ["09:27", "09:52"]
    every_cell = [
        str(model.data(model.index(r, c)))
        for r in range(model.rowCount())
        for c in range(model.columnCount())
    ]
    assert not any("Lane" in cell or "Road" in cell for cell in every_cell)
    assert board.summary_label.text() == "2 visits are out; 1 is overdue."


def test_countdown_and_status_in_words_and_icons(board):
    assert texts(board, board.model.columns[board.countdown_column].header) == ["-05:00", "20:00"]
    assert texts(board, "Status") == [OVERDUE, ON_TIME]
    state = board.state_column
    icons = [
        board.model.data(board.model.index(r, state), Qt.ItemDataRole.DecorationRole)
        for r in range(2)
    ]
    assert all(i is not None and not i.isNull() for i in icons)
    assert icons[0].cacheKey() != icons[1].cacheKey()  # a different shape, not only colour


def test_tick_updates_only_the_countdown_column(qtbot, board, clock: FakeClock, timers: Timers):
    changes: list[tuple[int, int, int, int]] = []
    resets: list[bool] = []
    board.model.dataChanged.connect(
        lambda tl, br, roles=(): changes.append((tl.row(), tl.column(), br.row(), br.column()))
    )
    board.model.modelReset.connect(lambda: resets.append(True))
    header = board.model.columns[board.countdown_column].header

    clock.advance(1)
    timers.fire("board-countdown")
    assert changes == [(0, board.countdown_column, 1, board.countdown_column)]
    assert texts(board, header) == ["-05:01", "19:59"]

    clock.advance(timedelta(minutes=5))
    timers.fire("board-countdown")
    assert len(changes) == 2 and changes[-1][1] == changes[-1][3] == board.countdown_column
    assert texts(board, header) == ["-10:01", "14:59"]
    assert resets == []


def test_status_column_changes_only_when_a_visit_becomes_overdue(board, clock, timers):
    changes: list[tuple[int, int]] = []
    board.model.dataChanged.connect(
        lambda tl, br, roles=(): changes.append((tl.column(), br.column()))
    )
    clock.advance(timedelta(minutes=20))  # the second visit's planned end, exactly
    timers.fire("board-countdown")
    assert texts(board, "Status") == [OVERDUE, ON_TIME]
    assert changes == [(board.countdown_column, board.countdown_column)]

    clock.advance(1)
    timers.fire("board-countdown")
    assert texts(board, "Status") == [OVERDUE, OVERDUE]
    assert changes[1:] == [
        (board.countdown_column, board.countdown_column),
        (board.state_column, board.state_column),
    ]
    assert board.summary_label.text() == "2 visits are out; 2 are overdue."


def test_database_poll_keeps_the_rows_when_nothing_changed(board, small_school, timers):
    resets: list[bool] = []
    board.model.modelReset.connect(lambda: resets.append(True))
    board.table.selectRow(1)
    timers.fire("board-refresh")
    assert resets == []
    assert board.table.selectionModel().selectedRows()[0].row() == 1


def test_database_poll_picks_up_a_visit_going_out(board, small_school, timers):
    with small_school.database.session() as session:
        session.execute(
            sa.update(Visit)
            .where(Visit.status == VisitStatus.AUTHORISED)
            .values(status=VisitStatus.OUT)
        )
    timers.fire("board-refresh")
    assert board.model.rowCount() == 3
    assert "Not recorded" in texts(board, "Signed\nout")


def test_empty_board_says_so(qtbot, small_school, clock, timers):
    with small_school.database.session() as session:
        session.execute(
            sa.update(Visit)
            .where(Visit.status == VisitStatus.OUT)
            .values(status=VisitStatus.COMPLETED)
        )
    page = BoardPage(small_school.database, clock, timers)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    assert page.model.rowCount() == 0
    assert page.empty_label.isVisible() and not page.table.isVisible()
    assert "No one is out" in page.empty_label.text()
    timers.fire("board-countdown")  # nothing to tick, nothing breaks


def test_many_rows_tick_only_the_visible_ones(qtbot, board, clock):
    rows = board.model.rows
    many = [
        type(rows[0])(
            visit_id=1000 + i,
            visitors=("A B",),
            area="Area",
            purpose="p",
            signed_out_at=None,
            planned_end=clock.now() + timedelta(minutes=i),
        )
        for i in range(FULL_RANGE_ROWS + 50)
    ]
    board.model.set_rows(many)
    changes: list[tuple[int, int]] = []
    board.model.dataChanged.connect(lambda tl, br, roles=(): changes.append((tl.row(), br.row())))
    board.tick()
    first, last = changes[0]
    assert first == 0
    assert last < 60  # the rows on screen, not all 250
