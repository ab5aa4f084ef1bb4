"""The banner under stress: the most urgent unclaimed prompts whole, the rest one line each,
a claimed prompt folded, every prompt reachable and counted, and the table keeping its rows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from hvdesk.domain.people import Role
from hvdesk.services.board_alerts import AlertKind
from hvdesk.services.identity import SignedInUser
from hvdesk.ui.board.alert_card import AlertCard
from hvdesk.ui.board.alert_panel import AlertPanel
from hvdesk.ui.board.alert_sound import REPEAT_SECONDS
from hvdesk.ui.board.alert_words import CardCommand
from hvdesk.ui.board.board_model import Col
from hvdesk.ui.main_window import MainWindow
from hvdesk.ui.pages.board_page import MIN_TABLE_ROWS, BoardPage
from tests.ui.board_support import (
    Board,
    BoardSchool,
    crowd,
    new_board_school,
    open_board,
    visit_on_site,
)


@pytest.fixture
def board_school(opener, data_dir, clock) -> Iterator[BoardSchool]:
    yield from new_board_school(opener, data_dir, clock)


def crowded_board(qtbot, school: BoardSchool, timers, count: int = 7) -> Board:
    """`count` colleagues out, every check-in missed: `count` unclaimed stage-1 prompts."""
    crowd(school, count, within=timedelta(minutes=10))
    board = open_board(qtbot, school, timers)
    board.clock.advance(timedelta(minutes=11))
    board.poll()
    return board


def cards_in_order(panel: AlertPanel) -> list[AlertCard]:
    return [panel.cards[key] for key in panel._order]


def whole(panel: AlertPanel) -> list[AlertCard]:
    return [card for card in cards_in_order(panel) if not card.compact]


def test_many_prompts_show_the_first_whole_and_the_rest_one_line_each(qtbot, board_school, timers):
    board = crowded_board(qtbot, board_school, timers)
    panel = board.page.alert_panel
    assert len(panel.cards) == 7  # every prompt has its place on the banner
    cards = cards_in_order(panel)
    assert 1 <= len(whole(panel)) <= 2
    assert whole(panel) == cards[: len(whole(panel))]  # the most urgent ones
    for card in cards[len(whole(panel)) :]:
        assert card.compact and card.full_box.isHidden() and not card.compact_bar.isHidden()
        assert card.compact_stage.text() == "Stage 1: call staff"
        assert card.compact_who.text() == card.alert.row.names
        assert card.compact_time.text().startswith("Overdue by ")
        assert card.compact_claim.text() == "NOT CLAIMED"
        assert card.expand_button.focusPolicy() & Qt.FocusPolicy.TabFocus
        assert card.expand_button.accessibleName() == (
            f"Expand the alert: Stage 1: call staff, {card.alert.row.names}"
        )
    assert panel.summary_label.text().startswith("7 prompts need action; 7 are not claimed")


def test_prompts_out_of_view_are_counted_and_shown_on_request(qtbot, board_school, timers):
    board = crowded_board(qtbot, board_school, timers, count=9)
    page, panel = board.page, board.page.alert_panel
    page.splitter.setSizes([160, page.splitter.height() - 160])  # the office made it small
    qtbot.waitUntil(lambda: not panel.more_button.isHidden(), timeout=2000)
    hidden = len(panel.hidden_keys)
    assert hidden >= 1
    assert panel.more_button.text() == (
        f"+{hidden} more alert{'s' if hidden > 1 else ''} ({hidden} not claimed): show ▾"
    )
    seen = {k for k in panel._order if k not in panel.hidden_keys}
    for _ in range(len(panel._order)):
        if seen == set(panel._order):
            break
        before = list(panel.hidden_keys)
        panel.more_button.click()  # walks down through the prompts out of view
        qtbot.waitUntil(lambda before=before: panel.hidden_keys != before, timeout=2000)
        seen |= {k for k in panel._order if k not in panel.hidden_keys}
    assert seen == set(panel._order)  # every prompt was brought into view


def test_a_claimed_prompt_folds_and_the_next_unclaimed_one_opens(qtbot, board_school, timers):
    visit_on_site(board_school, ["Dawn"], length=timedelta(minutes=20))
    visit_on_site(board_school, ["Eve"], length=timedelta(minutes=21), home=1)
    visit_on_site(board_school, ["Fay"], length=timedelta(minutes=22))
    board = open_board(qtbot, board_school, timers)
    board.tick(23 * 60)
    panel = board.page.alert_panel
    first, _second, third = cards_in_order(panel)
    assert not first.compact and third.compact
    plays = board.sound.plays

    first.claim_button.click()
    claimed = board.page.alert_panel.card(AlertKind.ESCALATION, first.visit_id)
    assert claimed is not None and claimed.compact
    assert claimed.compact_claim.text() == "Claimed: Ann Lee 10:53"
    assert cards_in_order(panel)[-1] is claimed  # what is dealt with goes below what is not
    assert not cards_in_order(panel)[0].compact  # the next unclaimed prompt shows whole
    board.tick(REPEAT_SECONDS)
    assert board.sound.plays == plays + 1  # two are still unclaimed: the sound goes on


def test_a_row_opens_in_place_with_its_outcomes_and_folds_again(qtbot, board_school, timers):
    visit_id = visit_on_site(board_school, ["Dawn"], length=timedelta(minutes=20))
    board = open_board(qtbot, board_school, timers)
    board.tick(20 * 60)
    card = board.page.alert_panel.card(AlertKind.ESCALATION, visit_id)
    assert card is not None and not card.compact
    card.claim_button.click()
    assert card.compact  # claimed: one line
    assert not card.buttons[CardCommand.SAFE_EXTEND].isVisibleTo(card)

    card.expand_button.click()
    assert not card.compact
    for command in (CardCommand.NO_ANSWER, CardCommand.SAFE_EXTEND, CardCommand.RESOLVE):
        assert card.buttons[command].isVisibleTo(card)
    board.poll()
    assert not card.compact  # the office's choice holds while the prompt stays as it is

    card.collapse_button.click()
    assert card.compact
    board.tick(15 * 60)  # stage 3 needs a fresh claim: it opens again by itself
    card = board.page.alert_panel.card(AlertKind.ESCALATION, visit_id)
    assert card is not None and not card.compact
    assert card.claim_button.text() == "Claim again: I am still on it"


def test_pressing_an_outcome_on_a_folded_card_opens_it_first(qtbot, board_school, timers):
    visit_id = visit_on_site(board_school, ["Dawn"], length=timedelta(minutes=20))
    board = open_board(qtbot, board_school, timers)
    board.tick(20 * 60)
    card = board.page.alert_panel.card(AlertKind.ESCALATION, visit_id)
    assert card is not None
    card.claim_button.click()
    assert card.compact
    card.press(CardCommand.SAFE_EXTEND)  # asks for the minutes inline
    assert not card.compact and not card.input_box.isHidden()
    board.poll()
    assert not card.compact  # a question being answered is never folded away


def test_the_keyboard_opens_a_row_and_lands_in_the_card(qtbot, board_school, timers):
    board = crowded_board(qtbot, board_school, timers, count=4)
    board.page.activateWindow()
    qtbot.waitUntil(board.page.isActiveWindow, timeout=2000)
    card = next(c for c in cards_in_order(board.page.alert_panel) if c.compact)
    card.expand_button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(card.expand_button, Qt.Key.Key_Space)
    assert not card.compact
    assert card.claim_button.hasFocus()  # the keyboard is in the card, on its claim
    card.collapse_button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(card.collapse_button, Qt.Key.Key_Space)
    assert card.compact
    assert card.expand_button.hasFocus()  # folded: the keyboard stays on its line


def test_pair_visits_show_one_name_a_line_on_a_taller_row(qtbot, board_school, timers):
    visit_on_site(board_school, ["Dawn", "Eve"], length=timedelta(minutes=20))
    visit_on_site(board_school, ["Fay"], length=timedelta(minutes=40), home=1)
    board = open_board(qtbot, board_school, timers)
    page, model = board.page, board.page.model
    assert board.row_texts(Col.STAFF) == ["Dawn Reid /\nEve Okafor", "Fay Lamb"]
    spoken = model.data(model.index(0, Col.STAFF), Qt.ItemDataRole.AccessibleTextRole)
    assert spoken == "Dawn Reid and Eve Okafor"
    assert page.table.rowHeight(0) > page.table.rowHeight(1)
    for column in Col:
        assert "\n" not in model.headerData(column, Qt.Orientation.Horizontal)
    purpose = model.data(model.index(0, Col.PURPOSE), Qt.ItemDataRole.ToolTipRole)
    assert purpose == model.data(model.index(0, Col.PURPOSE))  # elided: whole in its tooltip


def test_staff_names_stay_whole_at_the_office_width(qtbot, board_school, timers):
    visit_on_site(board_school, ["Dawn", "Eve"], length=timedelta(minutes=20))
    board = open_board(qtbot, board_school, timers)
    page = board.page
    page.resize(1090, 700)  # the board's share of a 1280-pixel screen
    qtbot.waitUntil(lambda: page.table.viewport().width() <= 1090, timeout=2000)
    metrics = page.table.fontMetrics()
    for column, words in ((Col.STAFF, "Eve Okafor"), (Col.STAGE, "On visit")):
        assert page.table.columnWidth(column) > metrics.horizontalAdvance(words)


def visible_rows(page: BoardPage) -> int:
    table = page.table
    bottom = table.viewport().height()
    return sum(
        1
        for r in range(page.model.rowCount())
        if table.rowViewportPosition(r) >= 0
        and table.rowViewportPosition(r) + table.rowHeight(r) <= bottom
    )


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_the_demo_board_keeps_six_rows_and_shows_its_first_prompt_whole(
    qtbot, demo_window: MainWindow, size
):
    demo_window.current_user.sign_in(SignedInUser(1, "s.whitfield", "Sarah Whitfield", Role.DSL))
    demo_window.resize(*size)
    page = demo_window.board_page
    panel = page.alert_panel
    qtbot.waitUntil(lambda: page.table.viewport().height() > 100, timeout=2000)
    qtbot.wait(50)
    assert len(page.alerts) >= 6
    assert visible_rows(page) >= MIN_TABLE_ROWS
    first = cards_in_order(panel)[0]
    assert not first.compact
    assert panel.scroll_area.viewport().height() >= first.height()  # whole, buttons and all
    shown = len(panel._order) - len(panel.hidden_keys)
    if panel.hidden_keys:
        assert panel.more_button.isVisible()
        assert f"+{len(panel.hidden_keys)} more alert" in panel.more_button.text()
    assert shown >= 1


def test_the_office_s_divider_stays_until_the_prompts_change(qtbot, board_school, timers):
    board = crowded_board(qtbot, board_school, timers, count=3)
    page = board.page
    reshaped: list[bool] = []
    page.alert_panel.shape_changed.connect(lambda: reshaped.append(True))
    page.splitter.splitterMoved.emit(120, 1)  # as when the office drags the divider
    page.splitter.setSizes([120, page.splitter.height() - 120])
    for _ in range(3):
        board.tick(5)
        board.poll()
    page.resize(page.width(), page.height() + 40)
    qtbot.wait(20)
    assert reshaped == []
    assert page.splitter.sizes()[0] == 120

    visit_on_site(board.school, ["Dawn"], length=timedelta(minutes=1))
    board.clock.advance(timedelta(minutes=2))
    board.poll()  # a new prompt: the height is shared out afresh
    assert reshaped
    assert page.splitter.sizes()[0] > 120
