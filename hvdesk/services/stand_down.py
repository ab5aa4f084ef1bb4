"""Recording the stand-down (issue 13): after an escalation is resolved, each person or service
alerted during it is told the colleague is safe, or marked "not needed" with a word why.

Who is still to be told is `hvdesk.domain.stand_down.stand_down` over the stored timeline; the
board keeps the visit (compact) until each is done, and the incident report lists them.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from hvdesk.clock import Clock
from hvdesk.db.database import Database
from hvdesk.db.models import Visit, VisitEvent
from hvdesk.domain.stand_down import StandDownItem, party_label, stand_down
from hvdesk.domain.text import one_line
from hvdesk.domain.visits import ActionOutcome, EscalationAction, EventKind
from hvdesk.services.identity import SignedInUser
from hvdesk.services.timeline import timeline
from hvdesk.services.visit_log import InvalidAction, RecordNotFound, acting_on_visit, record_event

__all__ = ["StandDown"]

log = logging.getLogger(__name__)


class StandDown:
    """The list of people to stand down after a resolution, and one action for each."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def items(self, visit_id: int) -> tuple[StandDownItem, ...]:
        """Everyone alerted during the visit's latest resolved escalation, police first."""
        with self._database.session() as session:
            visit = session.scalars(
                sa.select(Visit)
                .where(Visit.id == visit_id)
                .options(selectinload(Visit.events).joinedload(VisitEvent.recorded_by))
            ).one_or_none()
            if visit is None:
                raise RecordNotFound(f"There is no visit {visit_id}.")
            now = self._clock.now()
            return stand_down(e for e in timeline(visit) if e.occurred_at <= now)

    def told(self, visit_id: int, party: EscalationAction, by: SignedInUser) -> int:
        """`party` was told the colleague is safe."""
        return self._record(visit_id, party, ActionOutcome.INFORMED, by, None)

    def not_needed(
        self, visit_id: int, party: EscalationAction, reason: str, by: SignedInUser
    ) -> int:
        """`party` need not be told (a word why is required)."""
        text = one_line(reason)
        if text is None:
            raise InvalidAction(
                f"Say in a word why telling {party_label(party).lower()} is not needed (for "
                'example "they closed the call themselves"); nothing was recorded.'
            )
        return self._record(visit_id, party, ActionOutcome.NOT_NEEDED, by, text)

    def _record(
        self,
        visit_id: int,
        party: EscalationAction,
        outcome: ActionOutcome,
        by: SignedInUser,
        note: str | None,
    ) -> int:
        with acting_on_visit(self._database, self._clock, visit_id, by) as (
            session,
            visit,
            _state,
            now,
        ):
            pending = {i.party: i for i in stand_down(timeline(visit)) if not i.done}
            if party not in pending:
                raise InvalidAction(
                    f"{party_label(party)} is not waiting to be stood down on visit {visit.id}; "
                    "nothing was recorded."
                )
            event_id = record_event(
                session,
                visit,
                EventKind.STOOD_DOWN,
                by,
                now,
                action=party,
                outcome=outcome,
                reference=pending[party].reference,
                note=note,
            )
        log.info(
            "Visit %s stand-down %s: %s (event %s)", visit_id, party.value, outcome.value, event_id
        )
        return event_id
