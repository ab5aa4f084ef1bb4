"""What issue 13 adds to each board entry's JSON: the wait at the door, the card's three things
(done, now, next) and the stand-down. Kept apart from the board's own JSON so the board's
module stays small; no family details (the same privacy as `board_json`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from hvdesk.clock import format_school_time
from hvdesk.domain.next_steps import next_steps
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.stand_down import party_label

if TYPE_CHECKING:
    from hvdesk.services.board import BoardEntry
    from hvdesk.services.board_rows import BoardRow

__all__ = ["staff_away", "under_stress_json", "wait_text"]


def _iso(instant: datetime | None) -> str | None:
    return None if instant is None else instant.astimezone(UTC).isoformat()


def wait_text(entry: BoardEntry) -> str | None:
    """ "Waiting at the door since 14:02 (limit 14:12)", or None when nobody waits."""
    state = entry.state
    if state.waiting_since is None or state.wait_limit_at is None:
        return None
    what = "Parent running late: waiting" if state.parent_running_late else "Waiting at the door"
    since = format_school_time(state.waiting_since, "%H:%M")
    limit = format_school_time(state.wait_limit_at, "%H:%M")
    over = ": limit reached, tell them to leave" if state.wait_over else ""
    return f"{what} since {since} (limit {limit}){over}"


def under_stress_json(entry: BoardEntry, policy: SchoolPolicy | None) -> dict[str, Any]:
    """The wait, the three things and the stand-down of one entry."""
    from hvdesk.services.board import name_the_staff

    state = entry.state
    names = [v.name for v in entry.visitors]

    def named(text: str | None) -> str | None:
        return None if text is None else name_the_staff(text, names, is_drill=False)

    steps = next_steps(state, entry.timeline, policy or SchoolPolicy())
    remaining = state.wait_remaining
    return {
        "waiting_at_door": (
            None
            if state.waiting_since is None
            else {
                "since": _iso(state.waiting_since),
                "limit_at": _iso(state.wait_limit_at),
                "seconds_to_limit": (
                    None if remaining is None else int(remaining.total_seconds() // 1)
                ),
                "parent_running_late": state.parent_running_late,
                "limit_reached": state.wait_over,
                "text": wait_text(entry),
            }
        ),
        "done": [{"at": _iso(d.at), "what": d.what, "by": d.by} for d in steps.done],
        # (no contacts' names or references: the JSON board is as private as privacy mode)
        "do_now": named(steps.do_now),
        "next": named(steps.next_step),
        "next_at": _iso(steps.next_at),
        "stand_down": [
            {
                "who": party_label(item.party),
                "done": item.done,
                "outcome": item.outcome.value if item.outcome is not None else None,
            }
            for item in entry.stand_down
        ],
    }


def staff_away(rows: Iterable[BoardRow]) -> dict[str, tuple[int, str]]:
    """Who is out on a visit now, by name: (visit id, "out on visit 401" + ", overdue"), so
    a supervisor or emergency contact who is out is flagged on the card (issue 13)."""
    away: dict[str, tuple[int, str]] = {}
    for row in rows:
        state = row.state
        if not state.phase.is_out:
            continue
        overdue = ", overdue" if state.stage.is_escalated else ""
        for visitor in row.entry.visitors:
            away[visitor.name.casefold()] = (row.visit_id, f"out on visit {row.visit_id}{overdue}")
    return away
