"""From stored visits to the escalation engine's inputs: the one mapping the board, the CLI and
the demo checks share, so they can never disagree about a visit's stage."""

from __future__ import annotations

from hvdesk.db.models import Visit, VisitEvent
from hvdesk.domain.escalation import TimelineEvent, VisitPlan


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
    )


def timeline(visit: Visit) -> list[TimelineEvent]:
    return [timeline_event(event) for event in visit.events]
