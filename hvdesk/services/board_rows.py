"""Each visit's state on the board, Qt-free: its stage as of now, the words and look of its
situation, and what the policy says to do; a test drives it with a fake clock.

A `BoardRow` is computed once from a `BoardEntry` (the service's read) and moved on by the pure
engine when its `next_change_at` passes (`hvdesk.services.live_board` decides when); the Qt
model only displays rows, and the alerts (`hvdesk.services.board_alerts`) are read from them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from hvdesk.domain.escalation import (
    EscalationStage,
    VisitPhase,
    VisitState,
    evaluate,
    what_to_do_now,
)
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.services.board import BoardEntry, name_the_staff, staff_names

__all__ = [
    "SHORT_STAGE_WORDS",
    "BoardRow",
    "Look",
    "board_countdown",
    "look",
]


# --- how a row's situation reads: words, icon and colour (never colour alone) ---------------


@dataclass(frozen=True)
class Look:
    """The words, icon and colours of one situation on the board."""

    text: str
    icon_name: str
    background: str | None  # None: the table's own (alternating) background
    foreground: str = "#1b1f24"
    level: str = "calm"  # a style-sheet property value: calm, due, stage1..stage4, emergency...


SHORT_STAGE_WORDS: dict[EscalationStage, str] = {
    EscalationStage.CALL_STAFF: "Stage 1: call staff",
    EscalationStage.INFORM_SUPERVISOR: "Stage 2: inform supervisor",
    EscalationStage.CALL_EMERGENCY_CONTACT: "Stage 3: call emergency contact",
    EscalationStage.INFORM_POLICE: "Stage 4: inform police",
    EscalationStage.EMERGENCY: "EMERGENCY: safe word used",
}
"""The stage column's words: the engine's labels, shortened to fit the table (cards and
tooltips carry the full instruction)."""

_STAGE_LOOKS: dict[EscalationStage, tuple[str, str | None, str, str]] = {
    EscalationStage.DUE_SOON: ("stage-due-soon", "#fff4d6", "#1b1f24", "due"),
    EscalationStage.CALL_STAFF: ("stage-1", "#ffe1c7", "#1b1f24", "stage1"),
    EscalationStage.INFORM_SUPERVISOR: ("stage-2", "#ffd0cb", "#1b1f24", "stage2"),
    EscalationStage.CALL_EMERGENCY_CONTACT: ("stage-3", "#f9b8b0", "#1b1f24", "stage3"),
    EscalationStage.INFORM_POLICE: ("stage-4", "#f09a91", "#10131a", "stage4"),
    EscalationStage.EMERGENCY: ("stage-emergency", "#6b0f0f", "#ffffff", "emergency"),
}


def look(entry: BoardEntry, state: VisitState) -> Look:
    """What the stage column (and an alert card's heading) says, with its icon and colours."""
    stage = state.stage
    if stage is not EscalationStage.NONE:
        icon_name, background, foreground, level = _STAGE_LOOKS[stage]
        if stage is EscalationStage.DUE_SOON:
            what = state.deadline_kind.label.lower() if state.deadline_kind else "call"
            text = f"Due soon: {what}"
        else:
            text = stage.label
        return Look(text, icon_name, background, foreground, level)
    if state.phase is VisitPhase.NOT_SIGNED_OUT:
        return Look("Not signed out", "not-signed-out", "#fff1c2", level="not_signed_out")
    if state.awaiting_resolution:
        return Look(
            "Contact restored: record the resolution",
            "awaiting-resolution",
            "#e2ebfa",
            level="resolution",
        )
    if entry.headteacher_to_be_told:
        return Look(
            "Cancelled for safety: tell the headteacher",
            "headteacher",
            "#efe3f8",
            level="headteacher",
        )
    if entry.awaiting_return:
        return Look(
            "Cancelled after setting out: confirm back at base",
            "not-signed-out",
            "#fff1c2",
            level="return",
        )
    return Look(state.phase.label, "on-time", None)


def board_countdown(remaining: timedelta | None) -> str:
    """Time to the deadline: mm:ss, h:mm:ss from an hour, a minus sign once overdue.

    Overdue time rounds up, so a visit half a second late reads -00:01, never a reassuring
    00:00; time left rounds down for the same reason.
    """
    if remaining is None:
        return ""
    seconds = remaining.total_seconds()
    if seconds >= 0:
        whole, sign = math.floor(seconds), ""
    else:
        whole, sign = math.ceil(-seconds), "-"
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes:02d}:{secs:02d}"


# --- one row -----------------------------------------------------------------------------


class BoardRow:
    """A board entry with its state as of the last tick, and the engine's inputs to move it on."""

    __slots__ = ("_key", "_look", "entry", "policy", "policy_note", "state", "visit_id")

    def __init__(self, entry: BoardEntry, policy: SchoolPolicy) -> None:
        self.entry = entry
        self.visit_id: int = entry.visit_id  # asked for thousands of times a poll
        self.state: VisitState = entry.state
        self.policy = policy  # the ladder's policy for this visit (a drill's is compressed)
        self.policy_note: str | None = None  # the ladder changed while out (issue 15)
        self._look: Look | None = None
        self._key: tuple[object, ...] | None = None

    def shown(self) -> tuple[object, ...]:
        """Everything the row shows apart from its countdown (worked out once per state)."""
        if self._key is None:
            self._key = _shown(self.entry, self.state)
        return self._key

    def look(self) -> Look:
        """How the row's situation reads (worked out once per state: the table asks for it
        for every cell it paints)."""
        if self._look is None:
            self._look = look(self.entry, self.state)
        return self._look

    def scheduled_at(self) -> datetime | None:
        """When the engine says this row's state next changes (None: not by time alone)."""
        return self.state.next_change_at if self.entry.plan is not None else None

    def due_for_evaluation(self, now: datetime) -> bool:
        at = self.state.next_change_at
        return at is not None and now >= at and self.entry.plan is not None

    def reevaluate(self, now: datetime) -> bool:
        """Move the state on by the engine; True when what the board shows changed."""
        if self.entry.plan is None:
            return False
        old = self.state
        self.state = evaluate(self.entry.plan, self.entry.timeline, self.policy, now)
        self._look = None
        self._key = None
        return (old.stage, old.phase, old.awaiting_resolution, old.deadline) != (
            self.state.stage,
            self.state.phase,
            self.state.awaiting_resolution,
            self.state.deadline,
        )

    def same_situation(self, other: BoardRow) -> bool:
        """Whether the two show the same (all but the countdown, which moves by itself)."""
        return self.entry is other.entry or self.shown() == other.shown()

    @property
    def names(self) -> str:
        return staff_names(v.name for v in self.entry.visitors)

    def instruction(self) -> str:
        """What the policy says to do now, names filled in, and a note if the school changed
        its ladder while this visit was out."""
        words = self._instruction()
        return f"{words} {self.policy_note}" if self.policy_note else words

    def _instruction(self) -> str:
        """The service's words while the stage is the one it read; the engine's own words
        after a local flip."""
        entry, state = self.entry, self.state
        if (state.stage, state.phase, state.awaiting_resolution) == (
            entry.state.stage,
            entry.state.phase,
            entry.state.awaiting_resolution,
        ):
            return entry.what_to_do
        names = [v.name for v in entry.visitors]
        return name_the_staff(what_to_do_now(state, self.policy), names, is_drill=entry.is_drill)


def _shown(entry: BoardEntry, state: VisitState) -> tuple[object, ...]:
    """Everything a row shows apart from its countdown (which is worked out at paint time)."""
    return (
        entry.visitors,
        entry.area,
        entry.private,
        entry.status,
        entry.departed_at,
        entry.claimed_by,
        entry.claimed_at,
        entry.is_drill,
        entry.needs_retrospective_authorisation,
        entry.headteacher_to_be_told,
        entry.awaiting_return,
        entry.what_to_do,
        state.phase,
        state.stage,
        state.deadline,
        state.deadline_kind,
        state.outstanding,
        state.awaiting_resolution,
        state.contact_restored_at,
        state.escalation_began_at,
        state.claimed_by,
        state.next_change_at,
    )
