"""Importing a whole school's export (issue 17): 1,500 pupils from a CTF and from a CSV, each
into a fresh copy of the demo school, against its floor.

The floor is what any import of those families must pay: the same pupils, households, adults
and links written with Core `insert()` in one transaction (no reading, no matching, no checks).
The CSV has the SIMS column set with addresses in parts and three numbered contacts; the CTF the
DfE's structure with the same families (tests/mis_files.py builds both; every name invented).
Runs are interleaved (floor, CSV, CTF on fresh copies each round), >= 5 rounds; min / median /
max of each, and the ratios of the medians to the floor.

    python benchmarks/mis_formats.py [--pupils 1500] [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa

from hvdesk.clock import FakeClock
from hvdesk.db.database import create_database, open_database
from hvdesk.db.keys import new_database_key
from hvdesk.db.models import Adult, Household, Pupil, PupilAdult
from hvdesk.demo.school import seed_demo
from hvdesk.domain.households import Relationship
from hvdesk.services.mis_import import MisImport
from tests.board_school import signed_in
from tests.conftest import MONDAY_MORNING
from tests.mis_files import FakeContact, FakePupil, csv_text, ctf

STREETS = ("Beech Grove", "Moor Lane", "Ash Close", "Kirkstall Road", "Hill Top", "Oak Road")
FIRST = ("Amy", "Zoë", "Muhammad", "Aisha", "Łukasz", "Siân", "Chidi", "Maja", "Rhys", "Yusuf")
LAST = ("Okafor", "Nowak", "Begum", "Hughes", "Khan", "Patel", "Lee", "Evans", "Ahmed", "Wood")


def families(pupils: int) -> list[FakePupil]:
    """Two children a home, three contacts each (two with parental responsibility)."""
    out = []
    for n in range(pupils):
        home = n // 2
        last = LAST[home % len(LAST)]
        phones = (("M", f"07700 {900000 + home % 1000:06d}"),)
        out.append(
            FakePupil(
                upn=f"B{n:012d}",
                forename=FIRST[n % len(FIRST)],
                surname=last,
                dob=f"{2008 + n % 12}-{1 + n % 12:02d}-{1 + n % 28:02d}",
                year=str(1 + n % 11),
                paon=str(home + 1),
                street=STREETS[home % len(STREETS)],
                postcode=f"LS{home % 28 + 1} {home % 9 + 1}AB",
                contacts=(
                    FakeContact(f"Parent{home}", last, "PAR", "true", 1, phones),
                    FakeContact(f"Carer{home}", last, "PAR", "true", 2, phones),
                    FakeContact(f"Gran{home}", last, "REL", "false", 3, ()),
                ),
            )
        )
    return out


def as_csv(pupils: list[FakePupil]) -> bytes:
    headers = [
        "UPN",
        "Legal Surname",
        "Legal Forename",
        "DOB",
        "Year",
        "House Number",
        "Street",
        "Town",
        "Postcode",
    ]
    for n in (1, 2, 3):
        headers += [
            f"Contact {n} Forename",
            f"Contact {n} Surname",
            f"Contact {n} Relationship",
            f"Contact {n} Parental Responsibility",
            f"Contact {n} Mobile",
        ]
    rows = []
    for p in pupils:
        row = [p.upn, p.surname, p.forename, p.dob, p.year, p.paon, p.street, p.town, p.postcode]
        for c in p.contacts:
            row += [
                c.forename,
                c.surname,
                "Mother" if c.order == 1 else "Other",
                "Yes" if c.responsibility == "true" else "No",
                c.phones[0][1] if c.phones else "",
            ]
        rows.append(row)
    return csv_text(headers, rows)


def floor(database: object, pupils: list[FakePupil]) -> None:
    """The same families written with Core inserts, in one transaction."""
    now = datetime(2026, 11, 23, 9, tzinfo=UTC)
    with database.session() as session:  # type: ignore[attr-defined]
        base = session.scalar(sa.select(sa.func.max(Household.id))) or 0
        adult_base = session.scalar(sa.select(sa.func.max(Adult.id))) or 0
        pupil_base = session.scalar(sa.select(sa.func.max(Pupil.id))) or 0
        homes, adults, kids, links = [], [], [], []
        for n, p in enumerate(pupils):
            home_id = base + 1 + n // 2
            if n % 2 == 0:
                homes.append(
                    dict(
                        id=home_id,
                        address_line1=f"{p.paon} {p.street}",
                        town=p.town,
                        postcode=p.postcode,
                        area=p.town,
                        created_at=now,
                    )
                )
                for k, c in enumerate(p.contacts):
                    adults.append(
                        dict(
                            id=adult_base + 1 + (n // 2) * 3 + k,
                            household_id=home_id,
                            first_name=c.forename,
                            last_name=c.surname,
                            phone=c.phones[0][1] if c.phones else None,
                        )
                    )
            kids.append(
                dict(
                    id=pupil_base + 1 + n,
                    mis_id=p.upn,
                    first_name=p.forename,
                    last_name=p.surname,
                    date_of_birth=date.fromisoformat(p.dob),
                    year_group=int(p.year),
                    household_id=home_id,
                    active=True,
                )
            )
            for k, c in enumerate(p.contacts):
                links.append(
                    dict(
                        pupil_id=pupil_base + 1 + n,
                        adult_id=adult_base + 1 + (n // 2) * 3 + k,
                        relationship_to_pupil=Relationship.OTHER,
                        parental_responsibility=c.responsibility == "true",
                        lives_with_pupil=True,
                        contact_priority=c.order,
                    )
                )
        session.execute(sa.insert(Household), homes)
        session.execute(sa.insert(Adult), adults)
        session.execute(sa.insert(Pupil), kids)
        session.execute(sa.insert(PupilAdult), links)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=1500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp())
    clock = FakeClock(MONDAY_MORNING)
    try:
        template, key = root / "template", new_database_key()
        database = create_database(template, key)
        with database.session() as session:
            seed_demo(session, clock)
        database.close()
        pupils = families(args.pupils)
        files = {"CSV": as_csv(pupils), "CTF": ctf(pupils)}
        times: dict[str, list[float]] = {"floor": [], "CSV": [], "CTF": []}
        for run in range(max(5, args.runs)):
            for name in ("floor", "CSV", "CTF"):
                folder = root / f"{name}-{run}"
                shutil.copytree(template, folder)
                database = open_database(folder, key, clock)
                start = time.perf_counter()
                if name == "floor":
                    floor(database, pupils)
                else:
                    importer = MisImport(database, clock)
                    admin = signed_in(database, "p.stanton")
                    file = importer.read_bytes(files[name], f"export.{name.lower()}")
                    summary = importer.run(file, file.suggested, admin)
                    assert summary.added == args.pupils, summary.problems[:3]
                times[name].append(time.perf_counter() - start)
                database.close()
                shutil.rmtree(folder)
        print(f"{args.pupils} pupils, 3 contacts each, {len(times['floor'])} interleaved rounds")
        for name, values in times.items():
            print(
                f"  {name:6s} min {min(values):6.2f} s  median {statistics.median(values):6.2f} s"
                f"  max {max(values):6.2f} s"
            )
        base = statistics.median(times["floor"])
        for name in ("CSV", "CTF"):
            print(f"  {name} / floor (medians): {statistics.median(times[name]) / base:.1f}x")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
