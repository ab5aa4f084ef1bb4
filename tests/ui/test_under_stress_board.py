"""Issue 13 on the board, walked as reception works it (real encrypted database, fake clock,
keyboard and mouse): logging claims (1), the card moves on (2), one key never ends an open
escalation unconfirmed (4), messages clear after sign-in (6), who to call is out (7), the wait
at the door (8), the stand-down (14), names and keys for screen readers (11)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from hvdesk.db.models import Staff, Visit
from hvdesk.domain.people import JobRole
from hvdesk.domain.visits import CancellationCause, EventKind, VisitStatus
from hvdesk.services.board_alerts import AlertKind
from hvdesk.ui.board.alert_card import AlertCard
from hvdesk.ui.board.alert_sound import REPEAT_SECONDS
from hvdesk.ui.board.alert_words import CardCommand
from hvdesk.ui.board.board_model import Col
from tests.ui.board_support import (
    Board,
    BoardSchool,
    events,
    new_board_school,
    open_board,
    visit_on_site,
)


@pytest.fixture
def board_school(opener, data_dir, clock) -> Iterator[BoardSchool]:
    yield from new_board_school(opener, data_dir, clock)


def _card(board: Board, visit_id: int, kind: AlertKind = AlertKind.ESCALATION) -> AlertCard:
    found = board.page.alert_panel.card(kind, visit_id)
    assert found is not None, f"no {kind} card for visit {visit_id}"
    return found


def _overdue(qtbot, school: BoardSchool, timers, *, signed_in: bool = True) -> tuple[Board, int]:
    visit_id = visit_on_site(school, ["Dawn"], length=timedelta(minutes=20))
    board = open_board(qtbot, school, timers, signed_in=signed_in)
    board.tick(20 * 60 + 60)  # the check-in is a minute overdue: stage 1
    return board, visit_id


def _key_press(qtbot, button) -> None:
    """Press a button from the keyboard, as a receptionist tabbing to it would."""
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(button, Qt.Key.Key_Space)


def _answer(qtbot, card: AlertCard, text: str) -> None:
    qtbot.keyClicks(card.input_text, text)
    qtbot.keyClick(card.input_text, Qt.Key.Key_Return)


# --- 1 and 2: logging claims, and the card moves on ----------------------------------------------


def test_logging_a_step_claims_and_the_card_says_done_now_and_next(qtbot, board_school, timers):
    board, visit_id = _overdue(qtbot, board_school, timers)
    card = _card(board, visit_id)
    assert card.claim_label.text() == "NOT CLAIMED: sound repeats"
    assert card.steps.now_label.text().startswith("Do now: Call Dawn Reid's work mobile")
    assert card.steps.now_label.accessibleName().startswith("Do now:")
    assert card.steps.next_label.text().startswith("Next: If there is still no answer at 11:05")
    assert card.buttons[CardCommand.NO_ANSWER].accessibleName() == (
        f"Called: no answer: Dawn Reid, visit {visit_id}"
    )

    board.page.window().activateWindow()
    qtbot.waitUntil(board.page.window().isActiveWindow, timeout=2000)
    _key_press(qtbot, card.buttons[CardCommand.NO_ANSWER])  # by keyboard
    card = _card(board, visit_id)
    assert card.claim_label.text().startswith("Claimed by Ann Lee at")
    # The keyboard stays on this card, at its next step (never on another colleague's card).
    assert QApplication.focusWidget() is card.buttons[CardCommand.SUPERVISOR_INFORMED]
    assert not card.compact  # the card worked on stays whole
    assert card.steps.now_label.text().startswith("Do now: Inform Dawn Reid's supervisor")
    assert "Called the staff member: no answer (Ann Lee)" in card.steps.done_label.text()
    plays = board.sound.plays
    board.tick(REPEAT_SECONDS * 2)
    assert board.sound.plays == plays  # logging the step claimed it: the sound stopped

    qtbot.mouseClick(card.buttons[CardCommand.SUPERVISOR_INFORMED], Qt.MouseButton.LeftButton)
    card.input_text.clear()
    _answer(qtbot, card, "Sam Patel")
    card = _card(board, visit_id)
    assert card.steps.now_label.text() == "Do now: Nothing to do now but wait."
    assert card.steps.next_label.text() == (
        "Next: If there is still no answer at 11:05, call Dawn Reid's emergency contact."
    )

    # A colleague at the same desk takes it over in one action, logged as a take-over.
    board.current_user.sign_in(board.school.colleague)
    card = _card(board, visit_id)
    assert card.claim_button.text() == "Take over from Ann Lee"
    assert card.claim_button.accessibleName() == (
        f"Take over from Ann Lee: Dawn Reid, visit {visit_id}"
    )
    qtbot.mouseClick(card.claim_button, Qt.MouseButton.LeftButton)
    claims = [
        e for e in events(board.school.database, visit_id) if e.kind is EventKind.ALERT_CLAIMED
    ]
    assert claims[-1].note == "Taken over from Ann Lee."
    assert _card(board, visit_id).claim_label.text().startswith("Claimed by Bob Hart")


# --- 4: no single key ends an escalation unconfirmed ---------------------------------------------


def test_r_on_an_overdue_row_asks_once_naming_the_person_and_stage(qtbot, board_school, timers):
    board, visit_id = _overdue(qtbot, board_school, timers)
    on_time = visit_on_site(board_school, ["Fay"], length=timedelta(minutes=90), home=1)
    board.poll()
    board.page.window().activateWindow()
    QApplication.processEvents()
    assert board.page.select_visit(visit_id)
    board.page.table.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.keyClick(board.page.table, "R")
    message = board.page.quick_bar.message.text()
    assert message.startswith("Confirm: record “back at base / home safe” for Dawn Reid")
    assert "Stage 1: call the staff member" in message
    assert EventKind.RETURNED not in [e.kind for e in events(board.school.database, visit_id)]
    qtbot.keyClick(board.page.table, "R")  # the same key again: recorded
    assert EventKind.RETURNED in [e.kind for e in events(board.school.database, visit_id)]

    assert board.page.select_visit(on_time)  # not overdue: one key stays one key
    board.page.table.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.keyClick(board.page.table, "R")
    assert EventKind.RETURNED in [e.kind for e in events(board.school.database, on_time)]


# --- 6: messages that clear ----------------------------------------------------------------------


def test_after_sign_in_the_blocked_action_goes_on_and_privacy_drops_the_last_line(
    qtbot, board_school, timers
):
    board, visit_id = _overdue(qtbot, board_school, timers, signed_in=False)
    asked: list[bool] = []
    board.page.sign_in_requested.connect(lambda: asked.append(True))
    card = _card(board, visit_id)
    qtbot.mouseClick(card.claim_button, Qt.MouseButton.LeftButton)
    assert asked and "Sign in to record this" in card.error_label.text()
    board.sign_in()  # the claim goes on; the red words go
    card = _card(board, visit_id)
    assert card.error_label.isHidden()
    assert card.claim_label.text().startswith("Claimed by Ann Lee")
    assert "Recorded at" in board.page.quick_bar.message.text()

    board.current_user.sign_out()  # privacy mode: no line of what was last done
    assert board.page.quick_bar.message.isHidden()
    assert board.page.quick_bar.message.text() == ""


# --- 7: who to call is reachable -----------------------------------------------------------------


def test_a_supervisor_out_on_a_visit_is_flagged_and_the_head_offered(qtbot, board_school, timers):
    with board_school.database.session() as session:
        session.add(
            Staff(
                first_name="Helen",
                last_name="Ward",
                job_role=JobRole.HEADTEACHER,
                work_mobile="07700 900200",
            )
        )
        session.commit()
    sams = visit_on_site(board_school, ["Sam"], length=timedelta(minutes=60), home=1)
    board, visit_id = _overdue(qtbot, board_school, timers)
    card = _card(board, visit_id)
    _key_press(qtbot, card.buttons[CardCommand.NO_ANSWER])  # stage 2: the supervisor
    numbers = _card(board, visit_id).numbers
    assert f"Supervisor: Sam Patel (out on visit {sams}) 07700 900100" in numbers
    assert "Instead: Headteacher: Helen Ward 07700 900200" in numbers


# --- 8: the wait at the door ---------------------------------------------------------------------


def test_the_wait_at_the_door_is_timed_and_ends_with_parent_not_there(qtbot, board_school, timers):
    visit_id = visit_on_site(board_school, ["Dawn"], length=timedelta(minutes=60))
    board = open_board(qtbot, board_school, timers)
    board.page.window().activateWindow()
    QApplication.processEvents()
    assert board.page.select_visit(visit_id)
    board.page.table.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.keyClick(board.page.table, "W")  # Dawn phoned: at the door, nobody in
    assert "waiting at the door" in board.page.quick_bar.message.text()
    assert "Waiting at the door until 10:40" in board.row_texts(Col.STAGE)  # the countdown's end
    plays = board.sound.plays
    board.tick(9 * 60)
    assert board.page.alert_panel.card(AlertKind.DOOR_WAIT, visit_id) is None
    board.tick(60)  # ten minutes: the school's limit
    card = _card(board, visit_id, AlertKind.DOOR_WAIT)
    assert card.title_label.text() == "Wait at the door over: tell them to leave"
    assert card.steps.now_label.text().startswith("Do now: Tell Dawn Reid to leave the door")
    assert board.sound.plays > plays
    qtbot.mouseClick(card.buttons[CardCommand.PARENT_NOT_THERE], Qt.MouseButton.LeftButton)
    with board.school.database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None and visit.status is VisitStatus.CANCELLED
        assert visit.cancellation_cause is CancellationCause.PARENT_NOT_PRESENT
        assert visit.events[-1].note and "waited 10 minutes" in visit.events[-1].note


def test_a_parent_running_late_then_arriving_ends_the_wait(qtbot, board_school, timers):
    visit_id = visit_on_site(board_school, ["Dawn"], length=timedelta(minutes=60))
    board = open_board(qtbot, board_school, timers)
    board.page.window().activateWindow()
    QApplication.processEvents()
    assert board.page.select_visit(visit_id)
    board.page.quick_bar.buttons[
        next(c for c in board.page.quick_bar.buttons if c.value == "parent_running_late")
    ].click()
    board.tick(25 * 60)
    assert board.page.alert_panel.card(AlertKind.DOOR_WAIT, visit_id) is None  # 30 allowed
    board.page.table.setFocus(Qt.FocusReason.OtherFocusReason)
    assert board.page.select_visit(visit_id)
    qtbot.keyClick(board.page.table, "V")  # the parent came
    board.tick(10 * 60)
    assert board.page.alert_panel.card(AlertKind.DOOR_WAIT, visit_id) is None
    assert EventKind.PARENT_ARRIVED in [e.kind for e in events(board.school.database, visit_id)]


# --- 14: the stand-down --------------------------------------------------------------------------


def test_after_resolving_everyone_alerted_is_stood_down_from_the_card(qtbot, board_school, timers):
    board, visit_id = _overdue(qtbot, board_school, timers)
    card = _card(board, visit_id)
    _key_press(qtbot, card.buttons[CardCommand.NO_ANSWER])
    card = _card(board, visit_id)
    card.press(CardCommand.SUPERVISOR_INFORMED)
    card.input_text.clear()
    _answer(qtbot, card, "Sam Patel")
    board.tick(30 * 60)  # stage 4
    card = _card(board, visit_id)
    card.press(CardCommand.CONTACT_NO_ANSWER)
    card = _card(board, visit_id)
    card.press(CardCommand.POLICE_INFORMED)
    _answer(qtbot, card, "CAD 4471")
    card = _card(board, visit_id)
    assert card.steps.now_label.text() == "Do now: Nothing to do now but wait."
    assert "Inform the police now" not in card.steps.text
    assert "reference CAD 4471" in card.steps.text
    board.current_user.sign_out()  # privacy mode: no reference or contact on a public screen
    assert "CAD 4471" not in _card(board, visit_id).steps.text
    board.sign_in()
    board.school.visit_log().returned(visit_id, board.school.user)
    board.poll()
    card = _card(board, visit_id)
    card.press(CardCommand.RESOLVE)
    _answer(qtbot, card, "Phone battery flat; back at base, safe")

    stand = _card(board, visit_id, AlertKind.STAND_DOWN)
    box = stand.stand_down_box
    assert list(box.told_buttons) == ["informed_police", "informed_supervisor"]  # police first
    assert box.told_buttons["informed_police"].accessibleName() == (
        f"Stand-down: The police reference CAD 4471 told, Dawn Reid, visit {visit_id}"
    )
    qtbot.mouseClick(box.told_buttons["informed_police"], Qt.MouseButton.LeftButton)
    box = _card(board, visit_id, AlertKind.STAND_DOWN).stand_down_box
    qtbot.keyClicks(box.reasons["informed_supervisor"], "Sam came back with her")
    qtbot.keyClick(box.reasons["informed_supervisor"], Qt.Key.Key_Return)
    assert board.page.alert_panel.card(AlertKind.STAND_DOWN, visit_id) is None
    kinds = [(e.kind, e.action) for e in events(board.school.database, visit_id)]
    assert sum(1 for k, _a in kinds if k is EventKind.STOOD_DOWN) == 2
    with board.school.database.session() as session:
        assert session.scalar(sa.select(Visit.status).where(Visit.id == visit_id)) in (
            VisitStatus.COMPLETED,
        )


# --- 11: keyboard, names and contrast ------------------------------------------------------------


def test_tab_reaches_the_cards_before_the_table_and_k_claims_the_selected_row(
    qtbot, board_school, timers
):
    board, visit_id = _overdue(qtbot, board_school, timers)
    page = board.page
    page.window().activateWindow()
    qtbot.waitUntil(page.window().isActiveWindow, timeout=2000)
    card = _card(board, visit_id)
    page.drill_button.setFocus(Qt.FocusReason.TabFocusReason)
    seen = []
    for _ in range(6):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
        if seen[-1] is card.claim_button:
            break
    assert card.claim_button in seen and page.table not in seen  # the card before the table
    assert not page.alert_panel.scroll_area.focusPolicy() & Qt.FocusPolicy.TabFocus

    assert page.select_visit(visit_id)
    page.table.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.keyClick(page.table, "K")  # claim from the table
    assert _card(board, visit_id).claim_label.text().startswith("Claimed by Ann Lee")


def test_enter_in_the_minutes_box_records_the_extension(qtbot, board_school, timers):
    board, visit_id = _overdue(qtbot, board_school, timers)
    card = _card(board, visit_id)
    card.press(CardCommand.SAFE_EXTEND)
    assert card.input_minutes.hasFocus() or card.focusWidget() is card.input_minutes
    card.input_minutes.lineEdit().selectAll()
    qtbot.keyClicks(card.input_minutes.lineEdit(), "25")
    qtbot.keyClick(card.input_minutes.lineEdit(), Qt.Key.Key_Return)
    logged = [
        e for e in events(board.school.database, visit_id) if e.kind is EventKind.ESCALATION_ACTION
    ]
    assert logged and logged[-1].new_deadline is not None


def _contrast(a: str, b: str) -> float:
    def lum(colour: str) -> float:
        rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((lum(a), lum(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_borders_placeholders_and_chart_bars_meet_the_contrast_minimums() -> None:
    import re
    from pathlib import Path

    from hvdesk.reports.charts import PALETTE as PDF_PALETTE
    from hvdesk.ui.pages.reports_page import PALETTE

    qss = (Path(__file__).resolve().parents[2] / "resources" / "style.qss").read_text()
    inputs = re.search(r"QLineEdit, QComboBox \{[^}]*border: 1px solid (#[0-9a-f]{6})", qss)
    placeholder = re.search(r"placeholder-text-color: (#[0-9a-f]{6})", qss)
    card = re.search(r"QFrame#alertCard \{[^}]*border: 1px solid (#[0-9a-f]{6})", qss)
    assert inputs and placeholder and card
    assert _contrast(inputs.group(1), "#ffffff") >= 3
    assert _contrast(card.group(1), "#ffffff") >= 3
    assert _contrast(placeholder.group(1), "#ffffff") >= 4.5
    assert all(_contrast(c, "#ffffff") >= 3 for c in PALETTE)
    assert all(_contrast("#" + c.hexval()[2:], "#ffffff") >= 3 for c in PDF_PALETTE)


def test_yes_no_answers_are_named_with_their_question(qtbot, board_school) -> None:
    from hvdesk.services.visit_records import VisitRecords
    from hvdesk.ui.visit_record.record_dialog import VisitRecordDialog

    visit_id = visit_on_site(board_school, ["Dawn"], length=timedelta(minutes=30))
    board_school.visit_log().returned(visit_id, board_school.user)
    with board_school.database.session() as session:
        from hvdesk.db.models import UserAccount
        from hvdesk.domain.people import Role

        session.get(UserAccount, board_school.user.user_id).role = Role.DSL  # type: ignore[union-attr]
        session.commit()
    from dataclasses import replace

    dsl = replace(board_school.user, role=Role.DSL)
    dialog = VisitRecordDialog(
        VisitRecords(board_school.database, board_school.clock), visit_id, dsl, board_school.clock
    )
    qtbot.addWidget(dialog)
    assert dialog.seen_yes.accessibleName() == "Was the child seen? Yes"
    assert dialog.seen_no.accessibleName() == "Was the child seen? No"


# --- 9: the end-of-day list stays ----------------------------------------------------------------


def test_the_end_of_day_card_stays_across_midnight_and_a_restart_until_home_safe(
    qtbot, board_school, timers
):
    visit_id = visit_on_site(board_school, ["Dawn"], length=timedelta(minutes=60))
    board = open_board(qtbot, board_school, timers)
    evening = board.clock.now().replace(hour=17, minute=31)  # UTC is UK time in November
    board.clock.set(evening)
    board.poll()
    eod = board.page.alert_panel.card(AlertKind.END_OF_DAY, 0)
    assert eod is not None and visit_id in eod.alert.visit_ids
    board.clock.set(evening + timedelta(hours=6, minutes=34))  # 00:05 the next day
    board.poll()
    eod = board.page.alert_panel.card(AlertKind.END_OF_DAY, 0)
    assert eod is not None and visit_id in eod.alert.visit_ids

    board.page.close()  # a restart: a new board on the same database
    again = open_board(qtbot, board_school, timers)
    eod = again.page.alert_panel.card(AlertKind.END_OF_DAY, 0)
    assert eod is not None and visit_id in eod.alert.visit_ids
    board_school.visit_log().returned(visit_id, board_school.user)
    again.page.refresh()
    eod = again.page.alert_panel.card(AlertKind.END_OF_DAY, 0)
    assert eod is None, eod.alert.visit_ids if eod else None
