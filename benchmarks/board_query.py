"""The board's read (`BoardService.read`, signed in) on five years of history, against its
floors: an indexed read of the active visits, and the same joined to staff and events.

Builds, once, into a temporary folder: the demo school (staff, accounts, households, its live
board), then 50,000 past visits with 500,000 timeline events bulk-inserted with Core `insert()`
(no ANALYZE: hvdesk never runs it, as on a school's PC), then visits out now, raised step by
step to 50, 200, 1,000 and 5,000. At each size, by turns with its floor:

* nothing changed: the same service read again a second later, nothing written between
  (the five-second poll's usual case), against the indexed read of the active visits;
* cold: a new service (a restart: nothing kept) against the floor joined to staff and events.

    python -m benchmarks.board_query
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks.harness import Figure, figure, interleaved, mean_ms
from hvdesk.clock import FakeClock
from hvdesk.db.database import Database, create_database
from hvdesk.db.keys import new_database_key
from hvdesk.db.models import (
    Household,
    Staff,
    UserAccount,
    Visit,
    VisitEvent,
    VisitStaff,
)
from hvdesk.demo.school import seed_demo
from hvdesk.domain.people import Role
from hvdesk.domain.visits import (
    ActionOutcome,
    CancellationCause,
    EntryMode,
    EscalationAction,
    EventKind,
    VisitorRole,
    VisitReason,
    VisitStatus,
)
from hvdesk.services.board import BoardService

# A Wednesday afternoon in term time (GMT), as the demo tests use.
NOW = datetime(2026, 3, 11, 14, 7, 23, tzinfo=UTC)
HISTORY_VISITS = 50_000
EVENTS_PER_VISIT = 10
HISTORY_DAYS = 5 * 365
BATCH = 5_000


def _visit_row(
    visit_id: int, household_id: int, creator: int, start: datetime, end: datetime, **extra: Any
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": visit_id,
        "household_id": household_id,
        "pupil_id": None,
        "reason": VisitReason.WELFARE_CHECK,
        "purpose": "Welfare check after absence (benchmark history).",
        "announced": True,
        "entry_mode": EntryMode.DOORSTEP,
        "planned_start": start,
        "planned_end": end,
        "status": VisitStatus.COMPLETED,
        "out_of_hours": False,
        "joint_visit": False,
        "is_drill": False,
        "urgent_unplanned": False,
        "created_by_id": creator,
        "created_at": start - timedelta(days=2),
        "safe_word": "lighthouse",
    }
    row.update(extra)
    return row


def _event(
    visit_id: int, kind: EventKind, at: datetime, by: int, staff: int, **extra: Any
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "visit_id": visit_id,
        "kind": kind,
        "occurred_at": at,
        "recorded_at": at + timedelta(seconds=20),
        "recorded_by_id": by,
        "staff_id": staff,
        "action": None,
        "outcome": None,
        "stage": None,
        "new_deadline": None,
        "contact_name": None,
        "reference": None,
        "note": None,
    }
    row.update(extra)
    return row


class Builder:
    """Bulk-inserts history and live visits into an open database."""

    def __init__(self, database: Database, rng: random.Random) -> None:
        self.database = database
        self.rng = rng
        with database.session() as session:
            self.households = list(session.scalars(sa.select(Household.id)))
            self.staff = list(session.scalars(sa.select(Staff.id).where(Staff.active)))
            self.reception = list(
                session.scalars(sa.select(UserAccount.id).where(UserAccount.role == Role.RECEPTION))
            )
            self.next_id = (session.scalar(sa.select(sa.func.max(Visit.id))) or 0) + 1

    def _insert(
        self,
        visits: list[dict[str, Any]],
        staff: list[dict[str, Any]],
        events: list[dict[str, Any]],
    ) -> None:
        with self.database.engine.begin() as connection:
            for table, rows in (
                (Visit.__table__, visits),
                (VisitStaff.__table__, staff),
                (VisitEvent.__table__, events),
            ):
                for i in range(0, len(rows), BATCH):
                    connection.execute(sa.insert(table), rows[i : i + BATCH])

    def _team(self, visit_id: int) -> tuple[list[int], list[dict[str, Any]]]:
        team = self.rng.sample(self.staff, 2 if self.rng.random() < 0.8 else 1)
        rows = [
            {
                "visit_id": visit_id,
                "staff_id": staff_id,
                "role": VisitorRole.LEAD if n == 0 else VisitorRole.SECOND,
                "position": n,
            }
            for n, staff_id in enumerate(team)
        ]
        return team, rows

    def history(self, count: int) -> None:
        """`count` finished visits over five years up to yesterday, ten events each."""
        rng = self.rng
        visits: list[dict[str, Any]] = []
        staff_rows: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        for _ in range(count):
            visit_id = self.next_id
            self.next_id += 1
            day = NOW - timedelta(days=rng.uniform(1, HISTORY_DAYS))
            start = day.replace(
                hour=rng.randint(9, 15), minute=rng.choice((0, 15, 30, 45)), second=0, microsecond=0
            )
            end = start + timedelta(minutes=rng.choice((45, 60, 75)))
            cancelled = rng.random() < 0.1
            by = rng.choice(self.reception)
            visits.append(
                _visit_row(
                    visit_id,
                    rng.choice(self.households),
                    by,
                    start,
                    end,
                    status=VisitStatus.CANCELLED if cancelled else VisitStatus.COMPLETED,
                    cancellation_cause=CancellationCause.PARENT_NOT_PRESENT if cancelled else None,
                )
            )
            team, rows = self._team(visit_id)
            staff_rows += rows
            lead = team[0]
            at = start - timedelta(minutes=5)
            events.append(_event(visit_id, EventKind.SIGNED_OUT, at, by, lead))
            events.append(
                _event(visit_id, EventKind.ARRIVED, start + timedelta(minutes=2), by, lead)
            )
            for n in range(EVENTS_PER_VISIT - 4):
                events.append(
                    _event(
                        visit_id,
                        EventKind.NOTE,
                        start + timedelta(minutes=3 + n),
                        by,
                        lead,
                        note="Benchmark note.",
                    )
                )
            last = EventKind.CANCELLED if cancelled else EventKind.LEFT
            events.append(_event(visit_id, last, end - timedelta(minutes=2), by, lead))
            events.append(
                _event(visit_id, EventKind.RETURNED, end + timedelta(minutes=15), by, lead)
            )
            if len(visits) >= BATCH:
                self._insert(visits, staff_rows, events)
                visits, staff_rows, events = [], [], []
        self._insert(visits, staff_rows, events)

    def out_now(self, count: int) -> None:
        """`count` more visits out now: most on time, some overdue part-way up the ladder."""
        rng = self.rng
        visits: list[dict[str, Any]] = []
        staff_rows: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        for _ in range(count):
            visit_id = self.next_id
            self.next_id += 1
            start = NOW - timedelta(minutes=rng.randint(15, 90))
            end = NOW + timedelta(minutes=rng.randint(-40, 90))
            by = rng.choice(self.reception)
            visits.append(
                _visit_row(
                    visit_id, rng.choice(self.households), by, start, end, status=VisitStatus.OUT
                )
            )
            team, rows = self._team(visit_id)
            staff_rows += rows
            lead = team[0]
            events.append(
                _event(visit_id, EventKind.SIGNED_OUT, start - timedelta(minutes=5), by, lead)
            )
            events.append(
                _event(visit_id, EventKind.ARRIVED, start + timedelta(minutes=2), by, lead)
            )
            if end + timedelta(minutes=2) < NOW:
                events.append(
                    _event(
                        visit_id,
                        EventKind.ESCALATION_ACTION,
                        end + timedelta(minutes=1),
                        by,
                        lead,
                        action=EscalationAction.CALLED_STAFF,
                        outcome=ActionOutcome.NO_ANSWER,
                        stage=1,
                    )
                )
        self._insert(visits, staff_rows, events)


SIZES = (50, 200, 1000, 5000)
ACTIVE = "('out', 'authorised')"


def _floor_active(database: Database) -> int:
    """The floor: an indexed read of the active visits, plain tuples through the driver."""
    with database.engine.connect() as connection:
        return len(
            connection.exec_driver_sql(
                "SELECT id, status, planned_start, planned_end, household_id, is_drill "
                f"FROM visits WHERE status IN {ACTIVE}"
            ).fetchall()
        )


def _floor_joined(database: Database) -> int:
    """The floor joined to staff and events: every active visit's staff and timeline rows."""
    with database.engine.connect() as connection:
        return len(
            connection.exec_driver_sql(
                "SELECT v.id, v.status, v.planned_start, v.planned_end, s.first_name, "
                "s.last_name, s.work_mobile, e.kind, e.occurred_at, e.action, e.outcome "
                "FROM visits v JOIN visit_staff vs ON vs.visit_id = v.id "
                "JOIN staff s ON s.id = vs.staff_id "
                "LEFT JOIN visit_events e ON e.visit_id = v.id "
                f"WHERE v.status IN {ACTIVE}"
            ).fetchall()
        )


def five_years(folder: Path) -> tuple[Database, Builder, FakeClock]:
    """The demo school with five years of history (about a minute to build)."""
    clock = FakeClock(NOW)
    database = create_database(folder / "data", new_database_key())
    with database.session() as session:
        seed_demo(session, clock)
    builder = Builder(database, random.Random(2026))
    builder.history(HISTORY_VISITS)
    return database, builder, clock


def _out_now(database: Database) -> int:
    with database.session() as session:
        return (
            session.scalar(
                sa.select(sa.func.count()).select_from(Visit).where(Visit.status == VisitStatus.OUT)
            )
            or 0
        )


def figures(quick: bool) -> list[Figure]:
    folder = Path(tempfile.mkdtemp(prefix="hvdesk-board-bench-"))
    found: list[Figure] = []
    try:
        started = time.perf_counter()
        database, builder, clock = five_years(folder)
        took = time.perf_counter() - started
        print(f"  (five years built in {took:.0f} s)", file=sys.stderr, flush=True)
        runs = 5 if quick else 9
        for size in SIZES:
            builder.out_now(max(size - _out_now(database), 0))
            kept = BoardService(database, clock)
            kept.read(include_private=True)  # the first read: what the quiet ones keep

            def quiet(kept: BoardService = kept) -> float:
                clock.advance(timedelta(seconds=1))
                return mean_ms(lambda: kept.read(include_private=True), 1)

            def cold() -> float:
                return mean_ms(lambda: BoardService(database, clock).read(include_private=True), 1)

            repeat = 20 if size <= 1000 else 5
            values, floors = interleaved(
                lambda n=repeat: statistics.median(quiet() for _ in range(n)),  # type: ignore[misc]
                lambda n=repeat: mean_ms(lambda: _floor_active(database), n),  # type: ignore[misc]
                runs,
            )
            found.append(
                figure(
                    f"board read, nothing changed ({size} out)",
                    "<= 2 ms",
                    values,
                    floors,
                    floor="an indexed read of the active visits",
                )
            )
            values, floors = interleaved(
                cold, lambda: mean_ms(lambda: _floor_joined(database), 3), runs
            )
            found.append(
                figure(
                    f"board read, cold ({size} out)",
                    "<= 3x",
                    values,
                    floors,
                    floor="the active visits joined to staff and events",
                )
            )
        database.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return found


if __name__ == "__main__":
    from benchmarks.harness import table

    print(table(figures(quick=False)))
