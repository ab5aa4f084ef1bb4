"""What an alert card says and offers, Qt-free: its buttons for each prompt and stage, the
inline questions, the numbers to call, its clock line and its heading.

Cards never act themselves: each button emits a `CardRequest`, which the board page carries
out through the visit log (so the permission and sign-in checks live in one place).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from html import escape

from hvdesk.clock import format_school_time
from hvdesk.domain.escalation import DeadlineKind, EscalationStage, VisitState
from hvdesk.domain.visits import EscalationAction
from hvdesk.services.board_alerts import Alert, AlertKind
from hvdesk.services.board_rows import SHORT_STAGE_WORDS, BoardRow, board_countdown, look

POLICE_NUMBER = "999"
DEFAULT_EXTEND_MINUTES = 20


class CardCommand(StrEnum):
    """What a card's button asks the board to do."""

    CLAIM = "claim"
    NO_ANSWER = "called_no_answer"
    SAFE_EXTEND = "called_safe_extend"
    SUPERVISOR_INFORMED = "supervisor_informed"
    CONTACT_REACHED = "emergency_contact_reached"
    CONTACT_NO_ANSWER = "emergency_contact_no_answer"
    POLICE_INFORMED = "police_informed"
    RESOLVE = "resolve"
    SIGN_OUT = "sign_out"
    CANCEL = "cancel"
    HEADTEACHER_TOLD = "headteacher_told"
    RETURNED = "returned"
    POLICE_SHEET = "police_sheet"
    SHOW = "show"


BUTTON_TEXT: dict[CardCommand, str] = {
    CardCommand.NO_ANSWER: "Called: no answer",
    CardCommand.SAFE_EXTEND: "Called: safe — extend…",
    CardCommand.SUPERVISOR_INFORMED: "Supervisor informed…",
    CardCommand.CONTACT_REACHED: "Emergency contact reached",
    CardCommand.CONTACT_NO_ANSWER: "Emergency contact: no answer",
    CardCommand.POLICE_INFORMED: "Police informed…",
    CardCommand.POLICE_SHEET: "Police sheet",
    CardCommand.RESOLVE: "Resolve…",
    CardCommand.SIGN_OUT: "Sign out now",
    CardCommand.CANCEL: "Cancel visit…",
    CardCommand.HEADTEACHER_TOLD: "Headteacher told",
    CardCommand.RETURNED: "Back at base: record return",
}

OUTSTANDING: dict[CardCommand, EscalationAction] = {
    CardCommand.NO_ANSWER: EscalationAction.CALLED_STAFF,
    CardCommand.SAFE_EXTEND: EscalationAction.CALLED_STAFF,
    CardCommand.SUPERVISOR_INFORMED: EscalationAction.INFORMED_SUPERVISOR,
    CardCommand.CONTACT_REACHED: EscalationAction.CALLED_EMERGENCY_CONTACT,
    CardCommand.CONTACT_NO_ANSWER: EscalationAction.CALLED_EMERGENCY_CONTACT,
    CardCommand.POLICE_INFORMED: EscalationAction.INFORMED_POLICE,
}


ALWAYS_SHOWN = frozenset(
    {
        CardCommand.SAFE_EXTEND,
        CardCommand.RESOLVE,
        CardCommand.POLICE_SHEET,
        CardCommand.SIGN_OUT,
        CardCommand.CANCEL,
        CardCommand.HEADTEACHER_TOLD,
        CardCommand.RETURNED,
    }
)
"""Outcomes that stay one click at every stage (reaching the staff safe is always possible)."""


@dataclass(frozen=True)
class CardRequest:
    """A button pressed on a card (with what was typed inline, if anything)."""

    visit_id: int
    command: CardCommand
    text: str | None = None
    minutes: int | None = None
    kind: AlertKind | None = None
    """Which card asked (None: from elsewhere, such as the table's context menu)."""


@dataclass(frozen=True)
class Ask:
    """An inline question: what to type before the outcome is recorded."""

    prompt: str
    placeholder: str
    record: str
    numeric: bool = False


ASKS: dict[CardCommand, Ask] = {
    CardCommand.SAFE_EXTEND: Ask(
        "Extend the time by (minutes):", "", "Record: safe, extended", numeric=True
    ),
    CardCommand.SUPERVISOR_INFORMED: Ask(
        "Name of the supervisor or senior informed:", "Name", "Record: supervisor informed"
    ),
    CardCommand.POLICE_INFORMED: Ask(
        "Police reference (incident or CAD number):", "Reference", "Record: police informed"
    ),
    CardCommand.RESOLVE: Ask(
        "How was it resolved?",
        "e.g. Staff safe, spoke to them at 15:42",
        "Record the resolution",
    ),
}


def buttons_for(alert: Alert) -> list[CardCommand]:
    """The one-click outcomes a prompt offers, in ladder order."""
    if alert.kind is AlertKind.NOT_SIGNED_OUT:
        return [CardCommand.SIGN_OUT, CardCommand.CANCEL]
    if alert.kind is AlertKind.HEADTEACHER:
        return [CardCommand.HEADTEACHER_TOLD]
    if alert.kind is AlertKind.RETURN:
        return [CardCommand.RETURNED]
    if alert.kind is not AlertKind.ESCALATION or alert.row is None:
        return []
    stage = alert.row.state.stage
    if stage is EscalationStage.EMERGENCY:
        return [
            CardCommand.POLICE_INFORMED,
            CardCommand.POLICE_SHEET,
            CardCommand.SUPERVISOR_INFORMED,
            CardCommand.RESOLVE,
        ]
    commands: list[CardCommand] = []
    if stage.number >= 1:
        commands += [CardCommand.NO_ANSWER, CardCommand.SAFE_EXTEND]
    if stage.number >= 2:
        commands.append(CardCommand.SUPERVISOR_INFORMED)
    if stage.number >= 3:
        commands += [CardCommand.CONTACT_REACHED, CardCommand.CONTACT_NO_ANSWER]
    if stage.number >= 4:
        commands += [CardCommand.POLICE_INFORMED, CardCommand.POLICE_SHEET]
    commands.append(CardCommand.RESOLVE)
    return commands


def _deadline_words(kind: DeadlineKind | None) -> str:
    return kind.label if kind is not None else "Call"


def time_line(state: VisitState, now: datetime) -> str:
    """The card's clock: how late (or how long ago contact came back)."""
    escalated = state.stage.is_escalated and state.stage is not EscalationStage.EMERGENCY
    if escalated and state.deadline is not None:
        late = board_countdown(now - state.deadline)
        return f"{_deadline_words(state.deadline_kind)} overdue by {late}"
    if state.stage is EscalationStage.EMERGENCY and state.escalation_began_at is not None:
        return f"Since {format_school_time(state.escalation_began_at, '%H:%M')}"
    if state.contact_restored_at is not None:
        return f"Contact restored at {format_school_time(state.contact_restored_at, '%H:%M')}"
    if state.deadline is not None and state.deadline <= now:
        return f"{_deadline_words(state.deadline_kind)} overdue by " + board_countdown(
            now - state.deadline
        )
    return ""


def numbers_to_call(row: BoardRow, stage: EscalationStage) -> list[tuple[str, str, str]]:
    """The numbers to call at this stage as (who, name, number), most immediate first."""
    missing = "no number recorded"
    visitors = row.entry.visitors
    lines = [("Call", v.name, v.work_mobile or missing) for v in visitors]
    if stage.number >= 2 or stage is EscalationStage.EMERGENCY:
        supervisors: list[tuple[str, str, str]] = []
        for v in visitors:
            if v.supervisor_name is None:
                continue
            line = ("Supervisor", v.supervisor_name, v.supervisor_phone or missing)
            if line not in supervisors:
                supervisors.append(line)
        lines += supervisors or [("Supervisor", "none recorded: tell the DSL", "")]
    if stage.number >= 3 and stage is not EscalationStage.EMERGENCY:
        for v in visitors:
            if v.emergency_contact_name is None:
                lines.append(("Emergency contact", f"none recorded for {v.name}", ""))
                continue
            whose = v.name.split()[0] if len(visitors) > 1 else ""
            relation = v.emergency_contact_relationship or ""
            if relation and whose:
                relation = f" ({relation.lower()} of {whose})"
            elif relation:
                relation = f" ({relation.lower()})"
            elif whose:
                relation = f" (for {whose})"
            lines.append(
                (
                    "Emergency contact",
                    f"{v.emergency_contact_name}{relation}",
                    v.emergency_contact_phone or missing,
                )
            )
    if stage.number >= 4:
        lines.append(("Police", "emergency call", POLICE_NUMBER))
    return lines


def numbers_html(lines: list[tuple[str, str, str]]) -> str:
    """The numbers as a compact table: who, name, and the number in bold."""
    rows = "".join(
        f'<tr><td style="padding-right:8px">{escape(who)}</td>'
        f'<td style="padding-right:8px">{escape(name)}</td>'
        f'<td style="white-space:nowrap"><b>{escape(number)}</b></td></tr>'
        for who, name, number in lines
    )
    return f'<table cellspacing="0" cellpadding="0" style="margin:0">{rows}</table>'


def numbers_text(lines: list[tuple[str, str, str]]) -> str:
    """The same, as plain text (for the accessible description and for tests)."""
    return "\n".join(f"{who}: {name} {number}".rstrip() for who, name, number in lines)


def card_signature(alert: Alert, private: bool, names: dict[int, str] | None) -> object:
    """Everything a card shows apart from its clock."""
    row = alert.row
    if row is None:
        return (
            alert.kind,
            alert.level,
            alert.visit_ids,
            private,
            tuple(sorted((names or {}).items())),
        )
    state = row.state
    return (
        alert.kind,
        alert.level,
        alert.acknowledged,
        private,
        row.entry,
        state.stage,
        state.phase,
        state.awaiting_resolution,
        state.outstanding,
        state.deadline,
        state.contact_restored_at,
    )


_KIND_HEADINGS: dict[AlertKind, tuple[str, str]] = {
    AlertKind.HEADTEACHER: ("Cancelled for safety: tell the headteacher", "headteacher"),
    AlertKind.RETURN: ("Cancelled after setting out: confirm back at base", "not-signed-out"),
}


def alert_heading(alert: Alert, row: BoardRow) -> tuple[str, str]:
    """What a visit's prompt is about, and its icon: the card's heading (without the DRILL
    mark) and the words the window is brought forward with."""
    heading = _KIND_HEADINGS.get(alert.kind)
    if heading is not None:
        return heading
    seen = look(row.entry, row.state)
    return seen.text, seen.icon_name


def compact_words(alert: Alert) -> str:
    """The stage words of a compact row: the table's short words for an escalation."""
    row = alert.row
    if row is None:
        return "End of day: still out"
    if alert.kind is AlertKind.HEADTEACHER:
        text = "Cancelled for safety: tell the headteacher"
    elif alert.kind is AlertKind.RETURN:
        text = "Cancelled after setting out: confirm return"
    else:
        text = SHORT_STAGE_WORDS.get(row.state.stage) or look(row.entry, row.state).text
    return f"DRILL: {text}" if row.entry.is_drill else text
