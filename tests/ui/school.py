"""A small, hand-made school for tests that need exact rows (the demo is for the big picture).

Times are relative to the clock so "out now" and "overdue" mean the same thing in every run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from hvdesk.db.models import (
    Household,
    Incident,
    Pupil,
    Setting,
    Staff,
    Visit,
    VisitEvent,
    VisitStaff,
)
from hvdesk.domain.incidents import IncidentKind, IncidentStatus
from hvdesk.domain.people import DbsLevel, JobRole
from hvdesk.domain.visits import EntryMode, EventKind, VisitorRole, VisitReason, VisitStatus


@dataclass
class School:
    pupils: int
    staff: int
    visits: int
    out_visit_ids: list[int]
    incidents: int


def build_school(session: Session, now: datetime) -> School:
    """Three households, four pupils (one left), three staff (one left), five visits of which
    two are out (one due in 20 minutes, one 5 minutes overdue), two incidents."""
    session.add(Setting(key="school_name", value="St Aidan's Primary", updated_at=now))
    homes = [
        Household(
            address_line1="1 Mill Lane",
            town="Leeds",
            postcode="LS1 1AA",
            area="Holbeck",
            created_at=now,
        ),
        Household(
            address_line1="22 Park Road",
            town="Leeds",
            postcode="LS2 2BB",
            area="Headingley",
            created_at=now,
        ),
        Household(
            address_line1="3 Ash Close",
            town="Leeds",
            postcode="LS3 3CC",
            area="Armley",
            created_at=now,
        ),
    ]
    session.add_all(homes)
    session.flush()
    pupils = [
        Pupil(
            first_name="Amy",
            last_name="Smith",
            mis_id="MIS001",
            date_of_birth=date(2016, 3, 4),
            year_group=5,
            household=homes[0],
        ),
        Pupil(
            first_name="Łukasz",
            last_name="Nowak",
            mis_id="MIS002",
            date_of_birth=date(2017, 7, 1),
            year_group=4,
            household=homes[1],
        ),
        Pupil(
            first_name="Ben",
            last_name="Smithers",
            mis_id="MIS003",
            date_of_birth=date(2018, 1, 9),
            year_group=3,
            household=homes[2],
        ),
        Pupil(
            first_name="Cara",
            last_name="Jones",
            mis_id="MIS004",
            date_of_birth=date(2015, 5, 5),
            year_group=6,
            household=homes[2],
            active=False,
        ),
    ]
    staff = [
        Staff(
            first_name="Dawn",
            last_name="Reid",
            job_role=JobRole.ATTENDANCE_OFFICER,
            work_mobile="07700 900001",
            safeguarding_trained_on=date(2025, 9, 1),
            dbs_level=DbsLevel.ENHANCED_BARRED,
            dbs_checked_on=date(2024, 1, 10),
            vehicle_make="Ford",
            vehicle_registration="AB12 CDE",
        ),
        Staff(
            first_name="Eve",
            last_name="Okafor",
            job_role=JobRole.FAMILY_SUPPORT_WORKER,
            work_mobile="07700 900002",
            dbs_level=DbsLevel.ENHANCED,
        ),
        Staff(first_name="Fred", last_name="Gone", job_role=JobRole.TEACHER, active=False),
    ]
    session.add_all(pupils + staff)
    session.flush()

    def visit(
        pupil: Pupil,
        home: Household,
        status: VisitStatus,
        start: timedelta,
        length: timedelta,
        visitors: list[Staff],
    ) -> Visit:
        v = Visit(
            household=home,
            pupil=pupil,
            reason=VisitReason.WELFARE_CHECK,
            purpose=f"Check on {pupil.first_name} after absence",
            entry_mode=EntryMode.DOORSTEP,
            planned_start=now + start,
            planned_end=now + start + length,
            status=status,
            created_at=now - timedelta(days=1),
        )
        v.visitors = [
            VisitStaff(staff=s, role=VisitorRole.LEAD if i == 0 else VisitorRole.SECOND, position=i)
            for i, s in enumerate(visitors)
        ]
        session.add(v)
        return v

    out_soon = visit(
        pupils[0],
        homes[0],
        VisitStatus.OUT,
        timedelta(minutes=-40),
        timedelta(minutes=60),
        [staff[0], staff[1]],
    )
    out_late = visit(
        pupils[1],
        homes[1],
        VisitStatus.OUT,
        timedelta(minutes=-65),
        timedelta(minutes=60),
        [staff[1]],
    )
    visit(
        pupils[2],
        homes[2],
        VisitStatus.AUTHORISED,
        timedelta(hours=3),
        timedelta(hours=1),
        [staff[0]],
    )
    done = visit(
        pupils[0],
        homes[0],
        VisitStatus.COMPLETED,
        timedelta(days=-40),
        timedelta(hours=1),
        [staff[0], staff[1]],
    )
    visit(
        pupils[1],
        homes[1],
        VisitStatus.CANCELLED,
        timedelta(days=-3),
        timedelta(hours=1),
        [staff[1]],
    )
    session.flush()
    for v, minutes in ((out_soon, -38), (out_late, -63)):
        session.add(
            VisitEvent(
                visit=v,
                kind=EventKind.SIGNED_OUT,
                occurred_at=now + timedelta(minutes=minutes),
                recorded_at=now,
            )
        )
    session.add_all(
        [
            Incident(
                visit=done,
                kind=IncidentKind.ANIMAL,
                status=IncidentStatus.CLOSED,
                occurred_at=now - timedelta(days=40),
                raised_at=now - timedelta(days=40),
                summary="Dog not shut away; visit moved to the doorstep",
            ),
            Incident(
                visit=None,
                kind=IncidentKind.NEAR_MISS,
                status=IncidentStatus.OPEN,
                occurred_at=now - timedelta(days=2),
                raised_at=now - timedelta(days=2),
                summary="Near miss reversing in the school car park",
            ),
        ]
    )
    session.flush()
    return School(
        pupils=3, staff=2, visits=5, out_visit_ids=[out_soon.id, out_late.id], incidents=2
    )
