"""The escalation engine in whole situations: restarts, clock changes, pairs, the board's order,
and the words of the prompts."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from hvdesk.clock import FakeClock, school_time_to_utc, to_school_time
from hvdesk.domain.escalation import (
    LADDER_ACTIONS,
    DeadlineKind,
    EscalationStage,
    VisitPhase,
    VisitPlan,
    by_urgency,
    evaluate,
    evaluate_many,
    stage_instruction,
    what_to_do_now,
)
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.visits import VisitStatus
from tests.test_escalation import (
    ARRIVED,
    END,
    POLICY,
    SECOND,
    SIGNED_OUT,
    START,
    Action,
    Kind,
    Outcome,
    Stage,
    action,
    at,
    ev,
    minutes,
    plan,
    resolved,
    state,
)

# --- restart mid-escalation and a sleeping PC ------------------------------------------------


def test_a_restart_mid_escalation_comes_back_at_the_right_stage() -> None:
    """The app is closed at stage 2 and opened again later: the stored timeline and the clock
    alone put it at stage 3, with what is still to do."""
    stored = [
        SIGNED_OUT,
        ARRIVED,
        action(Action.CALLED_STAFF, END + minutes(2), Outcome.NO_ANSWER),
    ]
    before_closing = state(stored, END + minutes(3))
    assert before_closing.stage is Stage.INFORM_SUPERVISOR
    assert before_closing.outstanding == (Action.INFORMED_SUPERVISOR,)

    after_restart = evaluate(plan(), list(stored), SchoolPolicy(), END + minutes(20))
    assert after_restart.stage is Stage.CALL_EMERGENCY_CONTACT
    assert after_restart.outstanding == (
        Action.INFORMED_SUPERVISOR,
        Action.CALLED_EMERGENCY_CONTACT,
    )
    assert after_restart.escalation_began_at == END
    assert after_restart.next_change_at == END + minutes(30)


def test_a_board_ticking_every_second_agrees_with_one_evaluation() -> None:
    """No state is carried between calls: a board that evaluated every second of the morning
    ends where a fresh evaluation does, and the stage never went backwards on the way."""
    clock = FakeClock(END - minutes(1))
    timeline = [
        SIGNED_OUT,
        ARRIVED,
        action(Action.CALLED_STAFF, END + minutes(4), Outcome.NO_ANSWER),
    ]
    ranks = []
    last = state(timeline, clock.now())
    while clock.now() < END + minutes(32):
        clock.advance(1)
        last = state(timeline, clock.now())
        ranks.append(last.stage.rank)
    assert ranks == sorted(ranks)
    assert last == state(timeline, END + minutes(32))
    assert last.stage is Stage.INFORM_POLICE


def test_a_pc_waking_from_sleep_jumps_straight_to_the_right_stage() -> None:
    clock = FakeClock(END - minutes(5))
    assert state([SIGNED_OUT, ARRIVED], clock.now()).stage is Stage.DUE_SOON
    clock.set(END + minutes(40))  # the lid was closed for 45 minutes
    woke = state([SIGNED_OUT, ARRIVED], clock.now())
    assert woke.stage is Stage.INFORM_POLICE
    assert woke.outstanding == LADDER_ACTIONS
    assert woke.deadline == END


def test_the_same_question_gets_the_same_answer() -> None:
    timeline = [SIGNED_OUT, ARRIVED, ev(Kind.CALL_RECEIVED, END + minutes(7))]
    assert state(timeline, END + minutes(9)) == state(timeline, END + minutes(9))


# --- daylight saving: deadlines are instants ---------------------------------------------------


def test_spring_forward_29_march_2026_the_countdown_is_real_time() -> None:
    """At 01:00 GMT the clocks go to 02:00 BST. A visit 00:20 GMT to 02:40 BST lasts 80 real
    minutes, not 140; the ladder runs in real minutes across the change."""
    start = school_time_to_utc(datetime(2026, 3, 29, 0, 20))
    end = school_time_to_utc(datetime(2026, 3, 29, 2, 40))
    assert end - start == minutes(80)
    visit = plan(planned_start=start, planned_end=end)
    timeline = [ev(Kind.SIGNED_OUT, start - minutes(10)), ev(Kind.ARRIVED, start + minutes(5))]

    at_half_past_midnight = state(
        timeline, school_time_to_utc(datetime(2026, 3, 29, 0, 30)), visit=visit
    )
    assert at_half_past_midnight.remaining == minutes(70)  # the wall clock would say 130

    # The clock jumps while the countdown runs: 00:59:59 GMT is followed by 02:00:00 BST.
    before = school_time_to_utc(datetime(2026, 3, 29, 0, 59, 59))
    after = school_time_to_utc(datetime(2026, 3, 29, 2, 0, 0))
    assert after - before == SECOND
    assert (
        state(timeline, before, visit=visit).remaining
        - state(timeline, after, visit=visit).remaining
        == SECOND
    )

    # The ladder from 02:40 BST: +15 and +30 real minutes.
    assert state(timeline, end + minutes(15) - SECOND, visit=visit).stage is Stage.CALL_STAFF
    police = state(timeline, end + minutes(30), visit=visit)
    assert police.stage is Stage.INFORM_POLICE
    assert to_school_time(end + minutes(30)).strftime("%H:%M %Z") == "03:10 BST"


def test_spring_forward_a_ladder_spanning_the_change() -> None:
    """Check-in due 00:50 GMT: stage 3 at 02:05 BST and police at 02:20 BST, though the wall
    clock says 75 and 90 minutes have passed."""
    end = school_time_to_utc(datetime(2026, 3, 29, 0, 50))
    visit = plan(planned_start=end - minutes(60), planned_end=end)
    timeline = [ev(Kind.SIGNED_OUT, end - minutes(70)), ev(Kind.ARRIVED, end - minutes(55))]

    def local(h: int, m: int, s: int = 0) -> datetime:
        return school_time_to_utc(datetime(2026, 3, 29, h, m, s))

    assert state(timeline, local(2, 4, 59), visit=visit).stage is Stage.CALL_STAFF
    assert state(timeline, local(2, 5), visit=visit).stage is Stage.CALL_EMERGENCY_CONTACT
    assert state(timeline, local(2, 19, 59), visit=visit).stage is Stage.CALL_EMERGENCY_CONTACT
    assert state(timeline, local(2, 20), visit=visit).stage is Stage.INFORM_POLICE
    assert state(timeline, local(2, 20), visit=visit).remaining == -minutes(30)


def test_fall_back_25_october_2026_the_countdown_is_real_time() -> None:
    """At 02:00 BST the clocks go back to 01:00 GMT, so 01:20 happens twice. Check-in due 01:50
    BST: the police stage comes at the second 01:20 (GMT), 30 real minutes later."""

    def local(h: int, m: int, *, second_time: bool = False) -> datetime:
        return school_time_to_utc(datetime(2026, 10, 25, h, m, fold=int(second_time)))

    end = local(1, 50)
    assert end == datetime(2026, 10, 25, 0, 50, tzinfo=UTC)
    visit = plan(planned_start=end - minutes(60), planned_end=end)
    timeline = [ev(Kind.SIGNED_OUT, end - minutes(70)), ev(Kind.ARRIVED, end - minutes(55))]

    first_1_20 = state(timeline, local(1, 20), visit=visit)
    assert first_1_20.stage is Stage.NONE
    assert first_1_20.remaining == minutes(30)

    later = state(timeline, local(1, 10, second_time=True), visit=visit)
    assert later.remaining == -minutes(20)  # the wall clock would say -40
    assert later.stage is Stage.CALL_EMERGENCY_CONTACT

    assert state(timeline, local(1, 19, second_time=True), visit=visit).stage is (
        Stage.CALL_EMERGENCY_CONTACT
    )
    second_1_20 = state(timeline, local(1, 20, second_time=True), visit=visit)
    assert second_1_20.stage is Stage.INFORM_POLICE
    assert to_school_time(second_1_20.evaluated_at).strftime("%H:%M %Z") == "01:20 GMT"


def test_fall_back_home_safe_call_across_the_change() -> None:
    left_at = school_time_to_utc(datetime(2026, 10, 25, 1, 45))  # BST
    visit = plan(planned_start=left_at - minutes(90), planned_end=left_at)
    timeline = [
        ev(Kind.SIGNED_OUT, left_at - minutes(100)),
        ev(Kind.ARRIVED, left_at - minutes(85)),
        ev(Kind.LEFT, left_at),
    ]
    result = state(timeline, left_at, visit=visit)
    assert result.deadline == left_at + minutes(30)
    assert to_school_time(result.deadline).strftime("%H:%M %Z") == "01:15 GMT"


# --- a pair visit ---------------------------------------------------------------------------


def test_a_pair_visit_is_watched_as_one_visit() -> None:
    """Nothing in the engine is pair-specific: either visitor's call is the visit's call, and
    calls to each are simply logged actions."""
    timeline = [
        ev(Kind.SIGNED_OUT, at("09:50"), note="Both visitors left together"),
        ev(Kind.ARRIVED, at("10:04"), note="Phoned by the second visitor"),
        action(Action.CALLED_STAFF, END + minutes(1), Outcome.NO_ANSWER, note="Lead's mobile"),
        action(Action.CALLED_STAFF, END + minutes(3), Outcome.NO_ANSWER, note="Second's mobile"),
    ]
    pair = plan(visit_id=7)
    assert state(timeline, END + minutes(4), visit=pair).stage is Stage.INFORM_SUPERVISOR
    reached = action(
        Action.CALLED_STAFF,
        END + minutes(6),
        Outcome.SAFE,
        note="Second visitor answered: both safe, 20 more minutes",
        new_deadline=END + minutes(26),
    )
    after = state([*timeline, reached], END + minutes(7), visit=pair)
    assert after.visit_id == 7
    assert after.stage is Stage.NONE
    assert after.awaiting_resolution
    assert after.highest_stage is Stage.INFORM_SUPERVISOR
    assert after.deadline == END + minutes(26)


# --- which events count -----------------------------------------------------------------------


def test_events_after_now_are_ignored() -> None:
    timeline = [
        SIGNED_OUT,
        ARRIVED,
        ev(Kind.CALL_RECEIVED, END + minutes(20)),
        resolved(END + minutes(22)),
    ]
    assert state(timeline, at("10:02")).phase is VisitPhase.TRAVELLING
    earlier = state(timeline, END + minutes(10))
    assert earlier.stage is Stage.CALL_STAFF
    assert earlier == state(timeline[:2], END + minutes(10))
    assert state(timeline, END + minutes(21)).awaiting_resolution
    assert not state(timeline, END + minutes(22)).awaiting_resolution


def test_a_status_ending_in_the_future_of_an_earlier_instant_is_the_status() -> None:
    """Evaluating `--at` an earlier instant uses the visit's current status as it is."""
    completed = plan(VisitStatus.COMPLETED)
    timeline = [SIGNED_OUT, ARRIVED, ev(Kind.RETURNED, at("11:10"))]
    assert state(timeline, at("10:30"), visit=completed).phase is VisitPhase.RETURNED
    assert state(timeline, at("10:30"), visit=plan()).phase is VisitPhase.ON_VISIT


def test_events_out_of_order_are_put_in_time_order() -> None:
    timeline = [
        SIGNED_OUT,
        ARRIVED,
        action(Action.CALLED_STAFF, END + minutes(2), Outcome.NO_ANSWER),
        action(Action.INFORMED_SUPERVISOR, END + minutes(4), Outcome.INFORMED),
        ev(Kind.CALL_RECEIVED, END + minutes(9), new_deadline=END + minutes(30)),
        ev(Kind.LEFT, END + minutes(25)),
    ]
    expected = state(timeline, END + minutes(26))
    rng = random.Random(3)
    for _ in range(20):
        shuffled = timeline[:]
        rng.shuffle(shuffled)
        assert state(shuffled, END + minutes(26)) == expected
    assert state(list(reversed(timeline)), END + minutes(26)) == expected


def test_notes_and_claims_change_no_stage() -> None:
    base = [SIGNED_OUT, ARRIVED]
    noisy = [
        *base,
        ev(Kind.NOTE, at("10:30"), note="Parent asked for more time"),
        ev(Kind.ALERT_CLAIMED, END + minutes(1), recorded_by="Mrs Desk"),
        ev(Kind.NOTE, END + minutes(2)),
    ]
    quiet = state(base, END + minutes(3))
    loud = state(noisy, END + minutes(3))
    assert replace(loud, claimed_by=None) == quiet
    assert loud.claimed_by == "Mrs Desk"


def test_drill_visits_are_evaluated_identically() -> None:
    real = state([SIGNED_OUT, ARRIVED], END + minutes(31))
    drill = state([SIGNED_OUT, ARRIVED], END + minutes(31), visit=plan(is_drill=True))
    assert drill.is_drill
    assert replace(drill, is_drill=False) == real


# --- the board's order ---------------------------------------------------------------------


def _visit(visit_id: int, start: str, end: str, status: VisitStatus = VisitStatus.OUT) -> VisitPlan:
    return VisitPlan(visit_id, status, at(start), at(end))


def test_the_board_is_sorted_most_urgent_first() -> None:
    now = at("12:00")
    out = [ev(Kind.SIGNED_OUT, at("09:00")), ev(Kind.ARRIVED, at("09:10"))]
    board = [
        (_visit(10, "09:00", "12:20"), out),  # on time, 20 minutes left
        (_visit(9, "09:00", "10:00"), [*out, ev(Kind.RETURNED, at("10:30"))]),  # back
        (
            _visit(8, "09:00", "11:30"),
            [*out, ev(Kind.CALL_RECEIVED, at("11:35"), new_deadline=at("12:20"))],
        ),
        (_visit(7, "09:00", "12:05"), out),  # due soon
        (_visit(6, "11:40", "12:40", status=VisitStatus.AUTHORISED), []),  # not signed out, -5
        (_visit(5, "09:00", "11:55"), out),  # stage 1, -5
        (_visit(4, "09:00", "11:44"), out),  # stage 3, -16
        (_visit(3, "09:00", "11:40"), out),  # stage 3, -20
        (_visit(2, "09:00", "11:25"), out),  # stage 4
        (_visit(1, "09:00", "12:30"), [*out, ev(Kind.SAFE_WORD, at("11:50"))]),  # emergency
    ]
    states = evaluate_many(board, POLICY, now)
    assert [s.visit_id for s in states] == [1, 2, 3, 4, 5, 6, 7, 8, 10, 9]
    assert [s.stage for s in states[:5]] == [
        Stage.EMERGENCY,
        Stage.INFORM_POLICE,
        Stage.CALL_EMERGENCY_CONTACT,
        Stage.CALL_EMERGENCY_CONTACT,
        Stage.CALL_STAFF,
    ]
    assert states[5].phase is VisitPhase.NOT_SIGNED_OUT
    assert states[7].awaiting_resolution and not states[8].awaiting_resolution
    assert by_urgency(reversed(states)) == states


def test_a_higher_stage_outranks_a_more_overdue_lower_one() -> None:
    """Stage 2 reached early by a failed call vs stage 1 long overdue under a slower policy."""
    policy = SchoolPolicy(emergency_contact_after_minutes=60, police_after_minutes=90)
    out = [ev(Kind.SIGNED_OUT, at("09:00")), ev(Kind.ARRIVED, at("09:10"))]
    stage_2 = [*out, action(Action.CALLED_STAFF, at("11:56"), Outcome.NO_ANSWER)]
    states = evaluate_many(
        [(_visit(1, "09:00", "11:20"), out), (_visit(2, "09:00", "11:55"), stage_2)],
        policy,
        at("12:00"),
    )
    assert [(s.visit_id, s.stage) for s in states] == [
        (2, Stage.INFORM_SUPERVISOR),
        (1, Stage.CALL_STAFF),
    ]


# --- what the policy says to do --------------------------------------------------------------


@pytest.mark.parametrize("stage", list(EscalationStage))
def test_every_stage_has_generic_words_for_the_office(stage: EscalationStage) -> None:
    text = stage_instruction(stage, POLICY, DeadlineKind.CHECK_IN)
    assert "{staff}" in text
    filled = text.format(staff="Sam Visitor")
    assert "Sam Visitor" in filled
    assert "{" not in filled
    assert stage.label


def test_the_words_follow_the_school_minutes() -> None:
    policy = SchoolPolicy(emergency_contact_after_minutes=20, police_after_minutes=45)
    three = stage_instruction(Stage.CALL_EMERGENCY_CONTACT, policy)
    assert "20 minutes" in three and "45 minutes" in three
    assert "emergency contact" in three
    four = stage_instruction(Stage.INFORM_POLICE, policy)
    assert "45 minutes" in four and "police" in four and "vehicle" in four
    assert "arrival call" in stage_instruction(Stage.CALL_STAFF, policy, DeadlineKind.ARRIVAL_CALL)


def test_what_to_do_now_covers_the_prompts_that_are_not_stages() -> None:
    not_out = state([], at("10:20"), visit=plan(VisitStatus.AUTHORISED))
    assert "not signed out" in what_to_do_now(not_out, POLICY)
    restored = state(
        [SIGNED_OUT, ARRIVED, ev(Kind.CALL_RECEIVED, END + minutes(2))], END + minutes(3)
    )
    assert "resolved" in what_to_do_now(restored, POLICY)
    emergency = state([SIGNED_OUT, ev(Kind.SAFE_WORD, at("10:10"))], at("10:11"))
    assert "safe word" in what_to_do_now(emergency, POLICY)
    assert "999" in what_to_do_now(emergency, POLICY)
    quiet = state([SIGNED_OUT, ARRIVED], at("10:20"))
    assert what_to_do_now(quiet, POLICY).startswith("No action needed")


def test_headlines_say_what_is_going_on() -> None:
    assert state([SIGNED_OUT, ARRIVED], at("10:20")).headline == "On visit"
    assert state([SIGNED_OUT, ARRIVED], at("10:55")).headline == "Check-in call due soon"
    overdue = state([SIGNED_OUT], at("10:31")).headline
    assert overdue == "Arrival call overdue — Stage 3: call the emergency contact"


def test_the_start_constant_is_a_gmt_morning() -> None:
    """The tests write times as the office reads them; in November that is UTC."""
    assert to_school_time(START).utcoffset() == timedelta(0)
