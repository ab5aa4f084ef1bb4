"""Issue 13's parts of the board page, kept out of its class: who to offer when a supervisor
cannot be called, and K on the table to claim the selected row's alert."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel

from hvdesk.services.board import BoardSnapshot
from hvdesk.services.board_stress import staff_away
from hvdesk.ui.board.alert_sound import sound_status_label
from hvdesk.ui.board.alert_words import CardCommand, CardRequest

if TYPE_CHECKING:
    from hvdesk.ui.pages.board_page import BoardPage

__all__ = [
    "BoardStress",
    "add_stress_widgets",
    "brief_the_panel",
    "claim_selected",
    "next_people",
]


@dataclass
class BoardStress:
    """What issue 13 keeps on the board page."""

    instead: tuple[tuple[str, str, str], ...] = ()
    """The DSL, deputy and head not out now: offered when a supervisor cannot be called."""
    busy_when_read: frozenset[str] | None = None
    may_take_window: Callable[[], bool] = lambda: True
    """Whether a new alert may raise the window (the main window says no while a form is
    open or the user is typing)."""


def next_people(self: BoardPage, snapshot: BoardSnapshot, signed_in: bool) -> None:
    """The DSL, deputy and head not out now; read again only when who is out changes (the
    five-second poll must not put a query on the UI thread each time)."""
    stress = self.stress
    if not signed_in:
        stress.busy_when_read, stress.instead = None, ()
        return
    busy = frozenset(v.name for e in snapshot.entries if e.state.phase.is_out for v in e.visitors)
    if busy == stress.busy_when_read:
        return
    stress.busy_when_read = busy
    try:
        people = reach.next_people(busy) if (reach := self.services.reachability) else ()
    except Exception as exc:
        if self.services.known(exc) is None:
            raise
        return
    stress.instead = tuple((p.role, p.name, p.phone or "") for p in people)


def brief_the_panel(self: BoardPage) -> None:
    """Before the cards are shown: who is out now, whom to offer instead, who is at the desk."""
    if self.snapshot is not None:
        next_people(self, self.snapshot, self.signed_in)
    panel = self.alert_panel
    panel.tab_after = self.table
    panel.away = staff_away(self.model.rows)
    panel.instead = self.stress.instead
    user = self.current_user.user
    panel.me = user.display_name if user is not None else None


def add_stress_widgets(
    self: BoardPage, summary: QHBoxLayout
) -> tuple[BoardStress, QLabel, QAction]:
    """The sound's status beside the summary (no silent failure), and K on the selected row
    to claim its alert (the cards come first in Tab order)."""
    label = sound_status_label(self.sound)
    summary.insertWidget(1, label)
    action = QAction("Claim the selected visit's alert (K)", self.table)
    action.setShortcut(QKeySequence("K"))
    action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    action.triggered.connect(lambda: claim_selected(self))
    self.table.addAction(action)
    stress = BoardStress()
    self.notice.may_take = lambda: stress.may_take_window()
    self.alert_panel.before_update = lambda: brief_the_panel(self)
    return stress, label, action


def claim_selected(self: BoardPage) -> None:
    row = self.quick_bar.row
    if row is None:
        self.quick_bar.show_error("Select a visit on the board first.")
        return
    alert = next((a for a in self.alerts if a.visit_id == row.visit_id and a.kind.claimable), None)
    if alert is None:
        self.quick_bar.show_error(f"{row.names} has no alert to claim.")
        return
    self._card_request(CardRequest(row.visit_id, CardCommand.CLAIM, kind=alert.kind))
