"""From stored visits to the escalation engine's inputs: the one mapping the board, the CLI and
the demo checks share, so they can never disagree about a visit's stage."""

from __future__ import annotations

from hvdesk.clock import format_school_time
from hvdesk.db.models import Visit, VisitEvent
from hvdesk.domain.escalation import TimelineEvent, VisitPlan
from hvdesk.domain.stand_down import party_label
from hvdesk.domain.visits import EventKind


def visit_plan(visit: Visit) -> VisitPlan:
    """The engine's view of a visit's plan."""
    return VisitPlan(
        visit_id=visit.id,
        status=visit.status,
        planned_start=visit.planned_start,
        planned_end=visit.planned_end,
        is_drill=visit.is_drill,
    )


def timeline_event(event: VisitEvent) -> TimelineEvent:
    """The engine's view of one logged event; who recorded it is a display name."""
    recorded_by = event.recorded_by.display_name if event.recorded_by is not None else None
    return TimelineEvent(
        kind=event.kind,
        occurred_at=event.occurred_at,
        action=event.action,
        outcome=event.outcome,
        new_deadline=event.new_deadline,
        recorded_by=recorded_by,
        note=event.note,
        contact_name=event.contact_name,
        reference=event.reference,
    )


def timeline(visit: Visit) -> list[TimelineEvent]:
    return [timeline_event(event) for event in visit.events]


def event_heading(event: VisitEvent, *, with_stage: bool = True) -> str:
    """What happened, as every printed and shown timeline words it: the action taken, else the
    kind of event, with the escalation stage it was taken at (the police sheet leaves it out)."""
    if event.kind is EventKind.STOOD_DOWN and event.action is not None:
        return f"Stand-down: {party_label(event.action).lower()}"
    what = event.action.label if event.action is not None else event.kind.label
    if with_stage and event.stage:
        what = f"{what} (stage {event.stage})"
    return what


def event_details(event: VisitEvent) -> str | None:
    """The outcome, who was spoken to, the reference and any new call deadline (UK time), in
    one line; None when the event logged none of them."""
    details: list[str] = []
    if event.outcome is not None:
        details.append(event.outcome.label)
    if event.contact_name:
        details.append(event.contact_name)
    if event.reference:
        details.append(f"reference {event.reference}")
    if event.new_deadline is not None:
        details.append(f"next call due by {format_school_time(event.new_deadline, '%H:%M')}")
    return ", ".join(details) or None
