"""The demo school: believable counts, every promised live state true at the clock's now,
names in many scripts, the same school for the same seed, and only aware UTC times stored.

Uses a plain in-memory SQLite engine for speed; the real encrypted database is the same schema.
"""

from __future__ import annotations

import itertools
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from hvdesk.clock import SCHOOL_ZONE, FakeClock
from hvdesk.db.database import create_database
from hvdesk.db.keys import new_database_key
from hvdesk.db.models import (
    Adult,
    Base,
    Household,
    Incident,
    Pupil,
    PupilAdult,
    RiskAssessment,
    Setting,
    Staff,
    UserAccount,
    Visit,
    VisitEvent,
)
from hvdesk.db.types import UTCDateTime
from hvdesk.demo.accounts import DEMO_EXAMPLE_ACCOUNTS, DEMO_PASSWORD
from hvdesk.demo.school import (
    OUT_STATES,
    STATE_NAMES,
    DemoSummary,
    demo_password_hash,
    seed_demo,
)
from hvdesk.domain.escalation import DeadlineKind, EscalationStage, VisitPhase, evaluate
from hvdesk.domain.incidents import IncidentKind, IncidentStatus
from hvdesk.domain.passwords import verify_password
from hvdesk.domain.people import JobRole, Role
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.risk import STANDARD_HAZARDS, BandThresholds
from hvdesk.domain.visits import (
    ActionOutcome,
    AuthorisationDecision,
    EscalationAction,
    EventKind,
    VisitStatus,
)
from hvdesk.services.timeline import timeline, visit_plan

# A Wednesday afternoon in term time (GMT).
NOW = datetime(2026, 3, 11, 14, 7, 23, tzinfo=UTC)
SATURDAY = datetime(2026, 3, 14, 11, 0, tzinfo=UTC)
# The last Sunday of October 2026: 01:30 BST (before the change) and 01:30 GMT (after it).
DST_BEFORE = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
DST_AFTER = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)

MOBILE = re.compile(r"^07700 900\d{3}$")
REGISTRATION = re.compile(r"^[A-Z]{2}\d{2} [A-Z]{3}$")
POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}$")
UPN = re.compile(r"^UPN-[A-Z]\d{9}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class Seeded:
    engine: sa.Engine
    clock: FakeClock
    summary: DemoSummary


def _seed(now: datetime, rng_seed: int = 2026) -> Seeded:
    """Seed into the real thing: an encrypted database created and migrated as the app does."""
    database = create_database(
        Path(tempfile.mkdtemp(prefix="hvdesk-demo-test-")), new_database_key()
    )
    clock = FakeClock(now)
    with Session(database.engine) as session:
        summary = seed_demo(session, clock, rng_seed=rng_seed)
        session.commit()
    return Seeded(database.engine, clock, summary)


@pytest.fixture(scope="module")
def school() -> Iterator[Seeded]:
    seeded = _seed(NOW)
    yield seeded
    seeded.engine.dispose()
    shutil.rmtree(Path(str(seeded.engine.url.database)).parent, ignore_errors=True)


@pytest.fixture
def session(school: Seeded) -> Iterator[Session]:
    with Session(school.engine) as session:
        yield session


def _count(session: Session, model: type[Any]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _visits(session: Session, ids: list[int]) -> list[Visit]:
    return list(
        session.scalars(
            select(Visit)
            .where(Visit.id.in_(ids))
            .options(
                selectinload(Visit.events),
                selectinload(Visit.visitors),
                selectinload(Visit.authorisations),
                selectinload(Visit.risk_assessments).selectinload(RiskAssessment.hazards),
            )
        )
    )


def _kinds(visit: Visit) -> list[EventKind]:
    return [e.kind for e in visit.events]


def _actions(visit: Visit) -> list[tuple[EscalationAction | None, ActionOutcome | None]]:
    return [(e.action, e.outcome) for e in visit.events if e.kind is EventKind.ESCALATION_ACTION]


def _first(visit: Visit, kind: EventKind) -> VisitEvent | None:
    return next((e for e in visit.events if e.kind is kind), None)


def _minutes(delta: timedelta) -> float:
    return delta.total_seconds() / 60


def check_live_states(session: Session, summary: DemoSummary, now: datetime) -> None:
    """Every promised state holds at `now`, computed from planned times and events."""
    assert list(summary.states) == list(STATE_NAMES)
    sizes = {
        "planned": (2, 4),
        "awaiting_authorisation": (3, 5),
        "not_signed_out": (1, 1),
        "out_on_time": (3, 5),
        "due_soon": (1, 2),
        "overdue_stage1": (1, 1),
        "overdue_stage2": (1, 1),
        "overdue_stage3": (1, 1),
        "overdue_stage4": (1, 1),
        "arrival_call_missed": (1, 1),
    }
    for state, (low, high) in sizes.items():
        assert low <= len(summary.states[state]) <= high, state
    assert summary.states["pair_out"]

    tomorrow_end = datetime.combine(
        now.astimezone(SCHOOL_ZONE).date() + timedelta(days=2), datetime.min.time(), SCHOOL_ZONE
    )
    for visit in _visits(session, summary.states["planned"]):
        assert visit.status is VisitStatus.AUTHORISED
        assert now < visit.planned_start < tomorrow_end
        assert visit.events == []
        assert visit.authorisations[-1].decision is AuthorisationDecision.APPROVED
        assert visit.risk_assessments

    for visit in _visits(session, summary.states["awaiting_authorisation"]):
        assert visit.status is VisitStatus.AWAITING_AUTHORISATION
        assert visit.submitted_at is not None and visit.submitted_at < now
        assert visit.planned_start > now
        assert visit.risk_assessments and len(visit.risk_assessments[0].hazards) == 5
        assert visit.authorisations == []
        assert visit.events == []

    for visit in _visits(session, summary.states["not_signed_out"]):
        assert visit.status is VisitStatus.AUTHORISED
        assert 20 <= _minutes(now - visit.planned_start) <= 40
        assert visit.planned_end > now
        assert EventKind.SIGNED_OUT not in _kinds(visit)
        assert visit.authorisations[-1].decision is AuthorisationDecision.APPROVED

    out_ids = [i for state in OUT_STATES for i in summary.states[state]]
    out_visits = {v.id: v for v in _visits(session, out_ids)}
    for visit in out_visits.values():
        assert visit.status is VisitStatus.OUT
        signed_out = _first(visit, EventKind.SIGNED_OUT)
        assert signed_out is not None and signed_out.occurred_at < now
        approval = visit.authorisations[-1]
        assert approval.decision is AuthorisationDecision.APPROVED
        assert approval.decided_at < signed_out.occurred_at
        assert approval.approved_hash and SHA256.match(approval.approved_hash)
        assert visit.risk_assessments and visit.safe_word
        assert all(e.occurred_at <= now and e.recorded_at <= now for e in visit.events)
        for kind in (EventKind.LEFT, EventKind.RETURNED, EventKind.RESOLVED, EventKind.CANCELLED):
            assert kind not in _kinds(visit)
        if len(visit.visitors) == 1:
            assert visit.lone_visit_justification

    def in_state(name: str) -> list[Visit]:
        return [out_visits[i] for i in summary.states[name]]

    for visit in in_state("out_on_time"):
        assert EventKind.ARRIVED in _kinds(visit)
        assert 40 <= _minutes(visit.planned_end - now) <= 90
        assert _actions(visit) == []
    for visit in in_state("due_soon"):
        assert EventKind.ARRIVED in _kinds(visit)
        assert 2 <= _minutes(visit.planned_end - now) <= 8
        assert _actions(visit) == []
    for visit in in_state("overdue_stage1"):
        assert 1 <= _minutes(now - visit.planned_end) <= 3
        assert _actions(visit) == []
    no_answer = (EscalationAction.CALLED_STAFF, ActionOutcome.NO_ANSWER)
    supervisor = (EscalationAction.INFORMED_SUPERVISOR, ActionOutcome.INFORMED)
    contact = (EscalationAction.CALLED_EMERGENCY_CONTACT, ActionOutcome.NO_ANSWER)
    for visit in in_state("overdue_stage2"):
        assert 4 <= _minutes(now - visit.planned_end) <= 10
        assert _actions(visit) == [no_answer]
    for visit in in_state("overdue_stage3"):
        assert 16 <= _minutes(now - visit.planned_end) <= 25
        assert _actions(visit) == [no_answer, supervisor]
        informed = [e for e in visit.events if e.action is EscalationAction.INFORMED_SUPERVISOR]
        assert informed[0].contact_name
    for visit in in_state("overdue_stage4"):
        assert 31 <= _minutes(now - visit.planned_end) <= 45
        assert _actions(visit) == [no_answer, supervisor, contact]
    for name in ("overdue_stage2", "overdue_stage3", "overdue_stage4"):
        for visit in in_state(name):
            first_action = next(e for e in visit.events if e.kind is EventKind.ESCALATION_ACTION)
            assert first_action.occurred_at > visit.planned_end
    for visit in in_state("arrival_call_missed"):
        signed_out = _first(visit, EventKind.SIGNED_OUT)
        assert signed_out is not None and _minutes(now - signed_out.occurred_at) >= 30
        assert EventKind.ARRIVED not in _kinds(visit)
        assert _minutes(now - visit.planned_start) > 15
        assert visit.planned_end > now
        assert _actions(visit) == []

    for visit in _visits(session, summary.states["pair_out"]):
        assert visit.status is VisitStatus.OUT and len(visit.visitors) == 2
        assert visit.id in out_visits

    # Nobody is on two live visits (on the road, or due to leave) at once.
    live_ids = out_ids + summary.states["not_signed_out"]
    visitors = [vs.staff_id for v in _visits(session, live_ids) for vs in v.visitors]
    assert len(visitors) == len(set(visitors))


def check_aware_utc(session: Session) -> int:
    """Every UTCDateTime column, read back, is aware and in UTC. Returns the values checked."""
    checked = 0
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, UTCDateTime):
                for value in session.scalars(select(column).where(column.is_not(None))):
                    assert value.tzinfo is UTC, f"{table.name}.{column.name}: {value!r}"
                    checked += 1
    return checked


# --- the school ----------------------------------------------------------------------------------


def test_counts_match_the_summary_and_look_like_a_school(school: Seeded, session: Session) -> None:
    summary = school.summary
    assert 22 <= summary.staff <= 30
    assert 140 <= summary.pupils <= 160
    assert 95 <= summary.households <= 125
    assert summary.adults >= summary.households
    assert 300 <= summary.visits <= 520
    assert summary.events > summary.visits * 3
    assert summary.incidents >= 8
    assert (summary.staff, summary.users, summary.pupils) == (
        _count(session, Staff),
        _count(session, UserAccount),
        _count(session, Pupil),
    )
    assert (summary.households, summary.adults, summary.visits) == (
        _count(session, Household),
        _count(session, Adult),
        _count(session, Visit),
    )
    assert (summary.events, summary.incidents) == (
        _count(session, VisitEvent),
        _count(session, Incident),
    )


def test_school_name_is_the_only_setting(session: Session) -> None:
    settings = {s.key: s.value for s in session.scalars(select(Setting))}
    assert settings == {"school_name": "Riverside Academy"}
    assert set(settings) <= set(SchoolPolicy().to_settings())
    assert SchoolPolicy.from_settings(settings).school_name == "Riverside Academy"


def test_seeding_twice_is_refused(school: Seeded, session: Session) -> None:
    with pytest.raises(ValueError, match="empty database"):
        seed_demo(session, school.clock)


def test_staff_have_what_the_office_needs_if_they_go_missing(session: Session) -> None:
    staff = list(session.scalars(select(Staff)))
    visiting = [s for s in staff if s.job_role is not JobRole.OFFICE]
    jobs = {s.job_role for s in staff}
    for job in (
        JobRole.ATTENDANCE_OFFICER,
        JobRole.FAMILY_SUPPORT_WORKER,
        JobRole.TEACHER,
        JobRole.TUTOR,
        JobRole.DSL,
        JobRole.HEADTEACHER,
        JobRole.SLT,
        JobRole.OFFICE,
    ):
        assert job in jobs
    assert sum(s.job_role is JobRole.DEPUTY_DSL for s in staff) == 2
    for member in visiting:
        assert member.work_mobile and MOBILE.match(member.work_mobile), member.full_name
        assert member.emergency_contact_name and member.emergency_contact_relationship
        assert member.emergency_contact_phone and MOBILE.match(member.emergency_contact_phone)
        assert member.description and member.safeguarding_trained_on and member.dbs_checked_on
        if member.job_role is not JobRole.HEADTEACHER:
            assert member.supervisor is not None
    with_car = [s for s in visiting if s.vehicle_registration]
    assert len(with_car) >= 0.6 * len(visiting)
    for member in with_car:
        assert REGISTRATION.match(member.vehicle_registration or "")
        assert member.vehicle_make and member.vehicle_model and member.vehicle_colour
    today = NOW.astimezone(SCHOOL_ZONE).date()
    three_years = timedelta(days=3 * 365)
    assert any(
        s.safeguarding_trained_on and today - s.safeguarding_trained_on > three_years
        for s in visiting
    )
    assert any(s.dbs_checked_on and today - s.dbs_checked_on > three_years for s in visiting)


def test_every_role_has_an_account(session: Session) -> None:
    users = list(session.scalars(select(UserAccount)))
    roles = [u.role for u in users]
    assert set(roles) == set(Role)
    assert roles.count(Role.RECEPTION) >= 2
    assert roles.count(Role.VISITING_STAFF) >= 5
    for user in users:
        assert re.fullmatch(r"[a-z]\.[a-z]+\d*|it\.support", user.username), user.username
    # One hash of the demo password, shared (hashing per account would slow seeding down).
    assert {u.password_hash for u in users} == {demo_password_hash()}
    assert verify_password(DEMO_PASSWORD, demo_password_hash())
    assert "r.hughes" in {u.username for u in users}
    by_name = {u.username: u.role for u in users}
    for username, role in DEMO_EXAMPLE_ACCOUNTS:
        assert by_name[username] is role, username
    assert all(u.staff_id is not None for u in users if u.role is not Role.ADMINISTRATOR)


def test_pupils_ages_match_their_year_groups(session: Session) -> None:
    today = NOW.astimezone(SCHOOL_ZONE).date()
    academic_start = today.year if today.month >= 9 else today.year - 1
    pupils = list(session.scalars(select(Pupil).options(selectinload(Pupil.adult_links))))
    for pupil in pupils:
        year = pupil.year_group
        assert year is not None and 7 <= year <= 13
        born_from = date(academic_start - year - 5, 9, 1)
        born_to = date(academic_start - year - 4, 8, 31)
        assert born_from <= pupil.date_of_birth <= born_to, pupil.full_name
        assert pupil.mis_id and UPN.match(pupil.mis_id)
        assert pupil.household_id is not None
        assert any(link.parental_responsibility for link in pupil.adult_links) or any(
            link.relationship_to_pupil.value == "foster_carer" for link in pupil.adult_links
        )
    assert len({p.mis_id for p in pupils}) == len(pupils)
    by_household: dict[int | None, int] = defaultdict(int)
    for pupil in pupils:
        by_household[pupil.household_id] += 1
    assert sum(1 for n in by_household.values() if n >= 2) >= 10
    without_pr = session.scalar(
        select(func.count()).select_from(PupilAdult).where(~PupilAdult.parental_responsibility)
    )
    assert without_pr and without_pr >= 5


def test_households_addresses_risks_and_professionals(session: Session) -> None:
    homes = list(
        session.scalars(
            select(Household).options(
                selectinload(Household.known_risks), selectinload(Household.professionals)
            )
        )
    )
    for home in homes:
        assert POSTCODE.match(home.postcode), home.postcode
        assert home.area and home.town and home.address_line1[0].isalnum()
        for risk in home.known_risks:
            assert risk.recorded_by_id is not None and risk.recorded_at < NOW
    share_risky = sum(bool(h.known_risks) for h in homes) / len(homes)
    share_professional = sum(bool(h.professionals) for h in homes) / len(homes)
    assert 0.2 <= share_risky <= 0.45
    assert 0.15 <= share_professional <= 0.4
    assert sum(bool(h.location_notes) for h in homes) >= 10
    assert len({h.address for h in homes}) == len(homes)


def test_names_come_in_many_scripts(session: Session) -> None:
    people = [p.full_name for p in session.scalars(select(Pupil))]
    people += [a.full_name for a in session.scalars(select(Adult))]
    text = " ".join(people)
    for letter in ("Ł", "ż", "ś", "ğ", "ı", "ş", "ễ"):
        assert letter in text, letter
    assert "ŷ" in text or "ŵ" in text
    languages = {a.preferred_language for a in session.scalars(select(Adult))} - {None}
    assert {"Polish", "Turkish", "Vietnamese", "Welsh"} <= languages


# --- history -------------------------------------------------------------------------------------


def test_a_year_of_past_visits_on_school_days(session: Session) -> None:
    today_start = datetime.combine(
        NOW.astimezone(SCHOOL_ZONE).date(), datetime.min.time(), SCHOOL_ZONE
    )
    past_ids = list(session.scalars(select(Visit.id).where(Visit.planned_end < today_start)))
    past = _visits(session, past_ids)
    assert 300 <= len(past) <= 500
    starts = sorted(v.planned_start for v in past)
    assert NOW - starts[0] > timedelta(days=330) and NOW - starts[-1] < timedelta(days=10)
    reception = set(
        session.scalars(select(UserAccount.id).where(UserAccount.role == Role.RECEPTION))
    )
    authorisers = set(
        session.scalars(
            select(UserAccount.id).where(UserAccount.role.in_([Role.DSL, Role.DEPUTY_DSL]))
        )
    )
    bands = BandThresholds()
    pairs = 0
    for visit in past:
        assert visit.planned_start.astimezone(SCHOOL_ZONE).weekday() < 5
        assert visit.status in (VisitStatus.COMPLETED, VisitStatus.CANCELLED)
        approval = visit.authorisations[-1]
        assert approval.decision is AuthorisationDecision.APPROVED
        assert approval.decided_by_id in authorisers
        assert approval.decided_at < visit.planned_start
        assert approval.approved_hash and SHA256.match(approval.approved_hash)
        (assessment,) = visit.risk_assessments
        assert [h.hazard for h in assessment.hazards] == list(STANDARD_HAZARDS)
        assert (assessment.band_low_max, assessment.band_medium_max) == (4, 12)
        worst = 0
        for hazard in assessment.hazards:
            assert 1 <= hazard.residual_severity <= hazard.severity <= 5
            assert 1 <= hazard.residual_likelihood <= hazard.likelihood <= 5
            worst = max(worst, hazard.residual_severity * hazard.residual_likelihood)
        assert assessment.highest_residual_band is bands.band(worst)
        pairs += len(visit.visitors) == 2
        times = [e.occurred_at for e in visit.events]
        for e in visit.events:
            assert e.recorded_by_id in reception
            assert timedelta(0) <= e.recorded_at - e.occurred_at < timedelta(minutes=1)
        kinds = _kinds(visit)
        if visit.status is VisitStatus.COMPLETED:
            assert kinds[:2] == [EventKind.SIGNED_OUT, EventKind.ARRIVED]
            assert kinds[-1] is EventKind.RETURNED
            assert visit.child_seen is not None and visit.spoken_to and visit.observations
            assert visit.opinions and visit.outcome and visit.action_required
            assert visit.completed_at and visit.completed_at > times[-1]
        else:
            assert visit.cancellation_cause is not None
            assert EventKind.CANCELLED in kinds
    assert 0.7 <= pairs / len(past) <= 0.92

    escalated = [v for v in past if EventKind.RESOLVED in _kinds(v)]
    assert len(escalated) >= 6
    for visit in escalated:
        actions = _actions(visit)
        assert actions[0] == (EscalationAction.CALLED_STAFF, ActionOutcome.NO_ANSWER)
        assert actions[1][0] is EscalationAction.INFORMED_SUPERVISOR
        resolved = _first(visit, EventKind.RESOLVED)
        assert resolved is not None and resolved.note and resolved.note.startswith("Staff safe")
    police = [
        e for v in escalated for e in v.events if e.action is EscalationAction.INFORMED_POLICE
    ]
    assert len(police) == 1 and re.fullmatch(r"CAD \d{4} \d{2}/\d{2}", police[0].reference or "")


def test_incidents_cover_escalations_and_other_kinds(session: Session) -> None:
    incidents = list(session.scalars(select(Incident)))
    escalations = [i for i in incidents if i.kind is IncidentKind.ESCALATION]
    assert len(escalations) >= 6
    assert {i.status for i in escalations} == set(IncidentStatus)
    for incident in escalations:
        assert incident.visit_id is not None and incident.highest_stage in (2, 3, 4)
        assert incident.resolution and incident.resolved_at and incident.occurred_at < NOW
    assert any(i.signed_off_at and i.debrief_held_at and i.lessons for i in escalations)
    assert 4 in {i.highest_stage for i in escalations}
    kinds = {i.kind for i in incidents}
    assert {IncidentKind.AGGRESSIVE_ADULT, IncidentKind.ANIMAL} <= kinds


# --- now -----------------------------------------------------------------------------------------


def test_every_promised_state_holds_at_now(school: Seeded, session: Session) -> None:
    check_live_states(session, school.summary, school.clock.now())


def test_nobody_is_booked_on_two_visits_at_once(session: Session) -> None:
    booked: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for visit in _visits(session, list(session.scalars(select(Visit.id)))):
        for visitor in visit.visitors:
            booked[visitor.staff_id].append((visit.planned_start, visit.planned_end))
    for intervals in booked.values():
        intervals.sort()
        for (_, end), (start, _) in itertools.pairwise(intervals):
            assert end <= start


def test_every_stored_time_is_aware_utc(session: Session) -> None:
    assert check_aware_utc(session) > 3000


def test_only_the_clock_gives_the_time() -> None:
    sources = Path(__file__).resolve().parents[1] / "hvdesk" / "db"
    forbidden = re.compile(r"\.now\(|\.utcnow\(|\.today\(|time\.time\(|localtime\(")
    for path in sorted(sources.glob("demo*.py")):
        offenders = [
            f"{path.name}:{n}: {line.strip()}"
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if forbidden.search(line) and "clock.now()" not in line
        ]
        assert offenders == []


# --- the same school, and other days ----------------------------------------------------------


def _names(engine: sa.Engine) -> list[str]:
    with Session(engine) as session:
        people = [s.full_name for s in session.scalars(select(Staff).order_by(Staff.id))]
        people += [p.full_name for p in session.scalars(select(Pupil).order_by(Pupil.id))]
        people += [a.full_name for a in session.scalars(select(Adult).order_by(Adult.id))]
        people += [
            f"{v.planned_start.isoformat()} {v.reason} {v.safe_word}"
            for v in session.scalars(select(Visit).order_by(Visit.id))
        ]
        return people


def test_same_seed_and_clock_give_the_same_school(school: Seeded) -> None:
    again = _seed(NOW)
    try:
        assert _names(again.engine) == _names(school.engine)
        assert again.summary == school.summary
    finally:
        _discard(again)


@pytest.mark.parametrize(
    "now", [SATURDAY, DST_BEFORE, DST_AFTER], ids=["saturday", "dst-bst", "dst-gmt"]
)
def test_weekends_and_the_clock_change_still_give_a_lively_board(now: datetime) -> None:
    seeded = _seed(now, rng_seed=7)
    try:
        with Session(seeded.engine) as session:
            check_live_states(session, seeded.summary, now)
            assert check_aware_utc(session) > 3000
            assert 300 <= seeded.summary.visits <= 520
            check_engine_agrees(session, seeded.summary, now)
    finally:
        _discard(seeded)


def _discard(seeded: Seeded) -> None:
    seeded.engine.dispose()
    shutil.rmtree(Path(str(seeded.engine.url.database)).parent, ignore_errors=True)


# The stage each promised state must show on the board, by the escalation engine itself.
EXPECTED_STAGE = {
    "out_on_time": {EscalationStage.NONE},
    "due_soon": {EscalationStage.DUE_SOON},
    "overdue_stage1": {EscalationStage.CALL_STAFF},
    "overdue_stage2": {EscalationStage.INFORM_SUPERVISOR},
    "overdue_stage3": {EscalationStage.CALL_EMERGENCY_CONTACT},
    "overdue_stage4": {EscalationStage.INFORM_POLICE},
    "arrival_call_missed": {
        EscalationStage.CALL_STAFF,
        EscalationStage.INFORM_SUPERVISOR,
        EscalationStage.CALL_EMERGENCY_CONTACT,
    },
}


def check_engine_agrees(session: Session, summary: DemoSummary, now: datetime) -> None:
    policy = SchoolPolicy()
    for state_name, stages in EXPECTED_STAGE.items():
        for visit in _visits(session, summary.states[state_name]):
            state = evaluate(visit_plan(visit), timeline(visit), policy, now)
            assert state.stage in stages, (state_name, visit.id, state.stage)
    for visit in _visits(session, summary.states["arrival_call_missed"]):
        state = evaluate(visit_plan(visit), timeline(visit), policy, now)
        assert state.deadline_kind is DeadlineKind.ARRIVAL_CALL
    for visit in _visits(session, summary.states["not_signed_out"]):
        state = evaluate(visit_plan(visit), timeline(visit), policy, now)
        assert state.phase is VisitPhase.NOT_SIGNED_OUT
    for visit in _visits(session, summary.states["overdue_stage4"]):
        state = evaluate(visit_plan(visit), timeline(visit), policy, now)
        assert state.outstanding == (EscalationAction.INFORMED_POLICE,)


def test_the_escalation_engine_sees_each_promised_state(school: Seeded, session: Session) -> None:
    check_engine_agrees(session, school.summary, school.clock.now())
