"""The board across PCs on a real PostgreSQL server (issue 16): a claim made on another PC
shows on this board without its poll (the poll timer never fires here), because the board's
change watch heard the server's NOTIFY. Skipped without `HVDESK_TEST_SERVER`."""

from __future__ import annotations

import pytest

from hvdesk.clock import FakeClock
from hvdesk.db.server_database import open_server_database
from hvdesk.services.board_services import BoardServices
from hvdesk.services.visit_log import VisitLog
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.pages.board_page import BoardPage
from hvdesk.ui.timers import Timers
from tests.board_school import signed_in
from tests.server_support import Demo, settings_for
from tests.ui.board_support import CountingSound, RecordingNotifier

pytestmark = pytest.mark.server


def test_another_pcs_claim_appears_on_the_board_without_waiting_for_the_poll(
    qtbot, demo_on_server: Demo, demo_copy: str, clock: FakeClock, timers: Timers
) -> None:
    visit = demo_on_server.states["overdue_stage2"][0]
    this_pc = open_server_database(settings_for(demo_copy), clock)
    other_pc = open_server_database(settings_for(demo_copy), clock)
    current_user = CurrentUser()
    page = BoardPage(
        BoardServices.build(this_pc, clock),
        clock,
        timers,
        current_user,
        sound=CountingSound(),
        notifier=RecordingNotifier(),
    )
    qtbot.addWidget(page)
    try:
        page.show()
        current_user.sign_in(signed_in(this_pc, "s.whitfield"))  # reads the board once
        assert page.change_watch is not None
        qtbot.waitUntil(lambda: page.change_watch is not None and page.change_watch.running)
        row = page.model.row_of(visit)
        assert row is not None and page.model.row(row).entry.claimed_by is None

        clock.advance(5)  # the claim comes after the alert, as it would
        VisitLog(other_pc, clock).claim(visit, signed_in(other_pc, "k.lewis"))

        def claimed() -> bool:
            index = page.model.row_of(visit)
            return index is not None and page.model.row(index).entry.claimed_by == "Karen Lewis"

        qtbot.waitUntil(claimed, timeout=3000)
    finally:
        page.close()
        assert page.change_watch is not None and not page.change_watch.running
        other_pc.close()
        this_pc.close()
