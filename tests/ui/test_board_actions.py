"""Quick actions by keyboard and mouse, the police sheet (on screen and printed), urgent
departures, drills, and the sign-in they all need."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QPoint, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from hvdesk.db.models import Visit
from hvdesk.domain.visits import CancellationCause, EventKind, VisitStatus
from hvdesk.services.board_alerts import AlertKind
from hvdesk.ui.board.board_model import Col
from hvdesk.ui.board.police_sheet_dialog import PoliceSheetWindow
from tests.ui.board_support import (
    Board,
    BoardSchool,
    authorised_visit,
    events,
    last_event,
    new_board_school,
    open_board,
    visit_on_site,
)


@pytest.fixture
def board_school(opener, data_dir, clock) -> Iterator[BoardSchool]:
    yield from new_board_school(opener, data_dir, clock)


def focus_row(board: Board, visit_id: int) -> None:
    """Select the visit's row with the table focused, as a click on the row would."""
    window = board.page.window()
    if not window.isActiveWindow():
        window.activateWindow()
        QApplication.processEvents()
    assert board.page.select_visit(visit_id)
    board.page.table.setFocus(Qt.FocusReason.OtherFocusReason)


def key(qtbot, board: Board, letter: str) -> None:
    qtbot.keyClick(board.page.table, letter)


@pytest.fixture
def travelling(qtbot, board_school: BoardSchool, timers) -> tuple[Board, int]:
    visit_id = authorised_visit(board_school, ["Dawn", "Eve"])
    board_school.visit_log().sign_out(visit_id, board_school.user)
    board = open_board(qtbot, board_school, timers)
    focus_row(board, visit_id)
    return board, visit_id


def test_a_visit_walked_through_by_single_keys(qtbot, travelling):
    board, visit_id = travelling
    db = board.school.database
    bar = board.page.quick_bar
    assert [b.isEnabled() for b in bar.buttons.values()] == [
        False,
        True,
        True,
        True,
        True,
        True,
        True,
        True,
    ]
    board.tick(60)
    key(qtbot, board, "a")
    assert last_event(db, visit_id).kind is EventKind.ARRIVED
    assert board.row_texts(Col.STAGE) == ["On visit"]
    assert "Recorded at 10:31 by Ann Lee: Dawn Reid and Eve Okafor, arrival" in bar.message.text()

    key(qtbot, board, "c")  # call received, time extended by 15 minutes with a reason
    assert bar.form_open
    bar.call_minutes.setValue(15)
    qtbot.keyClicks(bar.call_reason, "Meeting running over")
    qtbot.keyClick(bar.call_reason, Qt.Key.Key_Return)
    event = last_event(db, visit_id)
    assert event.kind is EventKind.CALL_RECEIVED and event.note == "Meeting running over"
    assert event.new_deadline == datetime(2026, 11, 23, 11, 45, tzinfo=UTC)  # 11:30 + 15
    assert board.row_texts(Col.COUNTDOWN) == ["1:14:00"]
    assert not bar.form_open

    focus_row(board, visit_id)
    key(qtbot, board, "l")
    assert last_event(db, visit_id).kind is EventKind.LEFT
    assert board.row_texts(Col.STAGE) == ["Left the home: home-safe call due"]
    focus_row(board, visit_id)
    key(qtbot, board, "r")
    assert last_event(db, visit_id).kind is EventKind.RETURNED
    assert board.page.model.rowCount() == 0


def test_an_extension_needs_a_reason_and_says_so_in_the_bar(qtbot, travelling):
    board, visit_id = travelling
    bar = board.page.quick_bar
    key(qtbot, board, "c")
    bar.call_minutes.setValue(10)
    bar.call_record.click()
    assert "Say why the time is being extended" in bar.message.text()
    assert bar.form_open  # kept open to correct it
    assert last_event(board.school.database, visit_id).kind is EventKind.SIGNED_OUT


def test_the_safe_word_asks_first_then_starts_the_emergency(qtbot, travelling):
    board, visit_id = travelling
    bar = board.page.quick_bar
    key(qtbot, board, "s")
    assert "use the safe word" in bar.safe_title.text()
    assert last_event(board.school.database, visit_id).kind is EventKind.SIGNED_OUT
    qtbot.keyClick(bar.safe_confirm, Qt.Key.Key_Space)
    assert last_event(board.school.database, visit_id).kind is EventKind.SAFE_WORD
    assert board.row_texts(Col.STAGE) == ["EMERGENCY: safe word used"]
    card = board.page.alert_panel.card(AlertKind.ESCALATION, visit_id)
    assert card is not None and card.title_label.text() == "EMERGENCY: safe word used"


@pytest.mark.parametrize(
    ("cause", "note", "headteacher"),
    [
        (CancellationCause.PARENT_NOT_PRESENT, "", False),
        (CancellationCause.ANIMAL_NOT_SECURED, "", True),
        (CancellationCause.FELT_UNSAFE, "Shouting inside", True),
        (CancellationCause.OTHER, "Road closed", False),
    ],
)
def test_cancelling_with_its_cause(qtbot, travelling, cause, note, headteacher):
    board, visit_id = travelling
    bar = board.page.quick_bar
    key(qtbot, board, "x")
    bar.cancel_cause.setCurrentIndex(bar.cancel_cause.findData(cause.value))
    assert bar.cancel_hint.isVisibleTo(bar) is cause.is_safety
    qtbot.keyClicks(bar.cancel_note, note)
    bar.cancel_record.click()
    event = last_event(board.school.database, visit_id)
    assert event.kind is EventKind.CANCELLED and (event.note or "") == note
    with board.school.database.session() as session:
        assert session.get(Visit, visit_id).cancellation_cause is cause
    card = board.page.alert_panel.card(AlertKind.HEADTEACHER, visit_id)
    assert (card is not None) is headteacher
    if headteacher:
        assert "tell the headteacher" in bar.message.text()


def test_other_needs_a_note(qtbot, travelling):
    board, visit_id = travelling
    bar = board.page.quick_bar
    key(qtbot, board, "x")
    bar.cancel_cause.setCurrentIndex(bar.cancel_cause.findData(CancellationCause.OTHER.value))
    bar.cancel_record.click()
    assert "Say why the visit is cancelled" in bar.message.text()
    assert last_event(board.school.database, visit_id).kind is EventKind.SIGNED_OUT


def test_signing_out_is_one_key(qtbot, board_school, timers):
    visit_id = authorised_visit(board_school, ["Fay"], start_in=timedelta(minutes=5))
    board = open_board(qtbot, board_school, timers)
    focus_row(board, visit_id)
    key(qtbot, board, "o")
    assert last_event(board_school.database, visit_id).kind is EventKind.SIGNED_OUT
    with board_school.database.session() as session:
        assert session.get(Visit, visit_id).status is VisitStatus.OUT


def test_the_context_menu_offers_the_same_actions(qtbot, board_school, timers):
    visit_on_site(board_school, ["Dawn"], length=timedelta(minutes=20))
    board = open_board(qtbot, board_school, timers)
    board.tick(20 * 60)
    table = board.page.table
    rect = table.visualRect(board.page.model.index(0, Col.STAFF))
    menu = board.page.context_menu(rect.center())  # what a right-click pops up
    assert menu is not None
    texts = [a.text() for a in menu.actions() if a.isVisible() and not a.isSeparator()]
    assert texts[:2] == [
        "Sign out now (the staff have left) (O)",
        "Arrived: the staff phoned in on arrival (A)",
    ]
    assert texts[-1] == "Claim the alert: I am dealing with it"
    assert board.page.selected_row() is not None
    menu.actions()[-1].trigger()
    assert last_event(board_school.database, board.page.model.row(0).visit_id).kind is (
        EventKind.ALERT_CLAIMED
    )
    menu.deleteLater()


def test_actions_in_privacy_mode_ask_for_a_sign_in(qtbot, board_school, timers):
    visit_id = visit_on_site(board_school, ["Dawn"])
    board = open_board(qtbot, board_school, timers, signed_in=False)
    asked: list[bool] = []
    board.page.sign_in_requested.connect(lambda: asked.append(True))
    focus_row(board, visit_id)
    key(qtbot, board, "l")
    key(qtbot, board, "p")
    assert asked == [True, True]
    assert "Sign in" in board.page.quick_bar.message.text()
    assert last_event(board_school.database, visit_id).kind is EventKind.ARRIVED
    assert board.page.sheet_windows == {}
    board.page.urgent_button.click()
    assert board.page.urgent_window is None and asked == [True, True, True]


def test_the_police_sheet_opens_beside_the_board_and_prints(qtbot, board_school, timers, tmp_path):
    visit_id = visit_on_site(board_school, ["Dawn", "Eve"], length=timedelta(minutes=20))
    board = open_board(qtbot, board_school, timers)
    board.tick(20 * 60)
    board.poll()
    focus_row(board, visit_id)
    key(qtbot, board, "p")
    sheet_window = board.page.sheet_windows[visit_id]
    assert isinstance(sheet_window, PoliceSheetWindow)
    assert sheet_window.isVisible() and not sheet_window.isModal()
    text = sheet_window.browser.toPlainText()
    for expected in (
        "Police information sheet",
        "OFFICIAL-SENSITIVE",
        "Dawn Reid (Attendance officer)",
        "Short grey hair, glasses, green raincoat",
        "07700 900001",
        "Blue Ford Focus, AB12 CDE",
        "Eve Okafor",
        "1 Mill Lane, Leeds, LS1 1AA",
        "Blue door at the back of the terrace",
        "Dog or other animal: Large dog, usually shut in the kitchen",
        "23 Nov 2026 10:50",  # the scheduled end
        "Departed",
        "Ann Lee",
    ):
        assert expected in text, expected
    # The board stays live underneath.
    board.tick()
    assert board.row_texts(Col.COUNTDOWN) == ["-00:01"]

    before = set(tmp_path.iterdir())
    pdf = tmp_path / "police-sheet.pdf"
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(pdf))
    sheet_window.print_to(printer)
    assert pdf.exists() and pdf.stat().st_size > 5_000
    assert pdf.read_bytes().startswith(b"%PDF")
    assert set(tmp_path.iterdir()) - before == {pdf}  # nothing else left behind
    sheet_window.close()
    qtbot.waitUntil(lambda: visit_id not in board.page.sheet_windows, timeout=2000)


def test_signing_out_closes_the_police_sheet(qtbot, board_school, timers):
    visit_id = visit_on_site(board_school, ["Dawn"])
    board = open_board(qtbot, board_school, timers)
    assert board.page.open_police_sheet(visit_id) is None
    window = board.page.sheet_windows[visit_id]
    board.current_user.sign_out()
    assert not window.isVisible()


def test_an_urgent_departure_from_the_keyboard(qtbot, board_school, timers):
    visit_on_site(board_school, ["Fay"], home=1)
    board = open_board(qtbot, board_school, timers)
    started = time.monotonic()
    board.page.urgent_button.click()
    window = board.page.urgent_window
    assert window is not None and not window.isModal()
    window.activateWindow()
    qtbot.keyClicks(window.search, "amy")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert window.picked_label.text() == "Going to the home of Amy Smith (Holbeck)."
    picker = window.staff_picker
    labels = [picker.list.item(i).text() for i in range(picker.list.count())]
    assert "Fay Lamb (Teacher): out on a visit now" in labels
    qtbot.keyClicks(picker.filter, "dawn")
    qtbot.keyClick(picker.filter, Qt.Key.Key_Return)
    qtbot.keyClicks(picker.filter, "sam")
    qtbot.keyClick(picker.filter, Qt.Key.Key_Return)
    assert picker.chosen_label.text() == "Going: Dawn Reid, Sam Patel"
    window.minutes.setValue(45)
    assert window.back_by.text() == "back by 11:15"
    qtbot.keyClicks(window.purpose, "Neighbour reports Amy alone at home")
    qtbot.keyClick(window.purpose, Qt.Key.Key_Return)
    assert time.monotonic() - started < 30

    qtbot.waitUntil(lambda: board.page.urgent_window is None, timeout=2000)
    with board_school.database.session() as session:
        visit = session.scalars(sa.select(Visit).where(Visit.urgent_unplanned.is_(True))).one()
        assert visit.status is VisitStatus.OUT
        assert visit.planned_end == board.clock.now() + timedelta(minutes=45)
        assert [v.staff_id for v in visit.visitors] == [
            board_school.staff["Dawn"],
            board_school.staff["Sam"],
        ]
        urgent_id = visit.id
    assert "Dawn Reid /\nSam Patel (urgent: authorise)" in board.row_texts(Col.STAFF)
    assert board.page.selected_row() is not None
    assert board.page.selected_row().visit_id == urgent_id


def test_an_urgent_departure_says_what_is_missing(qtbot, board_school, timers):
    board = open_board(qtbot, board_school, timers)
    board.page.urgent_button.click()
    window = board.page.urgent_window
    assert window is not None
    window.record_button.click()
    assert window.error_label.text() == (
        "Before recording: choose the pupil or household; tick who is going; say why they "
        "are going."
    )
    window.close()


def test_a_drill_is_marked_drill_everywhere(qtbot, board_school, timers, tmp_path):
    board = open_board(qtbot, board_school, timers)
    board.page.drill_button.click()
    window = board.page.drill_window
    assert window is not None
    qtbot.keyClicks(window.picker.filter, "eve")
    qtbot.keyClick(window.picker.filter, Qt.Key.Key_Return)
    window.start_button.click()
    qtbot.waitUntil(lambda: board.page.drill_window is None, timeout=2000)
    assert board.row_texts(Col.STAFF) == ["DRILL: Eve Okafor"]
    drill_id = board.page.model.row(0).visit_id
    # The compressed ladder: stage 1 a minute after the arrival call was due.
    board.tick(60)
    board.poll()
    assert board.row_texts(Col.STAGE) == ["DRILL: Stage 1: call staff"]
    card = board.page.alert_panel.card(AlertKind.ESCALATION, drill_id)
    assert card is not None
    assert card.title_label.text() == "DRILL: Stage 1: call the staff member"
    assert card.instruction_label.text().startswith("DRILL (practice only")
    assert card.property("drill") is True
    board.page.open_police_sheet(drill_id)
    sheet = board.page.sheet_windows[drill_id]
    assert "DRILL: police information sheet" in sheet.browser.toPlainText()
    assert "DRILL — PRACTICE ONLY: DO NOT CALL THE POLICE" in sheet.browser.toPlainText()
    assert sheet.windowTitle().startswith("DRILL: ")
    sheet.close()
    assert any(e.note == "DRILL started." for e in events(board_school.database, drill_id))


def test_the_board_page_is_keyboard_reachable_and_named(qtbot, board_school, timers):
    visit_on_site(board_school, ["Dawn"], length=timedelta(minutes=20))
    board = open_board(qtbot, board_school, timers)
    board.tick(20 * 60)
    page = board.page
    card = page.alert_panel.card(AlertKind.ESCALATION, page.model.row(0).visit_id)
    assert card is not None
    for widget in (
        page.table,
        page.urgent_button,
        page.drill_button,
        page.monitoring_strip.start_button,
        card.claim_button,
        *page.quick_bar.buttons.values(),
    ):
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus, widget
    assert not page.table.tabKeyNavigation()
    assert card.accessibleName() == "Stage 1: call the staff member"
    assert card.icon_label.accessibleName() == "Stage 1: call the staff member"
    for button in page.quick_bar.buttons.values():
        assert button.accessibleName()
    assert all(a.shortcut().toString() for a in page.quick_bar.actions_.values())
    assert QPoint  # keep the import for readers: actions are reachable without a mouse
