"""What the visit request form asks of the database while it is filled in: the pupil search on
each keystroke (`Lookups.find_homes`), the live problem list on each edit
(`VisitRequests.problems_for`), and the visitor list on each change of time
(`Lookups.visitor_choices`).

Builds, once, into a temporary folder: the demo school, then extra pupils and households up to
the size of a large secondary school. Each call is timed (median of the repeats, after one
warm-up). Aim: well under 50 ms, so typing never lags.

    python benchmarks/visit_request_form.py [--pupils 2000] [--repeat 20]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hvdesk.clock import FakeClock
from hvdesk.db.database import create_database
from hvdesk.db.keys import new_database_key
from hvdesk.db.models import Household, Pupil, Staff
from hvdesk.demo.school import seed_demo
from hvdesk.domain.visit_request import VisitRequestDraft
from hvdesk.domain.visits import VisitReason
from hvdesk.services.lookups import Lookups
from hvdesk.services.visit_requests import VisitRequests

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)  # a Monday in term (GMT)
VISIT_START = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
KEYSTROKES = ("s", "sm", "smi", "smit", "smith", "rv1", "rv1 2")


def median_ms(call: Callable[[], object], repeat: int) -> float:
    call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def add_pupils(session: Session, total: int) -> int:
    """Pupils two to a household until the school holds `total`; returns the count."""
    have = session.scalar(sa.select(sa.func.count()).select_from(Pupil)) or 0
    for n in range(max(0, total - have) // 2):
        home = Household(
            address_line1=f"{n + 1} Bench Street",
            town="Brookford",
            postcode=f"RV{n % 9 + 1} {n % 10}AB",
            area="Benchside",
            created_at=NOW,
        )
        session.add(home)
        for sibling in ("Ann", "Bob"):
            session.add(
                Pupil(
                    first_name=sibling,
                    last_name=f"Smithson{n}",
                    mis_id=f"BENCH{n:05d}{sibling}",
                    date_of_birth=date(2012, 1, 1),
                    year_group=8,
                    household=home,
                )
            )
    session.flush()
    return session.scalar(sa.select(sa.func.count()).select_from(Pupil)) or 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hvdesk-bench-")) / "data"
    clock = FakeClock(NOW)
    try:
        database = create_database(folder, new_database_key())
        with database.session() as session:
            seed_demo(session, clock)
            pupils = add_pupils(session, args.pupils)
            household = session.scalars(sa.select(Household.id).limit(1)).one()
            pair = tuple(session.scalars(sa.select(Staff.id).limit(2)))
        lookups, requests = Lookups(database, clock), VisitRequests(database, clock)
        print(f"{pupils} pupils; median of {args.repeat}")
        for typed in KEYSTROKES:
            ms = median_ms(partial(lookups.find_homes, typed), args.repeat)
            print(f"  find_homes({typed!r}): {ms:.1f} ms")
        draft = VisitRequestDraft(
            household_id=household,
            planned_start=VISIT_START,
            planned_end=VISIT_START + timedelta(hours=1),
            reason=VisitReason.WELFARE_CHECK,
            visitor_staff_ids=pair,
        )
        ms = median_ms(lambda: requests.problems_for(draft), args.repeat)
        print(f"  problems_for (two visitors): {ms:.1f} ms")
        end = VISIT_START + timedelta(hours=1)
        ms = median_ms(lambda: lookups.visitor_choices(VISIT_START, end), args.repeat)
        print(f"  visitor_choices: {ms:.1f} ms")
        database.close()
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
