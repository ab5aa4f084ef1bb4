# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""The board's read-models on the real encrypted demo school: every promised state at the right
stage, privacy, restart mid-escalation, end of day, shift handover and the police sheet."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from hvdesk.clock import SCHOOL_ZONE
from hvdesk.db.models import (
    BoardShift,
    Household,
    KnownRisk,
    Pupil,
    Setting,
    Staff,
    UserAccount,
    Visit,
    VisitEvent,
)
from hvdesk.domain.escalation import (
    DeadlineKind,
    EscalationStage,
    VisitPhase,
    evaluate,
)
from hvdesk.domain.households import RiskKind
from hvdesk.domain.visits import (
    ActionOutcome,
    EscalationAction,
    EventKind,
    VisitStatus,
)
from hvdesk.services.board import BoardService
from hvdesk.services.board_json import countdown_text, seconds_to_deadline
from hvdesk.services.directory import school_policy
from hvdesk.services.timeline import timeline, visit_plan
from hvdesk.services.visit_log import InvalidAction, RecordNotFound
from tests.board_school import School, demo_template, school  # noqa: F401
from tests.test_demo_seed import EXPECTED_STAGE

RECEPTION = "k.lewis"


def _today_local(school: School) -> datetime:
    return school.clock.now().astimezone(SCHOOL_ZONE)


def test_the_demo_board_shows_every_promised_state_at_its_stage(school: School) -> None:
    snapshot = school.board.read(include_private=False)
    assert snapshot.read_at == school.clock.now()
    on_board = {e.visit_id: e for e in snapshot.entries}
    for name, stages in EXPECTED_STAGE.items():
        for visit_id in school.state(name):
            assert on_board[visit_id].state.stage in stages, (name, visit_id)
            assert on_board[visit_id].status is VisitStatus.OUT
    (not_signed_out,) = school.state("not_signed_out")
    assert on_board[not_signed_out].state.phase is VisitPhase.NOT_SIGNED_OUT
    assert "has not signed out" in on_board[not_signed_out].what_to_do
    for visit_id in school.state("arrival_call_missed"):
        assert on_board[visit_id].state.deadline_kind is DeadlineKind.ARRIVAL_CALL
    for visit_id in school.state("overdue_stage4"):
        assert on_board[visit_id].state.outstanding == (EscalationAction.INFORMED_POLICE,)
    for visit_id in school.state("pair_out"):
        assert len(on_board[visit_id].visitors) == 2
    for visit_id in school.state("awaiting_authorisation"):
        assert visit_id not in on_board
    today = _today_local(school).date()
    with school.database.session() as session:
        for visit_id in school.state("planned"):
            visit = session.get(Visit, visit_id)
            assert visit is not None
            planned_today = visit.planned_start.astimezone(SCHOOL_ZONE).date() == today
            assert (visit_id in on_board) is planned_today
            if planned_today:
                assert on_board[visit_id].state.phase is VisitPhase.AWAITING_DEPARTURE
        out = session.scalar(
            sa.select(sa.func.count()).select_from(Visit).where(Visit.status == VisitStatus.OUT)
        )
    assert sum(e.status is VisitStatus.OUT for e in snapshot.entries) == out
    # Most urgent first: the police stage heads the board, the quiet rows come last.
    assert snapshot.entries[0].visit_id in school.state("overdue_stage4")
    escalated = [e.state.stage.number for e in snapshot.entries if e.state.stage.is_escalated]
    assert escalated == sorted(escalated, reverse=True)
    first_quiet = next(i for i, e in enumerate(snapshot.entries) if not e.needs_attention)
    assert all(not e.state.stage.is_escalated for e in snapshot.entries[first_quiet:])
    assert snapshot.entries[-1].state.stage is EscalationStage.NONE
    assert snapshot.monitoring is None and snapshot.end_of_day == ()


def test_the_board_reads_exactly_what_the_engine_says(school: School) -> None:
    """The board's plain-column timeline mapping agrees with `services.timeline` (the ORM one)."""
    snapshot = school.board.read(include_private=True)
    with school.database.session() as session:
        policy = school_policy(session)
        visits = {
            v.id: v
            for v in session.scalars(
                sa.select(Visit)
                .where(Visit.id.in_([e.visit_id for e in snapshot.entries]))
                .options(selectinload(Visit.events).joinedload(VisitEvent.recorded_by))
            )
        }
        for entry in snapshot.entries:
            visit = visits[entry.visit_id]
            expected = evaluate(visit_plan(visit), timeline(visit), policy, school.clock.now())
            assert entry.state == expected


def test_privacy_mode_shows_names_countdowns_and_stages_only(school: School) -> None:
    public = school.board.read(include_private=False)
    private = school.board.read(include_private=True)
    with school.database.session() as session:
        addresses = [h.address_line1 for h in session.scalars(sa.select(Household))]
        pupils = [p.full_name for p in session.scalars(sa.select(Pupil))]
        staff = list(session.scalars(sa.select(Staff)))
    secrets = addresses + pupils
    secrets += [s.emergency_contact_phone for s in staff if s.emergency_contact_phone]
    secrets += [s.vehicle_registration for s in staff if s.vehicle_registration]
    secrets += [s.description for s in staff if s.description]
    text = repr(public)
    assert [s for s in secrets if s in text] == []
    for entry in public.entries:
        assert entry.private is None
        for visitor in entry.visitors:
            assert visitor.name and visitor.emergency_contact_phone is None
            assert visitor.vehicle is None and visitor.description is None

    entry = private.entry(school.one("overdue_stage4"))
    assert entry is not None and entry.private is not None
    with school.database.session() as session:
        visit = session.get(Visit, entry.visit_id)
        assert visit is not None
        assert entry.private.address == visit.household.address
        assert entry.private.pupil_name == (visit.pupil.full_name if visit.pupil else None)
        assert entry.private.safe_word == visit.safe_word
        assert entry.private.purpose == visit.purpose
        lead = visit.visitors[0].staff
        assert entry.visitors[0].emergency_contact_phone == lead.emergency_contact_phone
        assert entry.visitors[0].supervisor_name == (
            lead.supervisor.full_name if lead.supervisor else None
        )


def test_a_restart_mid_escalation_comes_back_at_the_same_stage(school: School) -> None:
    visit_id = school.one("overdue_stage2")
    before = school.board.read(include_private=False).entry(visit_id)
    assert before is not None and before.state.stage is EscalationStage.INFORM_SUPERVISOR
    school.reopen()  # close the database, open it again, new services: nothing kept in memory
    after = school.board.read(include_private=False).entry(visit_id)
    assert after is not None
    assert after.state == before.state
    assert after.what_to_do == before.what_to_do
    # Time went on while the app was closed: it comes back at the stage reached meanwhile.
    deadline = before.state.deadline
    assert deadline is not None
    school.clock.set(deadline + timedelta(minutes=15))
    school.reopen()
    later = school.board.read(include_private=False).entry(visit_id)
    assert later is not None and later.state.stage is EscalationStage.CALL_EMERGENCY_CONTACT
    assert later.state.outstanding == (
        EscalationAction.INFORMED_SUPERVISOR,
        EscalationAction.CALLED_EMERGENCY_CONTACT,
    )


def test_a_finished_escalation_stays_on_the_board_until_resolved(school: School) -> None:
    by = school.user(RECEPTION)
    visit_id = school.one("overdue_stage1")
    school.log.returned(visit_id, by)
    for _ in range(3):  # the same service, read again: finished visits are remembered
        entry = school.board.read(include_private=False).entry(visit_id)
        assert entry is not None
        assert entry.state.phase is VisitPhase.RETURNED and entry.state.awaiting_resolution
        assert entry.status is VisitStatus.COMPLETED
        assert "Record how the escalation was resolved" in entry.what_to_do
    school.clock.advance(60)
    school.log.resolve(visit_id, "Staff safe: phone battery died", by)
    assert school.board.read(include_private=False).entry(visit_id) is None
    # A week later nothing is looked for any more.
    school.clock.advance(timedelta(days=8))
    assert school.board.read(include_private=False).entry(visit_id) is None


def test_reading_at_another_instant(school: School) -> None:
    visit_id = school.one("due_soon")
    now = school.board.read(include_private=False, at=school.clock.now()).entry(visit_id)
    assert now is not None and now.state.stage is EscalationStage.DUE_SOON
    later_at = school.clock.now() + timedelta(minutes=25)
    later = school.board.read(include_private=False, at=later_at).entry(visit_id)
    assert later is not None and later.state.stage is EscalationStage.CALL_EMERGENCY_CONTACT
    seconds = seconds_to_deadline(later.state)
    assert seconds is not None and seconds < 0
    assert countdown_text(seconds).startswith("-")
    assert countdown_text(-65) == "-1:05" and countdown_text(3725) == "1:02:05"
    with pytest.raises(ValueError, match="aware"):
        school.board.read(include_private=False, at=datetime(2026, 11, 23, 12, 0))


def test_end_of_day_lists_everyone_still_out(school: School) -> None:
    day = _today_local(school).date()
    check = datetime.combine(day, time(17, 30), SCHOOL_ZONE)
    before = school.board.read(include_private=False, at=check - timedelta(seconds=1))
    assert before.end_of_day == ()
    at_check = school.board.read(include_private=False, at=check)
    expected = {
        e.visit_id
        for e in at_check.entries
        if e.state.phase.is_out or e.state.phase is VisitPhase.NOT_SIGNED_OUT
    }
    assert set(at_check.end_of_day) == expected
    assert set(school.state("out_on_time")) <= expected
    assert school.one("not_signed_out") in expected


def test_settings_overrides_reach_the_board(school: School) -> None:
    with school.database.session() as session:
        session.add(Setting(key="police_after_minutes", value=20, updated_at=school.clock.now()))
    assert school.board.policy().police_after_minutes == 20
    visit_id = school.one("overdue_stage3")
    entry = school.board.read(include_private=False).entry(visit_id)
    assert entry is not None and entry.state.deadline is not None
    overdue = school.clock.now() - entry.state.deadline
    expected = (
        EscalationStage.INFORM_POLICE
        if overdue >= timedelta(minutes=20)
        else EscalationStage.CALL_EMERGENCY_CONTACT
    )
    assert entry.state.stage is expected


# --- monitoring ----------------------------------------------------------------------------------


def test_shift_handover_is_one_logged_action(school: School) -> None:
    karen, rhiannon = school.user("k.lewis"), school.user("r.davies")
    monitoring = school.monitoring
    assert monitoring.current() is None
    first = monitoring.start(karen)
    assert monitoring.start(karen) == first  # already monitoring: nothing new
    current = monitoring.current()
    assert current is not None
    assert (current.display_name, current.since) == ("Karen Lewis", school.clock.now())
    snapshot = school.board.read(include_private=False)
    assert snapshot.monitoring == current

    school.clock.advance(timedelta(hours=2))
    second = monitoring.hand_over(karen, rhiannon.user_id)
    current = monitoring.current()
    assert current is not None and current.shift_id == second
    assert (current.user_id, current.since) == (rhiannon.user_id, school.clock.now())
    with school.database.session() as session:
        shifts = list(session.scalars(sa.select(BoardShift).order_by(BoardShift.id)))
    assert [(s.user_id, s.ended_at, s.handed_to_id) for s in shifts] == [
        (karen.user_id, school.clock.now(), rhiannon.user_id),
        (rhiannon.user_id, None, None),
    ]

    with pytest.raises(InvalidAction, match=r"not monitoring the board \(Rhiannon Davies is\)"):
        monitoring.hand_over(karen, rhiannon.user_id)
    with pytest.raises(InvalidAction, match="to yourself"):
        monitoring.hand_over(rhiannon, rhiannon.user_id)
    with pytest.raises(InvalidAction, match="not an active hvdesk account"):
        monitoring.hand_over(rhiannon, 99_999)
    with school.database.session() as session:
        session.execute(
            sa.update(UserAccount).where(UserAccount.username == "p.stanton").values(active=False)
        )
    stanton = school.user("p.stanton")
    with pytest.raises(InvalidAction, match="not an active hvdesk account"):
        monitoring.hand_over(rhiannon, stanton.user_id)

    school.clock.advance(60)
    taken = monitoring.start(karen)  # taking over the desk without a handover
    current = monitoring.current()
    assert current is not None and current.shift_id == taken and current.user_id == karen.user_id
    with pytest.raises(InvalidAction, match="not monitoring"):
        monitoring.end(rhiannon)
    monitoring.end(karen)
    assert monitoring.current() is None


# --- the police sheet ----------------------------------------------------------------------------


def test_the_police_sheet_has_what_the_police_need(school: School) -> None:
    visit_id = school.one("overdue_stage4")
    with school.database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        household_id = visit.household_id
        session.add_all(
            [
                KnownRisk(
                    household_id=household_id,
                    kind=RiskKind.SAFEGUARDING_HISTORY,
                    description="Historic referral (DSL only)",
                    recorded_at=school.clock.now() - timedelta(days=30),
                ),
                KnownRisk(
                    household_id=household_id,
                    kind=RiskKind.AGGRESSION,
                    description="Older brother shouted at staff last term",
                    recorded_at=school.clock.now() - timedelta(days=30),
                ),
            ]
        )
    sheet = school.board.police_sheet(visit_id)
    assert sheet.visit_id == visit_id and not sheet.is_drill
    assert sheet.stage is EscalationStage.INFORM_POLICE
    assert sheet.marking == "OFFICIAL-SENSITIVE"
    with school.database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        assert sheet.address == visit.household.address
        assert sheet.location_notes == visit.household.location_notes
        assert sheet.pupil_name == (visit.pupil.full_name if visit.pupil else None)
        assert sheet.planned_end == sheet.scheduled_end == visit.planned_end
        assert sheet.safe_word == visit.safe_word
        lead = visit.visitors[0].staff
        assert sheet.visitors[0].name == lead.full_name
        assert sheet.visitors[0].description == lead.description
        assert sheet.visitors[0].work_mobile == lead.work_mobile
        if lead.vehicle_registration:
            assert sheet.visitors[0].vehicle == (
                f"{lead.vehicle_colour} {lead.vehicle_make} {lead.vehicle_model}, "
                f"{lead.vehicle_registration}"
            )
        recorded = len(visit.events)
    assert any("Older brother shouted" in r for r in sheet.known_risks)
    assert not any("Historic referral" in r for r in sheet.known_risks)
    assert len(sheet.timeline) == recorded
    for line in sheet.timeline:
        assert line.at.tzinfo == SCHOOL_ZONE
        assert line.recorded_by
    assert [line.what for line in sheet.timeline][-1] == "Called the emergency contact"
    with pytest.raises(RecordNotFound):
        school.board.police_sheet(999_999)


def test_the_scheduled_end_moves_with_a_change_phoned_in(school: School) -> None:
    visit_id = school.one("out_on_time")
    by = school.user(RECEPTION)
    school.log.call_received(visit_id, by, extend_minutes=15, reason="Meeting running over")
    sheet = school.board.police_sheet(visit_id)
    assert sheet.scheduled_end == sheet.planned_end + timedelta(minutes=15)
    last = sheet.timeline[-1]
    assert (last.kind, last.recorded_by, last.note) == (
        EventKind.CALL_RECEIVED,
        "Karen Lewis",
        "Meeting running over",
    )
    assert last.outcome is not None and last.outcome.startswith("next call due by ")
    assert last.at == school.clock.now().astimezone(SCHOOL_ZONE)


def test_a_drill_is_marked_everywhere(school: School) -> None:
    by = school.user(RECEPTION)
    busy = {
        v.staff_id for e in school.board.read(include_private=False).entries for v in e.visitors
    }
    with school.database.session() as session:
        free = next(
            s for s in session.scalars(sa.select(Staff.id).where(Staff.active)) if s not in busy
        )
    visit_id = school.log.start_drill([free], by)
    school.clock.advance(timedelta(minutes=4))
    entry = school.board.read(include_private=True).entry(visit_id)
    assert entry is not None and entry.is_drill
    assert entry.state.is_drill and entry.state.stage is EscalationStage.INFORM_POLICE
    assert entry.what_to_do.startswith("DRILL")
    sheet = school.board.police_sheet(visit_id)
    assert sheet.is_drill and sheet.state.stage is EscalationStage.INFORM_POLICE
    school.log.escalation_action(
        visit_id, EscalationAction.CALLED_STAFF, ActionOutcome.SAFE, by, extend_minutes=5
    )
    assert school.board.read(include_private=False).entry(visit_id) is not None


def test_times_on_the_board_are_utc(school: School) -> None:
    snapshot = school.board.read(include_private=False)
    for entry in snapshot.entries:
        for instant in (entry.departed_at, entry.state.deadline, entry.planned_end):
            assert instant is None or instant.tzinfo is UTC


def test_a_new_service_reads_the_same_board(school: School) -> None:
    first = school.board.read(include_private=True)
    again = BoardService(school.database, school.clock).read(include_private=True)
    assert first == again


def test_a_pair_is_named_with_the_plural_verb_only_where_they_are_the_subject() -> None:
    from hvdesk.services.board import name_the_staff
    from hvdesk.services.drill import DRILL_PREFIX

    pair = ["Dawn Reid", "Eve Okafor"]
    assert (
        name_the_staff(
            "The check-in call from {staff} is overdue. Call {staff}'s work mobile.",
            pair,
            is_drill=False,
        )
        == "The check-in call from Dawn Reid and Eve Okafor is overdue. "
        "Call Dawn Reid and Eve Okafor's work mobile."
    )
    assert (
        name_the_staff("{staff} has not signed out. Confirm {staff} is back.", pair, is_drill=True)
        == DRILL_PREFIX
        + "Dawn Reid and Eve Okafor have not signed out. "
        "Confirm Dawn Reid and Eve Okafor are back."
    )
    assert name_the_staff("{staff} is within the agreed time.", ["Dawn Reid"], is_drill=False) == (
        "Dawn Reid is within the agreed time."
    )
