"""The wait at the door (issue 13; seed 003: at most 5 minutes, in the car; seed 004: at most
10, and 30 for a parent who warned they would be late; never go in before the parent arrives).

Each action is one durable unit of work on the visit's timeline; the countdown, the prompt at
the limit and its end are the escalation engine's (`VisitState.waiting_since`, `wait_limit_at`).
"""

from __future__ import annotations

import logging

from hvdesk.clock import Clock
from hvdesk.db.database import Database
from hvdesk.domain.escalation import VisitPhase
from hvdesk.domain.text import one_line
from hvdesk.domain.visits import CancellationCause, EventKind
from hvdesk.services.identity import SignedInUser
from hvdesk.services.visit_log import InvalidAction, VisitLog, acting_on_visit, record_event

__all__ = ["DoorWait", "parent_not_there_reason"]

log = logging.getLogger(__name__)

_AT_THE_HOME = (VisitPhase.TRAVELLING, VisitPhase.ON_VISIT)


def parent_not_there_reason(minutes: int, *, late: bool) -> str:
    """The reason filled in for "Cancelled: parent not there"."""
    warned = " after warning they would be late" if late else ""
    return f"Parent not there{warned}: waited {minutes} minutes at the door (the school's limit)."


class DoorWait:
    """Waiting at the door, a parent running late, the parent arriving, and cancelling when the
    parent never came."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def waiting_at_door(self, visit_id: int, by: SignedInUser) -> int:
        """The staff phoned: they are at the door and the parent is not there."""
        return self._start(visit_id, by, EventKind.WAITING_AT_DOOR)

    def parent_running_late(self, visit_id: int, by: SignedInUser, note: str | None = None) -> int:
        """The parent warned they would be late: the longer limit runs from now."""
        return self._start(visit_id, by, EventKind.PARENT_RUNNING_LATE, one_line(note))

    def parent_arrived(self, visit_id: int, by: SignedInUser) -> int:
        """The parent came: the wait is over and the visit goes on."""
        with acting_on_visit(self._database, self._clock, visit_id, by) as (
            session,
            visit,
            state,
            now,
        ):
            if state.waiting_since is None:
                raise InvalidAction(
                    f"Nobody on visit {visit.id} is waiting at the door; nothing was recorded."
                )
            event_id = record_event(session, visit, EventKind.PARENT_ARRIVED, by, now)
        log.info("Visit %s: parent arrived (event %s)", visit_id, event_id)
        return event_id

    def cancel_parent_not_there(self, visit_id: int, by: SignedInUser) -> int:
        """The wait ran out: the visit is cancelled with the reason filled in."""
        with acting_on_visit(self._database, self._clock, visit_id, by) as (
            _session,
            visit,
            state,
            _now,
        ):
            if state.waiting_since is None:
                raise InvalidAction(
                    f"Nobody on visit {visit.id} is waiting at the door; nothing was recorded.",
                    'Use "Cancel visit" for any other reason.',
                )
            minutes = round((state.evaluated_at - state.waiting_since).total_seconds() / 60)
            reason = parent_not_there_reason(minutes, late=state.parent_running_late)
        return VisitLog(self._database, self._clock).cancel(
            visit_id, CancellationCause.PARENT_NOT_PRESENT, by, reason
        )

    def _start(
        self, visit_id: int, by: SignedInUser, kind: EventKind, note: str | None = None
    ) -> int:
        with acting_on_visit(self._database, self._clock, visit_id, by) as (
            session,
            visit,
            state,
            now,
        ):
            if state.phase not in _AT_THE_HOME:
                phase = state.phase.label.lower()
                raise InvalidAction(
                    f"Visit {visit.id} is not on its way or at the home ({phase}), so nobody "
                    "can be waiting at its door; nothing was recorded."
                )
            event_id = record_event(session, visit, kind, by, now, note=note)
        log.info("Visit %s: %s (event %s)", visit_id, kind.value, event_id)
        return event_id
