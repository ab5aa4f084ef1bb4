"""The directory read-models, against a real encrypted database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from hvdesk.clock import FakeClock
from hvdesk.db.database import Database
from hvdesk.db.models import Setting, Visit
from hvdesk.domain.visits import VisitStatus
from hvdesk.services import directory
from hvdesk.services.opening import DatabaseOpener
from tests.ui.school import School, build_school


@pytest.fixture
def db(opener: DatabaseOpener, data_dir: Path) -> Iterator[Database]:
    database = opener.create(data_dir).database
    yield database
    database.close()


@pytest.fixture
def school(db: Database, clock: FakeClock) -> School:
    with db.session() as session:
        return build_school(session, clock.now())


def test_pupils_are_listed_by_surname_without_those_who_left(db: Database, school: School):
    with db.session() as session:
        rows = directory.list_pupils(session)
    assert [r.full_name for r in rows] == ["Łukasz Nowak", "Amy Smith", "Ben Smithers"]
    amy = rows[1]
    assert (amy.year_group, amy.date_of_birth, amy.area, amy.mis_id) == (
        5,
        date(2016, 3, 4),
        "Holbeck",
        "MIS001",
    )
    assert amy.household_id is not None


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("smith", ["Amy Smith", "Ben Smithers"]),
        ("SMITH amy", ["Amy Smith"]),
        ("łukasz", ["Łukasz Nowak"]),
        ("ŁUKASZ", ["Łukasz Nowak"]),
        ("mis003", ["Ben Smithers"]),
        ("jones", []),  # left the school
        ("100%", []),
    ],
)
def test_pupil_search_matches_names_in_any_case_and_the_mis_id(
    db: Database, school: School, search: str, expected: list[str]
):
    with db.session() as session:
        assert [r.full_name for r in directory.list_pupils(session, search)] == expected


def test_pupil_list_honours_the_limit(db: Database, school: School):
    with db.session() as session:
        assert len(directory.list_pupils(session, limit=2)) == 2
        assert len(directory.list_pupils(session, "s", limit=1)) == 1


def test_staff_rows_carry_the_checks(db: Database, school: School):
    with db.session() as session:
        rows = directory.list_staff(session)
        assert [r.full_name for r in directory.list_staff(session, "family")] == ["Eve Okafor"]
    assert [r.full_name for r in rows] == ["Eve Okafor", "Dawn Reid"]
    dawn = rows[1]
    assert dawn.job_role == "Attendance officer"
    assert dawn.dbs_level == "Enhanced with barred list"
    assert dawn.dbs_checked_on == date(2024, 1, 10)
    assert dawn.safeguarding_trained_on == date(2025, 9, 1)
    assert dawn.has_vehicle and not rows[0].has_vehicle
    assert dawn.work_mobile == "07700 900001"


def test_visits_latest_first_with_visitors_and_labels(db: Database, school: School):
    with db.session() as session:
        rows = directory.list_visits(session)
    assert len(rows) == school.visits
    assert [r.planned_start for r in rows] == sorted((r.planned_start for r in rows), reverse=True)
    upcoming = rows[0]
    assert upcoming.status is VisitStatus.AUTHORISED
    assert upcoming.status_label == "Authorised"
    assert upcoming.reason == "Welfare check after absence"
    assert upcoming.visitors == ("Dawn Reid",)
    assert upcoming.pupil_name == "Ben Smithers"
    assert all(r.planned_start.tzinfo is not None for r in rows)


def test_visit_search_and_status_filter(db: Database, school: School):
    with db.session() as session:
        out = directory.list_visits(session, status=VisitStatus.OUT)
        by_visitor = directory.list_visits(session, "dawn")
        by_area = directory.list_visits(session, "headingley", status=VisitStatus.CANCELLED)
        by_number = directory.list_visits(session, f"#{school.out_visit_ids[0]}")
    assert {r.id for r in out} == set(school.out_visit_ids)
    assert len(by_visitor) == 3
    assert [r.status for r in by_area] == [VisitStatus.CANCELLED]
    assert [r.id for r in by_number] == [school.out_visit_ids[0]]


def test_visits_out_for_the_board(db: Database, school: School, clock: FakeClock):
    with db.session() as session:
        rows = directory.list_visits_out(session)
    late_id, soon_id = school.out_visit_ids[1], school.out_visit_ids[0]
    assert [r.visit_id for r in rows] == [late_id, soon_id]  # soonest planned end first
    soon = rows[1]
    assert soon.visitors == ("Dawn Reid", "Eve Okafor")
    assert soon.area == "Holbeck"
    assert soon.purpose == "Check on Amy after absence"
    assert soon.signed_out_at == clock.now() - timedelta(minutes=38)
    assert soon.signed_out_at.tzinfo is not None
    assert soon.planned_end == clock.now() + timedelta(minutes=20)
    assert "Mill Lane" not in repr(rows)  # the board never carries the address


def test_visits_out_without_a_signed_out_event(db: Database, school: School):
    with db.session() as session:
        session.execute(
            sa.update(Visit)
            .where(Visit.status == VisitStatus.AUTHORISED)
            .values(status=VisitStatus.OUT)
        )
    with db.session() as session:
        rows = directory.list_visits_out(session)
    assert len(rows) == 3
    assert [r.signed_out_at for r in rows if r.signed_out_at is None] == [None]


def test_incidents_latest_first(db: Database, school: School):
    with db.session() as session:
        rows = directory.list_incidents(session)
    assert [r.kind for r in rows] == ["Near miss", "Animal"]
    assert rows[0].visit_id is None and rows[1].visit_id is not None
    assert rows[0].status_label == "Open"


def test_visit_counts_by_month_cover_twelve_months_with_zeros(
    db: Database, school: School, clock: FakeClock
):
    with db.session() as session:
        months = directory.visit_counts_by_month(session, clock)
    assert len(months) == 12
    assert months[-1].month == date(2026, 11, 1)
    assert months[0].month == date(2025, 12, 1)
    november = months[-1]
    assert november.count(VisitStatus.OUT) == 2
    assert november.count(VisitStatus.AUTHORISED) == 1
    assert november.count(VisitStatus.CANCELLED) == 1
    assert november.total == 4
    october = months[-2]
    assert october.count(VisitStatus.COMPLETED) == 1  # 40 days before 23 November
    assert sum(m.total for m in months[:-2]) == 0


def test_visit_counts_use_school_time_at_a_month_boundary(db: Database, clock: FakeClock):
    # 23:30 UTC on 31 May is 00:30 on 1 June in London (BST).
    clock.set(datetime(2026, 6, 15, 12, 0, tzinfo=UTC))
    with db.session() as session:
        # The authorised visit starts 3 hours after this base: 23:30 UTC on 31 May.
        build_school(session, datetime(2026, 5, 31, 20, 30, tzinfo=UTC))
    with db.session() as session:
        months = {m.month: m for m in directory.visit_counts_by_month(session, clock, months=2)}
    assert months[date(2026, 6, 1)].count(VisitStatus.AUTHORISED) == 1
    assert months[date(2026, 6, 1)].total == 1
    assert months[date(2026, 5, 1)].count(VisitStatus.AUTHORISED) == 0
    assert months[date(2026, 5, 1)].total == 3


def test_school_policy_reads_the_overrides(db: Database, school: School, clock: FakeClock):
    with db.session() as session:
        session.add(Setting(key="police_after_minutes", value=45, updated_at=clock.now()))
    with db.session() as session:
        policy = directory.school_policy(session)
    assert policy.school_name == "St Aidan's Primary"
    assert policy.police_after_minutes == 45
    assert policy.emergency_contact_after_minutes == 15  # a default


def test_school_policy_of_an_empty_database_is_the_defaults(db: Database):
    with db.session() as session:
        assert directory.school_policy(session) == directory.SchoolPolicy()
