"""Search as you type over 2,000 pupils (issue 17 item 4): the request form's `find_homes`,
accent-folded and tolerant of spelling variants, keystroke by keystroke.

Its floor is the same database read with no matching at all (every pupil on roll with their
home, as `find_homes` reads them): what any search done in Python must pay. Runs are
interleaved (floor, search, floor, search...), each run types every prefix of each query, and
the figure per keystroke is min / median / max over the runs, with the ratio to the floor.
Aim: under 16 ms a keystroke (judged on the slowest keystroke's CPU time, as a shared machine's
wall time includes waiting for a core; both are printed).

    python benchmarks/name_search.py [--pupils 2000] [--runs 7]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa

from hvdesk.clock import FakeClock
from hvdesk.db.database import Database, create_database
from hvdesk.db.keys import new_database_key
from hvdesk.db.models import Household, Pupil
from hvdesk.demo.school import seed_demo
from hvdesk.services.lookups import _HOME_COLUMNS, _PUPIL_COLUMNS, Lookups
from tests.conftest import MONDAY_MORNING

FIRST = [
    "Amy",
    "Zoë",
    "Muhammad",
    "Mohammed",
    "Mohamed",
    "Aisha",
    "Ayesha",
    "Łukasz",
    "Siân",
    "Oliver",
    "Chidi",
    "Adaeze",
    "Yusuf",
    "Yousef",
    "Olivia",
    "Jack",
    "Ella",
    "Noah",
    "Maja",
    "Zofia",
    "Rhys",
    "Amina",
    "Kemi",
    "Tomasz",
    "Ben",
    "Lily",
    "Freya",
    "Arjun",
    "Meera",
]
LAST = [
    "Smith",
    "Khan",
    "Begum",
    "Nowak",
    "Wiśniewska",
    "Okafor",
    "Hughes",
    "Patel",
    "Brown",
    "Green",
    "Jones",
    "Ali",
    "Hussain",
    "Ashworth",
    "Qureshi",
    "Kowalski",
    "Evans",
    "Wood",
    "Lewis",
    "Müller",
    "O'Brien",
    "Davies",
    "Taylor",
    "Ahmed",
    "Rahman",
]
QUERIES = ("mohamed", "zoe ash", "wisniewska", "ls6 2", "siân hughes")


def build(folder: Path, pupils: int) -> Database:
    clock = FakeClock(MONDAY_MORNING)
    database = create_database(folder, new_database_key())
    rng = random.Random(17)
    with database.session() as session:
        seed_demo(session, clock)
        for n in range(pupils):
            if n % 2 == 0:
                home = Household(
                    address_line1=f"{n // 2 + 1} Long Road",
                    town="Leeds",
                    postcode=f"LS{n % 28 + 1} {n % 9 + 1}AB",
                    area="Headingley",
                    created_at=MONDAY_MORNING,
                )
                session.add(home)
            session.add(
                Pupil(
                    mis_id=f"B{n:09d}",
                    first_name=rng.choice(FIRST),
                    last_name=rng.choice(LAST),
                    date_of_birth=date(2014, 1, 1 + n % 28),
                    year_group=rng.randint(1, 11),
                    household=home,
                )
            )
    return database


def floor(database: Database) -> None:
    stmt = (
        sa.select(*_PUPIL_COLUMNS, *_HOME_COLUMNS)
        .join(Household, Pupil.household_id == Household.id)
        .where(Pupil.active.is_(True))
        .order_by(Pupil.last_name, Pupil.first_name, Pupil.id)
    )
    with database.session() as session:
        for _row in session.execute(stmt):
            pass


def keystrokes() -> list[str]:
    return [query[:n] for query in QUERIES for n in range(1, len(query) + 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp()) / "data"
    try:
        database = build(folder, args.pupils)
        lookups = Lookups(database, FakeClock(MONDAY_MORNING))
        typed = keystrokes()
        floor(database)
        lookups.find_homes("warm")
        floors: list[float] = []
        searches: list[float] = []
        worst: list[float] = []
        worst_cpu: list[float] = []
        for _ in range(max(5, args.runs)):
            start = time.perf_counter()
            for _key in typed:
                floor(database)
            floors.append((time.perf_counter() - start) / len(typed) * 1000)
            each: list[float] = []
            cpu: list[float] = []
            for key in typed:
                one, one_cpu = time.perf_counter(), time.process_time()
                lookups.find_homes(key)
                each.append((time.perf_counter() - one) * 1000)
                cpu.append((time.process_time() - one_cpu) * 1000)
            searches.append(sum(each) / len(each))
            worst.append(max(each))
            worst_cpu.append(max(cpu))
        print(f"{args.pupils} pupils, {len(typed)} keystrokes a run, {len(floors)} runs")
        for name, values in (
            ("floor (read only)", floors),
            ("search a keystroke", searches),
            ("slowest keystroke", worst),
            ("slowest, CPU time", worst_cpu),
        ):
            print(
                f"  {name:20s} min {min(values):6.2f} ms  median {statistics.median(values):6.2f}"
                f" ms  max {max(values):6.2f} ms"
            )
        ratio = statistics.median(searches) / statistics.median(floors)
        # The machine is shared: wall time of one keystroke includes waiting for a core, so the
        # aim is judged on the CPU time of the slowest keystroke (wall time is printed too).
        verdict = "within" if statistics.median(worst_cpu) < 16 else "OVER"
        print(f"  ratio search / floor (medians): {ratio:.2f}x; aim 16 ms a keystroke: {verdict}")
        database.close()
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
