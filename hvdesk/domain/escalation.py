"""Where a visit stands on the escalation ladder: a pure function of (plan, events, policy, now).

Nothing here keeps state between calls and nothing reads a clock: the same timeline and the same
instant always give the same answer, so closing the app, a crash or a restart mid-escalation
comes back at the right stage with what is still outstanding. Every instant is an aware UTC
datetime; a daylight-saving change or a sleep/wake of the PC moves no deadline.

The ladder (seed 000, minutes from `SchoolPolicy`), measured from the missed deadline D:

* "due soon" from D - due_soon;
* stage 1 at D: call the staff member;
* stage 2 once a call to the staff member, logged at or after D, went unanswered;
* stage 3 at D + emergency_contact_after: call the emergency contact;
* stage 4 at D + police_after: inform the police;
* the safe word: EMERGENCY at once, until a resolution is recorded.

Contact restored stops the ladder, but an escalation that reached stage 1 only ends with a
RESOLVED event recorded by a named user ("no silent end"). Meanwhile the visit is watched
against its next deadline as usual, and if that one is missed too the ladder starts again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from hvdesk.clock import format_school_time
from hvdesk.domain.labels import LabelledEnum
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.visits import (
    CONDUCT_CALLS,
    ActionOutcome,
    EscalationAction,
    EventKind,
    VisitStatus,
)

__all__ = [
    "EMERGENCY_ACTIONS",
    "LADDER_ACTIONS",
    "DeadlineKind",
    "EscalationStage",
    "TimelineEvent",
    "VisitPhase",
    "VisitPlan",
    "VisitState",
    "by_urgency",
    "evaluate",
    "evaluate_many",
    "level_began",
    "nothing_to_do_but_wait",
    "stage_instruction",
    "wait_over_instruction",
    "what_to_do_now",
]


class VisitPhase(LabelledEnum):
    """Where the visit itself is, as the office's timeline says."""

    AWAITING_DEPARTURE = ("awaiting_departure", "Awaiting departure")
    NOT_SIGNED_OUT = ("not_signed_out", "Not signed out")
    TRAVELLING = ("travelling", "Travelling: arrival call due")
    ON_VISIT = ("on_visit", "On visit")
    LEFT = ("left", "Left the home: home-safe call due")
    RETURNED = ("returned", "Back at base / home safe")
    CANCELLED = ("cancelled", "Cancelled")

    @property
    def is_out(self) -> bool:
        """Staff are away from base and watched against a call deadline."""
        return self in (VisitPhase.TRAVELLING, VisitPhase.ON_VISIT, VisitPhase.LEFT)

    @property
    def is_finished(self) -> bool:
        return self in (VisitPhase.RETURNED, VisitPhase.CANCELLED)


class DeadlineKind(LabelledEnum):
    """Which call (or departure) the active deadline is for."""

    DEPARTURE = ("departure", "Departure")
    ARRIVAL_CALL = ("arrival_call", "Arrival call")
    CHECK_IN = ("check_in", "Check-in call")
    HOME_SAFE = ("home_safe", "Home-safe call")


class EscalationStage(LabelledEnum):
    """A step of the ladder, with the words the board shows (never colour alone)."""

    NONE = ("none", "On time")
    DUE_SOON = ("due_soon", "Due soon")
    CALL_STAFF = ("call_staff", "Stage 1: call the staff member")
    INFORM_SUPERVISOR = ("inform_supervisor", "Stage 2: inform the supervisor")
    CALL_EMERGENCY_CONTACT = ("call_emergency_contact", "Stage 3: call the emergency contact")
    INFORM_POLICE = ("inform_police", "Stage 4: inform the police")
    EMERGENCY = ("emergency", "EMERGENCY: safe word used")

    @property
    def number(self) -> int:
        """The ladder step, 0 to 4 (seed 000's numbering); the safe word counts as 4."""
        return _STAGE_NUMBERS[self]

    @property
    def rank(self) -> int:
        """A total order for "higher than": none < due soon < 1 < 2 < 3 < 4 < emergency."""
        return _STAGE_ORDER.index(self)

    @property
    def is_escalated(self) -> bool:
        """Stage 1 or beyond: someone must act now."""
        return self.number >= 1


_STAGE_ORDER: tuple[EscalationStage, ...] = tuple(EscalationStage)
_STAGE_NUMBERS: dict[EscalationStage, int] = {
    EscalationStage.NONE: 0,
    EscalationStage.DUE_SOON: 0,
    EscalationStage.CALL_STAFF: 1,
    EscalationStage.INFORM_SUPERVISOR: 2,
    EscalationStage.CALL_EMERGENCY_CONTACT: 3,
    EscalationStage.INFORM_POLICE: 4,
    EscalationStage.EMERGENCY: 4,
}

LADDER_ACTIONS: tuple[EscalationAction, ...] = (
    EscalationAction.CALLED_STAFF,
    EscalationAction.INFORMED_SUPERVISOR,
    EscalationAction.CALLED_EMERGENCY_CONTACT,
    EscalationAction.INFORMED_POLICE,
)
"""What each ladder stage asks for, in ladder order: stage n asks for the first n."""

EMERGENCY_ACTIONS: tuple[EscalationAction, ...] = (
    EscalationAction.INFORMED_POLICE,
    EscalationAction.INFORMED_SUPERVISOR,
)
"""What the safe word asks for, police first."""

_FAILED_CALL = frozenset({ActionOutcome.NO_ANSWER, ActionOutcome.LEFT_MESSAGE})
_TRANSITIONS: dict[EventKind, tuple[VisitPhase, DeadlineKind]] = {
    EventKind.SIGNED_OUT: (VisitPhase.TRAVELLING, DeadlineKind.ARRIVAL_CALL),
    EventKind.ARRIVED: (VisitPhase.ON_VISIT, DeadlineKind.CHECK_IN),
    EventKind.LEFT: (VisitPhase.LEFT, DeadlineKind.HOME_SAFE),
}
_ENDINGS: dict[EventKind, VisitPhase] = {
    EventKind.RETURNED: VisitPhase.RETURNED,
    EventKind.CANCELLED: VisitPhase.CANCELLED,
}
_STAFF_CALLS = frozenset(
    {EventKind.CALL_RECEIVED, EventKind.WAITING_AT_DOOR, EventKind.PARENT_ARRIVED}
)
"""Events that are the staff member phoning in (issue 13 adds the wait at the door)."""
_WAIT_STARTS = frozenset({EventKind.WAITING_AT_DOOR, EventKind.PARENT_RUNNING_LATE})
_WAIT_ENDS = frozenset(
    {EventKind.PARENT_ARRIVED, EventKind.LEFT, EventKind.RETURNED, EventKind.CANCELLED}
)
_WATCHED_BEFORE_DEPARTURE = frozenset(
    {VisitStatus.AUTHORISED, VisitStatus.OUT, VisitStatus.COMPLETED}
)


def _utc(instant: datetime, what: str) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{what} is a naive datetime; pass an aware UTC instant")
    return instant.astimezone(UTC)


@dataclass(frozen=True)
class VisitPlan:
    """The planned visit as the engine needs it (the services map a `Visit` row to this)."""

    visit_id: int
    status: VisitStatus
    planned_start: datetime
    planned_end: datetime
    is_drill: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "planned_start", _utc(self.planned_start, "planned_start"))
        object.__setattr__(self, "planned_end", _utc(self.planned_end, "planned_end"))


@dataclass(frozen=True)
class TimelineEvent:
    """One entry of a visit's timeline (the services map a `VisitEvent` row to this).

    `new_deadline` on any event sets when the next call is due for the phase the visit is in
    after that event: an arrival call while travelling, the check-in while on the visit, the
    home-safe call after leaving ("called: safe, extended 20 min").
    """

    kind: EventKind
    occurred_at: datetime
    action: EscalationAction | None = None
    outcome: ActionOutcome | None = None
    new_deadline: datetime | None = None
    recorded_by: str | None = None
    note: str | None = None
    contact_name: str | None = None
    reference: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "occurred_at", _utc(self.occurred_at, "occurred_at"))
        if self.new_deadline is not None:
            object.__setattr__(self, "new_deadline", _utc(self.new_deadline, "new_deadline"))

    @property
    def restores_contact(self) -> bool:
        """The staff member has been heard from (or the visit was ended by someone who had)."""
        if self.kind in _TRANSITIONS or self.kind in _ENDINGS:
            return True
        if self.kind in _STAFF_CALLS or self.kind in CONDUCT_CALLS:
            return True
        if self.kind is EventKind.ESCALATION_ACTION:
            return self.outcome is ActionOutcome.SAFE or (
                self.action is EscalationAction.CALLED_STAFF
                and self.outcome is ActionOutcome.REACHED
            )
        return False

    @property
    def is_failed_staff_call(self) -> bool:
        return (
            self.kind is EventKind.ESCALATION_ACTION
            and self.action is EscalationAction.CALLED_STAFF
            and self.outcome in _FAILED_CALL
        )

    @property
    def is_valid_resolution(self) -> bool:
        """A resolution counts only with the name of whoever recorded it."""
        return self.kind is EventKind.RESOLVED and bool((self.recorded_by or "").strip())


@dataclass(frozen=True)
class VisitState:
    """Everything the board, the prompts and the CLI need to know about one visit at `now`."""

    visit_id: int
    is_drill: bool
    evaluated_at: datetime
    phase: VisitPhase
    deadline: datetime | None
    """The instant the ladder runs from (the missed one while escalating), else the next due."""
    deadline_kind: DeadlineKind | None
    remaining: timedelta | None
    """deadline - now: negative when overdue; None when nothing is due (returned, cancelled)."""
    stage: EscalationStage
    """What the ladder demands now; drops back when contact is restored."""
    outstanding: tuple[EscalationAction, ...]
    """What the policy says to do now that has not been logged yet, in ladder order."""
    escalation_began_at: datetime | None
    """When the open escalation began (its first missed deadline, or the safe word)."""
    awaiting_resolution: bool
    """An escalation reached stage 1 (or the safe word) and no resolution is recorded yet."""
    contact_restored_at: datetime | None
    """When contact came back in the open escalation, while the ladder is stopped."""
    highest_stage: EscalationStage
    """The highest stage the open escalation reached (for the incident); NONE if none open."""
    next_change_at: datetime | None
    """When the stage or phase next changes on its own; None if only an event can change it."""
    claimed_by: str | None = None
    """Who claimed the open alert (the latest ALERT_CLAIMED since it began)."""
    departed_at: datetime | None = None
    arrived_at: datetime | None = None
    left_at: datetime | None = None
    waiting_since: datetime | None = None
    """Issue 13: the staff are waiting at the door for a parent (since then), until the parent
    arrives, they leave or the visit ends."""
    wait_limit_at: datetime | None = None
    """When the wait reaches the school's limit (seed 003: 5 minutes, 004: 10; 30 for a parent
    who warned they would be late)."""
    parent_running_late: bool = False

    @property
    def is_overdue(self) -> bool:
        return self.remaining is not None and self.remaining <= timedelta(0)

    @property
    def wait_over(self) -> bool:
        """The wait at the door reached its limit: the office tells the staff member to leave."""
        return self.wait_limit_at is not None and self.evaluated_at >= self.wait_limit_at

    @property
    def wait_remaining(self) -> timedelta | None:
        """Time left of the wait at the door (negative once over); None when nobody waits."""
        return None if self.wait_limit_at is None else self.wait_limit_at - self.evaluated_at

    @property
    def needs_attention(self) -> bool:
        """Something for the office to act on: a stage, a missing sign-out, a resolution, or a
        wait at the door that reached its limit."""
        return (
            self.stage.is_escalated
            or self.phase is VisitPhase.NOT_SIGNED_OUT
            or self.awaiting_resolution
            or self.wait_over
        )

    @property
    def urgency_key(self) -> tuple[int, int, float, int, int]:
        """Sort key, most urgent first: the safe word, then the higher stage, then the most
        overdue / least time left, then an open escalation awaiting its resolution."""
        return (
            0 if self.stage is EscalationStage.EMERGENCY else 1,
            -self.stage.number,
            self.remaining.total_seconds() if self.remaining is not None else float("inf"),
            0 if self.awaiting_resolution else 1,
            self.visit_id,
        )

    @property
    def headline(self) -> str:
        """A few words for the row: what is going on, in the office's terms."""
        what = self.deadline_kind.label if self.deadline_kind is not None else "Call"
        if self.stage is EscalationStage.EMERGENCY:
            return self.stage.label
        if self.stage.is_escalated:
            return f"{what} overdue — {self.stage.label}"
        if self.phase is VisitPhase.NOT_SIGNED_OUT:
            return "Not signed out"
        if self.awaiting_resolution:
            return "Contact restored: record the resolution"
        if self.wait_over:
            return "Wait at the door over: tell the staff to leave"
        if self.waiting_since is not None:
            return (
                "Parent running late: waiting"
                if self.parent_running_late
                else ("Waiting at the door")
            )
        if self.stage is EscalationStage.DUE_SOON:
            return f"{what} due soon"
        return self.phase.label


@dataclass
class _Run:
    """A ladder running from a missed deadline, until contact is restored."""

    kind: DeadlineKind
    deadline: datetime
    failed_call: bool = False
    logged: set[EscalationAction] = field(default_factory=set)


@dataclass
class _Episode:
    """An open escalation: from its first missed deadline (or safe word) to its resolution."""

    began_at: datetime
    highest: EscalationStage = EscalationStage.NONE
    emergency_at: datetime | None = None
    emergency_logged: set[EscalationAction] = field(default_factory=set)
    contact_restored_at: datetime | None = None
    claimed_by: str | None = None


def _higher(a: EscalationStage, b: EscalationStage) -> EscalationStage:
    return a if a.rank >= b.rank else b


class _Replay:
    """Walks a timeline in time order; time-driven steps happen between events."""

    def __init__(self, plan: VisitPlan, policy: SchoolPolicy) -> None:
        self.plan = plan
        self.policy = policy
        self.phase = VisitPhase.AWAITING_DEPARTURE
        self.finished = False
        self.watch_kind: DeadlineKind | None = None
        self.watch_deadline: datetime | None = None
        self.agreed: datetime | None = None
        self.run: _Run | None = None
        self.episode: _Episode | None = None
        self.departed_at: datetime | None = None
        self.arrived_at: datetime | None = None
        self.left_at: datetime | None = None
        self.last_event_at: datetime | None = None
        self.prompt_claims: list[tuple[datetime, str | None]] = []
        self.waiting_since: datetime | None = None
        self.wait_limit_at: datetime | None = None
        self.parent_late = False
        if plan.status in _WATCHED_BEFORE_DEPARTURE:
            self.watch_kind = DeadlineKind.DEPARTURE
            self.agreed = plan.planned_start + timedelta(
                minutes=policy.not_signed_out_grace_minutes
            )
            self.watch_deadline = self.agreed

    # --- time ---------------------------------------------------------------------------

    def advance(self, until: datetime, *, inclusive: bool) -> None:
        """Let time run to `until`: a missed call deadline starts the ladder."""
        kind, deadline = self.watch_kind, self.watch_deadline
        if self.finished or self.run is not None or kind is None or deadline is None:
            return
        if kind is DeadlineKind.DEPARTURE:
            return  # a prompt, never the ladder
        if deadline < until or (inclusive and deadline == until):
            self.run = _Run(kind, deadline)
            if self.episode is None:
                self.episode = _Episode(began_at=deadline)
            else:
                self.episode.contact_restored_at = None

    def ladder_stage(self, run: _Run, at: datetime, *, inclusive: bool) -> EscalationStage:
        def reached(instant: datetime) -> bool:
            return instant < at or (inclusive and instant == at)

        if reached(run.deadline + self.policy.police_after):
            return EscalationStage.INFORM_POLICE
        if reached(run.deadline + self.policy.emergency_contact_after):
            return EscalationStage.CALL_EMERGENCY_CONTACT
        if run.failed_call:
            return EscalationStage.INFORM_SUPERVISOR
        return EscalationStage.CALL_STAFF

    # --- events -------------------------------------------------------------------------

    def apply(self, event: TimelineEvent) -> None:
        at = event.occurred_at
        # A call at the very instant of a threshold is in time; anything else sees it passed.
        self.advance(at, inclusive=not (event.restores_contact or event.is_valid_resolution))
        resolves = event.is_valid_resolution and self.episode is not None
        self.last_event_at = at
        kind = event.kind

        if kind is EventKind.ESCALATION_ACTION and event.action is not None:
            if self.run is not None:
                self.run.logged.add(event.action)
                if event.is_failed_staff_call:
                    self.run.failed_call = True
            if self.episode is not None and self.episode.emergency_at is not None:
                self.episode.emergency_logged.add(event.action)
        elif kind is EventKind.ALERT_CLAIMED:
            if self.episode is not None:
                self.episode.claimed_by = event.recorded_by
            self.prompt_claims.append((at, event.recorded_by))
        elif kind is EventKind.SAFE_WORD:
            if self.episode is None:
                self.episode = _Episode(began_at=at)
            if self.episode.emergency_at is None:
                self.episode.emergency_at = at
        self._wait(kind, at)

        if kind in _TRANSITIONS and not self.finished:
            self._enter(kind, event, at)
        elif kind in _ENDINGS and not self.finished:
            self.phase = _ENDINGS[kind]
            self.finished = True
            self.watch_kind = self.watch_deadline = self.agreed = None
            self._contact(at)
        elif resolves:
            if event.new_deadline is not None and not self.finished:
                self.agreed = event.new_deadline
            if self.run is not None or event.new_deadline is not None:
                self._contact(at)
            self.episode = None
        else:
            if event.new_deadline is not None and not self.finished:
                self.agreed = event.new_deadline
                if not event.restores_contact and self.run is None and self.watch_kind is not None:
                    # Logged by the office without contact: moves the deadline, but never
                    # back past the moment it was logged, and never stops a running ladder.
                    self.watch_deadline = max(event.new_deadline, at)
            if event.restores_contact:
                self._contact(at)

    def _wait(self, kind: EventKind, at: datetime) -> None:
        """The wait at the door: each start times a new limit from now; the parent arriving,
        leaving or the end of the visit stops it."""
        if kind in _WAIT_STARTS and not self.finished:
            late = kind is EventKind.PARENT_RUNNING_LATE or (
                self.parent_late and self.waiting_since is not None
            )
            minutes = (
                self.policy.late_parent_wait_limit_minutes
                if late
                else self.policy.parent_wait_limit_minutes
            )
            self.parent_late = late
            self.waiting_since = at
            self.wait_limit_at = at + timedelta(minutes=minutes)
        elif kind in _WAIT_ENDS:
            self.waiting_since = self.wait_limit_at = None
            self.parent_late = False

    def _enter(self, kind: EventKind, event: TimelineEvent, at: datetime) -> None:
        self.phase, self.watch_kind = _TRANSITIONS[kind]
        policy = self.policy
        if kind is EventKind.SIGNED_OUT:
            self.departed_at = at
            # A late departure moves the expected arrival with it.
            default = max(self.plan.planned_start, at) + timedelta(
                minutes=policy.arrival_call_grace_minutes
            )
        elif kind is EventKind.ARRIVED:
            self.arrived_at = at
            default = self.plan.planned_end
        else:
            self.left_at = at
            default = at + policy.home_safe_grace
        self.agreed = event.new_deadline if event.new_deadline is not None else default
        self._contact(at)

    def _close_run(self, at: datetime) -> None:
        if self.run is not None and self.episode is not None:
            reached = self.ladder_stage(self.run, at, inclusive=False)
            self.episode.highest = _higher(self.episode.highest, reached)
        self.run = None

    def _contact(self, at: datetime) -> None:
        """The staff member was heard from: stop the ladder and watch the next call."""
        if self.run is not None and self.episode is not None:
            self.episode.contact_restored_at = at
        self._close_run(at)
        if self.finished or self.watch_kind is None:
            return
        agreed = self.agreed
        self.watch_deadline = (
            agreed if agreed is not None and agreed > at else at + self.policy.follow_up_call
        )

    def end_by_status(self) -> None:
        """The visit's status says it is over though no event says when: stop watching at the
        last event (a cancelled or completed visit never escalates further)."""
        at = self.last_event_at
        if self.run is not None and self.episode is not None and at is not None:
            stage = self.ladder_stage(self.run, at, inclusive=True)
            self.episode.highest = _higher(self.episode.highest, stage)
        self.run = None
        self.finished = True
        self.phase = (
            VisitPhase.CANCELLED
            if self.plan.status is VisitStatus.CANCELLED
            else VisitPhase.RETURNED
        )
        self.watch_kind = self.watch_deadline = self.agreed = None

    # --- the answer ---------------------------------------------------------------------

    def state(self, now: datetime) -> VisitState:
        policy = self.policy
        episode = self.episode
        run = self.run
        phase = self.phase
        deadline: datetime | None = None
        deadline_kind: DeadlineKind | None = None
        outstanding: tuple[EscalationAction, ...] = ()
        next_change: datetime | None = None
        stage = EscalationStage.NONE

        if run is not None:
            deadline, deadline_kind = run.deadline, run.kind
            stage = self.ladder_stage(run, now, inclusive=True)
            asked = LADDER_ACTIONS[: stage.number]
            outstanding = tuple(a for a in asked if a not in run.logged)
            next_change = _first_after(
                now,
                (run.deadline + policy.emergency_contact_after, run.deadline + policy.police_after),
            )
        elif self.watch_deadline is not None and not self.finished:
            deadline, deadline_kind = self.watch_deadline, self.watch_kind
            if deadline_kind is DeadlineKind.DEPARTURE:
                # A prompt, not the ladder: no "due soon" (it would fall back to "on time"
                # when the prompt comes) and no stages.
                if now >= deadline:
                    phase = VisitPhase.NOT_SIGNED_OUT
                next_change = _first_after(now, (deadline,))
            else:
                if now >= deadline - policy.due_soon:
                    stage = EscalationStage.DUE_SOON
                next_change = _first_after(now, (deadline - policy.due_soon, deadline))

        waiting_since, wait_limit_at = self.waiting_since, self.wait_limit_at
        if self.finished:
            waiting_since = wait_limit_at = None
        elif wait_limit_at is not None and wait_limit_at > now:
            candidates = [wait_limit_at] if next_change is None else [next_change, wait_limit_at]
            next_change = _first_after(now, candidates)

        if episode is not None and episode.emergency_at is not None:
            stage = EscalationStage.EMERGENCY
            outstanding = tuple(a for a in EMERGENCY_ACTIONS if a not in episode.emergency_logged)
            if deadline_kind is not DeadlineKind.DEPARTURE:
                next_change = None  # only the departure prompt still comes on its own

        claimed_by: str | None = None
        if episode is not None:
            claimed_by = episode.claimed_by
        elif phase is VisitPhase.NOT_SIGNED_OUT and deadline is not None:
            claims = [who for when, who in self.prompt_claims if when >= deadline]
            claimed_by = claims[-1] if claims else None

        return VisitState(
            visit_id=self.plan.visit_id,
            is_drill=self.plan.is_drill,
            evaluated_at=now,
            phase=phase,
            deadline=deadline,
            deadline_kind=deadline_kind,
            remaining=deadline - now if deadline is not None else None,
            stage=stage,
            outstanding=outstanding,
            escalation_began_at=episode.began_at if episode is not None else None,
            awaiting_resolution=episode is not None,
            contact_restored_at=(
                episode.contact_restored_at if episode is not None and run is None else None
            ),
            highest_stage=(
                _higher(episode.highest, stage) if episode is not None else EscalationStage.NONE
            ),
            next_change_at=next_change,
            claimed_by=claimed_by,
            departed_at=self.departed_at,
            arrived_at=self.arrived_at,
            left_at=self.left_at,
            waiting_since=waiting_since,
            wait_limit_at=wait_limit_at,
            parent_running_late=self.parent_late and waiting_since is not None,
        )


def _first_after(now: datetime, instants: Iterable[datetime]) -> datetime | None:
    later = [instant for instant in instants if instant > now]
    return min(later) if later else None


def evaluate(
    plan: VisitPlan,
    events: Iterable[TimelineEvent],
    policy: SchoolPolicy,
    now: datetime,
) -> VisitState:
    """Where `plan` stands at `now`, from its timeline alone.

    Events after `now` are ignored (evaluating an earlier instant); events are taken in time
    order whatever order they come in (ties keep their given order). The timeline is the
    truth: a visit whose status says "out" but whose departure was never logged gets the
    not-signed-out prompt, and a cancelled or completed status with no ending logged stops
    the watch at the last event.
    """
    now = _utc(now, "now")
    timeline = sorted((e for e in events if e.occurred_at <= now), key=lambda e: e.occurred_at)
    replay = _Replay(plan, policy)
    for event in timeline:
        replay.apply(event)
    ended = any(e.kind in _ENDINGS for e in timeline)
    if plan.status in (VisitStatus.CANCELLED, VisitStatus.COMPLETED) and not ended:
        replay.end_by_status()
    replay.advance(now, inclusive=True)
    return replay.state(now)


def by_urgency(states: Iterable[VisitState]) -> list[VisitState]:
    """Most urgent first (see `VisitState.urgency_key`)."""
    return sorted(states, key=lambda s: s.urgency_key)


def evaluate_many(
    visits: Iterable[tuple[VisitPlan, Iterable[TimelineEvent]]],
    policy: SchoolPolicy,
    now: datetime,
) -> list[VisitState]:
    """Every visit evaluated at the same instant, most urgent first (the board's rows)."""
    return by_urgency(evaluate(plan, events, policy, now) for plan, events in visits)


# --- what the policy says to do ---------------------------------------------------------

_CALL_WORDS: dict[DeadlineKind | None, str] = {
    DeadlineKind.DEPARTURE: "departure",
    DeadlineKind.ARRIVAL_CALL: "arrival call",
    DeadlineKind.CHECK_IN: "check-in call",
    DeadlineKind.HOME_SAFE: "home-safe call",
    None: "agreed call",
}


def _minutes(n: int) -> str:
    return "1 minute" if n == 1 else f"{n} minutes"


def stage_instruction(
    stage: EscalationStage, policy: SchoolPolicy, kind: DeadlineKind | None = None
) -> str:
    """What the school's policy says to do at `stage`, in the office's words.

    The text names nobody: it holds the placeholder ``{staff}``, which the UI fills with
    ``text.format(staff=name)``.
    """
    call = _CALL_WORDS[kind]
    contact_after = _minutes(policy.emergency_contact_after_minutes)
    police_after = _minutes(policy.police_after_minutes)
    if stage is EscalationStage.NONE:
        return "No action needed: {staff} is within the agreed time."
    if stage is EscalationStage.DUE_SOON:
        return (
            f"The {call} from {{staff}} is due within {_minutes(policy.due_soon_minutes)}. "
            "No action yet; be ready to call if it does not come."
        )
    if stage is EscalationStage.CALL_STAFF:
        return (
            f"The {call} from {{staff}} is overdue. Call {{staff}}'s work mobile now and log "
            "the outcome. If there is no answer, inform {staff}'s supervisor or the "
            "designated senior member of staff."
        )
    if stage is EscalationStage.INFORM_SUPERVISOR:
        return (
            "{staff} did not answer. Inform {staff}'s supervisor or the designated senior "
            f"member of staff now. If there is still no response {contact_after} after the "
            "agreed time, the supervisor calls {staff}'s emergency contact."
        )
    if stage is EscalationStage.CALL_EMERGENCY_CONTACT:
        return (
            f"Still no response {contact_after} after the agreed time. The supervisor calls "
            "{staff}'s emergency contact now (inform the supervisor first if not yet done). "
            f"If {{staff}} is still unreachable {police_after} after the agreed time, inform "
            "the police."
        )
    if stage is EscalationStage.INFORM_POLICE:
        return (
            f"{{staff}} is still unreachable {police_after} after the agreed time. Inform the "
            "police now: give the visit address, the time the visit was due to end, the known "
            "risks, and {staff}'s description, vehicle and phone details (print the police "
            "information sheet). Log every earlier step not yet logged."
        )
    return (
        "The safe word has been used: {staff} is in danger. Call the police (999) now with "
        "the visit address and the known risks, then inform {staff}'s supervisor or the "
        "designated senior member of staff. Log every action; the emergency stays open until "
        "a resolution is recorded."
    )


def what_to_do_now(state: VisitState, policy: SchoolPolicy) -> str:
    """The prompt for a visit as it stands: the stage's instruction, or the not-signed-out
    and awaiting-resolution prompts. Holds the ``{staff}`` placeholder like `stage_instruction`.

    Once every step the stage asks for is logged, the card moves on (issue 13): it says there
    is nothing to do but wait, and what comes next.
    """
    if state.stage.is_escalated and not state.outstanding:
        return nothing_to_do_but_wait(state, policy)
    if state.wait_over and not state.stage.is_escalated:
        return wait_over_instruction(state, policy)
    if state.stage is not EscalationStage.NONE:
        return stage_instruction(state.stage, policy, state.deadline_kind)
    if state.phase is VisitPhase.NOT_SIGNED_OUT:
        return (
            "{staff} has not signed out for this authorised visit. Check whether it is going "
            "ahead: if {staff} has left, record the departure; otherwise cancel or rearrange "
            "the visit."
        )
    if state.awaiting_resolution:
        return (
            "Contact with {staff} has been restored. Record how the escalation was resolved "
            "(what happened, when, and who confirmed it) to close it; it then goes for review."
        )
    return stage_instruction(EscalationStage.NONE, policy, state.deadline_kind)


def nothing_to_do_but_wait(state: VisitState, policy: SchoolPolicy) -> str:
    """Every step the stage asks for is logged: say so, and what to keep doing."""
    if state.stage is EscalationStage.EMERGENCY:
        return (
            "The police and the supervisor have been informed. Nothing to do now but wait: "
            "pass any news about {staff} to the police, and record the resolution when "
            "{staff} is safe."
        )
    if state.stage is EscalationStage.INFORM_POLICE:
        return (
            "The police have been informed. Nothing to do now but wait: keep trying {staff}'s "
            "work mobile, pass any news to the police, and record the resolution when {staff} "
            "is found safe."
        )
    later = ""
    if state.deadline is not None:
        if state.stage is EscalationStage.CALL_EMERGENCY_CONTACT:
            at = state.deadline + policy.police_after
            later = f" If {{staff}} is still unreachable at {_school_hhmm(at)}, inform the police."
        else:
            at = state.deadline + policy.emergency_contact_after
            later = (
                f" If there is still no answer at {_school_hhmm(at)}, call {{staff}}'s "
                "emergency contact."
            )
    return "Every step of this stage is logged. Nothing to do now but wait." + later


def wait_over_instruction(state: VisitState, policy: SchoolPolicy) -> str:
    """The wait at the door reached the school's limit (003, 004)."""
    minutes = (
        policy.late_parent_wait_limit_minutes
        if state.parent_running_late
        else policy.parent_wait_limit_minutes
    )
    return (
        f"{{staff}} has waited at the door for {_minutes(minutes)}, the school's limit. Tell "
        "{staff} to leave now (do not go in before the parent arrives), then record "
        '"Cancelled: parent not there".'
    )


def _school_hhmm(instant: datetime) -> str:
    """A time on the school's clock (Europe/London), as the card prints it."""
    return format_school_time(instant, "%H:%M")


def level_began(state: VisitState, policy: SchoolPolicy) -> datetime | None:
    """When the alert's current level began: a claim must come at or after it to cover it (a
    time-driven step up, stage 3 or 4, needs a fresh claim; stage 2 follows from a logged
    "no answer" and is covered by the claim of stage 1)."""
    stage, deadline = state.stage, state.deadline
    if stage in (EscalationStage.CALL_STAFF, EscalationStage.INFORM_SUPERVISOR):
        return deadline
    if stage is EscalationStage.CALL_EMERGENCY_CONTACT and deadline is not None:
        return deadline + policy.emergency_contact_after
    if stage is EscalationStage.INFORM_POLICE and deadline is not None:
        return deadline + policy.police_after
    if stage is EscalationStage.EMERGENCY:
        return state.escalation_began_at
    if state.phase is VisitPhase.NOT_SIGNED_OUT:
        return deadline
    return state.escalation_began_at
