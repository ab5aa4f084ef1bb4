"""The board's database read (`BoardService.read`) on a database holding five years of history.

Builds, once, into a temporary folder: the demo school (staff, accounts, households, its live
board), then 50,000 past visits with 500,000 timeline events bulk-inserted with Core
`insert()` (no ANALYZE: hvdesk never runs it, so the planner has no statistics, as on a
school's PC), then visits out now, raised step by step to 50, 200 and 1000. At each size the
read is timed (median of 20, after one warm-up) with and without the private details.
Aim (issue 3): under 20 ms.

    python benchmarks/board_query.py [--repeat 20] [--sizes 50 200 1000] [--keep]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

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


def _median_ms(service: BoardService, *, private: bool, repeat: int) -> tuple[float, float, int]:
    """Median wall-clock and CPU milliseconds of one read, and the rows it returned.

    CPU time is reported beside wall time because this machine is shared and noisy."""
    rows = len(service.read(include_private=private).entries)  # warm-up
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        service.read(include_private=private)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 1000])
    parser.add_argument("--keep", action="store_true", help="keep the database folder")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="hvdesk-board-bench-"))
    clock = FakeClock(NOW)
    try:
        database = create_database(folder / "data", new_database_key())
        started = time.perf_counter()
        with database.session() as session:
            seed_demo(session, clock)
        builder = Builder(database, random.Random(2026))
        builder.history(HISTORY_VISITS)
        with database.session() as session:
            visits = session.scalar(sa.select(sa.func.count()).select_from(Visit))
            events = session.scalar(sa.select(sa.func.count()).select_from(VisitEvent))
        print(
            f"Built {visits:,} visits and {events:,} events in "
            f"{time.perf_counter() - started:.1f} s ({folder})"
        )
        service = BoardService(database, clock)
        print(f"median of {args.repeat} reads, wall-clock ms (CPU ms)")
        print(f"{'visits out':>10}  {'rows':>5}  {'signed in':>15}  {'privacy mode':>15}")
        for size in sorted(args.sizes):
            with database.session() as session:
                out = (
                    session.scalar(
                        sa.select(sa.func.count())
                        .select_from(Visit)
                        .where(Visit.status == VisitStatus.OUT)
                    )
                    or 0
                )
            builder.out_now(max(size - out, 0))
            private_ms, private_cpu, rows = _median_ms(service, private=True, repeat=args.repeat)
            public_ms, public_cpu, _ = _median_ms(service, private=False, repeat=args.repeat)
            signed_in = f"{private_ms:.1f} ({private_cpu:.1f})"
            privacy = f"{public_ms:.1f} ({public_cpu:.1f})"
            print(f"{size:>10}  {rows:>5}  {signed_in:>15}  {privacy:>15}")
        database.close()
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
