"""The escalation engine: every stage boundary, one second either side, on every ladder.

The engine is a pure function of (plan, events, policy, now), so each test states a timeline and
an instant and reads the answer; nothing here sleeps or keeps a clock running.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hvdesk.domain.escalation import (
    EMERGENCY_ACTIONS,
    LADDER_ACTIONS,
    DeadlineKind,
    EscalationStage,
    TimelineEvent,
    VisitPhase,
    VisitPlan,
    VisitState,
    evaluate,
)
from hvdesk.domain.policy import SchoolPolicy, SettingError
from hvdesk.domain.visits import ActionOutcome, EscalationAction, EventKind, VisitStatus

# A Monday in November (GMT, so local time = UTC): the visit is planned 10:00-11:00.
START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
END = START + timedelta(hours=1)
SECOND = timedelta(seconds=1)
POLICY = SchoolPolicy()

Stage = EscalationStage
Action = EscalationAction
Outcome = ActionOutcome
Kind = EventKind


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def at(hhmm: str, seconds: int = 0) -> datetime:
    """An instant on the visit's day, written as the office reads a clock (GMT in November)."""
    hours, mins = (int(part) for part in hhmm.split(":"))
    return START.replace(hour=hours, minute=mins, second=seconds)


def ev(kind: EventKind, when: datetime, **fields: Any) -> TimelineEvent:
    return TimelineEvent(kind=kind, occurred_at=when, **fields)


def action(
    what: EscalationAction, when: datetime, outcome: ActionOutcome | None = None, **fields: Any
) -> TimelineEvent:
    return TimelineEvent(
        Kind.ESCALATION_ACTION,
        when,
        action=what,
        outcome=outcome,
        recorded_by="Reception",
        **fields,
    )


def resolved(when: datetime, by: str | None = "Ms Reception", **fields: Any) -> TimelineEvent:
    return TimelineEvent(Kind.RESOLVED, when, recorded_by=by, **fields)


def plan(status: VisitStatus = VisitStatus.OUT, **changes: Any) -> VisitPlan:
    base = VisitPlan(visit_id=1, status=status, planned_start=START, planned_end=END)
    return replace(base, **changes)


def state(
    events: list[TimelineEvent],
    now: datetime,
    *,
    visit: VisitPlan | None = None,
    policy: SchoolPolicy = POLICY,
) -> VisitState:
    return evaluate(visit or plan(), events, policy, now)


SIGNED_OUT = ev(Kind.SIGNED_OUT, at("09:50"))
ARRIVED = ev(Kind.ARRIVED, at("10:05"))
LEFT = ev(Kind.LEFT, at("10:50"))

# The three ladders: the timeline so far, the deadline it sets, and the phase it leaves.
LADDERS: dict[str, tuple[list[TimelineEvent], datetime, DeadlineKind, VisitPhase]] = {
    "arrival call": ([SIGNED_OUT], at("10:15"), DeadlineKind.ARRIVAL_CALL, VisitPhase.TRAVELLING),
    "check-in": ([SIGNED_OUT, ARRIVED], END, DeadlineKind.CHECK_IN, VisitPhase.ON_VISIT),
    "home safe": (
        [SIGNED_OUT, ARRIVED, LEFT],
        at("11:20"),
        DeadlineKind.HOME_SAFE,
        VisitPhase.LEFT,
    ),
}

# (offset from the deadline, stage) one second either side of every time boundary.
BOUNDARIES: list[tuple[timedelta, EscalationStage]] = [
    (-minutes(10) - SECOND, Stage.NONE),
    (-minutes(10), Stage.DUE_SOON),
    (-minutes(10) + SECOND, Stage.DUE_SOON),
    (-SECOND, Stage.DUE_SOON),
    (timedelta(0), Stage.CALL_STAFF),
    (SECOND, Stage.CALL_STAFF),
    (minutes(15) - SECOND, Stage.CALL_STAFF),
    (minutes(15), Stage.CALL_EMERGENCY_CONTACT),
    (minutes(15) + SECOND, Stage.CALL_EMERGENCY_CONTACT),
    (minutes(30) - SECOND, Stage.CALL_EMERGENCY_CONTACT),
    (minutes(30), Stage.INFORM_POLICE),
    (minutes(30) + SECOND, Stage.INFORM_POLICE),
    (timedelta(hours=5), Stage.INFORM_POLICE),
]


def _id(value: object) -> str:
    if isinstance(value, timedelta):
        sign = "-" if value < timedelta(0) else "+"
        return f"D{sign}{abs(value.total_seconds()):.0f}s"
    return str(value)


@pytest.mark.parametrize("ladder", LADDERS)
@pytest.mark.parametrize(("offset", "expected"), BOUNDARIES, ids=_id)
def test_every_time_boundary_of_every_ladder(
    ladder: str, offset: timedelta, expected: EscalationStage
) -> None:
    events, deadline, kind, phase = LADDERS[ladder]
    now = deadline + offset
    result = state(events, now)
    assert result.stage is expected
    assert result.phase is phase
    assert result.deadline == deadline
    assert result.deadline_kind is kind
    assert result.remaining == deadline - now
    assert result.awaiting_resolution is expected.is_escalated
    assert result.escalation_began_at == (deadline if expected.is_escalated else None)
    # Nobody logged anything, so everything the stage asks for is outstanding.
    assert result.outstanding == LADDER_ACTIONS[: expected.number]


@pytest.mark.parametrize("ladder", LADDERS)
@pytest.mark.parametrize(
    ("offset", "expected_next"),
    [
        (-minutes(20), -minutes(10)),
        (-minutes(10), timedelta(0)),
        (timedelta(0), minutes(15)),
        (minutes(15), minutes(30)),
        (minutes(30), None),
    ],
    ids=_id,
)
def test_the_next_change_is_the_next_boundary(
    ladder: str, offset: timedelta, expected_next: timedelta | None
) -> None:
    events, deadline, _, _ = LADDERS[ladder]
    result = state(events, deadline + offset)
    assert result.next_change_at == (None if expected_next is None else deadline + expected_next)


# --- stage 2: the failed call ---------------------------------------------------------------


@pytest.mark.parametrize("ladder", LADDERS)
@pytest.mark.parametrize("outcome", [Outcome.NO_ANSWER, Outcome.LEFT_MESSAGE])
def test_a_failed_call_moves_stage_1_to_stage_2(ladder: str, outcome: ActionOutcome) -> None:
    events, deadline, _, _ = LADDERS[ladder]
    called = deadline + minutes(3)
    timeline = [*events, action(Action.CALLED_STAFF, called, outcome)]
    assert state(timeline, called - SECOND).stage is Stage.CALL_STAFF
    assert state(timeline, called - SECOND).outstanding == (Action.CALLED_STAFF,)
    at_call = state(timeline, called)
    assert at_call.stage is Stage.INFORM_SUPERVISOR
    assert at_call.outstanding == (Action.INFORMED_SUPERVISOR,)
    assert at_call.next_change_at == deadline + minutes(15)
    # Stage 3 still comes at +15 minutes from the deadline, not from the call.
    assert state(timeline, deadline + minutes(15) - SECOND).stage is Stage.INFORM_SUPERVISOR
    assert state(timeline, deadline + minutes(15)).stage is Stage.CALL_EMERGENCY_CONTACT


def test_a_call_at_the_very_deadline_counts_as_after_it() -> None:
    timeline = [SIGNED_OUT, ARRIVED, action(Action.CALLED_STAFF, END, Outcome.NO_ANSWER)]
    assert state(timeline, END).stage is Stage.INFORM_SUPERVISOR


def test_a_call_before_the_deadline_does_not_start_stage_2() -> None:
    """Calling early while "due soon" is not the ladder's call: staff may still be mid-visit."""
    early = action(Action.CALLED_STAFF, END - minutes(5), Outcome.NO_ANSWER)
    result = state([SIGNED_OUT, ARRIVED, early], END + minutes(1))
    assert result.stage is Stage.CALL_STAFF
    assert result.outstanding == (Action.CALLED_STAFF,)


@pytest.mark.parametrize("outcome", [None, Outcome.INFORMED])
def test_a_call_without_a_failed_outcome_is_logged_but_does_not_escalate(
    outcome: ActionOutcome | None,
) -> None:
    timeline = [SIGNED_OUT, ARRIVED, action(Action.CALLED_STAFF, END + minutes(1), outcome)]
    result = state(timeline, END + minutes(2))
    assert result.stage is Stage.CALL_STAFF
    assert result.outstanding == ()


def test_informing_the_supervisor_clears_stage_2() -> None:
    timeline = [
        SIGNED_OUT,
        ARRIVED,
        action(Action.CALLED_STAFF, END + minutes(1), Outcome.NO_ANSWER),
        action(Action.INFORMED_SUPERVISOR, END + minutes(2), Outcome.INFORMED),
    ]
    result = state(timeline, END + minutes(3))
    assert result.stage is Stage.INFORM_SUPERVISOR
    assert result.outstanding == ()
    assert state(timeline, END + minutes(15)).outstanding == (Action.CALLED_EMERGENCY_CONTACT,)


# --- stages 3 and 4 come with time, whatever has been logged --------------------------------


@pytest.mark.parametrize("ladder", LADDERS)
def test_stage_3_and_4_are_reached_with_nothing_logged(ladder: str) -> None:
    events, deadline, _, _ = LADDERS[ladder]
    three = state(events, deadline + minutes(15))
    assert three.stage is Stage.CALL_EMERGENCY_CONTACT
    assert three.outstanding == (
        Action.CALLED_STAFF,
        Action.INFORMED_SUPERVISOR,
        Action.CALLED_EMERGENCY_CONTACT,
    )
    four = state(events, deadline + minutes(30))
    assert four.stage is Stage.INFORM_POLICE
    assert four.outstanding == LADDER_ACTIONS
    assert four.next_change_at is None
    assert four.highest_stage is Stage.INFORM_POLICE


def test_outstanding_lists_only_what_has_not_been_logged_in_ladder_order() -> None:
    timeline = [
        SIGNED_OUT,
        ARRIVED,
        action(Action.CALLED_EMERGENCY_CONTACT, END + minutes(16), Outcome.NO_ANSWER),
        action(Action.CALLED_STAFF, END + minutes(17), Outcome.NO_ANSWER),
    ]
    result = state(timeline, END + minutes(31))
    assert result.stage is Stage.INFORM_POLICE
    assert result.outstanding == (Action.INFORMED_SUPERVISOR, Action.INFORMED_POLICE)
    done = [*timeline, action(Action.INFORMED_SUPERVISOR, END + minutes(32), Outcome.INFORMED)]
    done.append(action(Action.INFORMED_POLICE, END + minutes(33), Outcome.INFORMED))
    after = state(done, END + minutes(34))
    assert after.outstanding == ()
    assert after.stage is Stage.INFORM_POLICE  # logging the police does not end it


def test_the_policy_minutes_drive_the_ladder() -> None:
    """Another school's numbers (003: the head decides): +10 and +20, due soon at 5."""
    policy = SchoolPolicy(
        due_soon_minutes=5, emergency_contact_after_minutes=10, police_after_minutes=20
    )
    events = [SIGNED_OUT, ARRIVED]
    assert state(events, END - minutes(5) - SECOND, policy=policy).stage is Stage.NONE
    assert state(events, END - minutes(5), policy=policy).stage is Stage.DUE_SOON
    assert state(events, END + minutes(10) - SECOND, policy=policy).stage is Stage.CALL_STAFF
    assert state(events, END + minutes(10), policy=policy).stage is Stage.CALL_EMERGENCY_CONTACT
    assert state(events, END + minutes(20), policy=policy).stage is Stage.INFORM_POLICE


def test_no_due_soon_when_the_school_sets_it_to_zero() -> None:
    policy = SchoolPolicy(due_soon_minutes=0)
    assert state([SIGNED_OUT, ARRIVED], END - SECOND, policy=policy).stage is Stage.NONE
    assert state([SIGNED_OUT, ARRIVED], END - SECOND, policy=policy).next_change_at == END
    assert state([SIGNED_OUT, ARRIVED], END, policy=policy).stage is Stage.CALL_STAFF


# --- deadlines ------------------------------------------------------------------------------


def test_arrival_call_is_due_planned_start_plus_grace() -> None:
    result = state([SIGNED_OUT], at("10:00"))
    assert result.phase is VisitPhase.TRAVELLING
    assert result.deadline == at("10:15")
    assert result.departed_at == at("09:50")


def test_a_late_departure_moves_the_arrival_call_with_it() -> None:
    """Decision: arrival due = max(planned start, departure) + grace; signing out 10 minutes
    late must not leave 5 minutes to arrive."""
    result = state([ev(Kind.SIGNED_OUT, at("10:10"))], at("10:11"))
    assert result.deadline == at("10:25")
    assert result.stage is Stage.NONE
    assert state([ev(Kind.SIGNED_OUT, at("10:10"))], at("10:15")).stage is Stage.DUE_SOON


def test_check_in_is_due_at_the_planned_end_after_the_arrival_call() -> None:
    result = state([SIGNED_OUT, ARRIVED], at("10:06"))
    assert result.phase is VisitPhase.ON_VISIT
    assert (result.deadline, result.deadline_kind) == (END, DeadlineKind.CHECK_IN)
    assert result.arrived_at == at("10:05")


def test_arriving_after_the_planned_end_gives_a_follow_up_check_in() -> None:
    """Decision: an arrival after the agreed end (with no new time given) is not instantly
    overdue; the check-in is due `follow_up_call_minutes` after the arrival call."""
    short = plan(planned_end=at("10:10"))
    late = ev(Kind.ARRIVED, at("10:12"))  # within the arrival grace, after the planned end
    result = state([SIGNED_OUT, late], at("10:12"), visit=short)
    assert result.deadline == at("10:27")
    assert result.stage is Stage.NONE
    assert not result.awaiting_resolution
    assert state([SIGNED_OUT, late], at("10:17"), visit=short).stage is Stage.DUE_SOON
    assert state([SIGNED_OUT, late], at("10:27"), visit=short).stage is Stage.CALL_STAFF


def test_an_arrival_call_can_carry_the_agreed_end() -> None:
    arrived = ev(Kind.ARRIVED, at("10:05"), new_deadline=at("11:40"))
    assert state([SIGNED_OUT, arrived], at("11:00")).deadline == at("11:40")


def test_home_safe_is_due_after_leaving_plus_its_grace() -> None:
    result = state([SIGNED_OUT, ARRIVED, LEFT], at("10:51"))
    assert result.phase is VisitPhase.LEFT
    assert (result.deadline, result.deadline_kind) == (at("11:20"), DeadlineKind.HOME_SAFE)
    assert result.left_at == at("10:50")
    other = SchoolPolicy(home_safe_grace_minutes=45)
    assert state([SIGNED_OUT, ARRIVED, LEFT], at("10:51"), policy=other).deadline == at("11:35")


def test_returning_ends_monitoring() -> None:
    back = ev(Kind.RETURNED, at("11:10"))
    result = state([SIGNED_OUT, ARRIVED, LEFT, back], at("11:11"))
    assert result.phase is VisitPhase.RETURNED
    assert (result.deadline, result.remaining, result.next_change_at) == (None, None, None)
    assert result.stage is Stage.NONE


# --- schedule changes and extensions ------------------------------------------------------


def test_a_schedule_change_moves_the_check_in() -> None:
    change = ev(Kind.SCHEDULE_CHANGED, at("10:40"), new_deadline=at("11:30"))
    timeline = [SIGNED_OUT, ARRIVED, change]
    assert state(timeline, at("10:39")).deadline == END
    assert state(timeline, at("11:00")).stage is Stage.NONE
    assert state(timeline, at("11:00")).deadline == at("11:30")
    assert state(timeline, at("11:20")).stage is Stage.DUE_SOON
    assert state(timeline, at("11:30") - SECOND).stage is Stage.DUE_SOON
    assert state(timeline, at("11:30")).stage is Stage.CALL_STAFF
    assert state(timeline, at("11:45")).stage is Stage.CALL_EMERGENCY_CONTACT


def test_the_latest_schedule_change_wins_even_if_earlier() -> None:
    timeline = [
        SIGNED_OUT,
        ARRIVED,
        ev(Kind.SCHEDULE_CHANGED, at("10:20"), new_deadline=at("11:30")),
        ev(Kind.CALL_RECEIVED, at("10:40"), new_deadline=at("10:50")),
    ]
    assert state(timeline, at("10:50")).stage is Stage.CALL_STAFF


def test_a_schedule_change_while_travelling_moves_the_arrival_call_only() -> None:
    """Traffic (003): the change is phoned in while travelling and moves the call now awaited."""
    traffic = ev(Kind.SCHEDULE_CHANGED, at("10:10"), new_deadline=at("10:35"))
    timeline = [SIGNED_OUT, traffic]
    assert state(timeline, at("10:20")).stage is Stage.NONE
    assert state(timeline, at("10:35")).stage is Stage.CALL_STAFF
    arrived = ev(Kind.ARRIVED, at("10:30"))
    assert state([*timeline, arrived], at("10:31")).deadline == END


def test_an_extension_logged_during_stage_1() -> None:
    """ "called: safe, extended 20 min": the ladder stops, the new time is watched, and the
    escalation waits for its resolution."""
    extended = action(Action.CALLED_STAFF, END + minutes(3), Outcome.SAFE, new_deadline=at("11:23"))
    timeline = [SIGNED_OUT, ARRIVED, extended]
    during = state(timeline, END + minutes(2))
    assert during.stage is Stage.CALL_STAFF
    after = state(timeline, END + minutes(16))
    assert after.stage is Stage.DUE_SOON  # not stage 3: contact restored at 11:03
    assert after.deadline == at("11:23")
    assert after.awaiting_resolution
    assert after.contact_restored_at == END + minutes(3)
    assert after.highest_stage is Stage.CALL_STAFF
    assert after.escalation_began_at == END
    assert after.outstanding == ()
    assert after.headline == "Contact restored: record the resolution"

    closed = [*timeline, resolved(at("11:05"), note="Staff safe, spoke to them at 11:03")]
    assert not state(closed, at("11:06")).awaiting_resolution
    assert state(closed, at("11:06")).highest_stage is Stage.NONE
    # Back to normal monitoring of the extension: missing it is a new escalation.
    again = state(closed, at("11:23"))
    assert again.stage is Stage.CALL_STAFF
    assert again.escalation_began_at == at("11:23")


def test_a_schedule_change_without_contact_cannot_stop_a_running_ladder() -> None:
    """Decision: once a deadline is missed, only contact stops the ladder. The office moving the
    time without having reached anyone must not silently de-escalate; the new time applies
    once contact is restored."""
    moved = ev(Kind.SCHEDULE_CHANGED, END + minutes(5), new_deadline=at("11:40"))
    timeline = [SIGNED_OUT, ARRIVED, moved]
    assert state(timeline, END + minutes(15)).stage is Stage.CALL_EMERGENCY_CONTACT
    assert state(timeline, END + minutes(15)).deadline == END
    reached = ev(Kind.CALL_RECEIVED, END + minutes(20))
    after = state([*timeline, reached], END + minutes(21))
    assert after.stage is Stage.NONE
    assert after.deadline == at("11:40")


def test_a_schedule_change_to_a_time_already_passed_escalates_from_when_it_was_logged() -> None:
    moved = ev(Kind.SCHEDULE_CHANGED, at("10:40"), new_deadline=at("10:30"))
    result = state([SIGNED_OUT, ARRIVED, moved], at("10:40"))
    assert result.stage is Stage.CALL_STAFF
    assert result.deadline == at("10:40")


# --- contact restored and the resolution ---------------------------------------------------


@pytest.mark.parametrize(
    "contact",
    [
        ev(Kind.CALL_RECEIVED, END + minutes(20)),
        ev(Kind.LEFT, END + minutes(20)),
        action(Action.CALLED_STAFF, END + minutes(20), Outcome.SAFE),
        action(Action.CALLED_STAFF, END + minutes(20), Outcome.REACHED),
        action(Action.CALLED_EMERGENCY_CONTACT, END + minutes(20), Outcome.SAFE),
    ],
    ids=lambda e: f"{e.kind}-{e.action}-{e.outcome}",
)
def test_contact_stops_further_stages_but_the_escalation_awaits_resolution(
    contact: TimelineEvent,
) -> None:
    timeline = [SIGNED_OUT, ARRIVED, contact]
    result = state(timeline, END + minutes(29))
    assert result.stage in (Stage.NONE, Stage.DUE_SOON)
    assert result.awaiting_resolution
    assert result.contact_restored_at == END + minutes(20)
    assert result.highest_stage is Stage.CALL_EMERGENCY_CONTACT
    assert result.outstanding == ()
    # Police time passes without the police stage.
    assert state(timeline, END + minutes(30)).stage is not Stage.INFORM_POLICE
    assert state(timeline, END + minutes(30)).awaiting_resolution


def test_contact_after_a_missed_deadline_without_a_new_time_gives_a_follow_up_call() -> None:
    """Decision: reached but no new time agreed -> the next call is due `follow_up_call_minutes`
    later, rather than the missed deadline re-firing at once or nothing being watched."""
    timeline = [SIGNED_OUT, ARRIVED, ev(Kind.CALL_RECEIVED, END + minutes(5))]
    result = state(timeline, END + minutes(6))
    assert result.deadline == END + minutes(20)
    assert result.stage is Stage.NONE
    lost_again = state(timeline, END + minutes(20))
    assert lost_again.stage is Stage.CALL_STAFF
    assert lost_again.escalation_began_at == END  # the same escalation, still unresolved
    assert lost_again.contact_restored_at is None
    assert state(timeline, END + minutes(35)).stage is Stage.CALL_EMERGENCY_CONTACT


def test_a_call_at_the_very_deadline_is_in_time() -> None:
    on_time = [SIGNED_OUT, ARRIVED, ev(Kind.LEFT, END)]
    assert not state(on_time, END + minutes(1)).awaiting_resolution
    late = [SIGNED_OUT, ARRIVED, ev(Kind.LEFT, END + SECOND)]
    assert state(late, END + minutes(1)).awaiting_resolution


def test_a_call_before_the_deadline_needs_no_resolution() -> None:
    timeline = [SIGNED_OUT, ARRIVED, ev(Kind.CALL_RECEIVED, at("10:30"))]
    result = state(timeline, at("10:31"))
    assert not result.awaiting_resolution
    assert result.deadline == END  # a call with no new time leaves the agreed end alone


@pytest.mark.parametrize("by", [None, "", "   "])
def test_a_resolution_needs_a_name(by: str | None) -> None:
    timeline = [
        SIGNED_OUT,
        ARRIVED,
        ev(Kind.CALL_RECEIVED, END + minutes(5)),
        resolved(END + minutes(6), by),
    ]
    assert state(timeline, END + minutes(7)).awaiting_resolution


def test_a_resolution_without_contact_stops_the_ladder() -> None:
    """ "Found by police": the named resolution ends the escalation; the visit is watched again
    with a follow-up call from the resolution."""
    timeline = [SIGNED_OUT, ARRIVED, resolved(END + minutes(32), note="Found by police")]
    result = state(timeline, END + minutes(33))
    assert result.stage is Stage.NONE
    assert not result.awaiting_resolution
    assert result.deadline == END + minutes(47)


def test_a_resolution_can_agree_the_next_call() -> None:
    timeline = [
        SIGNED_OUT,
        ARRIVED,
        ev(Kind.CALL_RECEIVED, END + minutes(5)),
        resolved(END + minutes(8), new_deadline=END + minutes(40)),
    ]
    result = state(timeline, END + minutes(9))
    assert not result.awaiting_resolution
    assert result.deadline == END + minutes(40)


def test_a_resolution_with_nothing_open_changes_nothing() -> None:
    timeline = [SIGNED_OUT, ARRIVED, resolved(at("10:30"))]
    assert state(timeline, at("10:31")) == state([SIGNED_OUT, ARRIVED], at("10:31"))


def test_returning_mid_escalation_still_needs_the_resolution() -> None:
    timeline = [SIGNED_OUT, ARRIVED, ev(Kind.RETURNED, END + minutes(40))]
    result = state(timeline, END + minutes(50))
    assert result.phase is VisitPhase.RETURNED
    assert result.stage is Stage.NONE
    assert result.awaiting_resolution
    assert result.highest_stage is Stage.INFORM_POLICE
    assert result.needs_attention
    done = state([*timeline, resolved(END + minutes(45))], END + minutes(50))
    assert not done.awaiting_resolution
    assert not done.needs_attention


# --- the safe word -------------------------------------------------------------------------


def test_the_safe_word_goes_straight_to_emergency() -> None:
    word = ev(Kind.SAFE_WORD, at("10:30"), recorded_by="Reception")
    timeline = [SIGNED_OUT, ARRIVED, word]
    result = state(timeline, at("10:30"))
    assert result.stage is Stage.EMERGENCY
    assert (
        result.outstanding
        == EMERGENCY_ACTIONS
        == (
            Action.INFORMED_POLICE,
            Action.INFORMED_SUPERVISOR,
        )
    )
    assert result.escalation_began_at == at("10:30")
    assert result.awaiting_resolution
    assert result.next_change_at is None
    assert result.highest_stage is Stage.EMERGENCY
    assert result.headline == "EMERGENCY: safe word used"
    assert state(timeline, at("10:30") - SECOND).stage is Stage.NONE

    police = action(Action.INFORMED_POLICE, at("10:31"), Outcome.INFORMED, note="ref 123")
    assert state([*timeline, police], at("10:32")).outstanding == (Action.INFORMED_SUPERVISOR,)


def test_the_emergency_stays_until_resolved_whatever_else_happens() -> None:
    timeline = [
        SIGNED_OUT,
        ARRIVED,
        ev(Kind.SAFE_WORD, at("10:30")),
        ev(Kind.CALL_RECEIVED, at("10:40")),
        ev(Kind.LEFT, at("10:45")),
        ev(Kind.RETURNED, at("11:30")),
    ]
    result = state(timeline, at("13:00"))
    assert result.stage is Stage.EMERGENCY
    assert result.phase is VisitPhase.RETURNED
    over = state([*timeline, resolved(at("13:05"))], at("13:06"))
    assert over.stage is Stage.NONE
    assert not over.awaiting_resolution


def test_after_an_emergency_is_resolved_the_visit_is_watched_again() -> None:
    timeline = [SIGNED_OUT, ARRIVED, ev(Kind.SAFE_WORD, at("10:30")), resolved(at("10:40"))]
    result = state(timeline, at("10:41"))
    assert result.stage is Stage.NONE
    assert result.deadline == END
    assert state(timeline, END).stage is Stage.CALL_STAFF


def test_the_safe_word_during_a_running_ladder() -> None:
    timeline = [SIGNED_OUT, ARRIVED, ev(Kind.SAFE_WORD, END + minutes(5))]
    result = state(timeline, END + minutes(40))
    assert result.stage is Stage.EMERGENCY
    assert result.escalation_began_at == END
    assert result.outstanding == EMERGENCY_ACTIONS


def test_the_safe_word_is_honoured_even_after_the_visit_ended() -> None:
    timeline = [
        SIGNED_OUT,
        ARRIVED,
        LEFT,
        ev(Kind.RETURNED, at("11:10")),
        ev(Kind.SAFE_WORD, at("11:30")),
    ]
    assert state(timeline, at("11:31")).stage is Stage.EMERGENCY


# --- not signed out -------------------------------------------------------------------------


def test_an_authorised_visit_not_signed_out_raises_a_prompt_not_the_ladder() -> None:
    authorised = plan(VisitStatus.AUTHORISED)
    before = state([], at("10:04"), visit=authorised)
    assert before.phase is VisitPhase.AWAITING_DEPARTURE
    assert (before.deadline, before.deadline_kind) == (at("10:15"), DeadlineKind.DEPARTURE)
    assert before.stage is Stage.NONE
    # Decision: no "due soon" before the departure prompt; it is not a call on the ladder.
    assert state([], at("10:14"), visit=authorised).stage is Stage.NONE
    assert state([], at("10:14"), visit=authorised).next_change_at == at("10:15")
    assert state([], at("10:15") - SECOND, visit=authorised).phase is VisitPhase.AWAITING_DEPARTURE
    prompt = state([], at("10:15"), visit=authorised)
    assert prompt.phase is VisitPhase.NOT_SIGNED_OUT
    assert prompt.stage is Stage.NONE
    assert prompt.needs_attention
    assert prompt.headline == "Not signed out"
    assert not prompt.awaiting_resolution
    assert prompt.next_change_at is None
    hours_later = state([], at("15:00"), visit=authorised)
    assert hours_later.phase is VisitPhase.NOT_SIGNED_OUT
    assert hours_later.stage is Stage.NONE
    assert hours_later.outstanding == ()


def test_signing_out_late_clears_the_prompt() -> None:
    authorised = plan(VisitStatus.AUTHORISED)
    timeline = [ev(Kind.SIGNED_OUT, at("10:20"))]
    result = state(timeline, at("10:21"), visit=authorised)
    assert result.phase is VisitPhase.TRAVELLING
    assert result.deadline == at("10:35")
    assert not result.awaiting_resolution


def test_the_not_signed_out_prompt_shows_who_claimed_it() -> None:
    authorised = plan(VisitStatus.AUTHORISED)
    claim = ev(Kind.ALERT_CLAIMED, at("10:16"), recorded_by="Mr Office")
    assert state([claim], at("10:17"), visit=authorised).claimed_by == "Mr Office"
    early_claim = ev(Kind.ALERT_CLAIMED, at("10:10"), recorded_by="Mr Office")
    assert state([early_claim], at("10:17"), visit=authorised).claimed_by is None


@pytest.mark.parametrize(
    "status",
    [
        VisitStatus.DRAFT,
        VisitStatus.AWAITING_AUTHORISATION,
        VisitStatus.CHANGES_REQUESTED,
        VisitStatus.REFUSED,
    ],
)
def test_a_visit_not_authorised_has_no_departure_deadline(status: VisitStatus) -> None:
    result = state([], at("12:00"), visit=plan(status))
    assert result.phase is VisitPhase.AWAITING_DEPARTURE
    assert result.deadline is None
    assert not result.needs_attention


def test_an_unplanned_departure_is_watched_whatever_its_status() -> None:
    """An urgent departure awaiting retrospective authorisation is still watched."""
    visit = plan(VisitStatus.AWAITING_AUTHORISATION)
    assert state([SIGNED_OUT], at("10:15"), visit=visit).stage is Stage.CALL_STAFF


def test_out_by_status_with_no_departure_logged_raises_the_not_signed_out_prompt() -> None:
    """Decision: the timeline is the truth. A status of "out" with no departure logged is not
    guessed into a departure time (that guess would change the past once the real departure
    is logged); the prompt makes the office record the departure, which starts the watch."""
    result = state([], at("10:15"))
    assert result.phase is VisitPhase.NOT_SIGNED_OUT
    assert result.needs_attention
    assert state([SIGNED_OUT], at("10:15")).stage is Stage.CALL_STAFF


# --- cancelled and returned visits never escalate ------------------------------------------


def test_a_cancelled_visit_never_escalates() -> None:
    cancelled = ev(Kind.CANCELLED, at("09:45"), note="Parent cancelled")
    visit = plan(VisitStatus.CANCELLED)
    for now in (at("10:15"), at("11:00"), at("23:00")):
        result = state([cancelled], now, visit=visit)
        assert result.phase is VisitPhase.CANCELLED
        assert result.stage is Stage.NONE
        assert not result.needs_attention


def test_cancelled_by_status_alone_never_escalates() -> None:
    assert state([], at("23:00"), visit=plan(VisitStatus.CANCELLED)).stage is Stage.NONE
    out_then_cancelled = state([SIGNED_OUT], at("23:00"), visit=plan(VisitStatus.CANCELLED))
    assert out_then_cancelled.phase is VisitPhase.CANCELLED
    assert out_then_cancelled.stage is Stage.NONE


def test_cancelled_on_the_doorstep_stops_watching() -> None:
    """A safety cancellation (animal not shut away) is phoned in: no further deadline."""
    cancelled = ev(Kind.CANCELLED, at("10:10"), note="Dog not shut away")
    result = state([SIGNED_OUT, ARRIVED, cancelled], at("12:00"))
    assert result.phase is VisitPhase.CANCELLED
    assert result.stage is Stage.NONE
    assert result.deadline is None


def test_a_completed_visit_never_escalates() -> None:
    completed = plan(VisitStatus.COMPLETED)
    back = ev(Kind.RETURNED, at("11:10"))
    assert (
        state([SIGNED_OUT, ARRIVED, LEFT, back], at("23:00"), visit=completed).stage is Stage.NONE
    )
    no_return_logged = state([SIGNED_OUT, ARRIVED, LEFT], at("23:00"), visit=completed)
    assert no_return_logged.phase is VisitPhase.RETURNED
    assert no_return_logged.stage is Stage.NONE
    assert state([], at("23:00"), visit=completed).phase is VisitPhase.RETURNED


def test_later_movements_after_returning_are_ignored() -> None:
    timeline = [
        SIGNED_OUT,
        ARRIVED,
        LEFT,
        ev(Kind.RETURNED, at("11:10")),
        ev(Kind.ARRIVED, at("11:30")),
    ]
    result = state(timeline, at("23:00"))
    assert result.phase is VisitPhase.RETURNED
    assert result.stage is Stage.NONE


# --- input hygiene ------------------------------------------------------------------------


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2026, 11, 23, 10, 0)
    with pytest.raises(ValueError, match="naive"):
        TimelineEvent(Kind.ARRIVED, naive)
    with pytest.raises(ValueError, match="naive"):
        VisitPlan(1, VisitStatus.OUT, naive, END)
    with pytest.raises(ValueError, match="naive"):
        state([], naive)


def test_instants_in_any_zone_are_read_as_the_same_instant() -> None:
    from hvdesk.clock import to_school_time

    local = [ev(Kind.SIGNED_OUT, to_school_time(at("09:50")))]
    result = state(local, to_school_time(at("10:15")))
    assert result.deadline == at("10:15")
    assert result.deadline.tzinfo is UTC
    assert result.stage is Stage.CALL_STAFF


# --- policy fields added for the engine ---------------------------------------------------


def test_the_added_policy_fields_have_defaults_and_round_trip() -> None:
    assert POLICY.home_safe_grace_minutes == 30
    assert POLICY.home_safe_grace == minutes(30)
    assert POLICY.follow_up_call_minutes == 15
    changed = SchoolPolicy(home_safe_grace_minutes=20, follow_up_call_minutes=10)
    assert SchoolPolicy.from_settings(changed.to_settings()) == changed


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"follow_up_call_minutes": 0}, "at least 1 minute"),
        ({"home_safe_grace_minutes": -5}, "whole number of minutes"),
        ({"home_safe_grace_minutes": 2000}, "whole number of minutes"),
    ],
)
def test_the_added_policy_fields_are_checked(changes: dict[str, int], message: str) -> None:
    with pytest.raises(SettingError, match=message):
        SchoolPolicy(**changes)  # type: ignore[arg-type]
