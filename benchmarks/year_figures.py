"""Seconds to read a year's figures (every visit's escalations replayed from its timeline) and
to make the governors' annual review pack, on the demo school (a year of visits).

Builds the demo in a temporary folder; times `Statistics.figures` for the demo's school year
and the annual review PDF, each over a few runs (the first PDF pays for the fonts).

    python benchmarks/year_figures.py [--count 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from hvdesk.clock import FakeClock
from hvdesk.db.database import create_database
from hvdesk.db.keys import new_database_key
from hvdesk.demo.school import seed_demo
from hvdesk.domain.statistics import school_year
from hvdesk.services.statistics import Statistics

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)  # a Monday morning in term time
DEMO_YEAR = 2025  # the demo's full school year of history


def _timed(action: Callable[[], object], count: int) -> tuple[float, float]:
    times: list[float] = []
    for _ in range(count):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times[0], statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=5)
    count = parser.parse_args().count
    clock = FakeClock(NOW)
    with tempfile.TemporaryDirectory() as folder:
        database = create_database(Path(folder) / "data", new_database_key())
        with database.session() as session:
            seed_demo(session, clock)
        stats = Statistics(database, clock)
        figures = stats.figures(*school_year(DEMO_YEAR))
        print(f"school year {DEMO_YEAR}: {figures.went_out} visits made, {figures.overdue} overdue")
        first, median = _timed(lambda: stats.figures(*school_year(DEMO_YEAR)), count)
        print(f"figures        first {first * 1000:7.1f} ms   median {median * 1000:7.1f} ms")
        first, median = _timed(lambda: stats.annual_review_pdf(DEMO_YEAR), count)
        print(f"annual review  first {first * 1000:7.1f} ms   median {median * 1000:7.1f} ms")
        database.close()


if __name__ == "__main__":
    main()
