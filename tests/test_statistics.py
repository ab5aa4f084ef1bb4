"""The year in figures, checked against figures worked out by hand on a small fixed school.

The school year 2026–27 (1 Sept 2026 to 31 Aug 2027), seen at MONDAY_MORNING (23 Nov 2026
10:30 UTC). Every visit, what it should count for, and why, is written beside it below; a
drill that would change every figure if it counted is there too, and must not.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from hvdesk.clock import FakeClock
from hvdesk.db.database import Database
from hvdesk.db.models import (
    Authorisation,
    FollowUp,
    Household,
    Incident,
    Staff,
    UserAccount,
    Visit,
    VisitEvent,
    VisitStaff,
)
from hvdesk.domain.escalation import EscalationStage
from hvdesk.domain.incidents import IncidentKind, IncidentStatus
from hvdesk.domain.people import JobRole, Role
from hvdesk.domain.statistics import (
    format_duration,
    month_starts,
    school_year,
    school_year_of,
)
from hvdesk.domain.visits import (
    ActionOutcome,
    AuthorisationDecision,
    CancellationCause,
    EntryMode,
    EscalationAction,
    EventKind,
    VisitorRole,
    VisitReason,
    VisitStatus,
)
from hvdesk.services import directory
from hvdesk.services.opening import DatabaseOpener
from hvdesk.services.statistics import PeriodNotValid, Statistics


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@dataclass
class FiguresSchool:
    database: Database
    ids: dict[str, int]


def build_figures_school(session: Session) -> dict[str, int]:
    """The hand-made year. Returns the visits' ids by name."""
    now = utc(2026, 11, 23, 10, 30)
    office = UserAccount(
        username="k.lewis", display_name="Kim Lewis", role=Role.RECEPTION, created_at=now
    )
    home = Household(
        address_line1="1 Mill Lane",
        town="Leeds",
        postcode="LS1 1AA",
        area="Holbeck",
        created_at=now,
    )
    dawn = Staff(first_name="Dawn", last_name="Reid", job_role=JobRole.ATTENDANCE_OFFICER)
    eve = Staff(first_name="Eve", last_name="Okafor", job_role=JobRole.FAMILY_SUPPORT_WORKER)
    session.add_all([office, home, dawn, eve])
    session.flush()
    ids: dict[str, int] = {}

    def visit(
        name: str,
        start: datetime,
        minutes: int,
        reason: VisitReason,
        status: VisitStatus,
        *,
        lone: bool = False,
        out_of_hours: bool = False,
        child_seen: bool | None = None,
        cause: CancellationCause | None = None,
        events: tuple[tuple[EventKind, datetime], ...] = (),
        drill: bool = False,
        submitted: datetime | None = None,
        urgent: bool = False,
        safe_word: str | None = None,
    ) -> Visit:
        v = Visit(
            household=home,
            reason=reason,
            purpose="Check in",
            entry_mode=EntryMode.DOORSTEP,
            planned_start=start,
            planned_end=start + timedelta(minutes=minutes),
            status=status,
            out_of_hours=out_of_hours,
            child_seen=child_seen,
            cancellation_cause=cause,
            is_drill=drill,
            created_at=start - timedelta(days=5),
            submitted_at=submitted,
            urgent_unplanned=urgent,
            safe_word=safe_word,
        )
        team = [dawn] if lone else [dawn, eve]
        v.visitors = [
            VisitStaff(staff=s, role=VisitorRole.LEAD if i == 0 else VisitorRole.SECOND, position=i)
            for i, s in enumerate(team)
        ]
        for kind, at in events:
            v.events.append(event(kind, at))
        session.add(v)
        session.flush()
        ids[name] = v.id
        return v

    def event(kind: EventKind, at: datetime, **extra: object) -> VisitEvent:
        recorder = office if kind is EventKind.RESOLVED else None
        return VisitEvent(kind=kind, occurred_at=at, recorded_at=at, recorded_by=recorder, **extra)

    def decide(v: Visit, at: datetime, decision: AuthorisationDecision) -> None:
        session.add(
            Authorisation(visit=v, decision=decision, decided_by_id=office.id, decided_at=at)
        )

    # Before the year: 23:30 on 31 August in London (BST) - not counted.
    visit(
        "before",
        utc(2026, 8, 31, 22, 30),
        60,
        VisitReason.TUTORING,
        VisitStatus.COMPLETED,
        child_seen=True,
    )
    # The year's first minutes: 00:15 on 1 Sept in London, still 31 Aug in UTC - September.
    # Completed with no timeline logged: went out by its status. Out of hours.
    visit(
        "first_minutes",
        utc(2026, 8, 31, 23, 15),
        60,
        VisitReason.TUTORING,
        VisitStatus.COMPLETED,
        out_of_hours=True,
        child_seen=True,
    )
    # Spans midnight: 23:30 on 30 Sept to 00:30 on 1 Oct (London) - counts in September.
    # Out of hours, pair, child seen; no call missed. Authorised 30 minutes after submission.
    midnight = visit(
        "midnight",
        utc(2026, 9, 30, 22, 30),
        60,
        VisitReason.WELFARE_CHECK,
        VisitStatus.COMPLETED,
        out_of_hours=True,
        child_seen=True,
        submitted=utc(2026, 9, 28, 9, 0),
        events=(
            (EventKind.SIGNED_OUT, utc(2026, 9, 30, 22, 25)),
            (EventKind.ARRIVED, utc(2026, 9, 30, 22, 35)),
            (EventKind.LEFT, utc(2026, 9, 30, 23, 20)),
            (EventKind.RETURNED, utc(2026, 9, 30, 23, 40)),
        ),
    )
    decide(midnight, utc(2026, 9, 28, 9, 30), AuthorisationDecision.APPROVED)
    # Across the clocks going back (02:00 BST -> 01:00 GMT on 25 Oct): planned 00:30-01:30
    # BST, lone, out of hours, child not seen. The check-in due 01:30 BST (00:30 UTC) is
    # missed; the call to staff goes unanswered (stage 2), the emergency-contact step comes at
    # 00:45 UTC (stage 3), the staff call in at 00:55 UTC (before the police step at 01:00).
    # Resolved at 01:15 GMT: 45 minutes after the deadline, though the wall clock reads 01:30
    # then 01:15. Sent back once, resubmitted, then approved 6 hours after the resubmission.
    dst = visit(
        "dst",
        utc(2026, 10, 24, 23, 30),
        60,
        VisitReason.EMERGENCY_SAFEGUARDING,
        VisitStatus.COMPLETED,
        lone=True,
        out_of_hours=True,
        child_seen=False,
        submitted=utc(2026, 10, 24, 9, 0),
        events=(
            (EventKind.SIGNED_OUT, utc(2026, 10, 24, 23, 25)),
            (EventKind.ARRIVED, utc(2026, 10, 24, 23, 40)),
            (EventKind.CALL_RECEIVED, utc(2026, 10, 25, 0, 55)),
            (EventKind.RETURNED, utc(2026, 10, 25, 1, 5)),
            (EventKind.RESOLVED, utc(2026, 10, 25, 1, 15)),
        ),
    )
    dst.events.append(
        event(
            EventKind.ESCALATION_ACTION,
            utc(2026, 10, 25, 0, 32),
            action=EscalationAction.CALLED_STAFF,
            outcome=ActionOutcome.NO_ANSWER,
        )
    )
    decide(dst, utc(2026, 10, 23, 13, 0), AuthorisationDecision.CHANGES_REQUESTED)
    decide(dst, utc(2026, 10, 24, 15, 0), AuthorisationDecision.APPROVED)
    # The arrival call due 10:15 comes at 10:20 (stage 1); resolved 10:30: 15 minutes.
    # Outcome not recorded. Authorised two days after submission.
    late_arrival = visit(
        "late_arrival",
        utc(2026, 11, 2, 10, 0),
        60,
        VisitReason.ATTENDANCE_SUPPORT,
        VisitStatus.COMPLETED,
        submitted=utc(2026, 10, 30, 10, 0),
        events=(
            (EventKind.SIGNED_OUT, utc(2026, 11, 2, 9, 50)),
            (EventKind.ARRIVED, utc(2026, 11, 2, 10, 20)),
            (EventKind.RESOLVED, utc(2026, 11, 2, 10, 30)),
            (EventKind.LEFT, utc(2026, 11, 2, 10, 50)),
            (EventKind.RETURNED, utc(2026, 11, 2, 11, 5)),
        ),
    )
    decide(late_arrival, utc(2026, 11, 1, 10, 0), AuthorisationDecision.APPROVED)
    # The safe word: the highest stage, but no deadline was missed (not overdue). Lone.
    safe_word = visit(
        "safe_word",
        utc(2026, 11, 9, 13, 0),
        60,
        VisitReason.WELFARE_CHECK,
        VisitStatus.COMPLETED,
        lone=True,
        child_seen=True,
        safe_word="kestrel",
        events=(
            (EventKind.SIGNED_OUT, utc(2026, 11, 9, 12, 55)),
            (EventKind.ARRIVED, utc(2026, 11, 9, 13, 5)),
            (EventKind.SAFE_WORD, utc(2026, 11, 9, 13, 20)),
            (EventKind.RESOLVED, utc(2026, 11, 9, 13, 50)),
            (EventKind.RETURNED, utc(2026, 11, 9, 13, 55)),
        ),
    )
    # Went out, then cancelled at the door: a visit made, and a cancellation.
    visit(
        "cancelled_out",
        utc(2026, 11, 16, 10, 0),
        60,
        VisitReason.WELFARE_CHECK,
        VisitStatus.CANCELLED,
        cause=CancellationCause.PARENT_NOT_PRESENT,
        events=(
            (EventKind.SIGNED_OUT, utc(2026, 11, 16, 9, 55)),
            (EventKind.ARRIVED, utc(2026, 11, 16, 10, 5)),
            (EventKind.CANCELLED, utc(2026, 11, 16, 10, 20)),
            (EventKind.RETURNED, utc(2026, 11, 16, 10, 40)),
        ),
    )
    # Cancelled before anyone left: a cancellation only.
    visit(
        "cancelled_home",
        utc(2026, 11, 18, 10, 0),
        60,
        VisitReason.NEW_FAMILY,
        VisitStatus.CANCELLED,
        cause=CancellationCause.ANIMAL_NOT_SECURED,
    )
    # Out now, check-in due 10:00 missed; at 10:30 it is at stage 4 and unresolved. An urgent
    # departure: no turnaround.
    out_now = visit(
        "out_now",
        utc(2026, 11, 23, 9, 0),
        60,
        VisitReason.REFUSING_SCHOOL,
        VisitStatus.OUT,
        submitted=utc(2026, 11, 23, 8, 55),
        urgent=True,
        events=(
            (EventKind.SIGNED_OUT, utc(2026, 11, 23, 8, 55)),
            (EventKind.ARRIVED, utc(2026, 11, 23, 9, 5)),
        ),
    )
    decide(out_now, utc(2026, 11, 23, 9, 30), AuthorisationDecision.APPROVED)
    # Authorised for December: not a visit made yet; 2 hours from request to decision.
    planned = visit(
        "planned",
        utc(2026, 12, 7, 10, 0),
        60,
        VisitReason.LONG_ILLNESS,
        VisitStatus.AUTHORISED,
        submitted=utc(2026, 11, 20, 9, 0),
    )
    decide(planned, utc(2026, 11, 20, 11, 0), AuthorisationDecision.APPROVED)
    # The drill: out of hours, lone, missed check-in, resolved, cancelled cause, authorised -
    # it would move every figure. It must move none.
    drill = visit(
        "drill",
        utc(2026, 11, 10, 10, 0),
        30,
        VisitReason.WELFARE_CHECK,
        VisitStatus.COMPLETED,
        lone=True,
        out_of_hours=True,
        child_seen=True,
        drill=True,
        submitted=utc(2026, 11, 10, 9, 0),
        events=(
            (EventKind.SIGNED_OUT, utc(2026, 11, 10, 9, 58)),
            (EventKind.ARRIVED, utc(2026, 11, 10, 10, 0)),
            (EventKind.RESOLVED, utc(2026, 11, 10, 10, 50)),
            (EventKind.RETURNED, utc(2026, 11, 10, 10, 55)),
        ),
    )
    decide(drill, utc(2026, 11, 10, 9, 5), AuthorisationDecision.APPROVED)

    # Follow-ups, today being 23 Nov: 3 days late, 53 days late, done, due later, due today
    # (not overdue until tomorrow), and the drill's (never counted).
    for v, due, done in (
        (late_arrival, date(2026, 11, 20), None),
        (late_arrival, date(2026, 10, 1), None),
        (safe_word, date(2026, 11, 10), utc(2026, 11, 9, 16, 0)),
        (safe_word, date(2026, 11, 30), None),
        (safe_word, date(2026, 11, 23), None),
        (drill, date(2026, 11, 1), None),
    ):
        session.add(FollowUp(visit=v, action="Call", due_on=due, created_at=now, done_at=done))

    # Incidents for the annual review.
    session.add_all(
        [
            Incident(
                visit=dst,
                kind=IncidentKind.ESCALATION,
                status=IncidentStatus.CLOSED,
                occurred_at=utc(2026, 10, 25, 0, 30),
                raised_at=utc(2026, 10, 25, 1, 15),
                summary="Check-in missed during the night visit; escalated to stage 3.",
                highest_stage=3,
                lessons="Keep a charged power bank in the car.",
                procedure_changes="Night visits phone in every 30 minutes.",
            ),
            Incident(
                visit=safe_word,
                kind=IncidentKind.SAFE_WORD,
                status=IncidentStatus.UNDER_REVIEW,
                occurred_at=utc(2026, 11, 9, 13, 20),
                raised_at=utc(2026, 11, 9, 13, 20),
                summary="Safe word used on a call.",
                highest_stage=4,
                lessons="Staff said kestrel clearly and the office acted at once.",
            ),
            Incident(
                visit=drill,
                kind=IncidentKind.ESCALATION,
                status=IncidentStatus.CLOSED,
                occurred_at=utc(2026, 11, 10, 10, 30),
                raised_at=utc(2026, 11, 10, 10, 50),
                summary="Practice escalation during the autumn drill.",
                is_drill=True,
            ),
        ]
    )
    session.flush()
    return ids


@pytest.fixture
def figures_school(
    opener: DatabaseOpener, data_dir: Path, clock: FakeClock
) -> Iterator[FiguresSchool]:
    database = opener.create(data_dir).database
    with database.session() as session:
        ids = build_figures_school(session)
    yield FiguresSchool(database, ids)
    database.close()


@pytest.fixture
def year(figures_school: FiguresSchool, clock: FakeClock):  # type: ignore[no-untyped-def]
    return Statistics(figures_school.database, clock).figures(*school_year(2026))


# --- the rules of the period -----------------------------------------------------------------


def test_the_school_year_runs_september_to_august() -> None:
    assert school_year(2026) == (date(2026, 9, 1), date(2027, 8, 31))
    assert school_year_of(date(2026, 11, 23)) == 2026
    assert school_year_of(date(2027, 8, 31)) == 2026
    assert school_year_of(date(2027, 9, 1)) == 2027
    assert len(month_starts(*school_year(2026))) == 12


def test_the_default_period_is_this_school_year(
    figures_school: FiguresSchool, clock: FakeClock
) -> None:
    stats = Statistics(figures_school.database, clock)
    assert stats.current_school_year() == (date(2026, 9, 1), date(2027, 8, 31))


def test_a_period_that_ends_before_it_starts_is_refused(
    figures_school: FiguresSchool, clock: FakeClock
) -> None:
    with pytest.raises(PeriodNotValid, match="before it starts"):
        Statistics(figures_school.database, clock).figures(date(2026, 10, 1), date(2026, 9, 1))


# --- the figures -------------------------------------------------------------------------------


def test_visits_per_month_by_reason(year) -> None:  # type: ignore[no-untyped-def]
    # Made: first_minutes, midnight (Sep); dst (Oct); late_arrival, safe_word, cancelled_out,
    # out_now (Nov). Not: before (August), cancelled_home, planned (not out), drill.
    months = {m.month: m for m in year.months}
    assert year.months[0].month == date(2026, 9, 1)
    assert months[date(2026, 9, 1)].went_out == 2
    assert months[date(2026, 9, 1)].count(VisitReason.TUTORING) == 1
    assert months[date(2026, 9, 1)].count(VisitReason.WELFARE_CHECK) == 1
    assert months[date(2026, 10, 1)].went_out == 1
    assert months[date(2026, 10, 1)].count(VisitReason.EMERGENCY_SAFEGUARDING) == 1
    assert months[date(2026, 11, 1)].went_out == 4
    assert months[date(2026, 11, 1)].count(VisitReason.WELFARE_CHECK) == 2
    assert months[date(2026, 12, 1)].went_out == 0
    assert year.went_out == 7
    assert dict(year.reasons) == {
        VisitReason.WELFARE_CHECK: 3,
        VisitReason.TUTORING: 1,
        VisitReason.EMERGENCY_SAFEGUARDING: 1,
        VisitReason.ATTENDANCE_SUPPORT: 1,
        VisitReason.REFUSING_SCHOOL: 1,
    }
    assert year.reasons[0] == (VisitReason.WELFARE_CHECK, 3)  # most frequent first


def test_outcomes_of_completed_visits(year) -> None:  # type: ignore[no-untyped-def]
    # first_minutes, midnight, safe_word seen; dst not seen; late_arrival not recorded.
    assert (year.outcomes.seen, year.outcomes.not_seen, year.outcomes.not_recorded) == (3, 1, 1)


def test_cancellations_by_cause(year) -> None:  # type: ignore[no-untyped-def]
    causes = dict(year.cancellations)
    assert causes[CancellationCause.PARENT_NOT_PRESENT] == 1
    assert causes[CancellationCause.ANIMAL_NOT_SECURED] == 1
    assert sum(causes.values()) == year.cancelled == 2
    assert list(causes) == list(CancellationCause)  # every cause listed, zeros too


def test_overdue_rate_counts_missed_deadlines_not_the_safe_word(year) -> None:  # type: ignore[no-untyped-def]
    # dst (check-in), late_arrival (arrival call), out_now (check-in): 3 of 7.
    assert (year.overdue, year.went_out) == (3, 7)
    assert year.overdue_rate == pytest.approx(3 / 7)
    months = {m.month: m.overdue for m in year.months}
    assert (months[date(2026, 9, 1)], months[date(2026, 10, 1)], months[date(2026, 11, 1)]) == (
        0,
        1,
        2,
    )


def test_time_to_resolve_in_real_minutes_across_the_clock_change(year) -> None:  # type: ignore[no-untyped-def]
    # dst: 00:30 -> 01:15 UTC = 45 min (the wall clock says 01:30 BST -> 01:15 GMT);
    # late_arrival: 10:15 -> 10:30 = 15 min. out_now is not resolved yet.
    t = year.time_to_resolve
    assert t.count == 2
    assert t.median == timedelta(minutes=30)
    assert t.longest == timedelta(minutes=45)
    assert [b.count for b in t.buckets] == [1, 0, 1, 0]
    assert year.unresolved == 1


def test_highest_stage_reached_per_visit(year) -> None:  # type: ignore[no-untyped-def]
    stages = dict(year.stages)
    assert stages == {
        EscalationStage.CALL_STAFF: 1,  # late_arrival
        EscalationStage.INFORM_SUPERVISOR: 0,
        EscalationStage.CALL_EMERGENCY_CONTACT: 1,  # dst
        EscalationStage.INFORM_POLICE: 1,  # out_now, at 10:30 exactly
        EscalationStage.EMERGENCY: 1,  # safe_word
    }
    assert year.escalated == 4


def test_the_replayed_stage_agrees_with_the_incident(
    figures_school: FiguresSchool, clock: FakeClock
) -> None:
    """The dst visit's incident recorded stage 3; the replay of its timeline says the same."""
    stats = Statistics(figures_school.database, clock)
    review = stats.year_in_review(2026)
    incident = next(i for i in review.incidents if i.visit_id == figures_school.ids["dst"])
    assert incident.highest_stage == EscalationStage.CALL_EMERGENCY_CONTACT.number
    assert dict(review.figures.stages)[EscalationStage.CALL_EMERGENCY_CONTACT] == 1


def test_lone_and_out_of_hours(year) -> None:  # type: ignore[no-untyped-def]
    assert (year.lone, year.out_of_hours) == (2, 3)  # dst, safe_word; first_minutes, midnight, dst
    months = {m.month: (m.lone, m.out_of_hours) for m in year.months}
    assert months[date(2026, 9, 1)] == (0, 2)
    assert months[date(2026, 10, 1)] == (1, 1)
    assert months[date(2026, 11, 1)] == (1, 0)


def test_authorisation_turnaround(year) -> None:  # type: ignore[no-untyped-def]
    # midnight 30 min; dst 6 h after its resubmission (the earlier send-back is before it);
    # late_arrival 2 days; planned 2 h. out_now (urgent) and the drill left out.
    t = year.turnaround
    assert t.count == 4
    assert t.median == timedelta(hours=4)
    assert t.longest == timedelta(days=2)
    assert [b.count for b in t.buckets] == [1, 1, 1, 1, 0]


def test_follow_ups_overdue(year) -> None:  # type: ignore[no-untyped-def]
    fu = year.follow_ups
    assert (fu.total, fu.done, fu.open_not_due, fu.overdue) == (5, 1, 2, 2)
    assert [b.count for b in fu.overdue_by_lateness] == [1, 0, 1]


def test_a_shorter_period_counts_only_its_visits(
    figures_school: FiguresSchool, clock: FakeClock
) -> None:
    """September alone: the visit at 00:15 on 1 Sept (London) is in, the one at 23:30 on
    31 Aug is out, and the visit that ends on 1 Oct is still September's."""
    f = Statistics(figures_school.database, clock).figures(date(2026, 9, 1), date(2026, 9, 30))
    assert [m.month for m in f.months] == [date(2026, 9, 1)]
    assert f.went_out == 2 and f.out_of_hours == 2 and f.overdue == 0


def test_durations_read_as_the_office_writes_them() -> None:
    assert format_duration(timedelta(minutes=45)) == "45 min"
    assert format_duration(timedelta(hours=1, minutes=25)) == "1 h 25 min"
    assert format_duration(timedelta(days=2, hours=18)) == "2 days 18 h"
    assert format_duration(None) == "–"


def test_visit_counts_by_month_leave_drills_out(
    figures_school: FiguresSchool, clock: FakeClock
) -> None:
    with figures_school.database.session() as session:
        months = {m.month: m for m in directory.visit_counts_by_month(session, clock, months=4)}
    november = months[date(2026, 11, 1)]
    # late_arrival, safe_word, cancelled_out, cancelled_home, out_now; not the drill.
    assert november.total == 5
    assert november.count(VisitStatus.COMPLETED) == 2
    assert november.count(VisitStatus.CANCELLED) == 2
    assert november.count(VisitStatus.OUT) == 1
    assert months[date(2026, 9, 1)].total == 2  # first_minutes and midnight (London dates)


def test_two_escalations_of_one_visit_are_told_apart() -> None:
    """Arrival call missed (10:15), resolved 10:25; check-in missed (11:00), the staff call at
    11:10, resolved 11:20: two escalations of 10 and 20 minutes, both stage 1."""
    from hvdesk.domain.escalation import TimelineEvent, VisitPlan
    from hvdesk.domain.policy import SchoolPolicy
    from hvdesk.domain.statistics import escalation_history

    plan = VisitPlan(1, VisitStatus.COMPLETED, utc(2026, 11, 2, 10, 0), utc(2026, 11, 2, 11, 0))

    def at(kind: EventKind, hour: int, minute: int) -> TimelineEvent:
        recorder = "Kim Lewis" if kind is EventKind.RESOLVED else None
        return TimelineEvent(kind, utc(2026, 11, 2, hour, minute), recorded_by=recorder)

    events = [
        at(EventKind.SIGNED_OUT, 9, 50),
        at(EventKind.ARRIVED, 10, 20),
        at(EventKind.RESOLVED, 10, 25),
        at(EventKind.CALL_RECEIVED, 11, 10),
        at(EventKind.RESOLVED, 11, 20),
        at(EventKind.RETURNED, 11, 22),  # before the next call, due 15 min after 11:10
    ]
    episodes = escalation_history(plan, events, SchoolPolicy(), utc(2026, 11, 23, 10, 30))
    assert [(e.began_at, e.time_to_resolve) for e in episodes] == [
        (utc(2026, 11, 2, 10, 15), timedelta(minutes=10)),
        (utc(2026, 11, 2, 11, 0), timedelta(minutes=20)),
    ]
    assert all(e.missed_deadline for e in episodes)
    assert {e.highest_stage for e in episodes} == {EscalationStage.CALL_STAFF}
