"""What each button of the board records, and the words the board says it with afterwards.

A card's button or a quick action becomes one call on the visit log, run as the signed-in user
by the page (`Recording`), and a few words for the "Recorded at 14:02 by Ann Lee: ..." line.
The visit log decides whether it may be recorded; nothing here checks permissions.
"""

from __future__ import annotations

from collections.abc import Callable

from hvdesk.domain.visits import ActionOutcome, EscalationAction
from hvdesk.services.identity import SignedInUser
from hvdesk.services.visit_log import VisitLog
from hvdesk.ui.board.alert_words import CardCommand, CardRequest
from hvdesk.ui.board.quick_actions import QuickCommand, QuickRequest

Recording = Callable[[SignedInUser], object]
"""One call on the visit log, made as the user given."""

LADDER: dict[CardCommand, tuple[EscalationAction, ActionOutcome, str]] = {
    CardCommand.NO_ANSWER: (
        EscalationAction.CALLED_STAFF,
        ActionOutcome.NO_ANSWER,
        "called the staff member: no answer",
    ),
    CardCommand.SAFE_EXTEND: (
        EscalationAction.CALLED_STAFF,
        ActionOutcome.SAFE,
        "called the staff member: safe, time extended",
    ),
    CardCommand.SUPERVISOR_INFORMED: (
        EscalationAction.INFORMED_SUPERVISOR,
        ActionOutcome.INFORMED,
        "supervisor informed",
    ),
    CardCommand.CONTACT_REACHED: (
        EscalationAction.CALLED_EMERGENCY_CONTACT,
        ActionOutcome.REACHED,
        "emergency contact reached",
    ),
    CardCommand.CONTACT_NO_ANSWER: (
        EscalationAction.CALLED_EMERGENCY_CONTACT,
        ActionOutcome.NO_ANSWER,
        "emergency contact: no answer",
    ),
    CardCommand.POLICE_INFORMED: (
        EscalationAction.INFORMED_POLICE,
        ActionOutcome.INFORMED,
        "police informed",
    ),
    CardCommand.HEADTEACHER_TOLD: (
        EscalationAction.INFORMED_HEADTEACHER,
        ActionOutcome.INFORMED,
        "headteacher informed",
    ),
}

QUICK_DONE: dict[QuickCommand, str] = {
    QuickCommand.SIGN_OUT: "signed out",
    QuickCommand.ARRIVED: "arrival recorded",
    QuickCommand.CALL_RECEIVED: "call received",
    QuickCommand.SAFE_WORD: "SAFE WORD recorded: call the police (999) now",
    QuickCommand.LEFT: "left the home: the home-safe call is now due",
    QuickCommand.RETURNED: "back at base / home safe",
    QuickCommand.CANCEL: "visit cancelled",
}


def card_recording(log: VisitLog, request: CardRequest) -> tuple[Recording, str]:
    """The visit-log call a card's recording button stands for, and its words.

    (SHOW, POLICE_SHEET and CANCEL open something on the board instead: the page's job.)"""
    visit_id, command = request.visit_id, request.command
    if command is CardCommand.CLAIM:
        return (lambda by: log.claim(visit_id, by)), "alert claimed"
    if command is CardCommand.RESOLVE:
        text = request.text or ""
        return (lambda by: log.resolve(visit_id, text, by)), "escalation resolved (sent for review)"
    if command is CardCommand.SIGN_OUT:
        return (lambda by: log.sign_out(visit_id, by)), "signed out"
    if command is CardCommand.RETURNED:
        return (lambda by: log.returned(visit_id, by)), "back at base / home safe"
    action, outcome, words = LADDER[command]
    minutes = request.minutes if command is CardCommand.SAFE_EXTEND else None
    contact = request.text if command is CardCommand.SUPERVISOR_INFORMED else None
    reference = request.text if command is CardCommand.POLICE_INFORMED else None
    note = request.text if command is CardCommand.SAFE_EXTEND else None
    if minutes is not None:
        words += f" by {minutes} min"
    if contact:
        words += f" ({contact})"
    if reference:
        words += f" (reference {reference})"

    def record(by: SignedInUser) -> object:
        return log.escalation_action(
            visit_id,
            action,
            outcome,
            by,
            contact_name=contact,
            reference=reference,
            note=note,
            extend_minutes=minutes,
        )

    return record, words


def quick_recording(log: VisitLog, request: QuickRequest) -> tuple[Recording, str] | None:
    """The visit-log call a quick action stands for, and its words; None when a cancellation
    has no cause chosen (nothing to record). (POLICE_SHEET opens the sheet: the page's job.)"""
    visit_id, command = request.visit_id, request.command
    calls: dict[QuickCommand, Recording] = {
        QuickCommand.SIGN_OUT: lambda by: log.sign_out(visit_id, by),
        QuickCommand.ARRIVED: lambda by: log.arrived(visit_id, by),
        QuickCommand.CALL_RECEIVED: lambda by: log.call_received(
            visit_id, by, extend_minutes=request.minutes, reason=request.text
        ),
        QuickCommand.SAFE_WORD: lambda by: log.safe_word(visit_id, by),
        QuickCommand.LEFT: lambda by: log.left(visit_id, by),
        QuickCommand.RETURNED: lambda by: log.returned(visit_id, by),
    }
    if command is QuickCommand.CANCEL:
        cause = request.cause
        if cause is None:
            return None
        calls[command] = lambda by: log.cancel(visit_id, cause, by, note=request.text)
    words = QUICK_DONE[command]
    if command is QuickCommand.CALL_RECEIVED and request.minutes:
        words += f", time extended by {request.minutes} min"
    if command is QuickCommand.CANCEL and request.cause is not None:
        words += f" ({request.cause.label.lower()})"
        if request.cause.is_safety:
            words += ": tell the headteacher"
    return calls[command], words
