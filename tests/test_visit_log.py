# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""The board's quick actions (`VisitLog`) on the real encrypted demo school: each records who
and when, is durable when it returns, and refuses what makes no sense, writing nothing."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from hvdesk.db.models import Household, Incident, Pupil, Staff, Visit, VisitEvent
from hvdesk.domain.escalation import DeadlineKind, EscalationStage, VisitPhase
from hvdesk.domain.incidents import IncidentKind, IncidentStatus
from hvdesk.domain.visits import (
    ActionOutcome,
    CancellationCause,
    EscalationAction,
    EventKind,
    VisitReason,
    VisitStatus,
)
from hvdesk.errors import HvdeskError
from hvdesk.services.board import BoardEntry
from hvdesk.services.drill import DRILL_PREFIX
from hvdesk.services.identity import SignedInUser
from hvdesk.services.visit_log import InvalidAction, RecordNotFound
from tests.board_school import School, demo_template, school  # noqa: F401

RECEPTION = "k.lewis"


def _events(school: School, visit_id: int) -> list[VisitEvent]:
    with school.database.session() as session:
        return list(
            session.scalars(
                sa.select(VisitEvent)
                .where(VisitEvent.visit_id == visit_id)
                .order_by(VisitEvent.occurred_at, VisitEvent.id)
            )
        )


def _visit(school: School, visit_id: int) -> Visit:
    with school.database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        return visit


def _entry(school: School, visit_id: int, *, private: bool = True) -> BoardEntry:
    entry = school.board.read(include_private=private).entry(visit_id)
    assert entry is not None, f"visit {visit_id} is not on the board"
    return entry


def _counts(school: School) -> tuple[int, int, int]:
    with school.database.session() as session:
        return (
            session.scalar(sa.select(sa.func.count()).select_from(VisitEvent)) or 0,
            session.scalar(sa.select(sa.func.count()).select_from(Visit)) or 0,
            session.scalar(sa.select(sa.func.count()).select_from(Incident)) or 0,
        )


def _one_with(school: School, status: VisitStatus) -> int:
    with school.database.session() as session:
        found = session.scalar(
            sa.select(Visit.id).where(Visit.status == status).order_by(Visit.id.desc()).limit(1)
        )
    assert found is not None
    return found


def _refused(school: School, match: str, action: object, *args: object, **kwargs: object) -> None:
    """The action raises InvalidAction matching `match`, and nothing at all was written."""
    before = _counts(school)
    assert callable(action)
    with pytest.raises(InvalidAction, match=match) as caught:
        action(*args, **kwargs)
    assert isinstance(caught.value, HvdeskError)
    assert _counts(school) == before


def _recorded(school: School, event_id: int, kind: EventKind, by: SignedInUser) -> VisitEvent:
    """The event is stored (seen through a second, independent engine: it was committed),
    with who recorded it and when."""
    second = school.open_again()
    try:
        with second.session() as session:
            event = session.get(VisitEvent, event_id)
            assert event is not None, "the write was not durable"
            assert event.kind is kind
            assert event.recorded_by_id == by.user_id
            assert event.occurred_at == school.clock.now()
            assert event.recorded_at == school.clock.now()
            return event
    finally:
        second.close()


# --- sign out ------------------------------------------------------------------------------------


def test_sign_out_takes_one_action_and_starts_the_arrival_watch(school: School) -> None:
    by = school.user(RECEPTION)
    visit_id = school.one("not_signed_out")
    assert _entry(school, visit_id).state.phase is VisitPhase.NOT_SIGNED_OUT
    school.clock.advance(7)
    event_id = school.log.sign_out(visit_id, by)
    event = _recorded(school, event_id, EventKind.SIGNED_OUT, by)
    assert event.staff_id is not None
    assert _visit(school, visit_id).status is VisitStatus.OUT
    state = _entry(school, visit_id).state
    assert state.phase is VisitPhase.TRAVELLING
    assert state.deadline_kind is DeadlineKind.ARRIVAL_CALL
    assert state.deadline == school.clock.now() + timedelta(minutes=15)


def test_sign_out_refusals(school: School) -> None:
    by = school.user(RECEPTION)
    out = school.one("out_on_time")
    _refused(
        school, rf"Visit {out} was already signed out at \d\d:\d\d", school.log.sign_out, out, by
    )
    waiting = school.one("awaiting_authorisation")
    _refused(school, "is not authorised", school.log.sign_out, waiting, by)
    cancelled = _one_with(school, VisitStatus.CANCELLED)
    _refused(school, f"Visit {cancelled} was cancelled", school.log.sign_out, cancelled, by)
    completed = _one_with(school, VisitStatus.COMPLETED)
    _refused(school, "has already returned", school.log.sign_out, completed, by)
    with pytest.raises(RecordNotFound, match="There is no visit 999999"):
        school.log.sign_out(999_999, by)
    visit_id = school.one("not_signed_out")
    school.log.sign_out(visit_id, by)
    _refused(school, "already signed out", school.log.sign_out, visit_id, by)


def test_an_unknown_or_inactive_account_records_nothing(school: School) -> None:
    ghost = SignedInUser(
        user_id=9999, username="ghost", display_name="Ghost", role=school.user(RECEPTION).role
    )
    _refused(
        school,
        "not an active hvdesk account",
        school.log.sign_out,
        school.one("not_signed_out"),
        ghost,
    )


# --- the visit's progress ------------------------------------------------------------------------


def test_arrived_then_left_then_returned(school: School) -> None:
    by = school.user("r.davies")
    visit_id = school.one("arrival_call_missed")
    assert _entry(school, visit_id).state.phase is VisitPhase.TRAVELLING

    school.clock.advance(60)
    _recorded(school, school.log.arrived(visit_id, by), EventKind.ARRIVED, by)
    assert _entry(school, visit_id).state.phase is VisitPhase.ON_VISIT
    _refused(school, "arrival was already recorded at", school.log.arrived, visit_id, by)

    school.clock.advance(600)
    _recorded(school, school.log.left(visit_id, by), EventKind.LEFT, by)
    state = _entry(school, visit_id).state
    assert state.phase is VisitPhase.LEFT
    assert state.deadline == school.clock.now() + timedelta(minutes=30)
    _refused(school, "already left the home", school.log.left, visit_id, by)
    _refused(school, "already left the home", school.log.arrived, visit_id, by)

    school.clock.advance(900)
    _recorded(school, school.log.returned(visit_id, by), EventKind.RETURNED, by)
    visit = _visit(school, visit_id)
    assert visit.status is VisitStatus.COMPLETED
    assert visit.completed_at is None  # the after-visit record sets it
    _refused(school, "has already returned", school.log.returned, visit_id, by)
    _refused(school, "has already returned", school.log.arrived, visit_id, by)
    _refused(school, "has already returned", school.log.call_received, visit_id, by)


def test_left_is_accepted_straight_from_travelling(school: School) -> None:
    by = school.user(RECEPTION)
    visit_id = school.one("arrival_call_missed")
    school.log.left(visit_id, by)
    assert _entry(school, visit_id).state.phase is VisitPhase.LEFT


def test_arrival_refused_before_departure_and_on_a_cancelled_visit(school: School) -> None:
    by = school.user(RECEPTION)
    planned = school.state("planned")[0]
    _refused(school, "has not been signed out yet", school.log.arrived, planned, by)
    cancelled = _one_with(school, VisitStatus.CANCELLED)
    _refused(school, f"Visit {cancelled} was cancelled", school.log.arrived, cancelled, by)
    _refused(school, "was cancelled", school.log.safe_word, cancelled, by)


def test_call_received_extends_the_current_deadline_with_a_reason(school: School) -> None:
    by = school.user(RECEPTION)
    visit_id = school.one("out_on_time")
    before = _entry(school, visit_id).state
    assert before.deadline_kind is DeadlineKind.CHECK_IN and before.deadline is not None
    _refused(
        school, "Say why the time is being extended", school.log.call_received, visit_id, by, 20
    )
    _refused(
        school, "between 1 and 480 minutes", school.log.call_received, visit_id, by, 0, "traffic"
    )
    event_id = school.log.call_received(
        visit_id, by, extend_minutes=20, reason=" meeting  running over "
    )
    event = _recorded(school, event_id, EventKind.CALL_RECEIVED, by)
    assert event.new_deadline == before.deadline + timedelta(minutes=20)
    assert event.note == "meeting running over"
    assert _entry(school, visit_id).state.deadline == before.deadline + timedelta(minutes=20)
    # A plain call moves nothing.
    plain = school.log.call_received(visit_id, by)
    assert _recorded(school, plain, EventKind.CALL_RECEIVED, by).new_deadline is None


def test_an_extension_when_already_overdue_runs_from_now(school: School) -> None:
    by = school.user(RECEPTION)
    visit_id = school.one("overdue_stage1")
    state = _entry(school, visit_id).state
    assert state.stage is EscalationStage.CALL_STAFF
    event_id = school.log.call_received(visit_id, by, extend_minutes=10, reason="ran over")
    assert _recorded(school, event_id, EventKind.CALL_RECEIVED, by).new_deadline == (
        school.clock.now() + timedelta(minutes=10)
    )
    after = _entry(school, visit_id).state
    assert after.stage is EscalationStage.NONE or after.stage is EscalationStage.DUE_SOON
    assert after.awaiting_resolution  # contact restored: the escalation still needs resolving


def test_safe_word_is_an_emergency_with_an_incident_at_once(school: School) -> None:
    by = school.user(RECEPTION)
    visit_id = school.one("out_on_time")
    event_id = school.log.safe_word(visit_id, by, note="Said 'lighthouse' twice")
    event = _recorded(school, event_id, EventKind.SAFE_WORD, by)
    assert event.stage == 4
    entry = _entry(school, visit_id)
    assert entry.state.stage is EscalationStage.EMERGENCY
    assert entry.state.outstanding == (
        EscalationAction.INFORMED_POLICE,
        EscalationAction.INFORMED_SUPERVISOR,
    )
    with school.database.session() as session:
        incidents = list(session.scalars(sa.select(Incident).where(Incident.visit_id == visit_id)))
    assert [(i.kind, i.status, i.raised_by_id) for i in incidents] == [
        (IncidentKind.SAFE_WORD, IncidentStatus.OPEN, by.user_id)
    ]
    assert incidents[0].occurred_at == school.clock.now()
    assert incidents[0].review_due_on == date(2026, 12, 3)
    # A second safe-word call in the same emergency opens no second incident.
    school.log.safe_word(visit_id, by)
    with school.database.session() as session:
        count = session.scalar(
            sa.select(sa.func.count()).select_from(Incident).where(Incident.visit_id == visit_id)
        )
    assert count == 1
    planned = school.state("planned")[0]
    _refused(school, "has not been signed out yet", school.log.safe_word, planned, by)


# --- cancelling ----------------------------------------------------------------------------------


def test_a_safety_cancellation_flags_the_headteacher_until_told(school: School) -> None:
    by = school.user(RECEPTION)
    visit_id = school.one("out_on_time")
    event_id = school.log.cancel(
        visit_id, CancellationCause.ANIMAL_NOT_SECURED, by, note="Dog loose"
    )
    _recorded(school, event_id, EventKind.CANCELLED, by)
    visit = _visit(school, visit_id)
    assert visit.status is VisitStatus.CANCELLED
    assert visit.cancellation_cause is CancellationCause.ANIMAL_NOT_SECURED

    entry = _entry(school, visit_id)
    assert entry.headteacher_to_be_told and entry.awaiting_return
    assert entry.needs_attention
    assert "Tell the headteacher" in entry.what_to_do

    school.clock.advance(120)
    school.log.escalation_action(
        visit_id,
        EscalationAction.INFORMED_HEADTEACHER,
        ActionOutcome.INFORMED,
        by,
        contact_name="Helen Okafor",
    )
    entry = _entry(school, visit_id)
    assert not entry.headteacher_to_be_told
    assert entry.awaiting_return  # the staff are still on their way back
    school.clock.advance(600)
    _recorded(school, school.log.returned(visit_id, by), EventKind.RETURNED, by)
    assert _visit(school, visit_id).status is VisitStatus.CANCELLED
    assert school.board.read(include_private=False).entry(visit_id) is None


def test_cancel_refusals(school: School) -> None:
    by = school.user(RECEPTION)
    visit_id = school.one("not_signed_out")
    _refused(
        school,
        'when the cause is "Other"',
        school.log.cancel,
        visit_id,
        CancellationCause.OTHER,
        by,
    )
    school.log.cancel(visit_id, CancellationCause.PARENT_CANCELLED, by)
    assert school.board.read(include_private=False).entry(visit_id) is None  # not a safety cause
    _refused(
        school, "was cancelled", school.log.cancel, visit_id, CancellationCause.PARENT_CANCELLED, by
    )
    completed = _one_with(school, VisitStatus.COMPLETED)
    _refused(
        school,
        "has already returned",
        school.log.cancel,
        completed,
        CancellationCause.OTHER,
        by,
        "x",
    )


# --- the ladder ----------------------------------------------------------------------------------


def test_escalation_action_validation(school: School) -> None:
    by = school.user(RECEPTION)
    visit_id = school.one("overdue_stage4")
    log = school.log
    _refused(
        school,
        "Enter the police reference",
        log.escalation_action,
        visit_id,
        EscalationAction.INFORMED_POLICE,
        ActionOutcome.INFORMED,
        by,
    )
    _refused(
        school,
        "Enter the police reference",
        log.escalation_action,
        visit_id,
        EscalationAction.INFORMED_POLICE,
        ActionOutcome.INFORMED,
        by,
        reference="   ",
    )
    _refused(
        school,
        "name of the supervisor",
        log.escalation_action,
        visit_id,
        EscalationAction.INFORMED_SUPERVISOR,
        ActionOutcome.INFORMED,
        by,
    )
    _refused(
        school,
        "is not an outcome of",
        log.escalation_action,
        visit_id,
        EscalationAction.INFORMED_POLICE,
        ActionOutcome.NO_ANSWER,
        by,
        reference="CAD 1",
    )
    _refused(
        school,
        "only be extended when the staff member was reached and is safe",
        log.escalation_action,
        visit_id,
        EscalationAction.CALLED_STAFF,
        ActionOutcome.NO_ANSWER,
        by,
        extend_minutes=20,
    )
    planned = school.state("planned")[0]
    _refused(
        school,
        "has not been signed out yet",
        log.escalation_action,
        planned,
        EscalationAction.CALLED_STAFF,
        ActionOutcome.NO_ANSWER,
        by,
    )
    event_id = log.escalation_action(
        visit_id,
        EscalationAction.INFORMED_POLICE,
        ActionOutcome.INFORMED,
        by,
        reference="CAD 1234 23/11",
        note="Gave the address and the vehicle",
    )
    event = _recorded(school, event_id, EventKind.ESCALATION_ACTION, by)
    assert (event.action, event.outcome, event.reference, event.stage) == (
        EscalationAction.INFORMED_POLICE,
        ActionOutcome.INFORMED,
        "CAD 1234 23/11",
        4,
    )
    assert _entry(school, visit_id).state.outstanding == ()


def test_called_no_answer_moves_stage_1_to_stage_2(school: School) -> None:
    by = school.user(RECEPTION)
    visit_id = school.one("overdue_stage1")
    assert _entry(school, visit_id).state.stage is EscalationStage.CALL_STAFF
    event_id = school.log.escalation_action(
        visit_id, EscalationAction.CALLED_STAFF, ActionOutcome.NO_ANSWER, by
    )
    assert _recorded(school, event_id, EventKind.ESCALATION_ACTION, by).stage == 1
    assert _entry(school, visit_id).state.stage is EscalationStage.INFORM_SUPERVISOR


def test_called_safe_extended_stops_the_ladder_from_now(school: School) -> None:
    by = school.user(RECEPTION)
    visit_id = school.one("overdue_stage2")
    event_id = school.log.escalation_action(
        visit_id, EscalationAction.CALLED_STAFF, ActionOutcome.SAFE, by, extend_minutes=20
    )
    event = _recorded(school, event_id, EventKind.ESCALATION_ACTION, by)
    assert event.new_deadline == school.clock.now() + timedelta(minutes=20)
    state = _entry(school, visit_id).state
    assert not state.stage.is_escalated
    assert state.deadline == school.clock.now() + timedelta(minutes=20)
    assert state.awaiting_resolution


def test_claim_shows_who_is_dealing_with_the_alert(school: School) -> None:
    by = school.user("r.davies")
    visit_id = school.one("overdue_stage3")
    school.clock.advance(5)
    event_id = school.log.claim(visit_id, by)
    event = _recorded(school, event_id, EventKind.ALERT_CLAIMED, by)
    assert event.staff_id is None
    entry = _entry(school, visit_id, private=False)
    assert entry.claimed_by == "Rhiannon Davies"
    assert entry.claimed_at == school.clock.now()
    not_signed_out = school.one("not_signed_out")
    school.log.claim(not_signed_out, by)
    assert _entry(school, not_signed_out).claimed_by == "Rhiannon Davies"
    on_time = school.one("out_on_time")
    _refused(school, "has no alert to claim", school.log.claim, on_time, by)


def test_resolve_creates_an_incident_for_review(school: School) -> None:
    by = school.user("s.whitfield")
    visit_id = school.one("overdue_stage4")
    began = _entry(school, visit_id).state.escalation_began_at
    _refused(
        school, "Write how the escalation was resolved", school.log.resolve, visit_id, "  ", by
    )
    on_time = school.one("out_on_time")
    _refused(school, "no escalation awaiting resolution", school.log.resolve, on_time, "ok", by)

    school.clock.advance(60)
    incident_id = school.log.resolve(visit_id, "Found by police, safe and well at 11:31", by)
    with school.database.session() as session:
        incident = session.get(Incident, incident_id)
        assert incident is not None
        assert incident.kind is IncidentKind.ESCALATION
        assert incident.status is IncidentStatus.OPEN
        assert incident.highest_stage == 4
        assert incident.resolution == "Found by police, safe and well at 11:31"
        assert incident.resolved_at == school.clock.now()
        assert incident.resolved_by_id == incident.raised_by_id == by.user_id
        assert incident.occurred_at == began
        assert not incident.is_drill
        # Its review is due the school's number of days after today (default 10).
        assert incident.review_due_on == date(2026, 12, 3)
    events = _events(school, visit_id)
    assert events[-1].kind is EventKind.RESOLVED
    assert events[-1].recorded_by_id == by.user_id
    state = _entry(school, visit_id).state
    assert not state.awaiting_resolution and not state.stage.is_escalated
    _refused(school, "no escalation awaiting resolution", school.log.resolve, visit_id, "again", by)


def test_resolving_a_safe_word_completes_its_incident(school: School) -> None:
    by = school.user(RECEPTION)
    visit_id = school.one("due_soon")
    school.log.safe_word(visit_id, by)
    school.clock.advance(1200)
    incident_id = school.log.resolve(visit_id, "Police attended; staff safe", by)
    with school.database.session() as session:
        incidents = list(session.scalars(sa.select(Incident).where(Incident.visit_id == visit_id)))
    assert [i.id for i in incidents] == [incident_id]
    assert incidents[0].kind is IncidentKind.SAFE_WORD
    assert incidents[0].highest_stage == 4
    assert incidents[0].resolution == "Police attended; staff safe"


# --- new visits from the board -------------------------------------------------------------------


def _free_staff(school: School, count: int) -> list[int]:
    """Active staff on no live visit (out, or due out today)."""
    busy = {
        v.staff_id for e in school.board.read(include_private=False).entries for v in e.visitors
    }
    with school.database.session() as session:
        ids = list(session.scalars(sa.select(Staff.id).where(Staff.active).order_by(Staff.id)))
    free = [i for i in ids if i not in busy]
    return free[:count]


def test_urgent_departure_in_one_call(school: School) -> None:
    by = school.user(RECEPTION)
    staff = _free_staff(school, 2)
    with school.database.session() as session:
        household_id = session.scalar(sa.select(Household.id).limit(1))
        pupil_id = session.scalar(sa.select(Pupil.id).where(Pupil.household_id == household_id))
    assert household_id is not None
    back = school.clock.now() + timedelta(minutes=90)
    visit_id = school.log.urgent_departure(
        household_id, staff, "Disclosure at school: check on siblings", back, by, pupil_id=pupil_id
    )
    visit = _visit(school, visit_id)
    assert visit.status is VisitStatus.OUT and visit.urgent_unplanned and not visit.is_drill
    assert visit.reason is VisitReason.EMERGENCY_SAFEGUARDING
    assert visit.planned_start == school.clock.now() and visit.planned_end == back
    assert visit.created_by_id == by.user_id
    (signed_out,) = _events(school, visit_id)
    assert signed_out.kind is EventKind.SIGNED_OUT
    assert signed_out.recorded_by_id == by.user_id and signed_out.occurred_at == school.clock.now()
    entry = _entry(school, visit_id)
    assert entry.urgent_unplanned and entry.needs_retrospective_authorisation
    assert [v.staff_id for v in entry.visitors] == staff
    assert entry.state.phase is VisitPhase.TRAVELLING

    _refused(
        school,
        "is already out on visit",
        school.log.urgent_departure,
        household_id,
        staff[:1],
        "again",
        back,
        by,
    )


def test_urgent_departure_refusals(school: School) -> None:
    by = school.user(RECEPTION)
    staff = _free_staff(school, 1)
    now = school.clock.now()
    log = school.log
    _refused(
        school,
        "Say briefly why",
        log.urgent_departure,
        1,
        staff,
        "  ",
        now + timedelta(hours=1),
        by,
    )
    _refused(
        school,
        "must be after now and within 12 hours",
        log.urgent_departure,
        1,
        staff,
        "x",
        now - timedelta(minutes=1),
        by,
    )
    _refused(
        school,
        "must be after now and within 12 hours",
        log.urgent_departure,
        1,
        staff,
        "x",
        now + timedelta(hours=13),
        by,
    )
    _refused(
        school,
        "at least one member of staff",
        log.urgent_departure,
        1,
        [],
        "x",
        now + timedelta(hours=1),
        by,
    )
    _refused(
        school,
        "no household 99999",
        log.urgent_departure,
        99_999,
        staff,
        "x",
        now + timedelta(hours=1),
        by,
    )
    _refused(
        school,
        "no current member of staff 99999",
        log.urgent_departure,
        1,
        [99_999],
        "x",
        now + timedelta(hours=1),
        by,
    )
    with pytest.raises(ValueError, match="aware"):
        log.urgent_departure(1, staff, "x", datetime(2026, 11, 23, 12, 0), by)


def test_a_drill_walks_the_whole_ladder_in_minutes(school: School) -> None:
    by = school.user(RECEPTION)
    staff = _free_staff(school, 1)
    visit_id = school.log.start_drill(staff, by)
    visit = _visit(school, visit_id)
    assert visit.is_drill and visit.status is VisitStatus.OUT and not visit.urgent_unplanned
    entry = _entry(school, visit_id)
    assert entry.is_drill and entry.what_to_do.startswith(DRILL_PREFIX)
    assert entry.area == "Drill"
    stages = []
    for _ in range(5 * 60 // 15):
        school.clock.advance(15)
        stages.append(_entry(school, visit_id, private=False).state.stage)
    assert stages[3] is EscalationStage.CALL_STAFF  # 1 minute: the arrival call is missed
    assert EscalationStage.CALL_EMERGENCY_CONTACT in stages
    assert stages[15] is EscalationStage.INFORM_POLICE  # 4 minutes
    incident_id = school.log.resolve(visit_id, "Drill complete", by)
    with school.database.session() as session:
        incident = session.get(Incident, incident_id)
        assert incident is not None and incident.is_drill
    # A second drill reuses the one placeholder home.
    again = school.log.start_drill(_free_staff(school, 1), by)
    assert _visit(school, again).household_id == visit.household_id


# --- logging -------------------------------------------------------------------------------------


def test_log_lines_name_no_one(school: School, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="hvdesk")
    by = school.user(RECEPTION)
    log = school.log
    log.sign_out(school.one("not_signed_out"), by)
    visit_id = school.one("overdue_stage2")
    log.escalation_action(
        visit_id,
        EscalationAction.INFORMED_SUPERVISOR,
        ActionOutcome.INFORMED,
        by,
        contact_name="Helen Okafor",
    )
    log.safe_word(visit_id, by)
    log.resolve(visit_id, "Staff safe, spoke to them", by)
    log.cancel(school.one("out_on_time"), CancellationCause.FELT_UNSAFE, by, note="Shouting inside")
    assert caplog.records
    with school.database.session() as session:
        names = [s.full_name for s in session.scalars(sa.select(Staff))]
        names += [p.full_name for p in session.scalars(sa.select(Pupil))]
        names += [h.address_line1 for h in session.scalars(sa.select(Household))]
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert [n for n in names if n in text] == []
    assert "Helen Okafor" not in text and "Shouting" not in text


def test_times_are_stored_as_utc(school: School) -> None:
    by = school.user(RECEPTION)
    event_id = school.log.sign_out(school.one("not_signed_out"), by)
    event = _recorded(school, event_id, EventKind.SIGNED_OUT, by)
    assert event.occurred_at.tzinfo is UTC


def test_drill_steps_say_drill_in_the_log(school: School, caplog: pytest.LogCaptureFixture) -> None:
    """DRILL is marked everywhere, the log included, so nobody mistakes a practice for real."""
    by = school.user(RECEPTION)
    with caplog.at_level(logging.INFO, logger="hvdesk.services.visit_log"):
        visit_id = school.log.start_drill(_free_staff(school, 1), by)
        school.log.arrived(visit_id, by)
        school.log.left(visit_id, by)
    lines = [r.getMessage() for r in caplog.records if r.name == "hvdesk.services.visit_log"]
    assert len(lines) == 3
    assert all(line.startswith(f"DRILL visit {visit_id} ") for line in lines), lines


def test_two_claims_of_one_alert_one_wins_the_other_is_told_who(school: School) -> None:
    """Issue 16's version check: both boards showed the alert unclaimed; the second claim is
    refused, naming the first; a claim made knowing who has it is a deliberate take-over."""
    from hvdesk.errors import DecisionAlreadyMade

    visit_id = school.one("overdue_stage3")
    school.clock.advance(5)
    karen, sarah = school.user("k.lewis"), school.user("s.whitfield")
    school.log.claim(visit_id, karen, seen_claimant=None)
    before = _counts(school)
    with pytest.raises(DecisionAlreadyMade, match="Karen Lewis is already dealing"):
        school.log.claim(visit_id, sarah, seen_claimant=None)
    assert _counts(school) == before
    school.log.claim(visit_id, sarah, seen_claimant="Karen Lewis")
    assert _entry(school, visit_id).claimed_by == "Sarah Whitfield"
