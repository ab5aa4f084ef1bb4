"""The three things an alert card always says (issue 13): what has been done (each step, by
whom, when), what to do now, and what comes next at what time on the school's clock, or that
there is nothing to do but wait.

A pure function of the engine's answer and the visit's timeline, so the card, the JSON board
and the tests read the same words. Text keeps the ``{staff}`` placeholder of
`hvdesk.domain.escalation.stage_instruction`; the caller fills in the names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from hvdesk.clock import format_school_time
from hvdesk.domain.escalation import EscalationStage, TimelineEvent, VisitPhase, VisitState
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.visits import EscalationAction, EventKind

__all__ = ["DoneStep", "NextSteps", "next_steps"]

NOTHING_TO_DO = "Nothing to do now but wait."

_DO: dict[EscalationAction, str] = {
    EscalationAction.CALLED_STAFF: "Call {staff}'s work mobile and log the outcome.",
    EscalationAction.INFORMED_SUPERVISOR: (
        "Inform {staff}'s supervisor or the designated senior member of staff."
    ),
    EscalationAction.CALLED_EMERGENCY_CONTACT: "Call {staff}'s emergency contact.",
    EscalationAction.INFORMED_POLICE: (
        "Inform the police (999 if in danger): give the police sheet's details and log the "
        "reference."
    ),
}

_SHOWN = frozenset(
    {
        EventKind.SIGNED_OUT,
        EventKind.ARRIVED,
        EventKind.CALL_RECEIVED,
        EventKind.SCHEDULE_CHANGED,
        EventKind.SAFE_WORD,
        EventKind.LEFT,
        EventKind.ESCALATION_ACTION,
        EventKind.ALERT_CLAIMED,
        EventKind.WAITING_AT_DOOR,
        EventKind.PARENT_RUNNING_LATE,
        EventKind.PARENT_ARRIVED,
        EventKind.RESOLVED,
        EventKind.STOOD_DOWN,
    }
)


@dataclass(frozen=True)
class DoneStep:
    """One step already taken, as the card lists it ("14:02 Called the staff member: no
    answer (Sam Patel)")."""

    at: datetime
    what: str
    by: str | None
    details: str | None = None
    """Whom they spoke to and any reference: not for a public screen (privacy mode)."""

    @property
    def text(self) -> str:
        what = f"{self.what}, {self.details}" if self.details else self.what
        who = f" ({self.by})" if self.by else ""
        return f"{format_school_time(self.at, '%H:%M')} {what}{who}"

    @property
    def public_text(self) -> str:
        """Without the names of contacts and references (privacy mode, the JSON board)."""
        who = f" ({self.by})" if self.by else ""
        return f"{format_school_time(self.at, '%H:%M')} {self.what}{who}"


@dataclass(frozen=True)
class NextSteps:
    """What has been done, what to do now, and what comes next."""

    done: tuple[DoneStep, ...]
    do_now: str
    """The one step to take now, or `NOTHING_TO_DO`."""
    next_step: str | None
    """What comes next if nothing changes, with its time ("If still no answer, call the
    emergency contact at 14:32"); None when nothing comes on its own."""
    next_at: datetime | None

    @property
    def waiting(self) -> bool:
        return self.do_now == NOTHING_TO_DO


def next_steps(
    state: VisitState, events: Iterable[TimelineEvent], policy: SchoolPolicy
) -> NextSteps:
    """The card's three things for a visit as it stands at `state.evaluated_at`."""
    return NextSteps(
        done=_done(state, events),
        do_now=_do_now(state),
        next_step=_next_text(state, policy),
        next_at=_next_at(state, policy),
    )


def _done(state: VisitState, events: Iterable[TimelineEvent]) -> tuple[DoneStep, ...]:
    """The steps of the open escalation (or, with none open, of the visit so far)."""
    now = state.evaluated_at
    since = state.escalation_began_at
    steps: list[DoneStep] = []
    for event in sorted(events, key=lambda e: e.occurred_at):
        if event.occurred_at > now or event.kind not in _SHOWN:
            continue
        if since is not None and event.occurred_at < since:
            continue
        what, details = _what(event)
        steps.append(DoneStep(event.occurred_at, what, event.recorded_by, details))
    return tuple(steps)


def _what(event: TimelineEvent) -> tuple[str, str | None]:
    if event.kind is EventKind.ESCALATION_ACTION and event.action is not None:
        what = event.action.label
    elif event.kind is EventKind.STOOD_DOWN and event.action is not None:
        what = f"Stand-down: {_PARTY.get(event.action, event.action.label)}"
    else:
        what = event.kind.label
    if event.outcome is not None:
        what = f"{what}: {event.outcome.label.lower()}"
    details = [
        part
        for part in (
            event.contact_name,
            f"reference {event.reference}" if event.reference else None,
        )
        if part
    ]
    return what, ", ".join(details) or None


_PARTY: dict[EscalationAction, str] = {
    EscalationAction.INFORMED_POLICE: "the police",
    EscalationAction.CALLED_EMERGENCY_CONTACT: "the emergency contact",
    EscalationAction.INFORMED_SUPERVISOR: "the supervisor",
    EscalationAction.INFORMED_HEADTEACHER: "the headteacher",
}


def _do_now(state: VisitState) -> str:
    if state.stage.is_escalated and state.outstanding:
        return _DO[state.outstanding[0]]
    if state.stage.is_escalated:
        return NOTHING_TO_DO
    if state.wait_over:
        return (
            "Tell {staff} to leave the door now, then record \u201cCancelled: parent not "
            "there\u201d."
        )
    if state.phase is VisitPhase.NOT_SIGNED_OUT:
        return "Check whether {staff} has left: record the departure, or cancel the visit."
    if state.awaiting_resolution:
        return "Record how the escalation was resolved."
    return NOTHING_TO_DO


def _next_at(state: VisitState, policy: SchoolPolicy) -> datetime | None:
    if state.stage is EscalationStage.EMERGENCY or state.deadline is None:
        return state.wait_limit_at if state.wait_limit_at and not state.wait_over else None
    if state.stage is EscalationStage.INFORM_POLICE:
        return None
    if state.stage is EscalationStage.CALL_EMERGENCY_CONTACT:
        return state.deadline + policy.police_after
    if state.stage.is_escalated:
        return state.deadline + policy.emergency_contact_after
    if state.wait_limit_at is not None and not state.wait_over:
        return state.wait_limit_at
    if state.phase.is_out:
        return state.deadline
    return None


def _next_text(state: VisitState, policy: SchoolPolicy) -> str | None:
    at = _next_at(state, policy)
    if at is None:
        if state.stage is EscalationStage.INFORM_POLICE and not state.outstanding:
            return "Keep trying {staff}'s work mobile and pass any news to the police."
        return None
    hhmm = format_school_time(at, "%H:%M")
    if state.stage is EscalationStage.CALL_EMERGENCY_CONTACT:
        return f"If {{staff}} is still unreachable at {hhmm}, inform the police."
    if state.stage.is_escalated:
        return f"If there is still no answer at {hhmm}, call {{staff}}'s emergency contact."
    if state.wait_limit_at is not None and at == state.wait_limit_at:
        return f"If the parent has not come by {hhmm}, tell {{staff}} to leave."
    call = state.deadline_kind.label.lower() if state.deadline_kind else "call"
    return f"If the {call} has not come by {hhmm}, call {{staff}}'s work mobile."
