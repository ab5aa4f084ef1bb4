"""End to end through the services: a visit goes overdue and is walked up the whole ladder on a
fake clock (a restart on the way), the police sheet is read, and the escalation is resolved into
an incident; every step of the timeline says who recorded it and when."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from hvdesk.clock import SCHOOL_ZONE, FakeClock
from hvdesk.db.database import Database
from hvdesk.db.models import Incident, UserAccount, Visit, VisitEvent, VisitStaff
from hvdesk.domain.escalation import EscalationStage, VisitPhase
from hvdesk.domain.incidents import IncidentKind, IncidentStatus
from hvdesk.domain.visits import ActionOutcome, EscalationAction, EventKind, VisitStatus
from hvdesk.services.board import BoardEntry, BoardService
from hvdesk.services.demo import create_demo_database
from hvdesk.services.opening import DatabaseOpener
from hvdesk.services.stand_down import StandDown
from hvdesk.services.visit_log import InvalidAction, VisitLog
from tests.board_school import signed_in

SECOND = timedelta(seconds=1)


def test_an_overdue_visit_walked_through_every_stage_to_resolution(
    data_dir: Path, opener: DatabaseOpener, clock: FakeClock
) -> None:
    opened, summary = create_demo_database(data_dir, opener, clock)
    database: Database = opened.database
    board, log = BoardService(database, clock), VisitLog(database, clock)
    karen, rhiannon = signed_in(database, "k.lewis"), signed_in(database, "r.davies")
    dsl = signed_in(database, "s.whitfield")
    steps: list[tuple[EventKind, EscalationAction | None, int, datetime]] = []

    def entry() -> BoardEntry:
        found = board.read(include_private=False).entry(visit_id)
        assert found is not None
        return found

    def stage_at(instant: datetime) -> EscalationStage:
        found = board.read(include_private=False, at=instant).entry(visit_id)
        assert found is not None
        return found.state.stage

    def go_to(instant: datetime) -> None:
        """Step the clock forward a minute at a time, reading the board as it would."""
        while clock.now() + timedelta(minutes=1) < instant:
            clock.advance(timedelta(minutes=1))
            board.read(include_private=False)
        clock.advance(instant - clock.now())

    def done(kind: EventKind, by_id: int, action: EscalationAction | None = None) -> None:
        steps.append((kind, action, by_id, clock.now()))

    # An authorised visit due out later today.
    visit_id = summary.states["planned"][0]
    with database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None and visit.status is VisitStatus.AUTHORISED
        start, end = visit.planned_start, visit.planned_end
    assert start.astimezone(SCHOOL_ZONE).date() == clock.now().astimezone(SCHOOL_ZONE).date()

    go_to(start - timedelta(minutes=5))
    # Its staff are back from their morning visits first: someone still out on one visit is
    # missing, not free, and signing them out on another is refused.
    with pytest.raises(InvalidAction, match="still out on visit"):
        log.sign_out(visit_id, karen)
    for other in _other_visits_out(database, visit_id):
        log.returned(other, karen)
    log.sign_out(visit_id, karen)
    done(EventKind.SIGNED_OUT, karen.user_id)
    assert entry().state.phase is VisitPhase.TRAVELLING

    go_to(start + timedelta(minutes=3))
    log.arrived(visit_id, rhiannon)
    done(EventKind.ARRIVED, rhiannon.user_id)
    assert entry().state.phase is VisitPhase.ON_VISIT
    assert entry().state.deadline == end

    # Due soon ten minutes before the agreed end; stage 1 at the very second it passes.
    assert stage_at(end - timedelta(minutes=10) - SECOND) is EscalationStage.NONE
    assert stage_at(end - timedelta(minutes=10)) is EscalationStage.DUE_SOON
    go_to(end - SECOND)
    assert entry().state.stage is EscalationStage.DUE_SOON
    clock.advance(SECOND)
    first = entry()
    assert first.state.stage is EscalationStage.CALL_STAFF
    assert first.state.outstanding == (EscalationAction.CALLED_STAFF,)
    assert "Call " in first.what_to_do and "work mobile" in first.what_to_do

    clock.advance(20)
    log.claim(visit_id, karen)
    done(EventKind.ALERT_CLAIMED, karen.user_id)
    assert (entry().claimed_by, entry().claimed_at) == ("Karen Lewis", clock.now())

    # Stage 1 -> 2: the call went unanswered.
    go_to(end + timedelta(minutes=1))
    log.escalation_action(
        visit_id,
        EscalationAction.CALLED_STAFF,
        ActionOutcome.NO_ANSWER,
        karen,
        note="Straight to voicemail",
    )
    done(EventKind.ESCALATION_ACTION, karen.user_id, EscalationAction.CALLED_STAFF)
    second = entry()
    assert second.state.stage is EscalationStage.INFORM_SUPERVISOR
    assert second.state.outstanding == (EscalationAction.INFORMED_SUPERVISOR,)

    private = board.read(include_private=True).entry(visit_id)
    assert private is not None
    lead = private.visitors[0]
    supervisor = lead.supervisor_name or "Designated senior: Sarah Whitfield"
    go_to(end + timedelta(minutes=3))
    log.escalation_action(
        visit_id,
        EscalationAction.INFORMED_SUPERVISOR,
        ActionOutcome.INFORMED,
        karen,
        contact_name=supervisor,
    )
    done(EventKind.ESCALATION_ACTION, karen.user_id, EscalationAction.INFORMED_SUPERVISOR)
    assert entry().state.outstanding == ()

    # Stage 3 at +15 minutes (not a second before), even across a restart of the app.
    go_to(end + timedelta(minutes=15) - SECOND)
    assert entry().state.stage is EscalationStage.INFORM_SUPERVISOR
    database.close()
    database = opener.open(data_dir).database
    board, log = BoardService(database, clock), VisitLog(database, clock)
    assert entry().state.stage is EscalationStage.INFORM_SUPERVISOR
    clock.advance(SECOND)
    third = entry()
    assert third.state.stage is EscalationStage.CALL_EMERGENCY_CONTACT
    assert third.state.outstanding == (EscalationAction.CALLED_EMERGENCY_CONTACT,)

    go_to(end + timedelta(minutes=17))
    log.escalation_action(
        visit_id,
        EscalationAction.CALLED_EMERGENCY_CONTACT,
        ActionOutcome.NO_ANSWER,
        rhiannon,
        contact_name=lead.emergency_contact_name,
    )
    # Stage 3 came by time, so Karen's claim no longer covers it: logging claims it (issue 13).
    done(EventKind.ALERT_CLAIMED, rhiannon.user_id)
    done(EventKind.ESCALATION_ACTION, rhiannon.user_id, EscalationAction.CALLED_EMERGENCY_CONTACT)
    assert entry().state.stage is EscalationStage.CALL_EMERGENCY_CONTACT

    # Stage 4 at +30 minutes: the police sheet, then the police.
    assert stage_at(end + timedelta(minutes=30) - SECOND) is EscalationStage.CALL_EMERGENCY_CONTACT
    go_to(end + timedelta(minutes=30))
    fourth = entry()
    assert fourth.state.stage is EscalationStage.INFORM_POLICE
    assert fourth.state.outstanding == (EscalationAction.INFORMED_POLICE,)
    sheet = board.police_sheet(visit_id)
    assert sheet.stage is EscalationStage.INFORM_POLICE and not sheet.is_drill
    assert sheet.address and sheet.visitors[0].name == lead.name
    assert sheet.visitors[0].work_mobile == lead.work_mobile
    assert sheet.visitors[0].description  # every demo member of staff has one
    assert sheet.scheduled_end == end
    assert [line.what for line in sheet.timeline] == [
        "Departed",
        "Arrived (phoned in)",
        "Alert claimed",
        "Called the staff member",
        "Informed the supervisor / senior",
        "Alert claimed",  # stage 3 came by time: logging its step claims it (issue 13)
        "Called the emergency contact",
    ]
    assert [line.recorded_by for line in sheet.timeline] == [
        "Karen Lewis",
        "Rhiannon Davies",
        "Karen Lewis",
        "Karen Lewis",
        "Karen Lewis",
        "Rhiannon Davies",
        "Rhiannon Davies",
    ]

    go_to(end + timedelta(minutes=32))
    log.escalation_action(
        visit_id,
        EscalationAction.INFORMED_POLICE,
        ActionOutcome.INFORMED,
        karen,
        reference="CAD 4821 23/11",
        note="Gave the address, vehicle and phone details",
    )
    done(EventKind.ALERT_CLAIMED, karen.user_id)  # stage 4 came by time: claimed by logging
    done(EventKind.ESCALATION_ACTION, karen.user_id, EscalationAction.INFORMED_POLICE)
    assert entry().state.outstanding == ()

    # The staff member phones in; back at base; the DSL records the resolution.
    go_to(end + timedelta(minutes=41))
    log.call_received(visit_id, rhiannon)
    done(EventKind.CALL_RECEIVED, rhiannon.user_id)
    restored = entry()
    assert restored.state.awaiting_resolution and not restored.state.stage.is_escalated
    go_to(end + timedelta(minutes=58))
    log.returned(visit_id, rhiannon)
    done(EventKind.RETURNED, rhiannon.user_id)
    assert entry().state.phase is VisitPhase.RETURNED  # still listed: not resolved yet
    go_to(end + timedelta(minutes=62))
    incident_id = log.resolve(
        visit_id, "Staff safe: phone died, meeting ran over. Police stood down at 12:40.", dsl
    )
    done(EventKind.RESOLVED, dsl.user_id)
    # Issue 13: it stays for the stand-down (the police and the supervisor were alerted; the
    # emergency contact did not answer), then leaves the board.
    left = entry()
    assert left.stand_down_pending and not left.needs_attention
    assert [i.party for i in left.stand_down] == [
        EscalationAction.INFORMED_POLICE,
        EscalationAction.INFORMED_SUPERVISOR,
    ]
    stand = StandDown(database, clock)
    go_to(end + timedelta(minutes=64))
    stand.told(visit_id, EscalationAction.INFORMED_POLICE, dsl)
    done(EventKind.STOOD_DOWN, dsl.user_id, EscalationAction.INFORMED_POLICE)
    stand.told(visit_id, EscalationAction.INFORMED_SUPERVISOR, dsl)
    done(EventKind.STOOD_DOWN, dsl.user_id, EscalationAction.INFORMED_SUPERVISOR)
    assert board.read(include_private=False).entry(visit_id) is None

    with database.session() as session:
        incident = session.get(Incident, incident_id)
        assert incident is not None
        assert (incident.kind, incident.status, incident.highest_stage) == (
            IncidentKind.ESCALATION,
            IncidentStatus.OPEN,
            4,
        )
        assert incident.occurred_at == end
        resolved_at = end + timedelta(minutes=62)  # the stand-down came two minutes later
        assert incident.resolved_by_id == dsl.user_id and incident.resolved_at == resolved_at
        assert incident.resolution and incident.resolution.startswith("Staff safe")
        events = list(
            session.scalars(
                sa.select(VisitEvent)
                .where(VisitEvent.visit_id == visit_id)
                .order_by(VisitEvent.occurred_at, VisitEvent.id)
            )
        )
        names = dict(session.execute(sa.select(UserAccount.id, UserAccount.display_name)).all())
        assert [(e.kind, e.action, e.recorded_by_id, e.occurred_at) for e in events] == steps
        for event in events:
            assert event.recorded_at == event.occurred_at
            assert names[event.recorded_by_id or 0]
        police = next(e for e in events if e.action is EscalationAction.INFORMED_POLICE)
        assert (police.reference, police.stage) == ("CAD 4821 23/11", 4)
        resolved = next(e for e in events if e.kind is EventKind.RESOLVED)
        assert resolved.note == incident.resolution
        visit = session.get(Visit, visit_id)
        assert visit is not None and visit.status is VisitStatus.COMPLETED
    database.close()


def _other_visits_out(database: Database, visit_id: int) -> list[int]:
    """The visits out now that share staff with `visit_id`."""
    with database.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        staff = [v.staff_id for v in visit.visitors]
        return sorted(
            set(
                session.scalars(
                    sa.select(VisitStaff.visit_id)
                    .join(Visit, Visit.id == VisitStaff.visit_id)
                    .where(
                        Visit.status == VisitStatus.OUT,
                        Visit.id != visit_id,
                        VisitStaff.staff_id.in_(staff),
                    )
                )
            )
        )
