"""The MIS import on a whole school's export: read, check (dry run) and import, then import
the same file again (every pupil matched and unchanged).

Builds the demo school in a temporary folder, writes a SIMS-like CSV of N pupils (siblings
sharing homes, two contacts each), and times each step once (an import is an occasional,
interactive task: the figure that matters is whether the office waits seconds or minutes).

    python benchmarks/mis_import.py [--pupils 1500]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hvdesk.clock import FakeClock
from hvdesk.db.database import create_database
from hvdesk.db.keys import new_database_key
from hvdesk.demo.school import seed_demo
from hvdesk.services.mis_import import MisImport
from tests.board_school import signed_in
from tests.conftest import MONDAY_MORNING

HEADER = (
    "UPN,Legal Surname,Legal Forename,DOB,Year,Address Line 1,Town,Postcode,"
    "Contact 1 Forename,Contact 1 Surname,Contact 1 Relationship,"
    "Contact 1 Parental Responsibility,Contact 1 Mobile,Contact 2 Forename,Contact 2 Surname,"
    "Contact 2 Relationship,Contact 2 Parental Responsibility,Contact 2 Mobile"
)


def export(pupils: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    lines = [HEADER]
    for n in range(pupils):
        home = n // 2  # two children per home
        surname = f"Family{home}"
        lines.append(
            f"B{n:09d},{surname},Child{n},{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/"
            f"{rng.randint(2008, 2020)},{rng.randint(1, 13)},{home + 1} Long Road,Leeds,"
            f"LS{home % 28 + 1} {home % 9 + 1}AB,Mum{home},{surname},Mother,Yes,"
            f"07700 {900000 + home % 1000:06d},Dad{home},{surname},Father,Yes,"
            f"07700 {901000 + home % 1000:06d}"
        )
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=1500)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp()) / "data"
    clock = FakeClock(MONDAY_MORNING)
    try:
        database = create_database(folder, new_database_key())
        with database.session() as session:
            seed_demo(session, clock)
        admin = signed_in(database, "p.stanton")
        importer = MisImport(database, clock)
        raw = export(args.pupils)
        steps: list[tuple[str, float]] = []
        start = time.perf_counter()
        file = importer.read_bytes(raw, "export.csv")
        steps.append(("read + map", time.perf_counter() - start))
        start = time.perf_counter()
        checked = importer.check(file, file.suggested, admin)
        steps.append(("check (dry run)", time.perf_counter() - start))
        start = time.perf_counter()
        first = importer.run(file, file.suggested, admin)
        steps.append(("import (all new)", time.perf_counter() - start))
        start = time.perf_counter()
        again = importer.run(file, file.suggested, admin)
        steps.append(("import again (unchanged)", time.perf_counter() - start))
        database.close()
        print(f"{args.pupils} pupils, {len(raw) // 1024} KiB; check said: {checked.describe()}")
        print(f"first: {first.describe()}  again: {again.describe()}")
        for name, seconds in steps:
            print(
                f"{name:26s} {seconds * 1000:8.0f} ms  ({seconds * 1e6 / args.pupils:6.0f} µs/row)"
            )
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
