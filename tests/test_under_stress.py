# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""Issue 13 below Qt: each sequence as the office works it, on the real encrypted demo school
with the fake clock (the board's UI walks are in tests/ui/test_under_stress_board.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from hvdesk.clock import format_school_time
from hvdesk.db.models import Staff, UserAccount, Visit, VisitEvent
from hvdesk.domain.escalation import EscalationStage
from hvdesk.domain.next_steps import NOTHING_TO_DO, next_steps
from hvdesk.domain.people import JobRole
from hvdesk.domain.visits import (
    ActionOutcome,
    CancellationCause,
    EscalationAction,
    EventKind,
    VisitStatus,
)
from hvdesk.services.board import BoardEntry
from hvdesk.services.board_json import board_json
from hvdesk.services.door_wait import DoorWait
from hvdesk.services.reachable import Reachability
from hvdesk.services.screen_lock import PIN_TRIES, PinRefused, ScreenLock
from hvdesk.services.stand_down import StandDown
from hvdesk.services.visit_log import InvalidAction
from tests.board_school import School, demo_template, school  # noqa: F401

RECEPTION = "k.lewis"
COLLEAGUE = "s.whitfield"


def _entry(school: School, visit_id: int) -> BoardEntry:
    entry = school.board.read(include_private=True).entry(visit_id)
    assert entry is not None, f"visit {visit_id} is not on the board"
    return entry


def _kinds(school: School, visit_id: int) -> list[tuple[EventKind, str | None]]:
    with school.database.session() as session:
        rows = session.execute(
            sa.select(VisitEvent.kind, UserAccount.username)
            .outerjoin(UserAccount, UserAccount.id == VisitEvent.recorded_by_id)
            .where(VisitEvent.visit_id == visit_id)
            .order_by(VisitEvent.occurred_at, VisitEvent.id)
        ).all()
    return [(kind, who) for kind, who in rows]


def _steps(school: School, entry: BoardEntry):  # type: ignore[no-untyped-def]
    return next_steps(entry.state, entry.timeline, school.board.policy())


# --- 1. logging a step is claiming it ------------------------------------------------------------


def test_logging_a_step_claims_the_alert_and_a_colleague_takes_it_over(school: School) -> None:
    visit_id = school.one("overdue_stage1")
    reception, colleague = school.user(RECEPTION), school.user(COLLEAGUE)
    assert _entry(school, visit_id).claimed_by is None

    school.log.escalation_action(
        visit_id, EscalationAction.CALLED_STAFF, ActionOutcome.NO_ANSWER, reception
    )
    entry = _entry(school, visit_id)
    assert entry.claimed_by == reception.display_name
    assert _kinds(school, visit_id)[-2:] == [
        (EventKind.ALERT_CLAIMED, RECEPTION),
        (EventKind.ESCALATION_ACTION, RECEPTION),
    ]
    # A second step by the same person adds no second claim.
    school.clock.advance(60)
    school.log.escalation_action(
        visit_id,
        EscalationAction.INFORMED_SUPERVISOR,
        ActionOutcome.INFORMED,
        reception,
        contact_name="Sam Patel",
    )
    assert [k for k, _ in _kinds(school, visit_id)].count(EventKind.ALERT_CLAIMED) == 1

    # The colleague takes it over in one action, logged as a take-over.
    school.clock.advance(60)
    school.log.claim(visit_id, colleague)
    assert _entry(school, visit_id).claimed_by == colleague.display_name
    with school.database.session() as session:
        note = session.scalar(
            sa.select(VisitEvent.note)
            .where(VisitEvent.visit_id == visit_id, VisitEvent.kind == EventKind.ALERT_CLAIMED)
            .order_by(VisitEvent.id.desc())
            .limit(1)
        )
    assert note == f"Taken over from {reception.display_name}."


def test_a_time_driven_step_up_is_claimed_again_by_logging_its_step(school: School) -> None:
    visit_id = school.one("overdue_stage1")
    reception = school.user(RECEPTION)
    school.log.claim(visit_id, reception)
    deadline = _entry(school, visit_id).state.deadline
    assert deadline is not None
    school.clock.set(deadline + timedelta(minutes=16))  # stage 3 by time
    assert _entry(school, visit_id).state.stage is EscalationStage.CALL_EMERGENCY_CONTACT
    school.log.escalation_action(
        visit_id,
        EscalationAction.CALLED_EMERGENCY_CONTACT,
        ActionOutcome.LEFT_MESSAGE,
        reception,
    )
    kinds = [k for k, _ in _kinds(school, visit_id)]
    assert kinds.count(EventKind.ALERT_CLAIMED) == 2  # the old claim did not cover stage 3


# --- 2. the card moves on ------------------------------------------------------------------------


def test_the_card_says_what_was_done_what_to_do_now_and_what_comes_next(school: School) -> None:
    visit_id = school.one("overdue_stage1")
    by = school.user(RECEPTION)
    entry = _entry(school, visit_id)
    deadline = entry.state.deadline
    assert deadline is not None
    steps = _steps(school, entry)
    assert steps.do_now.startswith("Call {staff}'s work mobile")
    contact_at = format_school_time(deadline + timedelta(minutes=15), "%H:%M")
    assert steps.next_step == (
        f"If there is still no answer at {contact_at}, call {{staff}}'s emergency contact."
    )

    school.log.escalation_action(
        visit_id, EscalationAction.CALLED_STAFF, ActionOutcome.NO_ANSWER, by
    )
    steps = _steps(school, _entry(school, visit_id))
    assert steps.do_now.startswith("Inform {staff}'s supervisor")
    assert [d.what for d in steps.done][-1] == "Called the staff member: no answer"
    assert steps.done[-1].by == by.display_name

    school.log.escalation_action(
        visit_id,
        EscalationAction.INFORMED_SUPERVISOR,
        ActionOutcome.INFORMED,
        by,
        contact_name="Sam Patel",
    )
    entry = _entry(school, visit_id)
    steps = _steps(school, entry)
    assert steps.do_now == NOTHING_TO_DO and steps.waiting
    assert "Nothing to do now but wait" in entry.what_to_do
    assert contact_at in entry.what_to_do

    school.clock.set(deadline + timedelta(minutes=30, seconds=1))  # stage 4 by time
    entry = _entry(school, visit_id)
    assert entry.state.stage is EscalationStage.INFORM_POLICE
    assert _steps(school, entry).do_now.startswith("Call {staff}'s emergency contact")
    school.log.escalation_action(
        visit_id, EscalationAction.CALLED_EMERGENCY_CONTACT, ActionOutcome.NO_ANSWER, by
    )
    assert _steps(school, _entry(school, visit_id)).do_now.startswith("Inform the police")
    school.log.escalation_action(
        visit_id,
        EscalationAction.INFORMED_POLICE,
        ActionOutcome.INFORMED,
        by,
        reference="CAD 4471",
    )
    entry = _entry(school, visit_id)
    steps = _steps(school, entry)
    assert steps.do_now == NOTHING_TO_DO
    assert "Inform the police now" not in entry.what_to_do
    assert entry.what_to_do.startswith("The police have been informed. Nothing to do now")
    assert steps.done[-1].what == "Informed the police: informed"
    assert steps.done[-1].details == "reference CAD 4471"
    payload = next(
        v for v in board_json(school.board.read(False))["visits"] if v["visit_id"] == visit_id
    )
    assert payload["do_now"] == NOTHING_TO_DO
    assert payload["done"][-1]["what"] == "Informed the police: informed"
    assert "CAD 4471" not in str(payload)  # references stay off the JSON board


# --- 8. the wait at the door ---------------------------------------------------------------------


def test_the_demo_colleague_waits_at_the_door_until_the_limit_then_is_cancelled(
    school: School,
) -> None:
    visit_id = school.one("waiting_at_door")
    doors = DoorWait(school.database, school.clock)
    by = school.user(RECEPTION)
    entry = _entry(school, visit_id)
    state = entry.state
    assert state.waiting_since is not None and state.wait_limit_at is not None
    assert state.wait_limit_at - state.waiting_since == timedelta(minutes=10)
    assert not state.wait_over and not entry.needs_attention
    payload = next(
        v for v in board_json(school.board.read(False))["visits"] if v["visit_id"] == visit_id
    )
    assert payload["waiting_at_door"]["limit_reached"] is False
    assert 0 < payload["waiting_at_door"]["seconds_to_limit"] <= 7 * 60
    sheet = school.board.police_sheet(visit_id)
    assert sheet.state.waiting_since == state.waiting_since

    school.clock.set(state.wait_limit_at)
    entry = _entry(school, visit_id)
    assert entry.state.wait_over and entry.needs_attention
    assert "the school's limit. Tell" in entry.what_to_do
    assert "Cancelled: parent not there" in entry.what_to_do
    doors.cancel_parent_not_there(visit_id, by)
    with school.database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        assert visit.status is VisitStatus.CANCELLED
        assert visit.cancellation_cause is CancellationCause.PARENT_NOT_PRESENT
        note = visit.events[-1].note
    assert note == "Parent not there: waited 10 minutes at the door (the school's limit)."


def test_a_parent_running_late_gets_the_longer_limit_and_arriving_ends_the_wait(
    school: School,
) -> None:
    visit_id = school.one("waiting_at_door")
    doors = DoorWait(school.database, school.clock)
    by = school.user(RECEPTION)
    doors.parent_running_late(visit_id, by, note="Mum phoned: stuck in traffic")
    state = _entry(school, visit_id).state
    assert state.parent_running_late
    assert state.wait_limit_at == school.clock.now() + timedelta(minutes=30)
    school.clock.advance(20 * 60)
    assert not _entry(school, visit_id).state.wait_over
    doors.parent_arrived(visit_id, by)
    state = _entry(school, visit_id).state
    assert state.waiting_since is None and not state.wait_over
    with pytest.raises(InvalidAction, match="Nobody on visit"):
        doors.parent_arrived(visit_id, by)
    with pytest.raises(InvalidAction, match="not on its way or at the home"):
        doors.waiting_at_door(school.state("planned")[0], by)


# --- 9. the end-of-day list persists ------------------------------------------------------------


def test_the_end_of_day_list_stays_across_midnight_and_a_restart_until_home_safe(
    school: School,
) -> None:
    visit_id = school.one("out_on_time")
    by = school.user(RECEPTION)
    evening = school.clock.now().replace(hour=17, minute=31)  # UTC = UK time in November
    assert visit_id not in school.board.read(False).end_of_day
    school.clock.set(evening)
    assert visit_id in school.board.read(False).end_of_day
    school.clock.set(evening + timedelta(hours=6, minutes=34))  # 00:05 the next day
    assert visit_id in school.board.read(False).end_of_day
    school.reopen()
    assert visit_id in school.board.read(False).end_of_day
    school.log.returned(visit_id, by)
    assert visit_id not in school.board.read(False).end_of_day


# --- 14. the stand-down -------------------------------------------------------------------------


def test_after_resolution_everyone_alerted_is_stood_down_police_first(school: School) -> None:
    visit_id = school.one("overdue_stage1")
    by = school.user(RECEPTION)
    stand = StandDown(school.database, school.clock)
    deadline = _entry(school, visit_id).state.deadline
    assert deadline is not None
    log = school.log
    log.escalation_action(visit_id, EscalationAction.CALLED_STAFF, ActionOutcome.NO_ANSWER, by)
    log.escalation_action(
        visit_id,
        EscalationAction.INFORMED_SUPERVISOR,
        ActionOutcome.INFORMED,
        by,
        contact_name="Sam Patel",
    )
    school.clock.set(deadline + timedelta(minutes=31))
    log.escalation_action(
        visit_id,
        EscalationAction.CALLED_EMERGENCY_CONTACT,
        ActionOutcome.LEFT_MESSAGE,
        by,
        contact_name="Tom Reid",
    )
    log.escalation_action(
        visit_id, EscalationAction.INFORMED_POLICE, ActionOutcome.INFORMED, by, reference="CAD 4471"
    )
    assert stand.items(visit_id) == ()  # nothing to stand down before the resolution
    school.clock.advance(300)
    log.returned(visit_id, by)
    log.resolve(visit_id, "Phone battery flat; back at base, safe.", by)

    items = stand.items(visit_id)
    assert [i.label for i in items] == [
        "The police reference CAD 4471",
        "The emergency contact (Tom Reid)",
        "The supervisor (Sam Patel)",
    ]
    entry = _entry(school, visit_id)  # completed, but kept on the board for the stand-down
    assert entry.stand_down_pending and not entry.needs_attention

    with pytest.raises(InvalidAction, match="Say in a word why"):
        stand.not_needed(visit_id, EscalationAction.INFORMED_SUPERVISOR, "  ", by)
    with pytest.raises(InvalidAction, match="not waiting to be stood down"):
        stand.told(visit_id, EscalationAction.INFORMED_HEADTEACHER, by)
    stand.told(visit_id, EscalationAction.INFORMED_POLICE, by)
    stand.told(visit_id, EscalationAction.CALLED_EMERGENCY_CONTACT, by)
    stand.not_needed(visit_id, EscalationAction.INFORMED_SUPERVISOR, "Sam came back with her", by)
    done = stand.items(visit_id)
    assert all(i.done and i.done_by == by.display_name for i in done)
    assert (
        done[2].outcome is ActionOutcome.NOT_NEEDED and done[2].reason == "Sam came back with her"
    )
    assert school.board.read(True).entry(visit_id) is None  # off the board once all are told

    from hvdesk.services.documents import DocumentService

    incident_id = _incident_of(school, visit_id)
    _, data = DocumentService(school.database, school.clock).incident(
        incident_id,
        school.user(COLLEAGUE),  # the DSL may read the incident report
    )
    lines = [(row.what, row.outcome) for row in data.timeline]
    assert ("Stand-down: the police", "Informed, reference CAD 4471") in lines
    assert ("Stand-down: the supervisor", "Not needed") in lines


def _incident_of(school: School, visit_id: int) -> int:
    from hvdesk.db.models import Incident

    with school.database.session() as session:
        found = session.scalar(sa.select(Incident.id).where(Incident.visit_id == visit_id))
    assert found is not None
    return found


# --- 7. who to call is reachable ----------------------------------------------------------------


def test_a_supervisor_out_on_an_overdue_visit_is_flagged_and_the_dsl_offered(
    school: School,
) -> None:
    visit_id = school.one("overdue_stage1")
    other = school.one("overdue_stage2")
    with school.database.session() as session:
        lead = session.get(Visit, visit_id).visitors[0].staff_id  # type: ignore[union-attr]
        busy = session.get(Visit, other).visitors[0].staff_id  # type: ignore[union-attr]
        session.get(Staff, lead).supervisor_id = busy  # type: ignore[union-attr]
        session.commit()
    (first, *_) = Reachability(school.database, school.clock).who_to_call(visit_id)
    assert first.supervisor is not None
    assert first.supervisor.flag == f"out on visit {other}, overdue"
    assert first.next_people and first.next_people[0].role == JobRole.DSL.label
    assert all(p.reachable for p in first.next_people)
    assert "(out on visit" in first.supervisor.text


# --- 13. the screen lock's PIN -------------------------------------------------------------------


def test_the_same_person_reopens_the_screen_lock_with_a_pin_and_it_locks_after_wrong_tries(
    school: School,
) -> None:
    lock = ScreenLock(school.database, school.clock)
    user = school.user(RECEPTION)
    with pytest.raises(PinRefused, match="4 to 8 digits"):
        lock.set_pin(user, "12a4")
    with pytest.raises(PinRefused, match="not all one digit"):
        lock.set_pin(user, "1234")
    lock.set_pin(user, "4071")
    assert lock.has_pin(user)
    assert lock.unlock(user, "4071") == user
    for _ in range(PIN_TRIES):
        with pytest.raises(PinRefused):
            lock.unlock(user, "9999")
    with pytest.raises(PinRefused, match="stopped working"):
        lock.unlock(user, "4071")  # closed: only a full sign-in reopens it
    assert lock.unlock(user, "demo-password") == user  # the password still works
    lock.reset_after_sign_in(user)
    assert lock.unlock(user, "4071") == user
    with school.database.session() as session:
        from hvdesk.db.models import AuditEntry

        vias = session.scalars(
            sa.select(AuditEntry.details).where(
                AuditEntry.action.in_(["sign_in", "sign_in_failed"])
            )
        ).all()
    assert sum(1 for d in vias if d and "screen lock" in str(d)) >= PIN_TRIES + 3
