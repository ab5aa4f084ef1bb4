"""The board for the command line: `hvdesk board --json` and the plain-text table.

The same privacy as a signed-out board whatever the snapshot holds: staff names and the
ladder, never an address, pupil or purpose.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from hvdesk.clock import format_school_time
from hvdesk.domain.escalation import VisitState
from hvdesk.domain.labels import LabelledEnum
from hvdesk.services.board import BoardEntry, BoardSnapshot

__all__ = ["board_json", "board_table", "countdown_text", "seconds_to_deadline"]


def seconds_to_deadline(state: VisitState) -> int | None:
    """Whole seconds to the deadline, rounded down: negative once it has passed."""
    if state.remaining is None:
        return None
    return math.floor(state.remaining.total_seconds())


def _labelled(member: LabelledEnum | None) -> dict[str, str] | None:
    return None if member is None else {"value": member.value, "label": member.label}


def _iso(instant: datetime | None) -> str | None:
    return None if instant is None else instant.astimezone(UTC).isoformat()


def board_json(snapshot: BoardSnapshot) -> dict[str, Any]:
    """The board as JSON-ready values: staff names and the ladder, never family details
    (whatever the snapshot holds, `private` is left out)."""
    visits = []
    for entry in snapshot.entries:
        state = entry.state
        visits.append(
            {
                "visit_id": entry.visit_id,
                "staff": [v.name for v in entry.visitors],
                "is_drill": entry.is_drill,
                "status": entry.status.value,
                "phase": _labelled(state.phase),
                "stage": {**(_labelled(state.stage) or {}), "number": state.stage.number},
                "deadline": _iso(state.deadline),
                "deadline_kind": _labelled(state.deadline_kind),
                "seconds_to_next_deadline": seconds_to_deadline(state),
                "what_is_due_now": _headline(entry),
                "what_to_do": entry.what_to_do,
                "outstanding": [_labelled(a) for a in state.outstanding],
                "claimed_by": entry.claimed_by,
                "claimed_at": _iso(entry.claimed_at),
                "departed_at": _iso(entry.departed_at),
                "awaiting_resolution": state.awaiting_resolution,
                "headteacher_to_be_told": entry.headteacher_to_be_told,
                "awaiting_return": entry.awaiting_return,
                "urgent_unplanned": entry.urgent_unplanned,
                "needs_retrospective_authorisation": entry.needs_retrospective_authorisation,
            }
        )
    return {
        "read_at": _iso(snapshot.read_at),
        "monitored_by": snapshot.monitoring.display_name if snapshot.monitoring else None,
        "end_of_day": list(snapshot.end_of_day),
        "visits": visits,
    }


def _headline(entry: BoardEntry) -> str:
    text = entry.state.headline
    if entry.headteacher_to_be_told:
        text = "Cancelled for safety: tell the headteacher"
    elif entry.awaiting_return and not entry.state.awaiting_resolution:
        text = "Cancelled after setting out: confirm back at base"
    return f"DRILL: {text}" if entry.is_drill else text


def countdown_text(seconds: int | None) -> str:
    """A countdown such as 12:05, -3:20 or 1:02:05 (negative when overdue); empty if none."""
    if seconds is None:
        return ""
    sign = "-" if seconds < 0 else ""
    minutes, secs = divmod(abs(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes}:{secs:02d}"


def board_table(snapshot: BoardSnapshot) -> str:
    """The board as a plain-text table for a terminal (the same privacy as `board_json`)."""
    header = ("Visit", "Staff", "Stage", "Due in", "What is due now")
    rows = [
        (
            str(e.visit_id) + (" DRILL" if e.is_drill else ""),
            e.staff_names,
            e.state.stage.label,
            countdown_text(seconds_to_deadline(e.state)),
            _headline(e),
        )
        for e in snapshot.entries
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    read_at = format_school_time(snapshot.read_at, "%d %b %Y %H:%M:%S")
    footer = [f"{len(rows)} visit(s) on the board at {read_at} (UK time)."]
    if snapshot.monitoring is not None:
        footer.append(f"Monitored by {snapshot.monitoring.display_name}.")
    if snapshot.end_of_day:
        ids = ", ".join(str(i) for i in snapshot.end_of_day)
        footer.append(f"End of day: still out or not confirmed home safe: visits {ids}.")
    return "\n".join([*lines, "", *footer])
