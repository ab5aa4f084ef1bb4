"""Properties of the escalation engine over many random timelines (seeded: deterministic).

hypothesis is not installed in this project's environment, so the timelines come from
`random.Random(seed)`; a failure names its seed, which reproduces it exactly.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from hvdesk.domain.escalation import (
    EMERGENCY_ACTIONS,
    LADDER_ACTIONS,
    EscalationStage,
    TimelineEvent,
    VisitPlan,
    VisitState,
    evaluate,
)
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.visits import ActionOutcome, EscalationAction, EventKind, VisitStatus
from tests.test_escalation import START

MICRO = timedelta(microseconds=1)
POLICIES = (
    SchoolPolicy(),
    SchoolPolicy(due_soon_minutes=0, emergency_contact_after_minutes=0, police_after_minutes=5),
    SchoolPolicy(arrival_call_grace_minutes=0, home_safe_grace_minutes=0, follow_up_call_minutes=1),
)
KINDS = (
    [EventKind.ARRIVED] * 3
    + [EventKind.LEFT] * 2
    + [EventKind.CALL_RECEIVED] * 2
    + [EventKind.ESCALATION_ACTION] * 5
    + [EventKind.SCHEDULE_CHANGED] * 2
    + [EventKind.RESOLVED] * 2
    + [
        EventKind.SAFE_WORD,
        EventKind.RETURNED,
        EventKind.CANCELLED,
        EventKind.ALERT_CLAIMED,
        EventKind.NOTE,
        EventKind.SIGNED_OUT,
    ]
)
STATUSES = [VisitStatus.OUT] * 4 + [
    VisitStatus.AUTHORISED,
    VisitStatus.CANCELLED,
    VisitStatus.COMPLETED,
    VisitStatus.AWAITING_AUTHORISATION,
]


def random_visit(rng: random.Random) -> tuple[VisitPlan, list[TimelineEvent]]:
    start = START + timedelta(minutes=rng.randrange(60))
    end = start + timedelta(minutes=rng.choice([5, 30, 60, 90]))
    visit = VisitPlan(1, rng.choice(STATUSES), start, end, is_drill=rng.random() < 0.2)
    t = start + timedelta(seconds=rng.randrange(-30 * 60, 30 * 60))
    events: list[TimelineEvent] = []
    if rng.random() < 0.85:
        events.append(TimelineEvent(EventKind.SIGNED_OUT, t))
    for _ in range(rng.randrange(12)):
        t += timedelta(seconds=rng.randrange(1, 50 * 60))  # unique, increasing instants
        kind = rng.choice(KINDS)
        new_deadline = None
        if rng.random() < 0.35:
            new_deadline = t + timedelta(minutes=rng.randrange(-10, 60))
        events.append(
            TimelineEvent(
                kind,
                t,
                action=rng.choice(list(EscalationAction)),
                outcome=rng.choice([None, *ActionOutcome]),
                new_deadline=new_deadline,
                recorded_by=rng.choice([None, "Reception", "DSL"]),
            )
        )
    return visit, events


def instants(rng: random.Random, visit: VisitPlan, events: list[TimelineEvent]) -> list[datetime]:
    """A grid over the visit's day, plus one second either side of every event."""
    last = max([visit.planned_end, *(e.occurred_at for e in events)])
    first = visit.planned_start - timedelta(hours=1)
    grid = []
    t = first
    while t < last + timedelta(hours=2):
        grid.append(t)
        t += timedelta(seconds=rng.randrange(30, 240))
    for event in events:
        grid += [event.occurred_at - MICRO, event.occurred_at, event.occurred_at + MICRO]
    return sorted(set(grid))


def fingerprint(s: VisitState) -> tuple[object, ...]:
    return (s.stage, s.phase, s.outstanding, s.awaiting_resolution, s.deadline)


def lowers_stage(event: TimelineEvent) -> bool:
    """The events that may bring an escalated stage down: contact, or a named resolution."""
    return event.restores_contact or event.is_valid_resolution


SEEDS = range(120)


@pytest.mark.parametrize("seed", SEEDS)
def test_properties_of_random_timelines(seed: int) -> None:
    rng = random.Random(seed)
    visit, events = random_visit(rng)
    policy = POLICIES[seed % len(POLICIES)]
    shuffled = events[:]
    rng.shuffle(shuffled)
    times = instants(rng, visit, events)
    states = [evaluate(visit, events, policy, t) for t in times]

    for now, s in zip(times, states, strict=True):
        # Input order does not matter; events after now do not count.
        assert evaluate(visit, shuffled, policy, now) == s, (seed, now)
        past = [e for e in events if e.occurred_at <= now]
        assert evaluate(visit, past, policy, now) == s, (seed, now)
        # The countdown is the deadline minus now.
        assert (s.deadline is None) == (s.remaining is None)
        if s.deadline is not None:
            assert s.remaining == s.deadline - now
        # What is outstanding is what this stage asks for.
        if s.stage is EscalationStage.EMERGENCY:
            assert set(s.outstanding) <= set(EMERGENCY_ACTIONS)
        else:
            assert set(s.outstanding) <= set(LADDER_ACTIONS[: s.stage.number])
        # No silent end: an escalated visit always awaits its resolution.
        if s.stage.is_escalated:
            assert s.awaiting_resolution, (seed, now)
            assert s.escalation_began_at is not None and s.escalation_began_at <= now
        if s.awaiting_resolution:
            assert s.highest_stage.rank >= max(s.stage.rank, EscalationStage.CALL_STAFF.rank)
        assert s.is_drill == visit.is_drill

    for (t1, s1), (t2, s2) in zip(
        zip(times, states, strict=True), zip(times[1:], states[1:], strict=True), strict=False
    ):
        between = [e for e in events if t1 < e.occurred_at <= t2]
        if not between:
            # Time alone only ever raises the stage.
            assert s2.stage.rank >= s1.stage.rank, (seed, t1, t2)
        if s1.stage.is_escalated and not any(lowers_stage(e) for e in between):
            # Once escalated, only contact or a resolution brings the stage down.
            assert s2.stage.rank >= s1.stage.rank, (seed, t1, t2)
        if s1.awaiting_resolution and not any(e.is_valid_resolution for e in between):
            assert s2.awaiting_resolution, (seed, t1, t2)


@pytest.mark.parametrize("seed", SEEDS)
def test_next_change_at_is_exact(seed: int) -> None:
    """Nothing changes before `next_change_at`, something changes at it, and when it is None
    nothing changes on its own: the board can sleep until then."""
    rng = random.Random(10_000 + seed)
    visit, events = random_visit(rng)
    policy = POLICIES[seed % len(POLICIES)]
    for now in instants(rng, visit, events)[::3]:
        s = evaluate(visit, events, policy, now)
        change = s.next_change_at
        horizon = change if change is not None else now + timedelta(hours=10)
        if any(now < e.occurred_at <= horizon for e in events):
            continue
        if change is None:
            assert fingerprint(evaluate(visit, events, policy, horizon)) == fingerprint(s)
            continue
        assert change > now
        just_before = evaluate(visit, events, policy, change - MICRO)
        assert fingerprint(just_before) == fingerprint(s), (seed, now)
        at_change = evaluate(visit, events, policy, change)
        assert (at_change.stage, at_change.phase) != (s.stage, s.phase), (seed, now)
