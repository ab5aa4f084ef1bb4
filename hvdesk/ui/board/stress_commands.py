"""What the board's issue-13 buttons record: the wait at the door (parent arrived, cancelled:
parent not there) and the stand-down (told, not needed), each one service call as the
signed-in user, with the words of the "Recorded at ..." line."""

from __future__ import annotations

from hvdesk.domain.visits import EscalationAction
from hvdesk.services.board_services import BoardServices
from hvdesk.ui.board.alert_words import CardCommand, CardRequest
from hvdesk.ui.board.board_commands import QUICK_DONE, Recording
from hvdesk.ui.board.quick_actions import QuickCommand, QuickRequest

__all__ = ["QUICK_DOOR", "STRESS_COMMANDS", "door_recording", "stress_recording"]

STRESS_COMMANDS = frozenset(
    {
        CardCommand.PARENT_NOT_THERE,
        CardCommand.PARENT_ARRIVED,
        CardCommand.STOOD_DOWN,
        CardCommand.NOT_NEEDED,
    }
)


QUICK_DOOR = frozenset(
    {QuickCommand.WAITING, QuickCommand.PARENT_LATE, QuickCommand.PARENT_ARRIVED}
)


def door_recording(services: BoardServices, request: QuickRequest) -> tuple[Recording, str]:
    """The wait at the door from the table's keys (W, T, V)."""
    doors, visit_id = services.door_wait, request.visit_id
    if doors is None:
        raise RuntimeError("the board's services were built without the issue-13 services")
    calls: dict[QuickCommand, Recording] = {
        QuickCommand.WAITING: lambda by: doors.waiting_at_door(visit_id, by),
        QuickCommand.PARENT_LATE: lambda by: doors.parent_running_late(visit_id, by),
        QuickCommand.PARENT_ARRIVED: lambda by: doors.parent_arrived(visit_id, by),
    }
    return calls[request.command], QUICK_DONE[request.command]


def stress_recording(services: BoardServices, request: CardRequest) -> tuple[Recording, str]:
    visit_id, command = request.visit_id, request.command
    doors, stand = services.door_wait, services.stand_down
    if doors is None or stand is None:
        raise RuntimeError("the board's services were built without the issue-13 services")
    if command is CardCommand.PARENT_NOT_THERE:
        return (
            lambda by: doors.cancel_parent_not_there(visit_id, by)
        ), "cancelled: parent not there"
    if command is CardCommand.PARENT_ARRIVED:
        return (lambda by: doors.parent_arrived(visit_id, by)), "parent arrived: the wait is over"
    party = EscalationAction(request.party or "")
    if command is CardCommand.STOOD_DOWN:
        return (lambda by: stand.told(visit_id, party, by)), "stand-down: told they are safe"
    reason = request.text or ""
    return (
        lambda by: stand.not_needed(visit_id, party, reason, by)
    ), f"stand-down not needed ({reason})"
