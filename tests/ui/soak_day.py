"""A day at reception, for the soak test and `benchmarks/board_soak.py`.

`visits` colleagues are out, their check-ins spread over the day. Four in five phone in on time
and come back (recorded at another desk, straight through the visit log: the board sees it at
its next poll). One in five goes quiet: the board raises the alert, and reception works it on
the real alert card (claim, "called: safe, extended", then the resolution), some at once and
some only once it has climbed to stage 2, 3 or 4 (so re-claims and every rung are exercised).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

from hvdesk.domain.escalation import EscalationStage
from hvdesk.services.board_alerts import AlertKind
from hvdesk.ui.board.alert_words import CardCommand
from tests.ui.board_support import Board, crowd


@dataclass
class SoakDay:
    board: Board
    visit_ids: list[int]
    deadlines: dict[int, float]
    """Seconds into the day at which each visit's check-in is due."""
    handled: Counter[str] = field(default_factory=Counter)
    most_alerts: int = 0
    elapsed: float = 0.0
    _next_on_time: int = 0

    @classmethod
    def start(cls, board: Board, visits: int, day: timedelta) -> SoakDay:
        ids = crowd(board.school, visits, within=day)
        deadlines = {
            visit_id: day.total_seconds() * (i + 1) / visits for i, visit_id in enumerate(ids)
        }
        board.poll()
        return cls(board, ids, deadlines)

    def goes_quiet(self, visit_id: int) -> bool:
        return self.visit_ids.index(visit_id) % 5 == 0

    def wait_for_stage(self, visit_id: int) -> int:
        """Reception acts at once on some, and only from stage 2, 3 or 4 on others."""
        return 1 + (self.visit_ids.index(visit_id) // 5) % 4

    def tick(self, seconds: float, *, poll: bool, act: bool, paint: bool = False) -> None:
        board = self.board
        board.tick(seconds)
        self.elapsed += seconds
        self._others_record_returns()
        if poll:
            board.poll()
        if paint:  # the real board runs Qt's event loop: it paints, and deletes closed cards
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            QApplication.processEvents()
        if act:
            self._reception_acts()
        self.most_alerts = max(self.most_alerts, len(board.page.alerts))

    def _others_record_returns(self) -> None:
        """Colleagues who phone in on time: back ten minutes before their check-in is due
        (more than a poll before it, as on the real board, where a poll is five seconds)."""
        log = self.board.school.visit_log()
        user = self.board.school.user
        while self._next_on_time < len(self.visit_ids):
            visit_id = self.visit_ids[self._next_on_time]
            if self.deadlines[visit_id] - 600 > self.elapsed:
                return
            self._next_on_time += 1
            if not self.goes_quiet(visit_id):
                log.returned(visit_id, user)
                self.handled["returned on time"] += 1

    def _reception_acts(self) -> None:
        page = self.board.page
        for alert in page.alerts:
            row = alert.row
            if alert.kind is not AlertKind.ESCALATION or row is None:
                continue
            stage = row.state.stage
            card = page.alert_panel.card(alert.kind, alert.visit_id)
            assert card is not None
            if not stage.is_escalated:
                card.press(CardCommand.RESOLVE)
                card.input_text.setText("Staff safe: phoned back, phone battery flat")
                card.input_record.click()
                self.handled["resolved"] += 1
                self.board.school.visit_log().returned(alert.visit_id, self.board.school.user)
            elif stage.number < self.wait_for_stage(alert.visit_id) and (
                stage is not EscalationStage.EMERGENCY
            ):
                if self.wait_for_stage(alert.visit_id) != 2:
                    continue
                card.press(CardCommand.NO_ANSWER)  # logged unclaimed: stage 2 follows
                self.handled["called: no answer"] += 1
            elif not alert.acknowledged:
                card.claim_button.click()
                self.handled[f"claimed at {stage.label.split(':')[0].lower()}"] += 1
            else:
                card.press(CardCommand.SAFE_EXTEND)
                card.input_minutes.setValue(30)
                card.input_record.click()
                self.handled["reached safe"] += 1
            assert card.error_label.isHidden(), card.error_label.text()
            return
