"""Which prompts the board raises, and whether each has been acknowledged. No Qt here.

A prompt is raised for: an escalation (stage 1 to 4, the safe word's EMERGENCY, and an open
escalation whose contact was restored but which awaits its resolution), an authorised visit
not signed out, a safety cancellation the headteacher has not been told of, a visit cancelled
after its staff set out whose return is not confirmed, and the end-of-day list. "Due soon" is
not a prompt: it is shown on the row only.

Acknowledging is claiming (`VisitLog.claim`, an ALERT_CLAIMED event naming the signed-in user).
A claim covers the stage it was made at and the stages that follow from the claimant's own
logging (stage 2 comes from a logged "no answer"), but a time-driven step up (stage 3 at the
agreed time + 15 min, stage 4 at + 30) needs a fresh claim: whoever was dealing with stage 1
must say they are still on it, and until then the sound repeats. The prompts the services
cannot claim (tell the headteacher, confirm a return, the end-of-day list) chime once when they
appear and stay on screen until what they ask for is recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from hvdesk.domain.escalation import EscalationStage, VisitPhase, level_began
from hvdesk.services.board_rows import BoardRow


class AlertKind(StrEnum):
    ESCALATION = "escalation"
    NOT_SIGNED_OUT = "not_signed_out"
    HEADTEACHER = "headteacher"
    RETURN = "return"
    END_OF_DAY = "end_of_day"
    # Issue 13: the wait at the door reached its limit; the stand-down after a resolution.
    DOOR_WAIT = "door_wait"
    STAND_DOWN = "stand_down"

    @property
    def claimable(self) -> bool:
        """The services record a claim for it (and the sound repeats until one is made)."""
        return self in (AlertKind.ESCALATION, AlertKind.NOT_SIGNED_OUT, AlertKind.DOOR_WAIT)


AlertKey = tuple[AlertKind, int]
"""(kind, visit id); the end-of-day list has visit id 0."""


@dataclass(frozen=True)
class Alert:
    """One prompt, as it stands at the last tick or poll."""

    kind: AlertKind
    visit_id: int
    level: str
    """What the prompt is at (a stage value, "resolution"...): a rise raises it again."""
    rank: int
    """For ordering and for "higher than": more is more urgent."""
    raised_at: datetime | None
    """When the current level began, for the claim test; None if unknown."""
    acknowledged: bool
    row: BoardRow | None = None
    visit_ids: tuple[int, ...] = ()
    """The end-of-day list's visits."""

    @property
    def key(self) -> AlertKey:
        return (self.kind, self.visit_id)

    @property
    def sound_key(self) -> tuple[AlertKind, int, str]:
        return (self.kind, self.visit_id, self.level)

    @property
    def needs_claim(self) -> bool:
        return self.kind.claimable and not self.acknowledged


def _claimed_since(row: BoardRow, began: datetime | None) -> bool:
    claimed_at = row.entry.claimed_at
    if row.entry.claimed_by is None or claimed_at is None:
        return False
    return began is None or claimed_at >= began


_LEVEL_RANKS: dict[EscalationStage, int] = {
    EscalationStage.CALL_STAFF: 10,
    EscalationStage.INFORM_SUPERVISOR: 20,
    EscalationStage.CALL_EMERGENCY_CONTACT: 30,
    EscalationStage.INFORM_POLICE: 40,
    EscalationStage.EMERGENCY: 50,
}


def row_alerts(row: BoardRow) -> list[Alert]:
    """The prompts one row raises now (most rows: none)."""
    entry, state = row.entry, row.state
    found: list[Alert] = []
    if state.stage.is_escalated or state.awaiting_resolution:
        level = state.stage.value if state.stage.is_escalated else "resolution"
        began = level_began(state, row.policy)
        found.append(
            Alert(
                AlertKind.ESCALATION,
                row.visit_id,
                level,
                _LEVEL_RANKS.get(state.stage, 5),
                began,
                _claimed_since(row, began),
                row,
            )
        )
    elif state.phase is VisitPhase.NOT_SIGNED_OUT:
        began = level_began(state, row.policy)
        found.append(
            Alert(
                AlertKind.NOT_SIGNED_OUT,
                row.visit_id,
                "not_signed_out",
                4,
                began,
                _claimed_since(row, began),
                row,
            )
        )
    if entry.headteacher_to_be_told:
        found.append(Alert(AlertKind.HEADTEACHER, row.visit_id, "headteacher", 3, None, False, row))
    if entry.awaiting_return and not state.awaiting_resolution:
        found.append(Alert(AlertKind.RETURN, row.visit_id, "return", 3, None, False, row))
    if state.wait_over and not state.stage.is_escalated:
        began = state.wait_limit_at
        found.append(
            Alert(
                AlertKind.DOOR_WAIT,
                row.visit_id,
                "door_wait",
                6,
                began,
                _claimed_since(row, began),
                row,
            )
        )
    if entry.stand_down_pending and not state.awaiting_resolution:
        found.append(Alert(AlertKind.STAND_DOWN, row.visit_id, "stand_down", 1, None, False, row))
    return found


def board_alerts(rows: Iterable[BoardRow], end_of_day: Sequence[int]) -> list[Alert]:
    """Every prompt on the board, most urgent first (the rows' order, then the end of day)."""
    alerts = [alert for row in rows for alert in row_alerts(row)]
    alerts.sort(key=lambda a: -a.rank)  # stable: the service's urgency order within a rank
    if end_of_day:
        alerts.append(
            Alert(
                AlertKind.END_OF_DAY,
                0,
                "end_of_day:" + ",".join(str(i) for i in sorted(end_of_day)),
                2,
                None,
                False,
                None,
                tuple(end_of_day),
            )
        )
    return alerts
