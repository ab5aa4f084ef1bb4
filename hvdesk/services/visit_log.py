"""Recording what happens while staff are out: one method per action on the board.

Every method names the signed-in user who recorded it (`recorded_by_id`), writes one unit of
work that is committed (durably: the engine runs with synchronous=FULL) before it returns, and
returns the new row's id. An action that makes no sense for the visit as it stands (signing out
twice, an arrival on a cancelled visit, resolving what is not awaiting resolution...) raises
`InvalidAction` with a message for the office, and writes nothing.

Rules decided here:

* "Where the visit stands" is the escalation engine's answer from the stored timeline at the
  clock's now (a drill's on its compressed ladder), never a cached flag.
* Returned: the visit's status becomes COMPLETED (the trip is over); `completed_at` is left
  empty for the after-visit record, which sets it when the record is written. A visit cancelled
  after its staff set out stays CANCELLED; their return can still be recorded (and must be: the
  board lists it until it is).
* Extending ("called: safe, extended 20 min", or a call received with N more minutes): the new
  deadline is the current deadline + N, or now + N if the current deadline has already passed
  (an extension never sets a deadline in the past). Extending needs a reason on a call received.
* Left is accepted straight from travelling (staff who forgot to phone in on arrival).
* Cancelling with the cause "Other" needs a note; a safety cause (animal not shut away, felt
  unsafe) keeps the visit on the board until "informed the headteacher" is logged.
* Signing out, urgent departures and drills refuse staff still out on another visit (OUT).
* Escalation actions are accepted while the staff are out or an escalation is open;
  "informed the headteacher" is accepted on any cancelled visit too.
* Resolving a safe-word escalation completes the SAFE_WORD incident opened when the safe word
  was logged; any other escalation creates an ESCALATION incident.
* Any active account may record on the board; permissions by role are not enforced here yet.

Log lines carry visit, event and user ids only, never names.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hvdesk.clock import Clock, format_school_time, to_school_time
from hvdesk.db.database import Database
from hvdesk.db.models import (
    Household,
    Incident,
    Pupil,
    Staff,
    UserAccount,
    Visit,
    VisitEvent,
    VisitStaff,
)
from hvdesk.domain.escalation import (
    EscalationStage,
    TimelineEvent,
    VisitPhase,
    VisitState,
    evaluate,
    level_began,
)
from hvdesk.domain.incidents import IncidentKind, IncidentStatus, review_due_on
from hvdesk.domain.text import one_line
from hvdesk.domain.visits import (
    ActionOutcome,
    CancellationCause,
    EntryMode,
    EscalationAction,
    EventKind,
    VisitorRole,
    VisitReason,
    VisitStatus,
)
from hvdesk.errors import DecisionAlreadyMade, HvdeskError
from hvdesk.services import audit
from hvdesk.services.acting import require_active_account
from hvdesk.services.directory import school_policy
from hvdesk.services.drill import (
    DRILL_ADDRESS,
    DRILL_AREA,
    DRILL_POSTCODE,
    DRILL_PURPOSE,
    DRILL_SAFE_WORD,
    DRILL_VISIT_LENGTH,
    ladder_policy,
)
from hvdesk.services.identity import SignedInUser
from hvdesk.services.timeline import visit_plan

__all__ = [
    "MAX_EXTENSION_MINUTES",
    "MAX_URGENT_VISIT",
    "InvalidAction",
    "RecordNotFound",
    "VisitLog",
    "acting_on_visit",
    "claim_if_unclaimed",
    "record_event",
    "vehicle_text",
]

log = logging.getLogger(__name__)

ANY_CLAIMANT = object()
"""`claim`'s default: no version check (a deliberate take-over)."""

MAX_EXTENSION_MINUTES = 8 * 60
MAX_URGENT_VISIT = timedelta(hours=12)
MAX_VISITORS = 4

_OUTCOMES: dict[EscalationAction, frozenset[ActionOutcome]] = {
    EscalationAction.CALLED_STAFF: frozenset(
        {
            ActionOutcome.NO_ANSWER,
            ActionOutcome.LEFT_MESSAGE,
            ActionOutcome.SAFE,
            ActionOutcome.REACHED,
        }
    ),
    EscalationAction.INFORMED_SUPERVISOR: frozenset(
        {ActionOutcome.INFORMED, ActionOutcome.NO_ANSWER, ActionOutcome.LEFT_MESSAGE}
    ),
    EscalationAction.CALLED_EMERGENCY_CONTACT: frozenset(
        {
            ActionOutcome.NO_ANSWER,
            ActionOutcome.LEFT_MESSAGE,
            ActionOutcome.REACHED,
            ActionOutcome.SAFE,
        }
    ),
    EscalationAction.INFORMED_POLICE: frozenset({ActionOutcome.INFORMED}),
    EscalationAction.INFORMED_HEADTEACHER: frozenset(
        {ActionOutcome.INFORMED, ActionOutcome.NO_ANSWER, ActionOutcome.LEFT_MESSAGE}
    ),
}


class InvalidAction(HvdeskError):
    """An action that does not fit the visit as it stands; nothing was recorded."""

    title = "Nothing was recorded"


class RecordNotFound(InvalidAction):
    """The visit, household, pupil, staff member or account asked for does not exist."""

    title = "Not found"


def vehicle_text(staff: Staff) -> str | None:
    """The staff member's vehicle as the police want it ("Blue Ford Focus, LK19 XRT"), or None."""
    car = " ".join(p for p in (staff.vehicle_colour, staff.vehicle_make, staff.vehicle_model) if p)
    registration = staff.vehicle_registration
    if car and registration:
        return f"{car}, {registration}"
    return car or registration or None


class VisitLog:
    """The board's quick actions, each one durable unit of work."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    # --- the visit's own progress -------------------------------------------------------------

    def sign_out(self, visit_id: int, by: SignedInUser) -> int:
        """The staff have left for an authorised visit (one action from the board)."""
        with self._action(visit_id, by) as (session, visit, _state, now):
            if visit.status is VisitStatus.OUT or (
                visit.status is VisitStatus.AUTHORISED and _has(visit, EventKind.SIGNED_OUT)
            ):
                departed = _first(visit, EventKind.SIGNED_OUT)
                when = f" at {_hhmm(departed.occurred_at)}" if departed else ""
                raise InvalidAction(
                    f"Visit {visit.id} was already signed out{when}; nothing was recorded."
                )
            if visit.status is not VisitStatus.AUTHORISED:
                raise _not_going_ahead(visit, "signed out")
            _require_back(session, visit)
            visit.status = VisitStatus.OUT
            event_id = _record(session, visit, EventKind.SIGNED_OUT, by, now)
        log.info("%s signed out (event %s, user %s)", _label(visit), event_id, by.user_id)
        return event_id

    def arrived(self, visit_id: int, by: SignedInUser) -> int:
        """The staff phoned in on arrival."""
        with self._action(visit_id, by) as (session, visit, state, now):
            _require_phase(visit, state, (VisitPhase.TRAVELLING,), "record an arrival")
            event_id = _record(session, visit, EventKind.ARRIVED, by, now)
        log.info("%s arrival recorded (event %s)", _label(visit), event_id)
        return event_id

    def call_received(
        self,
        visit_id: int,
        by: SignedInUser,
        extend_minutes: int | None = None,
        reason: str | None = None,
    ) -> int:
        """The staff phoned in; optionally the current call deadline moves by N minutes."""
        reason = one_line(reason)
        with self._action(visit_id, by) as (session, visit, state, now):
            _require_out(visit, state, "record a call from the staff")
            new_deadline = None
            if extend_minutes is not None:
                if reason is None:
                    raise InvalidAction(
                        'Say why the time is being extended (for example "traffic" or '
                        '"meeting running over"); nothing was recorded.'
                    )
                new_deadline = _extended(state, extend_minutes, now)
            event_id = _record(
                session,
                visit,
                EventKind.CALL_RECEIVED,
                by,
                now,
                new_deadline=new_deadline,
                note=reason,
            )
        log.info("%s call received (event %s)", _label(visit), event_id)
        return event_id

    def safe_word(self, visit_id: int, by: SignedInUser, note: str | None = None) -> int:
        """The safe word was used on a call: EMERGENCY at once, and a SAFE_WORD incident."""
        with self._action(visit_id, by) as (session, visit, state, now):
            _require_out(visit, state, "record the safe word")
            event_id = _record(
                session,
                visit,
                EventKind.SAFE_WORD,
                by,
                now,
                stage=EscalationStage.EMERGENCY.number,
                note=one_line(note),
            )
            if _open_safe_word_incident(session, visit.id) is None:
                session.add(
                    Incident(
                        visit_id=visit.id,
                        kind=IncidentKind.SAFE_WORD,
                        status=IncidentStatus.OPEN,
                        occurred_at=now,
                        raised_at=now,
                        raised_by_id=by.user_id,
                        summary=f"Safe word used on a call during visit {visit.id}.",
                        highest_stage=EscalationStage.EMERGENCY.number,
                        is_drill=visit.is_drill,
                        review_due_on=_review_due(session, now),
                    )
                )
        log.warning("%s: SAFE WORD recorded (event %s)", _label(visit), event_id)
        return event_id

    def left(self, visit_id: int, by: SignedInUser) -> int:
        """The staff phoned in on leaving the home: the home-safe call is now due."""
        with self._action(visit_id, by) as (session, visit, state, now):
            _require_phase(
                visit, state, (VisitPhase.TRAVELLING, VisitPhase.ON_VISIT), "record leaving"
            )
            event_id = _record(session, visit, EventKind.LEFT, by, now)
        log.info("%s left recorded (event %s)", _label(visit), event_id)
        return event_id

    def returned(self, visit_id: int, by: SignedInUser) -> int:
        """Back at base or home safe. An out visit becomes COMPLETED (record still to write)."""
        with self._action(visit_id, by) as (session, visit, state, now):
            cancelled_out = (
                visit.status is VisitStatus.CANCELLED
                and _has(visit, EventKind.SIGNED_OUT)
                and not _has(visit, EventKind.RETURNED)
            )
            if not cancelled_out:
                _require_out(visit, state, "record a return")
                visit.status = VisitStatus.COMPLETED
            event_id = _record(session, visit, EventKind.RETURNED, by, now)
        log.info("%s returned (event %s)", _label(visit), event_id)
        return event_id

    def cancel(
        self,
        visit_id: int,
        cause: CancellationCause,
        by: SignedInUser,
        note: str | None = None,
    ) -> int:
        """The visit is off. A safety cause puts "tell the headteacher" on the board until an
        "informed the headteacher" action is logged."""
        note = one_line(note)
        with self._action(visit_id, by) as (session, visit, state, now):
            if visit.status in (VisitStatus.CANCELLED, VisitStatus.COMPLETED, VisitStatus.REFUSED):
                raise _finished(visit)
            if state.phase in (VisitPhase.RETURNED, VisitPhase.CANCELLED):
                raise _finished(visit, state)
            if cause is CancellationCause.OTHER and note is None:
                raise InvalidAction(
                    'Say why the visit is cancelled when the cause is "Other"; nothing was '
                    "recorded."
                )
            visit.status = VisitStatus.CANCELLED
            visit.cancellation_cause = cause
            event_id = _record(session, visit, EventKind.CANCELLED, by, now, note=note)
        if cause.is_safety:
            log.warning(
                "%s cancelled for safety (event %s): headteacher to be told",
                _label(visit),
                event_id,
            )
        else:
            log.info("%s cancelled (event %s)", _label(visit), event_id)
        return event_id

    # --- the ladder ---------------------------------------------------------------------------

    def escalation_action(
        self,
        visit_id: int,
        action: EscalationAction,
        outcome: ActionOutcome,
        by: SignedInUser,
        contact_name: str | None = None,
        reference: str | None = None,
        note: str | None = None,
        extend_minutes: int | None = None,
    ) -> int:
        """One rung of the ladder and how it went ("called: no answer", "supervisor informed:
        name", "police informed: reference", "called: safe, extended 20 min"...)."""
        contact_name, reference, note = one_line(contact_name), one_line(reference), one_line(note)
        if outcome not in _OUTCOMES[action]:
            allowed = ", ".join(sorted(o.label.lower() for o in _OUTCOMES[action]))
            raise InvalidAction(
                f'"{outcome.label}" is not an outcome of "{action.label}" (it can be: '
                f"{allowed}); nothing was recorded."
            )
        if action is EscalationAction.INFORMED_POLICE and reference is None:
            raise InvalidAction(
                "Enter the police reference (the incident or CAD number they gave) when "
                "recording that the police were informed; nothing was recorded."
            )
        if action is EscalationAction.INFORMED_SUPERVISOR and contact_name is None:
            raise InvalidAction(
                "Enter the name of the supervisor or senior member of staff who was informed; "
                "nothing was recorded."
            )
        if extend_minutes is not None and outcome is not ActionOutcome.SAFE:
            raise InvalidAction(
                "Time can only be extended when the staff member was reached and is safe; "
                "nothing was recorded."
            )
        with self._action(visit_id, by) as (session, visit, state, now):
            claim_if_unclaimed(session, visit, state, by, now)
            cancelled = visit.status is VisitStatus.CANCELLED
            if not (
                state.phase.is_out
                or state.awaiting_resolution
                or (action is EscalationAction.INFORMED_HEADTEACHER and cancelled)
            ):
                raise _not_out(visit, state, f'record "{action.label.lower()}"')
            new_deadline = None
            if extend_minutes is not None:
                if not state.phase.is_out:
                    raise _not_out(visit, state, "extend the time")
                new_deadline = _extended(state, extend_minutes, now)
            event_id = _record(
                session,
                visit,
                EventKind.ESCALATION_ACTION,
                by,
                now,
                action=action,
                outcome=outcome,
                stage=state.stage.number if state.stage.is_escalated else None,
                contact_name=contact_name,
                reference=reference,
                note=note,
                new_deadline=new_deadline,
            )
        log.info(
            "%s escalation action %s: %s (event %s)",
            _label(visit),
            action.value,
            outcome.value,
            event_id,
        )
        return event_id

    def claim(
        self, visit_id: int, by: SignedInUser, *, seen_claimant: str | object | None = ANY_CLAIMANT
    ) -> int:
        """`by` is dealing with this visit's alert (the board shows who; the sound may stop).

        `seen_claimant` is the version check of two PCs claiming at once (issue 16): who the
        caller's board showed as dealing with it (None: nobody). If someone else has claimed it
        since, the claim is refused, naming them. Without it, a claim takes the alert over (a
        colleague handing the desk on), logged as "Taken over from ..." (issue 13)."""
        with self._action(visit_id, by) as (session, visit, state, now):
            if not state.needs_attention:
                raise InvalidAction(
                    f"Visit {visit.id} has no alert to claim ({state.headline.lower()}); "
                    "nothing was recorded."
                )
            if (
                seen_claimant is not ANY_CLAIMANT
                and state.claimed_by != seen_claimant
                and state.claimed_by not in (None, by.display_name)
            ):  # writers queue (one lock), so the second of two sees the first's claim here
                raise DecisionAlreadyMade(
                    f"{state.claimed_by} is already dealing with this alert (visit {visit.id}); "
                    "nothing was recorded.",
                    "Speak to them before doing anything twice.",
                )
            event_id = _claim(session, visit, state, by, now)  # "Taken over from ..." (issue 13)
        log.info("%s alert claimed by user %s (event %s)", _label(visit), by.user_id, event_id)
        return event_id

    def resolve(self, visit_id: int, resolution: str, by: SignedInUser) -> int:
        """End an open escalation with what happened, by a named user ("no silent end").

        Records a RESOLVED event and completes or creates the incident for review; returns the
        incident id.
        """
        text = one_line(resolution)
        if text is None:
            raise InvalidAction(
                'Write how the escalation was resolved (for example "staff safe, spoke to '
                'them at 15:42"); nothing was recorded.'
            )
        with self._action(visit_id, by) as (session, visit, state, now):
            if not state.awaiting_resolution:
                raise InvalidAction(
                    f"Visit {visit.id} has no escalation awaiting resolution; nothing was recorded."
                )
            began = state.escalation_began_at or now
            highest = state.highest_stage
            safe_word = any(
                e.kind is EventKind.SAFE_WORD and began <= e.occurred_at <= now
                for e in visit.events
            )
            _record(
                session,
                visit,
                EventKind.RESOLVED,
                by,
                now,
                stage=highest.number,
                note=text,
            )
            incident = _open_safe_word_incident(session, visit.id) if safe_word else None
            if incident is None:
                what = state.deadline_kind.label.lower() if state.deadline_kind else "call"
                incident = Incident(
                    visit_id=visit.id,
                    kind=IncidentKind.SAFE_WORD if safe_word else IncidentKind.ESCALATION,
                    status=IncidentStatus.OPEN,
                    occurred_at=began,
                    raised_at=now,
                    raised_by_id=by.user_id,
                    summary=(
                        f"Visit {visit.id}: safe word used."
                        if safe_word
                        else f"Visit {visit.id}: {what} missed; the escalation reached "
                        f"{highest.label.lower()}."
                    ),
                    is_drill=visit.is_drill,
                    review_due_on=_review_due(session, now),
                )
                session.add(incident)
            incident.highest_stage = highest.number
            incident.resolution = text
            incident.resolved_at = now
            incident.resolved_by_id = by.user_id
            session.flush()
            incident_id = incident.id
        log.info("%s escalation resolved: incident %s", _label(visit), incident_id)
        return incident_id

    # --- new visits from the board ------------------------------------------------------------

    def urgent_departure(
        self,
        household_id: int,
        staff_ids: Sequence[int],
        purpose: str,
        expected_back: datetime,
        by: SignedInUser,
        pupil_id: int | None = None,
    ) -> int:
        """Staff leave at once for an emergency: a visit created out now, in one call, flagged
        for retrospective authorisation. `expected_back` becomes the agreed end (planned end).
        Returns the new visit's id."""
        now = self._clock.now()
        purpose_text = one_line(purpose)
        if purpose_text is None:
            raise InvalidAction("Say briefly why the staff are going; nothing was recorded.")
        if expected_back.tzinfo is None or expected_back.utcoffset() is None:
            raise ValueError("expected_back must be an aware datetime")
        if not now < expected_back <= now + MAX_URGENT_VISIT:
            raise InvalidAction(
                f"The expected time back ({format_school_time(expected_back)}) must be after "
                f"now and within {int(MAX_URGENT_VISIT.total_seconds() // 3600)} hours; "
                "nothing was recorded."
            )
        with audit.writing_as(self._database, by, self._clock) as session:
            require_active_account(session, by, InvalidAction, nothing_done="nothing was recorded")
            if session.get(Household, household_id) is None:
                raise RecordNotFound(f"There is no household {household_id}.")
            if pupil_id is not None and session.get(Pupil, pupil_id) is None:
                raise RecordNotFound(f"There is no pupil {pupil_id}.")
            team = _free_staff(session, staff_ids)
            visit = Visit(
                household_id=household_id,
                pupil_id=pupil_id,
                reason=VisitReason.EMERGENCY_SAFEGUARDING,
                purpose=purpose_text,
                announced=False,
                unannounced_reason="Urgent unplanned departure (emergency safeguarding).",
                entry_mode=EntryMode.DOORSTEP,
                planned_start=now,
                planned_end=expected_back,
                status=VisitStatus.OUT,
                vehicle=vehicle_text(team[0]),
                is_drill=False,
                urgent_unplanned=True,
                created_by_id=by.user_id,
                created_at=now,
                submitted_at=now,
            )
            visit_id = _add_out_visit(session, visit, team, by, now, note="Urgent departure.")
        log.warning(
            "Visit %s: urgent unplanned departure recorded by user %s", visit_id, by.user_id
        )
        return visit_id

    def start_drill(self, staff_ids: Sequence[int], by: SignedInUser) -> int:
        """A practice visit out now, marked DRILL, that walks the compressed ladder (see
        `hvdesk.services.drill`). Returns the new visit's id."""
        now = self._clock.now()
        with audit.writing_as(self._database, by, self._clock) as session:
            require_active_account(session, by, InvalidAction, nothing_done="nothing was recorded")
            team = _free_staff(session, staff_ids)
            visit = Visit(
                household_id=_drill_household(session, now).id,
                reason=VisitReason.OTHER,
                reason_other="Drill",
                purpose=DRILL_PURPOSE,
                announced=True,
                entry_mode=EntryMode.DOORSTEP,
                planned_start=now,
                planned_end=now + DRILL_VISIT_LENGTH,
                status=VisitStatus.OUT,
                safe_word=DRILL_SAFE_WORD,
                is_drill=True,
                urgent_unplanned=False,
                created_by_id=by.user_id,
                created_at=now,
                submitted_at=now,
            )
            visit_id = _add_out_visit(session, visit, team, by, now, note="DRILL started.")
        log.info("%s started by user %s", _label(visit), by.user_id)
        return visit_id

    # --- plumbing -----------------------------------------------------------------------------

    def _action(
        self, visit_id: int, by: SignedInUser
    ) -> AbstractContextManager[tuple[Session, Visit, VisitState, datetime]]:
        return acting_on_visit(self._database, self._clock, visit_id, by)


@contextmanager
def acting_on_visit(
    database: Database, clock: Clock, visit_id: int, by: SignedInUser
) -> Iterator[tuple[Session, Visit, VisitState, datetime]]:
    """One short unit of work on one visit: the session, the visit's own row, where it
    stands now, and now. Committed if the block succeeds; nothing written if it raises.

    Where it stands is worked out from the visit's timeline read as plain rows; its events
    and visitors as objects load only if the action touches them (most do not), so a
    recorded call is the account check, two reads, the event and its audit entry."""
    now = clock.now()
    with audit.writing_as(database, by, clock) as session:
        require_active_account(session, by, InvalidAction, nothing_done="nothing was recorded")
        visit = session.get(Visit, visit_id)
        if visit is None:
            raise RecordNotFound(
                f"There is no visit {visit_id}; nothing was recorded.",
                "Check the visit number on the board.",
            )
        policy = ladder_policy(school_policy(session), visit.is_drill)
        state = evaluate(visit_plan(visit), _timeline(session, visit_id), policy, now)
        yield session, visit, state, now


# --- helpers -------------------------------------------------------------------------------------


def _claim(
    session: Session, visit: Visit, state: VisitState, by: SignedInUser, now: datetime
) -> int:
    if not state.needs_attention:
        raise InvalidAction(
            f"Visit {visit.id} has no alert to claim ({state.headline.lower()}); "
            "nothing was recorded."
        )
    holder = state.claimed_by
    if holder == _display_name(session, by):
        holder = None  # claimed again (a new stage): no take-over
    return _record(
        session,
        visit,
        EventKind.ALERT_CLAIMED,
        by,
        now,
        stage=state.stage.number if state.stage.is_escalated else None,
        note=f"Taken over from {holder}." if holder else None,
    )


def claim_if_unclaimed(
    session: Session, visit: Visit, state: VisitState, by: SignedInUser, now: datetime
) -> None:
    """Logging a step on an unclaimed alert claims it for whoever logged it (issue 13): the
    claim is its own timeline entry, recorded just before the step. An alert whose claim came
    before its current level began (a time-driven step up) counts as unclaimed."""
    if not state.needs_attention:
        return
    began = level_began(state, ladder_policy(school_policy(session), visit.is_drill))
    since = state.escalation_began_at
    claims = [
        e.occurred_at
        for e in visit.events
        if e.kind is EventKind.ALERT_CLAIMED and (since is None or e.occurred_at >= since)
    ]
    latest = max(claims) if claims else None
    covered = state.claimed_by is not None and latest is not None
    if covered and began is not None and latest is not None and latest < began:
        covered = False
    if not covered:
        _record(
            session,
            visit,
            EventKind.ALERT_CLAIMED,
            by,
            now,
            stage=state.stage.number if state.stage.is_escalated else None,
            note="Claimed by logging a step.",
        )
        log.info("%s alert claimed by user %s on logging a step", _label(visit), by.user_id)


def _display_name(session: Session, by: SignedInUser) -> str | None:
    account = session.get(UserAccount, by.user_id)
    return account.display_name if account is not None else None


def _label(visit: Visit) -> str:
    """How a visit is named in the log: ids only, and DRILL where it is one (drills are marked
    everywhere, logs included)."""
    return f"DRILL visit {visit.id}" if visit.is_drill else f"Visit {visit.id}"


def _record(
    session: Session,
    visit: Visit,
    kind: EventKind,
    by: SignedInUser,
    now: datetime,
    **fields: object,
) -> int:
    """Add one timeline entry recorded by `by` now; returns its id (flushed, not yet committed).

    The lead visitor is the staff member the entry is about, except for a claim (the office's).
    """
    lead = None
    if kind is not EventKind.ALERT_CLAIMED:
        lead = session.scalar(
            sa.select(VisitStaff.staff_id)
            .where(VisitStaff.visit_id == visit.id)
            .order_by(VisitStaff.position)
            .limit(1)
        )
    event = VisitEvent(
        visit_id=visit.id,
        kind=kind,
        occurred_at=now,
        recorded_at=now,
        recorded_by_id=by.user_id,
        staff_id=lead,
        **fields,
    )
    session.add(event)
    session.flush()
    return event.id


def _timeline(session: Session, visit_id: int) -> list[TimelineEvent]:
    """The engine's view of a visit's events, read as plain rows (the same mapping as
    `hvdesk.services.timeline.timeline_event`)."""
    rows = session.execute(
        sa.select(
            VisitEvent.kind,
            VisitEvent.occurred_at,
            VisitEvent.action,
            VisitEvent.outcome,
            VisitEvent.new_deadline,
            UserAccount.display_name,
            VisitEvent.note,
        )
        .outerjoin(UserAccount, UserAccount.id == VisitEvent.recorded_by_id)
        .where(VisitEvent.visit_id == visit_id)
        .order_by(VisitEvent.occurred_at, VisitEvent.id)
    ).all()
    return [
        TimelineEvent(
            kind=kind,
            occurred_at=occurred_at,
            action=action,
            outcome=outcome,
            new_deadline=new_deadline,
            recorded_by=recorded_by,
            note=note,
        )
        for kind, occurred_at, action, outcome, new_deadline, recorded_by, note in rows
    ]


def _has(visit: Visit, kind: EventKind) -> bool:
    return any(e.kind is kind for e in visit.events)


def _first(visit: Visit, kind: EventKind) -> VisitEvent | None:
    return next((e for e in visit.events if e.kind is kind), None)


def _hhmm(instant: datetime) -> str:
    return format_school_time(instant, "%H:%M")


def _extended(state: VisitState, minutes: int, now: datetime) -> datetime:
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise InvalidAction("The extension must be a whole number of minutes.")
    if not 1 <= minutes <= MAX_EXTENSION_MINUTES:
        raise InvalidAction(
            f"An extension must be between 1 and {MAX_EXTENSION_MINUTES} minutes; nothing was "
            "recorded."
        )
    base = state.deadline if state.deadline is not None and state.deadline > now else now
    return base + timedelta(minutes=minutes)


def _require_phase(
    visit: Visit, state: VisitState, phases: tuple[VisitPhase, ...], doing: str
) -> None:
    if state.phase in phases:
        return
    if state.phase is VisitPhase.ON_VISIT and VisitPhase.TRAVELLING in phases:
        raise InvalidAction(
            f"Visit {visit.id}'s arrival was already recorded"
            + (f" at {_hhmm(state.arrived_at)}" if state.arrived_at else "")
            + "; nothing was recorded."
        )
    if state.phase is VisitPhase.LEFT:
        raise InvalidAction(
            f"Visit {visit.id}'s staff have already left the home"
            + (f" (at {_hhmm(state.left_at)})" if state.left_at else "")
            + f"; cannot {doing}. Nothing was recorded."
        )
    raise _not_out(visit, state, doing)


def _require_out(visit: Visit, state: VisitState, doing: str) -> None:
    if not state.phase.is_out:
        raise _not_out(visit, state, doing)


def _not_out(visit: Visit, state: VisitState, doing: str) -> InvalidAction:
    if state.phase in (VisitPhase.RETURNED, VisitPhase.CANCELLED):
        return _finished(visit, state)
    if state.phase in (VisitPhase.AWAITING_DEPARTURE, VisitPhase.NOT_SIGNED_OUT):
        if visit.status is VisitStatus.AUTHORISED:
            return InvalidAction(
                f"Visit {visit.id} has not been signed out yet, so you cannot {doing}; "
                "nothing was recorded.",
                "Sign the visit out first.",
            )
        return _not_going_ahead(visit, doing)
    return InvalidAction(f"Cannot {doing} on visit {visit.id} now; nothing was recorded.")


def _finished(visit: Visit, state: VisitState | None = None) -> InvalidAction:
    cancelled = visit.status is VisitStatus.CANCELLED or (
        state is not None and state.phase is VisitPhase.CANCELLED
    )
    if cancelled:
        return InvalidAction(f"Visit {visit.id} was cancelled; nothing was recorded.")
    if visit.status is VisitStatus.REFUSED:
        return InvalidAction(f"Visit {visit.id} was refused; nothing was recorded.")
    return InvalidAction(f"Visit {visit.id} has already returned; nothing was recorded.")


def _not_going_ahead(visit: Visit, doing: str) -> InvalidAction:
    if visit.status in (VisitStatus.CANCELLED, VisitStatus.COMPLETED, VisitStatus.REFUSED):
        return _finished(visit)
    return InvalidAction(
        f"Visit {visit.id} is not authorised ({visit.status.label.lower()}), so it cannot be "
        f"{doing}; nothing was recorded.",
        "An authoriser must approve it first, or record an urgent unplanned departure.",
    )


def _open_safe_word_incident(session: Session, visit_id: int) -> Incident | None:
    return session.scalars(
        sa.select(Incident)
        .where(
            Incident.visit_id == visit_id,
            Incident.kind == IncidentKind.SAFE_WORD,
            Incident.resolved_at.is_(None),
        )
        .order_by(Incident.id.desc())
        .limit(1)
    ).first()


def _require_back(session: Session, visit: Visit) -> None:
    """Nobody leaves on a visit while the board still has them out on another: a colleague
    who is overdue there is missing, not free."""
    ids = [v.staff_id for v in visit.visitors]
    busy = session.execute(
        sa.select(Staff.first_name, Staff.last_name, Visit.id)
        .join(VisitStaff, VisitStaff.staff_id == Staff.id)
        .join(Visit, Visit.id == VisitStaff.visit_id)
        .where(Visit.status == VisitStatus.OUT, Visit.id != visit.id, Staff.id.in_(ids))
    ).first()
    if busy is not None:
        first, last, other = busy
        raise InvalidAction(
            f"{first} {last} is still out on visit {other}; visit {visit.id} was not signed out.",
            f"Record their return from visit {other} first (or resolve its escalation).",
        )


def _free_staff(session: Session, staff_ids: Sequence[int]) -> list[Staff]:
    """The staff chosen, in order, each existing, active and not already out on a visit."""
    ids = list(dict.fromkeys(staff_ids))
    if not ids:
        raise InvalidAction("Choose at least one member of staff; nothing was recorded.")
    if len(ids) > MAX_VISITORS:
        raise InvalidAction(
            f"At most {MAX_VISITORS} staff can go on one visit; nothing was recorded."
        )
    found = {s.id: s for s in session.scalars(sa.select(Staff).where(Staff.id.in_(ids)))}
    team: list[Staff] = []
    for staff_id in ids:
        staff = found.get(staff_id)
        if staff is None or not staff.active:
            raise RecordNotFound(
                f"There is no current member of staff {staff_id}; nothing was recorded."
            )
        team.append(staff)
    busy = session.execute(
        sa.select(VisitStaff.staff_id, VisitStaff.visit_id)
        .join(Visit, Visit.id == VisitStaff.visit_id)
        .where(Visit.status == VisitStatus.OUT, VisitStaff.staff_id.in_(ids))
    ).first()
    if busy is not None:
        raise InvalidAction(
            f"{found[busy.staff_id].full_name} is already out on visit {busy.visit_id}; "
            "nothing was recorded.",
            "Record their return first, or choose someone else.",
        )
    return team


def _add_out_visit(
    session: Session,
    visit: Visit,
    team: list[Staff],
    by: SignedInUser,
    now: datetime,
    *,
    note: str,
) -> int:
    session.add(visit)
    session.flush()
    for position, staff in enumerate(team):
        session.add(
            VisitStaff(
                visit_id=visit.id,
                staff_id=staff.id,
                role=VisitorRole.LEAD if position == 0 else VisitorRole.SECOND,
                position=position,
            )
        )
    session.add(
        VisitEvent(
            visit_id=visit.id,
            kind=EventKind.SIGNED_OUT,
            occurred_at=now,
            recorded_at=now,
            recorded_by_id=by.user_id,
            staff_id=team[0].id,
            note=note,
        )
    )
    session.flush()
    return visit.id


def _drill_household(session: Session, now: datetime) -> Household:
    """The one placeholder home drills are "visited" at (created on the first drill)."""
    home = session.scalars(
        sa.select(Household)
        .where(Household.postcode == DRILL_POSTCODE, Household.address_line1 == DRILL_ADDRESS)
        .limit(1)
    ).first()
    if home is None:
        home = Household(
            address_line1=DRILL_ADDRESS,
            town="Drill",
            postcode=DRILL_POSTCODE,
            area=DRILL_AREA,
            created_at=now,
        )
        session.add(home)
        session.flush()
    return home


def _review_due(session: Session, now: datetime) -> date:
    """When the incident's review is due (the school's setting), from the day it was raised."""
    days = school_policy(session).incident_review_days
    return review_due_on(to_school_time(now).date(), days)


record_event = _record
"""Add one timeline entry (the services of issue 13 record through the same door)."""
