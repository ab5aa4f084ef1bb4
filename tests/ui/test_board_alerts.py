"""Prompts that cannot be missed: cards, the sound until a claim, the window brought forward,
the tray when minimised, privacy on the cards, and every one-click outcome in the database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from hvdesk.db.models import BoardShift, Incident
from hvdesk.domain.escalation import EscalationStage
from hvdesk.domain.visits import ActionOutcome, CancellationCause, EscalationAction, EventKind
from hvdesk.services.board_alerts import AlertKind
from hvdesk.ui.board.alert_card import AlertCard
from hvdesk.ui.board.alert_sound import REPEAT_SECONDS, AlertSounder
from hvdesk.ui.board.alert_words import CardCommand
from hvdesk.ui.board.board_model import Col
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


def overdue_board(qtbot, school: BoardSchool, timers, *, signed_in: bool = True) -> Board:
    """Dawn's visit, its check-in due in 20 minutes; the board then moved to the deadline."""
    visit_on_site(school, ["Dawn"], length=timedelta(minutes=20))
    visit_on_site(school, ["Fay"], length=timedelta(minutes=90), home=1)
    board = open_board(qtbot, school, timers, signed_in=signed_in)
    board.clock.advance(timedelta(minutes=20))
    board.poll()
    return board


def card(board: Board, kind: AlertKind = AlertKind.ESCALATION) -> AlertCard:
    visit_id = board.page.model.row(0).visit_id
    found = board.page.alert_panel.card(kind, visit_id)
    assert found is not None, f"no {kind} card for visit {visit_id}"
    return found


def test_stage_one_raises_a_card_the_row_the_window_and_the_sound(qtbot, board_school, timers):
    visit_on_site(board_school, ["Dawn"], length=timedelta(minutes=20))
    board = open_board(qtbot, board_school, timers)
    raised: list[str] = []
    board.page.alert_raised.connect(raised.append)
    assert board.page.alert_panel.isHidden() and board.sound.plays == 0

    board.tick(20 * 60)  # the check-in deadline passes: no poll needed
    panel = board.page.alert_panel
    assert not panel.isHidden()
    the_card = card(board)
    assert the_card.title_label.text() == "Stage 1: call the staff member"
    assert the_card.who_label.text() == "Dawn Reid · Holbeck"
    assert "Call Dawn Reid's work mobile now" in the_card.instruction_label.text()
    assert "Call: Dawn Reid 07700 900001" in the_card.numbers
    assert the_card.claim_label.text() == "NOT CLAIMED: sound repeats"
    assert "1 is not claimed" in panel.summary_label.text()
    assert board.sound.plays == 1
    assert raised == ["Dawn Reid: Stage 1: call the staff member"]
    assert board.row_texts(Col.STAGE) == ["Stage 1: call staff"]


def test_the_sound_repeats_until_someone_signed_in_claims_it(qtbot, board_school, timers):
    board = overdue_board(qtbot, board_school, timers)
    assert board.sound.plays == 1
    for _ in range(int(REPEAT_SECONDS) - 1):
        board.tick()
    assert board.sound.plays == 1
    board.tick()
    assert board.sound.plays == 2
    for _ in range(30):
        board.tick()
    assert board.sound.plays == 5
    board.poll()
    assert board.sound.plays == 5  # a poll alone changes nothing

    card(board).claim_button.click()
    assert board.row_texts(Col.CLAIMED) == ["Ann Lee (10:50)", ""]
    assert card(board).claim_label.text() == "Claimed by Ann Lee at 10:50"
    assert card(board).claim_button.isHidden()
    assert last_event(board_school.database, board.page.model.row(0).visit_id).kind is (
        EventKind.ALERT_CLAIMED
    )
    for _ in range(60):
        board.tick()
    board.poll()
    assert board.sound.plays == 5
    assert "every alert is claimed" in board.page.alert_panel.summary_label.text()


def test_a_claim_without_anyone_signed_in_asks_for_a_sign_in(qtbot, board_school, timers):
    board = overdue_board(qtbot, board_school, timers, signed_in=False)
    asked: list[bool] = []
    board.page.sign_in_requested.connect(lambda: asked.append(True))
    the_card = card(board)
    assert the_card.numbers == "Sign in to see the numbers to call."
    assert the_card.who_label.text() == "Dawn Reid"  # no area either
    the_card.claim_button.click()
    assert asked == [True]
    assert "Sign in to record this" in card(board).error_label.text()
    assert not any(
        e.kind is EventKind.ALERT_CLAIMED
        for e in events(board_school.database, board.page.model.row(0).visit_id)
    )
    plays = board.sound.plays
    board.tick(REPEAT_SECONDS)
    assert board.sound.plays == plays + 1  # still sounding

    board.sign_in()
    card(board).claim_button.click()
    board.tick(REPEAT_SECONDS * 3)
    assert board.sound.plays == plays + 1


def test_a_time_driven_step_up_needs_a_fresh_claim(qtbot, board_school, timers):
    board = overdue_board(qtbot, board_school, timers)
    card(board).claim_button.click()
    card(board).press(CardCommand.NO_ANSWER)  # stage 2 follows from the claimant's own log
    assert card(board).title_label.text() == "Stage 2: inform the supervisor"
    assert card(board).alert.acknowledged
    plays = board.sound.plays
    board.tick(REPEAT_SECONDS * 2)
    assert board.sound.plays == plays

    board.tick(15 * 60)  # stage 3 at the agreed time + 15 min
    assert card(board).title_label.text() == "Stage 3: call the emergency contact"
    assert card(board).claim_label.text() == "Claimed by Ann Lee at 10:50: new stage"
    assert card(board).claim_button.text() == "Claim again: I am still on it"
    assert board.sound.plays == plays + 1
    board.tick(REPEAT_SECONDS)
    assert board.sound.plays == plays + 2
    card(board).claim_button.click()
    board.tick(REPEAT_SECONDS * 2)
    assert board.sound.plays == plays + 2


def test_the_window_comes_forward_and_the_tray_is_told_when_minimised(qtbot, board_school, timers):
    visit_on_site(board_school, ["Dawn"], length=timedelta(minutes=20))
    board = open_board(qtbot, board_school, timers)
    board.page.showMinimized()
    qtbot.waitUntil(board.page.isMinimized, timeout=2000)
    board.tick(20 * 60)
    assert not board.page.isMinimized()
    assert board.notifier.messages == [
        ("hvdesk: action needed on the board", "Dawn Reid: Stage 1: call the staff member")
    ]
    board.tick(REPEAT_SECONDS)
    assert len(board.notifier.messages) == 1  # once per prompt, not every repeat


def test_several_colleagues_overdue_at_once_get_a_card_each(qtbot, board_school, timers):
    visit_on_site(board_school, ["Dawn"], length=timedelta(minutes=20))
    visit_on_site(board_school, ["Eve"], length=timedelta(minutes=5), home=1)
    authorised_visit(board_school, ["Fay"], start_in=timedelta(minutes=-20))
    board = open_board(qtbot, board_school, timers)
    board.tick(20 * 60)
    kinds = [key[0] for key in board.page.alert_panel.cards]
    assert sorted(kinds) == sorted(
        [AlertKind.ESCALATION, AlertKind.ESCALATION, AlertKind.NOT_SIGNED_OUT]
    )
    not_out = next(
        c for k, c in board.page.alert_panel.cards.items() if k[0] is AlertKind.NOT_SIGNED_OUT
    )
    assert not_out.title_label.text() == "Not signed out"
    assert not_out.compact  # the two escalations show whole; the third prompt is one line
    assert not_out.compact_claim.text() == "NOT CLAIMED"
    not_out.expand_button.click()
    assert not not_out.compact
    assert not_out.buttons[CardCommand.SIGN_OUT].isVisibleTo(not_out)
    assert board.page.alert_panel.summary_label.text().startswith("3 prompts need action; 3 are")
    assert "3 need action (3 not claimed)" in board.page.summary_label.text()


ONE_CLICK = [
    (CardCommand.NO_ANSWER, None, EscalationAction.CALLED_STAFF, ActionOutcome.NO_ANSWER),
    (CardCommand.SAFE_EXTEND, 25, EscalationAction.CALLED_STAFF, ActionOutcome.SAFE),
    (
        CardCommand.SUPERVISOR_INFORMED,
        "Sam Patel",
        EscalationAction.INFORMED_SUPERVISOR,
        ActionOutcome.INFORMED,
    ),
    (
        CardCommand.CONTACT_REACHED,
        None,
        EscalationAction.CALLED_EMERGENCY_CONTACT,
        ActionOutcome.REACHED,
    ),
    (
        CardCommand.CONTACT_NO_ANSWER,
        None,
        EscalationAction.CALLED_EMERGENCY_CONTACT,
        ActionOutcome.NO_ANSWER,
    ),
    (
        CardCommand.POLICE_INFORMED,
        "CAD 4471",
        EscalationAction.INFORMED_POLICE,
        ActionOutcome.INFORMED,
    ),
]


@pytest.mark.parametrize(("command", "typed", "action", "outcome"), ONE_CLICK)
def test_each_one_click_outcome_writes_its_event(
    qtbot, board_school, timers, command, typed, action, outcome
):
    board = overdue_board(qtbot, board_school, timers)
    board.tick(30 * 60)  # stage 4: every outcome is offered
    board.poll()
    visit_id = board.page.model.row(0).visit_id
    the_card = card(board)
    the_card.press(command)
    if isinstance(typed, int):
        assert not the_card.input_box.isHidden()
        the_card.input_minutes.setValue(typed)
        the_card.input_record.click()
    elif isinstance(typed, str):
        assert not the_card.input_box.isHidden()
        the_card.input_text.clear()
        qtbot.keyClicks(the_card.input_text, typed)
        qtbot.keyClick(the_card.input_text, "\r")
    event = last_event(board_school.database, visit_id)
    assert (event.kind, event.action, event.outcome) == (
        EventKind.ESCALATION_ACTION,
        action,
        outcome,
    )
    assert event.recorded_by_id == board_school.user.user_id
    assert event.occurred_at == board.clock.now()
    if command is CardCommand.SAFE_EXTEND:
        assert event.new_deadline == board.clock.now() + timedelta(minutes=25)
    if command is CardCommand.SUPERVISOR_INFORMED:
        assert event.contact_name == "Sam Patel"
    if command is CardCommand.POLICE_INFORMED:
        assert event.reference == "CAD 4471"
    assert "Recorded at 11:20 by Ann Lee: Dawn Reid" in board.page.quick_bar.message.text()


def test_the_supervisor_question_is_prefilled_and_errors_show_in_the_card(
    qtbot, board_school, timers
):
    board = overdue_board(qtbot, board_school, timers)
    card(board).press(CardCommand.NO_ANSWER)
    the_card = card(board)
    the_card.press(CardCommand.SUPERVISOR_INFORMED)
    assert the_card.input_text.text() == "Sam Patel"
    assert the_card.input_text.hasFocus() or the_card.input_text.isVisibleTo(the_card)
    the_card.input_text.clear()
    the_card.input_record.click()
    assert "Type it in" in the_card.error_label.text()


def test_what_the_visit_log_refuses_is_said_in_the_card(qtbot, board_school, timers):
    visit_id = authorised_visit(board_school, ["Fay"], start_in=timedelta(minutes=-16))
    board = open_board(qtbot, board_school, timers)
    the_card = board.page.alert_panel.card(AlertKind.NOT_SIGNED_OUT, visit_id)
    assert the_card is not None
    board_school.visit_log().sign_out(visit_id, board_school.colleague)  # at another desk
    before = len(events(board_school.database, visit_id))
    the_card.press(CardCommand.SIGN_OUT)
    assert "was already signed out at 10:30; nothing was recorded" in the_card.error_label.text()
    assert not the_card.error_label.isHidden()
    assert len(events(board_school.database, visit_id)) == before


def test_resolving_writes_the_resolution_and_an_incident(qtbot, board_school, timers):
    board = overdue_board(qtbot, board_school, timers)
    board.tick(60)  # a call at the very second of the deadline would be in time
    visit_id = board.page.model.row(0).visit_id
    the_card = card(board)
    the_card.press(CardCommand.SAFE_EXTEND)
    the_card.input_record.click()  # safe: the ladder stops, the resolution is still owed
    the_card = card(board)
    assert the_card.title_label.text() == "Contact restored: record the resolution"
    assert [b for c, b in the_card.buttons.items() if b.isVisibleTo(the_card)] == [
        the_card.buttons[CardCommand.RESOLVE]
    ]
    the_card.press(CardCommand.RESOLVE)
    qtbot.keyClicks(the_card.input_text, "Staff safe, spoke to Dawn at 10:51")
    qtbot.keyClick(the_card.input_text, "\r")
    event = last_event(board_school.database, visit_id)
    assert event.kind is EventKind.RESOLVED and event.note == "Staff safe, spoke to Dawn at 10:51"
    with board_school.database.session() as session:
        incident = session.scalars(sa.select(Incident).where(Incident.visit_id == visit_id)).one()
        assert incident.resolution == "Staff safe, spoke to Dawn at 10:51"
    assert board.page.alert_panel.card(AlertKind.ESCALATION, visit_id) is None


def test_not_signed_out_is_one_click_to_sign_out(qtbot, board_school, timers):
    visit_id = authorised_visit(board_school, ["Fay"], start_in=timedelta(minutes=-16))
    board = open_board(qtbot, board_school, timers)
    the_card = board.page.alert_panel.card(AlertKind.NOT_SIGNED_OUT, visit_id)
    assert the_card is not None
    assert the_card.time_label.text() == "Departure overdue by 01:00"
    the_card.press(CardCommand.SIGN_OUT)
    assert last_event(board_school.database, visit_id).kind is EventKind.SIGNED_OUT
    assert board.page.alert_panel.card(AlertKind.NOT_SIGNED_OUT, visit_id) is None
    assert board.row_texts(Col.STAGE) == ["Travelling: arrival call due"]


def test_a_safety_cancellation_stays_until_the_headteacher_is_told(qtbot, board_school, timers):
    visit_id = visit_on_site(board_school, ["Eve"])
    board_school.visit_log().cancel(visit_id, CancellationCause.FELT_UNSAFE, board_school.user)
    board = open_board(qtbot, board_school, timers)
    headteacher = board.page.alert_panel.card(AlertKind.HEADTEACHER, visit_id)
    assert headteacher is not None
    assert headteacher.title_label.text() == "Cancelled for safety: tell the headteacher"
    assert "Tell the headteacher now" in headteacher.instruction_label.text()
    assert board.sound.plays == 1  # it chimes once; it cannot be claimed, so it stays instead
    board.tick(REPEAT_SECONDS * 3)
    assert board.sound.plays == 1
    headteacher.press(CardCommand.HEADTEACHER_TOLD)
    event = last_event(board_school.database, visit_id)
    assert (event.action, event.outcome) == (
        EscalationAction.INFORMED_HEADTEACHER,
        ActionOutcome.INFORMED,
    )
    assert board.page.alert_panel.card(AlertKind.HEADTEACHER, visit_id) is None
    returned = board.page.alert_panel.card(AlertKind.RETURN, visit_id)
    assert returned is not None  # cancelled on site: still to confirm back at base
    returned.press(CardCommand.RETURNED)
    assert board.page.model.rowCount() == 0


def test_end_of_day_lists_who_is_still_out_until_each_is_back(qtbot, board_school, timers):
    clock = board_school.clock
    clock.set(datetime(2026, 11, 23, 16, 0, tzinfo=UTC))
    dawn = visit_on_site(board_school, ["Dawn"], length=timedelta(hours=3))
    fay = visit_on_site(board_school, ["Fay"], length=timedelta(hours=3), home=1)
    board = open_board(qtbot, board_school, timers)
    assert board.page.alert_panel.card(AlertKind.END_OF_DAY, 0) is None
    clock.set(datetime(2026, 11, 23, 17, 30, tzinfo=UTC))
    board.poll()
    end_of_day = board.page.alert_panel.card(AlertKind.END_OF_DAY, 0)
    assert end_of_day is not None
    assert end_of_day.title_label.text() == "End of day: still out or not confirmed home safe"
    assert sorted(end_of_day.alert.visit_ids) == sorted([dawn, fay])
    labels = [label.text() for label, _ in end_of_day._end_of_day_rows.values()]
    assert sorted(labels) == ["Dawn Reid: On visit", "Fay Lamb: On visit"]
    _label, show = end_of_day._end_of_day_rows[fay]
    show.click()
    assert board.page.selected_row() is not None
    assert board.page.selected_row().visit_id == fay
    board_school.visit_log().returned(dawn, board_school.user)
    board.poll()
    assert board.page.alert_panel.card(AlertKind.END_OF_DAY, 0).alert.visit_ids == (fay,)
    board_school.visit_log().returned(fay, board_school.user)
    board.poll()
    assert board.page.alert_panel.card(AlertKind.END_OF_DAY, 0) is None


def test_the_safe_word_card_is_an_emergency_with_the_police_first(qtbot, board_school, timers):
    visit_id = visit_on_site(board_school, ["Dawn"])
    board = open_board(qtbot, board_school, timers)
    board_school.visit_log().safe_word(visit_id, board_school.colleague)
    board.poll()
    the_card = card(board)
    assert the_card.title_label.text() == "EMERGENCY: safe word used"
    assert the_card.property("level") == "emergency"
    visible = [c for c, b in the_card.buttons.items() if b.isVisibleTo(the_card)]
    assert visible[:2] == [CardCommand.SUPERVISOR_INFORMED, CardCommand.POLICE_INFORMED]
    assert the_card.buttons[CardCommand.POLICE_INFORMED].property("outstanding") is True
    assert "Police: emergency call 999" in the_card.numbers
    assert board.row_texts(Col.STAGE) == ["EMERGENCY: safe word used"]


def test_monitoring_is_shown_and_handed_over_in_one_action(qtbot, board_school, timers):
    board = open_board(qtbot, board_school, timers)
    strip = board.page.monitoring_strip
    assert strip.label.text() == "Nobody is monitoring the board."
    strip.start_button.click()
    assert strip.label.text() == "Monitoring: Ann Lee since 10:30"
    assert strip.hand_over_button.isVisibleTo(strip)
    board.clock.advance(timedelta(hours=2))
    strip.hand_over_button.click()
    assert strip.colleagues.currentText() == "Bob Hart (Reception / school office)"
    strip.confirm_button.click()
    assert strip.label.text() == "Monitoring: Bob Hart since 12:30"
    assert not strip.hand_over_button.isVisibleTo(strip)  # Ann no longer holds it
    with board_school.database.session() as session:
        shifts = session.scalars(sa.select(BoardShift).order_by(BoardShift.id)).all()
        assert [(s.user_id, s.handed_to_id) for s in shifts] == [
            (board_school.user.user_id, board_school.colleague.user_id),
            (board_school.colleague.user_id, None),
        ]


def test_the_sounder_alone(clock):
    class Sink:
        plays = 0

        def play(self) -> None:
            self.plays += 1

    sink = Sink()
    sounder = AlertSounder(sink, clock, repeat_seconds=10)
    assert not sounder.update([])
    assert sounder.update(["a"]) and sink.plays == 1
    clock.advance(9)
    assert not sounder.update(["a"])
    assert sounder.update(["a", "b"]) and sink.plays == 2  # a new one sounds at once
    clock.advance(10)
    assert sounder.update(["a", "b"]) and sink.plays == 3
    assert not sounder.update([]) and not sounder.sounding
    assert sounder.update([], ping=True) and sink.plays == 4


def test_the_real_sink_falls_back_to_the_beep_without_qtmultimedia(qapp, monkeypatch):
    import builtins

    from hvdesk.ui.board import alert_sound

    real_import = builtins.__import__

    def no_multimedia(name, *args, **kwargs):
        if name == "PySide6.QtMultimedia":
            raise ImportError("libpulse.so.0: cannot open shared object file")
        return real_import(name, *args, **kwargs)

    beeps: list[bool] = []
    monkeypatch.setattr(builtins, "__import__", no_multimedia)
    monkeypatch.setattr(alert_sound.QApplication, "beep", lambda: beeps.append(True))
    sink = alert_sound.QtSoundSink()
    sink.play()
    sink.play()
    assert sink.uses_fallback and beeps == [True, True]
    sink.deleteLater()


BOARD_ICONS = [
    "stage-due-soon",
    "stage-1",
    "stage-2",
    "stage-3",
    "stage-4",
    "stage-emergency",
    "not-signed-out",
    "awaiting-resolution",
    "headteacher",
    "end-of-day",
    "drill",
]


@pytest.mark.parametrize("name", BOARD_ICONS)
def test_every_board_icon_renders_and_differs(qapp, name):
    from PySide6.QtCore import QSize

    from hvdesk.ui.icons import icon

    image = icon(name).pixmap(QSize(24, 24)).toImage()
    assert any(image.pixelColor(x, y).alpha() for x in range(24) for y in range(24))
    others = {n: icon(n).pixmap(QSize(24, 24)).toImage() for n in BOARD_ICONS if n != name}
    assert all(image != other for other in others.values())  # a shape each, not a colour


def test_stage_icons_exist_for_every_stage():
    from hvdesk.services.board_rows import _STAGE_LOOKS

    assert set(_STAGE_LOOKS) == set(EscalationStage) - {EscalationStage.NONE}


def test_signing_out_hides_the_numbers_and_area_on_the_cards(qtbot, board_school, timers):
    board = overdue_board(qtbot, board_school, timers)
    assert "Call: Dawn Reid 07700 900001" in card(board).numbers
    assert card(board).who_label.text() == "Dawn Reid · Holbeck"
    board.current_user.sign_out()
    the_card = card(board)
    assert the_card.numbers == "Sign in to see the numbers to call."
    assert the_card.numbers_label.isHidden()
    assert the_card.who_label.text() == "Dawn Reid"
    assert "07700" not in the_card.instruction_label.text()
    assert "Sign in to see the numbers to call." in the_card.instruction_label.text()
