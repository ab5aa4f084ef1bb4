"""During the visit (issue 18): the staff phone in a child found alone, or no appropriate adult
present for tutoring. One action on the board each, logged like every other step.

Each is a call from the staff (so it counts as contact on the ladder), recorded as its own kind
of timeline entry with the instruction the office gave, as the school's policy words it
(default: "do not enter unless necessary to safeguard the child in an emergency; if in
immediate danger, call 999"). A child found alone also raises a "Child found alone" incident in
the same unit of work, once per visit (the record does not raise a second). "No appropriate
adult" is for tutoring visits only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from hvdesk.domain.text import one_line
from hvdesk.domain.visits import EventKind, VisitReason
from hvdesk.services.directory import school_policy
from hvdesk.services.identity import SignedInUser
from hvdesk.services.visit_conduct import child_alone_incident, has_child_alone_incident
from hvdesk.services.visit_log import InvalidAction, VisitLog, _label, _record, _require_out

__all__ = ["CallLogged", "ConductCalls"]

log = logging.getLogger(__name__)

MAX_NOTE = 1000


@dataclass(frozen=True)
class CallLogged:
    """What the board shows once the call is logged: the instruction to read to the colleague."""

    event_id: int
    instruction: str
    incident_id: int | None


class ConductCalls(VisitLog):
    """The two calls about the rules of conduct, on top of the board's other actions."""

    def child_found_alone(
        self, visit_id: int, by: SignedInUser, note: str | None = None
    ) -> CallLogged:
        """The staff phoned: a child is alone at the home. Logged with the instruction given,
        and a "Child found alone" incident raised."""
        text = _note(note)
        with self._action(visit_id, by) as (session, visit, state, now):
            _require_out(visit, state, "record a child found alone")
            policy = school_policy(session)
            instruction = policy.child_alone_instruction
            event_id = _record(
                session,
                visit,
                EventKind.CHILD_ALONE_CALL,
                by,
                now,
                note=_with_instruction(text, instruction),
            )
            incident_id: int | None = None
            if not has_child_alone_incident(session, visit.id):
                incident = child_alone_incident(visit, by, now, policy, text)
                incident.summary = (
                    f"The staff phoned from visit {visit.id}: a child was found alone."
                    + (f" {text}" if text else "")
                )
                session.add(incident)
                session.flush()
                incident_id = incident.id
        log.warning("%s: child found alone phoned in (event %s)", _label(visit), event_id)
        return CallLogged(event_id, instruction, incident_id)

    def no_appropriate_adult(
        self, visit_id: int, by: SignedInUser, note: str | None = None
    ) -> CallLogged:
        """The staff phoned: no appropriate adult is present for the tutoring session."""
        text = _note(note)
        with self._action(visit_id, by) as (session, visit, state, now):
            _require_out(visit, state, "record that no appropriate adult is present")
            if visit.reason is not VisitReason.TUTORING:
                raise InvalidAction(
                    f"Visit {visit.id} is not a tutoring visit; nothing was recorded.",
                    "Record the call as a call received, with a note.",
                )
            instruction = school_policy(session).no_adult_instruction
            event_id = _record(
                session,
                visit,
                EventKind.NO_ADULT_CALL,
                by,
                now,
                note=_with_instruction(text, instruction),
            )
        log.warning("%s: no appropriate adult phoned in (event %s)", _label(visit), event_id)
        return CallLogged(event_id, instruction, None)


def _note(note: str | None) -> str | None:
    text = one_line(note)
    if text is not None and len(text) > MAX_NOTE:
        raise InvalidAction(f"Keep the note under {MAX_NOTE} characters; nothing was recorded.")
    return text


def _with_instruction(note: str | None, instruction: str) -> str:
    said = f"Told: {one_line(instruction)}"
    return f"{note} — {said}" if note else said
