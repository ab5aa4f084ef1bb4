"""One visit goes overdue and the office walks it up the whole ladder by clicking the alert
card's buttons, to the police sheet and the resolution; every step lands in the timeline with
who recorded it and when."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from hvdesk.db.models import Incident
from hvdesk.domain.incidents import IncidentKind
from hvdesk.services.board import BoardService
from hvdesk.services.board_alerts import AlertKind
from hvdesk.ui.board.alert_card import AlertCard
from hvdesk.ui.board.alert_words import CardCommand
from hvdesk.ui.board.board_model import Col
from tests.ui.board_support import (
    Board,
    BoardSchool,
    new_board_school,
    open_board,
    visit_on_site,
)


@pytest.fixture
def board_school(opener, data_dir, clock) -> Iterator[BoardSchool]:
    yield from new_board_school(opener, data_dir, clock)


def the_card(board: Board, visit_id: int) -> AlertCard:
    card = board.page.alert_panel.card(AlertKind.ESCALATION, visit_id)
    assert card is not None
    return card


def answer(qtbot, card: AlertCard, text: str) -> None:
    """Type into the card's inline question and press Enter."""
    assert not card.input_box.isHidden()
    card.input_text.selectAll()
    qtbot.keyClicks(card.input_text, text)
    qtbot.keyClick(card.input_text, Qt.Key.Key_Return)


def test_a_missed_check_in_walked_up_the_ladder_to_the_police_and_resolved(
    qtbot, board_school: BoardSchool, timers, tmp_path
):
    visit_id = visit_on_site(board_school, ["Dawn"], length=timedelta(minutes=30))  # 10:30
    board = open_board(qtbot, board_school, timers)  # Ann Lee at reception
    assert board.row_texts(Col.STAGE) == ["On visit"]

    # 11:00:01 the check-in is missed: stage 1 comes up without waiting for a poll.
    board.tick(30 * 60 + 1)
    card = the_card(board, visit_id)
    assert card.title_label.text() == "Stage 1: call the staff member"
    assert board.sound.plays == 1
    card.claim_button.click()
    card = the_card(board, visit_id)
    card.press(CardCommand.NO_ANSWER)  # 11:00:01, Ann called Dawn: no answer

    # Stage 2: inform the supervisor, whose name the card offers.
    board.tick(60)
    board.poll()
    card = the_card(board, visit_id)
    assert card.title_label.text() == "Stage 2: inform the supervisor"
    assert "Supervisor: Sam Patel 07700 900100" in card.numbers
    card.press(CardCommand.SUPERVISOR_INFORMED)
    assert card.input_text.text() == "Sam Patel"
    qtbot.keyClick(card.input_text, Qt.Key.Key_Return)  # 11:01:01

    # 11:15:01 stage 3; Bob takes over the desk and claims it again.
    for _ in range(14):
        board.tick(60)
        board.poll()
    card = the_card(board, visit_id)
    assert card.title_label.text() == "Stage 3: call the emergency contact"
    assert not card.alert.acknowledged
    board.current_user.sign_in(board_school.colleague)
    card = the_card(board, visit_id)
    assert "Emergency contact: Colin Reid (husband) 07700 900901" in card.numbers
    card.claim_button.click()
    the_card(board, visit_id).press(CardCommand.CONTACT_NO_ANSWER)  # 11:15:01, Bob

    # 11:30:01 stage 4: the police sheet, then the police informed with their reference.
    for _ in range(15):
        board.tick(60)
        board.poll()
    card = the_card(board, visit_id)
    assert card.title_label.text() == "Stage 4: inform the police"
    assert "Police: emergency call 999" in card.numbers
    card.claim_button.click()
    the_card(board, visit_id).press(CardCommand.POLICE_SHEET)
    sheet_window = board.page.sheet_windows[visit_id]
    sheet_text = sheet_window.browser.toPlainText()
    assert "Inform the police" not in sheet_text  # the sheet is facts, not instructions
    assert "Stage 4: inform the police" in sheet_text
    pdf = tmp_path / "sheet.pdf"
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(pdf))
    sheet_window.print_to(printer)
    assert pdf.stat().st_size > 5_000
    sheet_window.close()

    board.tick(60)  # 11:31:01
    card = the_card(board, visit_id)
    card.press(CardCommand.POLICE_INFORMED)
    answer(qtbot, card, "CAD 1234")
    assert the_card(board, visit_id).alert.row.state.outstanding == ()

    # 11:52:01 the police find Dawn safe; Bob records the resolution ("no silent end").
    board.tick(21 * 60)
    board.poll()
    card = the_card(board, visit_id)
    card.press(CardCommand.RESOLVE)
    answer(qtbot, card, "Found safe by the police; phone battery flat")
    assert board.page.alert_panel.card(AlertKind.ESCALATION, visit_id) is None
    assert board.row_texts(Col.STAGE) == ["On visit"]  # still out: the next call is watched

    sheet = BoardService(board_school.database, board.clock).police_sheet(visit_id)
    steps = [
        (line.at.strftime("%H:%M:%S"), line.what, line.outcome, line.recorded_by, line.note)
        for line in sheet.timeline
    ]
    assert steps == [
        ("10:30:00", "Departed", None, "Ann Lee", None),
        ("10:30:00", "Arrived (phoned in)", None, "Ann Lee", None),
        ("11:00:01", "Alert claimed", None, "Ann Lee", None),
        ("11:00:01", "Called the staff member", "No answer", "Ann Lee", None),
        ("11:01:01", "Informed the supervisor / senior", "Informed, Sam Patel", "Ann Lee", None),
        ("11:15:01", "Alert claimed", None, "Bob Hart", None),
        ("11:15:01", "Called the emergency contact", "No answer", "Bob Hart", None),
        ("11:30:01", "Alert claimed", None, "Bob Hart", None),
        (
            "11:31:01",
            "Informed the police",
            "Informed, reference CAD 1234",
            "Bob Hart",
            None,
        ),
        (
            "11:52:01",
            "Escalation resolved",
            None,
            "Bob Hart",
            "Found safe by the police; phone battery flat",
        ),
    ]
    with board_school.database.session() as session:
        incident = session.scalars(sa.select(Incident).where(Incident.visit_id == visit_id)).one()
        assert incident.kind is IncidentKind.ESCALATION
        assert incident.highest_stage == 4
        assert incident.resolution == "Found safe by the police; phone battery flat"
        assert incident.resolved_by_id == board_school.colleague.user_id
    assert board.sound.plays >= 4  # stage 1, 3 and 4 each sounded until claimed
