"""What the audit trail costs: per board write, for the demo seed, and to verify the chain.

Measures, on the real encrypted database, with the flush hook on and off (off = the session
factory without the hook, as before issue 7), and against the floor issue 14 names for a
recorded call: a raw one-row SQLCipher commit with the same key and pragmas, by turns:

* a board event (`VisitLog.call_received`): median and p90 of N durable writes, and the raw
  one-row commit's;
* a one-row change through a plain session (update of a household's area);
* seeding the demo school (ORM flushes get one entry per row; bulk inserts one summary each);
* `AuditTrail.verify` over the whole chain (entries per second).

    python benchmarks/audit.py [--writes 200] [--seeds 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

import hvdesk.db.database as database_module
from benchmarks.recorded_call import one_commit, raw_database
from hvdesk.clock import FakeClock
from hvdesk.db.database import create_database, open_database
from hvdesk.db.keys import new_database_key
from hvdesk.db.models import AuditEntry, Household, UserAccount
from hvdesk.demo.school import seed_demo
from hvdesk.services.audit import AuditTrail
from hvdesk.services.identity import SignedInUser
from hvdesk.services.visit_log import VisitLog

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
FLOORS: list[float] = []
"""The raw one-row commits timed beside the board writes."""


@contextmanager
def hook(enabled: bool) -> Iterator[None]:
    """Databases made inside the block get the audit hook only if `enabled`."""
    original = database_module.watch_sessions
    if not enabled:
        database_module.watch_sessions = lambda _factory, _clock: None
    try:
        yield
    finally:
        database_module.watch_sessions = original


def seeded(folder: Path, enabled: bool) -> tuple[Path, bytes, float]:
    key = new_database_key()
    data_dir = folder / f"seed-{'on' if enabled else 'off'}-{time.perf_counter_ns()}"
    with hook(enabled):
        database = create_database(data_dir, key)
        started = time.perf_counter()
        with database.session() as session:
            seed_demo(session, FakeClock(NOW))
        took = time.perf_counter() - started
        database.close()
    return data_dir, key, took


def timed(action: Callable[[], object], n: int) -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def board_writes(
    data_dir: Path, key: bytes, enabled: bool, n: int
) -> tuple[list[float], list[float]]:
    clock = FakeClock(NOW)
    with hook(enabled):
        database = open_database(data_dir, key, clock)
    try:
        with database.session() as session:
            account = session.scalars(
                sa.select(UserAccount).where(UserAccount.username == "k.lewis")
            ).one()
            user = SignedInUser(account.id, account.username, account.display_name, account.role)
            visit_id = session.scalar(
                sa.select(sa.text("id"))
                .select_from(sa.text("visits"))
                .where(sa.text("status = 'out'"))
                .limit(1)
            )
        log = VisitLog(database, clock)

        def call() -> None:
            clock.advance(timedelta(seconds=1))
            log.call_received(int(visit_id), user)

        def one_row() -> None:
            with database.session() as session:
                home = session.get(Household, 1)
                assert home is not None
                home.area = "North" if home.area != "North" else "South"

        raw = raw_database(data_dir.parent / f"floor-{time.perf_counter_ns()}.db", key)
        timed(call, 5)  # warm-up: mapper configuration, statement caches
        calls: list[float] = []
        floors: list[float] = []
        for _ in range(n):  # by turns, so the machine's noise falls on both
            calls += timed(call, 1)
            floors += timed(lambda: one_commit(raw), 1)
        raw.close()
        FLOORS.extend(floors)
        return calls, timed(one_row, n)
    finally:
        database.close()


def summary(label: str, values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[int(len(ordered) * 0.9) - 1]
    return f"{label:<34} median {statistics.median(values):6.2f} ms   p90 {p90:6.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hvdesk-audit-bench-"))
    try:
        seeds: dict[bool, list[float]] = {False: [], True: []}
        kept: dict[bool, tuple[Path, bytes]] = {}
        for _ in range(args.seeds):
            for enabled in (False, True):
                data_dir, key, took = seeded(folder, enabled)
                seeds[enabled].append(took)
                kept[enabled] = (data_dir, key)
        print(f"Demo seed ({args.seeds} runs each, median):")
        for enabled in (False, True):
            print(
                f"  hook {'on ' if enabled else 'off'}: {statistics.median(seeds[enabled]):.3f} s"
            )

        print(f"\nDurable writes (synchronous=FULL, WAL), {args.writes} each:")
        results = {}
        for enabled in (False, True):
            results[enabled] = board_writes(*kept[enabled], enabled, args.writes)
        for enabled in (False, True):
            calls, rows = results[enabled]
            state = "on " if enabled else "off"
            print("  " + summary(f"board call received, hook {state}", calls))
            print("  " + summary(f"one-row update, hook {state}", rows))
        print("  " + summary("raw one-row SQLCipher commit (floor)", FLOORS))
        on_calls = statistics.median(results[True][0])
        print(f"  board call / floor: {on_calls / statistics.median(FLOORS):.2f}x (goal <= 2x)")
        for index, name in ((0, "board call"), (1, "one-row update")):
            off = statistics.median(results[False][index])
            on = statistics.median(results[True][index])
            print(f"  audit overhead per {name}: {on - off:+.2f} ms ({on / off:.2f}x)")

        data_dir, key = kept[True]
        database = open_database(data_dir, key, FakeClock(NOW))
        try:
            with database.session() as session:
                entries = session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
            trail = AuditTrail(database, FakeClock(NOW))
            started = time.perf_counter()
            report = trail.verify()
            took = time.perf_counter() - started
        finally:
            database.close()
        assert report.ok
        print(
            f"\nVerify: {entries} entries in {took * 1000:.0f} ms ({entries / took:,.0f} entries/s)"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
