"""The stand-down (issue 13, DOMAIN.md "When it is over"): once an escalation is resolved,
everyone who was alerted during it is told the colleague is safe, or recorded as "not needed"
with a word why.

A pure function of the timeline: who was alerted between the escalation's start and its
resolution (the police with their reference first, then the emergency contact, the supervisor,
the headteacher), and which of them a STOOD_DOWN event since the resolution covers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from hvdesk.domain.escalation import TimelineEvent
from hvdesk.domain.visits import ActionOutcome, EscalationAction, EventKind

__all__ = ["PARTIES", "StandDownItem", "party_label", "stand_down"]

PARTIES: tuple[EscalationAction, ...] = (
    EscalationAction.INFORMED_POLICE,
    EscalationAction.CALLED_EMERGENCY_CONTACT,
    EscalationAction.INFORMED_SUPERVISOR,
    EscalationAction.INFORMED_HEADTEACHER,
)
"""Who is stood down, in the order the card lists them (police first)."""

_LABELS: dict[EscalationAction, str] = {
    EscalationAction.INFORMED_POLICE: "The police",
    EscalationAction.CALLED_EMERGENCY_CONTACT: "The emergency contact",
    EscalationAction.INFORMED_SUPERVISOR: "The supervisor",
    EscalationAction.INFORMED_HEADTEACHER: "The headteacher",
}
_NOT_ALERTED = frozenset({ActionOutcome.NO_ANSWER})


def party_label(party: EscalationAction) -> str:
    """ "The police", "The emergency contact"..."""
    return _LABELS[party]


@dataclass(frozen=True)
class StandDownItem:
    """One person or service alerted during the escalation, and whether they were stood down."""

    party: EscalationAction
    alerted_at: datetime
    who: str | None
    """The name given when they were alerted (supervisor, emergency contact), if any."""
    reference: str | None
    """The police reference."""
    done_at: datetime | None = None
    done_by: str | None = None
    outcome: ActionOutcome | None = None
    """INFORMED (told the colleague is safe) or NOT_NEEDED."""
    reason: str | None = None

    @property
    def done(self) -> bool:
        return self.done_at is not None

    @property
    def label(self) -> str:
        parts = [party_label(self.party)]
        if self.who:
            parts.append(f"({self.who})")
        if self.reference:
            parts.append(f"reference {self.reference}")
        return " ".join(parts)


def stand_down(events: Iterable[TimelineEvent]) -> tuple[StandDownItem, ...]:
    """Who is to be stood down after the latest resolved escalation, police first; empty if
    the latest escalation is not resolved yet or alerted nobody."""
    timeline = sorted(events, key=lambda e: e.occurred_at)
    resolutions = [i for i, e in enumerate(timeline) if e.is_valid_resolution]
    if not resolutions:
        return ()
    last = resolutions[-1]
    start = resolutions[-2] + 1 if len(resolutions) > 1 else 0
    alerted: dict[EscalationAction, StandDownItem] = {}
    for event in timeline[start:last]:
        if (
            event.kind is EventKind.ESCALATION_ACTION
            and event.action in _LABELS
            and event.outcome not in _NOT_ALERTED
            and event.action not in alerted
        ):
            alerted[event.action] = StandDownItem(
                party=event.action,
                alerted_at=event.occurred_at,
                who=event.contact_name,
                reference=event.reference,
            )
    for event in timeline[last + 1 :]:
        if event.kind is EventKind.STOOD_DOWN and event.action in alerted:
            item = alerted[event.action]
            alerted[event.action] = StandDownItem(
                party=item.party,
                alerted_at=item.alerted_at,
                who=item.who,
                reference=item.reference,
                done_at=event.occurred_at,
                done_by=event.recorded_by,
                outcome=event.outcome,
                reason=event.note,
            )
    return tuple(alerted[p] for p in PARTIES if p in alerted)
