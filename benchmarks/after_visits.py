"""The After visits page's reads, and what the demo's follow-ups add to seeding.

Seeds the demo school into a temporary encrypted database, times `add_follow_ups` (the seed's
share) on its own, then times, median of N after one warm-up, as the DSL (who sees everything)
and as a visiting member of staff (who sees their own): the hand-off list, open follow-ups, all
follow-ups (done included), and one CPOMS summary. Prints figures; asserts nothing.

    python benchmarks/after_visits.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from hvdesk.clock import FakeClock
from hvdesk.db.database import create_database
from hvdesk.db.keys import new_database_key
from hvdesk.db.models import FollowUp, UserAccount
from hvdesk.demo.follow_ups import add_follow_ups
from hvdesk.demo.school import seed_demo
from hvdesk.domain.people import Role
from hvdesk.services.identity import SignedInUser
from hvdesk.services.visit_records import VisitRecords

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)  # the tests' Monday morning


def _median_ms(work: Callable[[], Any], repeat: int) -> float:
    work()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _user(database: Any, role: Role) -> SignedInUser:
    with database.session() as session:
        account = session.scalars(
            sa.select(UserAccount).where(UserAccount.role == role).order_by(UserAccount.id)
        ).first()
        assert account is not None
        return SignedInUser(
            account.id, account.username, account.display_name, account.role, account.staff_id
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hvdesk-bench-after-"))
    try:
        database = create_database(folder / "data", new_database_key())
        start = time.perf_counter()
        with database.session() as session:
            seed_demo(session, FakeClock(NOW))
        seed = time.perf_counter() - start
        # The seed's share: take its follow-ups out and add them again, timed.
        with database.session() as session:
            session.execute(sa.delete(FollowUp))
            start = time.perf_counter()
            add_follow_ups(session, NOW)
            session.flush()
            follow_ups = time.perf_counter() - start
        print(
            f"seed (commit included): {seed * 1000:.0f} ms; follow-ups: {follow_ups * 1000:.0f} ms"
        )
        records = VisitRecords(database, FakeClock(NOW))
        for role in (Role.DSL, Role.VISITING_STAFF):
            user = _user(database, role)
            waiting = records.awaiting_cpoms(user)
            print(f"as {role.label}:")
            reads: list[tuple[str, Callable[[], Any]]] = [
                (f"hand-off list ({len(waiting)} rows)", partial(records.awaiting_cpoms, user)),
                (
                    f"open follow-ups ({len(records.follow_ups(user))} rows)",
                    partial(records.follow_ups, user),
                ),
                (
                    f"all follow-ups ({len(records.follow_ups(user, include_done=True))} rows)",
                    partial(records.follow_ups, user, include_done=True),
                ),
            ]
            if waiting:
                reads.append(
                    ("one CPOMS summary", partial(records.cpoms_summary, waiting[0].visit_id, user))
                )
            for name, work in reads:
                print(f"  {name}: {_median_ms(work, args.repeat):.1f} ms")
        database.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
