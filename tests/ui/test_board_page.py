"""The board page on the hand-made school and on the demo: what is listed, in words, and the
empty board. (The model, alerts, actions and the end-to-end walk have their own modules.)"""

from __future__ import annotations

import sqlalchemy as sa

from hvdesk.db.models import Visit
from hvdesk.domain.visits import VisitStatus
from hvdesk.services.board_alerts import AlertKind
from hvdesk.services.board_services import BoardServices
from hvdesk.ui.board.board_model import Col
from hvdesk.ui.pages.board_page import BoardPage
from tests.ui.board_support import CountingSound, RecordingNotifier


def open_page(qtbot, database, clock, timers) -> BoardPage:
    page = BoardPage(
        BoardServices.build(database, clock),
        clock,
        timers,
        sound=CountingSound(),
        notifier=RecordingNotifier(),
    )
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    page.refresh()
    return page


def texts(page: BoardPage, column: Col) -> list[str]:
    model = page.model
    return [str(model.data(model.index(r, column))) for r in range(model.rowCount())]


def test_the_hand_made_school_in_privacy_mode(qtbot, small_school, clock, timers):
    page = open_page(qtbot, small_school.database, clock, timers)
    # Both visits out missed their arrival calls (signed out, never phoned in): the later
    # one is at stage 4 already, the other at stage 3; the authorised visit leaves at 13:30.
    assert texts(page, Col.STAFF) == ["Eve Okafor", "Dawn Reid /\nEve Okafor", "Dawn Reid"]
    assert texts(page, Col.STAGE) == [
        "Stage 4: inform police",
        "Stage 3: call emergency contact",
        "Awaiting departure",
    ]
    assert texts(page, Col.COUNTDOWN) == ["-48:00", "-23:00", "3:15:00"]
    assert texts(page, Col.DEPARTED) == ["09:27", "09:52", "Not yet"]
    assert texts(page, Col.AREA) == ["", "", ""]  # privacy mode: no area, no address
    assert [key[0] for key in page.alert_panel.cards] == [AlertKind.ESCALATION] * 2
    assert page.summary_label.text() == (
        "2 visits are out; 2 need action (2 not claimed). Privacy mode: sign in to see "
        "addresses and numbers."
    )
    assert page.sound.plays == 1


def test_an_empty_board_says_so(qtbot, small_school, clock, timers):
    with small_school.database.session() as session:
        session.execute(
            sa.update(Visit)
            .where(Visit.status.in_([VisitStatus.OUT, VisitStatus.AUTHORISED]))
            .values(status=VisitStatus.COMPLETED)
        )
    page = open_page(qtbot, small_school.database, clock, timers)
    assert page.model.rowCount() == 0
    assert page.empty_label.isVisible() and not page.table.isVisible()
    assert "No one is out" in page.empty_label.text()
    assert page.summary_label.text() == "Everyone is back: no visits are out."
    assert page.alert_panel.isHidden()
    timers.fire("board-countdown")  # nothing to tick, nothing breaks


def test_the_demo_board_shows_every_rung_of_the_ladder(qtbot, demo, clock, timers):
    page = open_page(qtbot, demo.database, clock, timers)
    stages = set(texts(page, Col.STAGE))
    assert {
        "Stage 1: call staff",
        "Stage 2: inform supervisor",
        "Stage 3: call emergency contact",
        "Stage 4: inform police",
        "Not signed out",
        "Due soon: check-in call",
        "On visit",
    } <= stages
    assert len(page.alert_panel.cards) >= 6
    out = page.model.rowCount()
    for _ in range(5):
        clock.advance(1)
        timers.fire("board-countdown")
    timers.fire("board-refresh")
    assert page.model.rowCount() == out
