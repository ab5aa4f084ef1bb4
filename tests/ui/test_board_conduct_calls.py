"""During the visit (issue 18): the office takes a call reporting a child found alone, or no
appropriate adult for tutoring, as one action on the board, reads the policy's instruction out,
and the step is logged like every other (with the incident for a child alone)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt

from hvdesk.db.models import Incident, Visit
from hvdesk.domain.incidents import IncidentKind
from hvdesk.domain.visits import EventKind, VisitReason
from tests.ui.board_support import (
    Board,
    BoardSchool,
    last_event,
    new_board_school,
    open_board,
    visit_on_site,
)


@pytest.fixture
def board_school(opener, data_dir, clock) -> Iterator[BoardSchool]:
    yield from new_board_school(opener, data_dir, clock)


@pytest.fixture
def on_site(qtbot, board_school: BoardSchool, timers) -> tuple[Board, int]:
    visit_id = visit_on_site(board_school, ["Dawn", "Eve"])
    board = open_board(qtbot, board_school, timers)
    assert board.page.select_visit(visit_id)
    return board, visit_id


def test_a_child_found_alone_is_one_action_with_the_instruction(qtbot, on_site) -> None:
    board, visit_id = on_site
    bar = board.page.conduct_bar
    assert bar.alone_button.isEnabled() and bar.no_adult_button.isEnabled()
    qtbot.mouseClick(bar.alone_button, Qt.MouseButton.LeftButton)
    assert bar.form.isVisible()
    assert bar.instruction.text() == (
        "Do not enter unless necessary to safeguard the child in an emergency; if in immediate "
        "danger, call 999."
    )
    assert last_event(board.school.database, visit_id).kind is EventKind.ARRIVED  # not yet
    qtbot.keyClicks(bar.note, "Girl of about 6 answered; says mum is at the shop")
    qtbot.keyClick(bar.note, Qt.Key.Key_Return)

    event = last_event(board.school.database, visit_id)
    assert event.kind is EventKind.CHILD_ALONE_CALL
    assert event.recorded_by_id == board.school.user.user_id
    assert event.note is not None and "mum is at the shop" in event.note and "999" in event.note
    assert not bar.form.isVisible()
    assert "a child found alone phoned in" in board.page.quick_bar.message.text()
    assert bar.message.text().startswith("Told them: Do not enter unless necessary")
    with board.school.database.session() as session:
        kinds = session.scalars(sa.select(Incident.kind).where(Incident.visit_id == visit_id))
        assert list(kinds) == [IncidentKind.CHILD_FOUND_ALONE]


def test_no_appropriate_adult_is_refused_for_a_visit_that_is_not_tutoring(qtbot, on_site) -> None:
    board, visit_id = on_site
    bar = board.page.conduct_bar
    qtbot.mouseClick(bar.no_adult_button, Qt.MouseButton.LeftButton)
    assert "appropriate adult" in bar.instruction.text()
    qtbot.mouseClick(bar.record_button, Qt.MouseButton.LeftButton)
    assert "is not a tutoring visit; nothing was recorded" in bar.message.text()
    assert bar.form.isVisible()  # kept open
    with board.school.database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        visit.reason = VisitReason.TUTORING
    qtbot.mouseClick(bar.record_button, Qt.MouseButton.LeftButton)
    assert last_event(board.school.database, visit_id).kind is EventKind.NO_ADULT_CALL
    assert bar.message.text().startswith("Told them: Do not enter or stay in the home")


def test_nothing_is_recorded_without_someone_signed_in(qtbot, board_school, timers) -> None:
    visit_id = visit_on_site(board_school, ["Dawn"])
    board = open_board(qtbot, board_school, timers, signed_in=False)
    assert board.page.select_visit(visit_id)
    bar = board.page.conduct_bar
    qtbot.mouseClick(bar.alone_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(bar.record_button, Qt.MouseButton.LeftButton)
    assert "Sign in to record this" in bar.message.text()
    assert last_event(board_school.database, visit_id).kind is EventKind.ARRIVED
