"""A board read made ready to show, Qt-free, so the poll can do it off the UI thread: the rows
(each with its state, look and what it shows worked out), the prompts they raise, and the count
of visits out. The window's thread then only hands the rows to its table."""

from __future__ import annotations

from dataclasses import dataclass

from hvdesk.clock import to_school_time
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.services.board import BoardSnapshot
from hvdesk.services.board_alerts import Alert, board_alerts
from hvdesk.services.board_rows import BoardRow
from hvdesk.services.drill import ladder_policy
from hvdesk.services.live_board import Schedule, schedule_of

__all__ = ["BoardView", "board_view"]


@dataclass(frozen=True)
class BoardView:
    snapshot: BoardSnapshot
    policy: SchoolPolicy
    rows: list[BoardRow]
    alerts: list[Alert]
    out: int
    """Visits out now (not awaiting departure, not back)."""
    schedule: Schedule
    """The rows' positions and heap of next changes, for the table's `LiveBoard`."""


def board_view(snapshot: BoardSnapshot, policy: SchoolPolicy) -> BoardView:
    """The snapshot's rows on their ladders (a drill's compressed), most urgent first."""
    policy = snapshot.policy if snapshot.policy is not None else policy
    rows = [BoardRow(entry, ladder_policy(policy, entry.is_drill)) for entry in snapshot.entries]
    changed = snapshot.ladder_changed_at
    for row in rows:
        departed = row.entry.departed_at
        if changed is not None and departed is not None and departed < changed:
            when = to_school_time(changed).strftime("%H:%M")
            row.policy_note = (
                f"(The school's escalation settings changed at {when}: these times follow "
                "the new policy.)"
            )
        row.shown()
        row.look()
    return BoardView(
        snapshot=snapshot,
        policy=policy,
        rows=rows,
        alerts=board_alerts(rows, snapshot.end_of_day),
        out=sum(1 for row in rows if row.state.phase.is_out),
        schedule=schedule_of(rows),
    )
