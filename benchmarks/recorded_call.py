"""A recorded call, durable: `VisitLog.call_received` on the demo school against its floor, a raw
one-row SQLCipher commit with the same key and pragmas (WAL, synchronous=FULL) through the same
driver, in a table of its own in a file beside it.

    python -m benchmarks.recorded_call
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlcipher

from benchmarks.demo_school import demo_school
from benchmarks.harness import Figure, figure, interleaved, mean_ms
from hvdesk.db.engine import raw_key_literal
from hvdesk.services.visit_log import VisitLog


def raw_database(path: Path, key: bytes) -> sqlcipher.Connection:
    """The floor's database: the same key and pragmas as hvdesk's engine, one small table."""
    raw = sqlcipher.connect(str(path), isolation_level=None)
    raw.execute(f'PRAGMA key = "{raw_key_literal(key)}"')
    for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
        raw.execute(f"PRAGMA {pragma}")
    raw.execute("CREATE TABLE calls (id INTEGER PRIMARY KEY, at TEXT, note TEXT)")
    return raw


def one_commit(raw: sqlcipher.Connection) -> None:
    """The floor: one row, committed durably."""
    raw.execute("BEGIN IMMEDIATE")
    raw.execute("INSERT INTO calls (at, note) VALUES (?, ?)", ("2026-11-23 10:30:00", "called"))
    raw.execute("COMMIT")


def figures(quick: bool) -> list[Figure]:
    school = demo_school()
    try:
        raw = raw_database(school.folder / "floor.db", school.key)
        log = VisitLog(school.database, school.clock)
        user = school.user()
        visit_id = school.out_visits()[0]

        def one_call() -> None:
            school.clock.advance(timedelta(seconds=1))
            log.call_received(visit_id, user)

        repeat = 20 if quick else 100
        one_call(), one_commit(raw)  # warm-up: statement caches, mapper configuration
        values, floors = interleaved(
            lambda: mean_ms(one_call, repeat), lambda: mean_ms(lambda: one_commit(raw), repeat), 5
        )
        raw.close()
    finally:
        school.database.close()
        shutil.rmtree(school.folder, ignore_errors=True)
    return [
        figure(
            "a recorded call, durable",
            "<= 2x",
            values,
            floors,
            floor="a raw one-row SQLCipher commit (same key, WAL, synchronous=FULL)",
        )
    ]


if __name__ == "__main__":
    from benchmarks.harness import table

    print(table(figures(quick=False)))
