# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""Issue 12 item 5, as a property: over generated MIS files (known pupils gaining and losing
contacts, new pupils, bad values of every kind, any number of contacts, one row per contact),
every file is either imported whole or refused with line-numbered reasons: never a crash,
never a partial write. 1,000 examples against the real encrypted demo school (set
HVDESK_FUZZ_EXAMPLES to change; `--hypothesis-show-statistics` prints how many were imported
and how many refused)."""

from __future__ import annotations

import hashlib
import os

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hvdesk.clock import to_school_time
from hvdesk.db.models import Pupil
from hvdesk.domain.mis_import import parse_rows
from hvdesk.services.mis_import import ImportRefused, MisImport
from tests.board_school import School, demo_template, school  # noqa: F401
from tests.mis_files import csv_text

MAX_EXAMPLES = int(os.environ.get("HVDESK_FUZZ_EXAMPLES", "1000"))
KNOWN = [f"P{n:012d}" for n in range(1, 6)]
NEW = [f"N{n:012d}" for n in range(1, 9)]
BASE_HEADERS = [
    "UPN",
    "Legal Surname",
    "Legal Forename",
    "DOB",
    "Year",
    "Address Line 1",
    "Town",
    "Postcode",
    "Home Telephone",
]
CONTACT_PARTS = ["Forename", "Surname", "Relationship", "Parental Responsibility", "Mobile"]
PER_CONTACT = [
    "Contact Forename",
    "Contact Surname",
    "Relationship",
    "Parental Responsibility",
    "Contact Priority",
    "Contact Mobile",
]

# Each field: values an MIS writes, and values that must be refused.
NAMES = (["Amy", "Zoë", "Łukasz", "عائشہ", "O'Brien", "Siân", "Chidi"], ["", "x" * 81, "  "])
DATES = (
    ["14/09/2013", "2016-02-29", "01/01/2011", "3/7/2012"],
    ["31/02/2015", "", "01/01/1990", "01/01/2030", "soon", "2015-13-01"],
)
YEARS = (["7", "Y5", "R", "Year 10", "", "N1"], ["Year 21", "ninth"])
STREETS = (
    ["12 Beech Grove", "Flat 4, Kirkstall Court", "33 Moor Lane\n(rear)", "7 Ash Close"],
    [""],
)
TOWNS = (["Leeds", "York", "Bradford"], [""])
POSTCODES = (["LS6 1BQ", "ls4 2az", "BD7 1AQ", "YO1 7HH"], ["LS99 ZZZ", ""])
PHONES = (
    ["07700 900101", "+48 601 234 567", "0800 123 4567", "0113 496 0123", "070 1234 5678", ""],
    ["12345", "+33 6 12"],
)
RELATIONSHIPS = (["Mother", "Father", "Aunt", "Grandmother", "wizard", ""], [])
PRS = (["Yes", "No", "", "Y"], ["maybe"])
PRIORITIES = (["1", "2", "3", ""], ["first"])
IDS = (KNOWN + NEW, ["", "x" * 41])


def value(draw: st.DrawFn, field: tuple[list[str], list[str]], dirty: bool) -> str:
    """A good value, or (in a dirty file, one time in eight) a bad one."""
    good, bad = field
    if dirty and bad and draw(st.integers(0, 7)) == 0:
        return draw(st.sampled_from(bad))
    return draw(st.sampled_from(good))


def pupil_cells(draw: st.DrawFn, dirty: bool) -> list[str]:
    return [
        value(draw, IDS, dirty),
        value(draw, NAMES, dirty),
        value(draw, NAMES, False),
        value(draw, DATES, dirty),
        value(draw, YEARS, dirty),
        value(draw, STREETS, dirty),
        value(draw, TOWNS, dirty),
        value(draw, POSTCODES, dirty),
        value(draw, PHONES, dirty),
    ]


def contact_cells(draw: st.DrawFn, dirty: bool) -> list[str]:
    return [
        value(draw, NAMES, False),
        value(draw, NAMES, dirty),
        value(draw, RELATIONSHIPS, dirty),
        value(draw, PRS, dirty),
        value(draw, PHONES, dirty),
    ]


@st.composite
def numbered_file(draw: st.DrawFn) -> bytes:
    dirty = draw(st.booleans())
    contacts = draw(st.integers(0, 4))
    headers = list(BASE_HEADERS)
    for n in range(1, contacts + 1):
        headers += [f"Contact {n} {part}" for part in CONTACT_PARTS]
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        row = pupil_cells(draw, dirty)
        for _n in range(contacts):
            row += contact_cells(draw, dirty) if draw(st.booleans()) else [""] * 5
        if dirty and draw(st.integers(0, 19)) == 0:
            row.append("an unquoted, comma")
        rows.append(row)
    return csv_text(headers, rows)


@st.composite
def per_contact_file(draw: st.DrawFn) -> bytes:
    dirty = draw(st.booleans())
    rows = []
    pupils = [pupil_cells(draw, dirty) for _ in range(draw(st.integers(1, 4)))]
    for _ in range(draw(st.integers(1, 8))):
        cells = list(draw(st.sampled_from(pupils)))
        if dirty and draw(st.integers(0, 9)) == 0:
            cells[5] = "99 Different Road"  # the same pupil's rows disagree
        contact = contact_cells(draw, dirty)
        rows.append([*cells, *contact[:4], value(draw, PRIORITIES, dirty), contact[4]])
    return csv_text(BASE_HEADERS + PER_CONTACT, rows)


def snapshot(school: School) -> str:
    """Everything an import can write, as one digest (raw rows: no type conversion to pay)."""
    with school.database.session() as session:
        connection = session.connection()
        parts = [
            connection.exec_driver_sql(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            for table in ("pupils", "households", "adults", "pupil_adults", "settings")
        ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@pytest.fixture
def known_school(school: School) -> School:
    """The demo school after a first term's import of five known pupils with one contact."""
    rows = [
        [
            mis_id,
            "Known",
            f"Pupil{n}",
            "14/09/2013",
            "7",
            f"{n} Beech Grove",
            "Leeds",
            "LS6 1BQ",
            "",
            "Parent",
            f"Known{n}",
            "Mother",
            "Yes",
            "07700 900101",
        ]
        for n, mis_id in enumerate(KNOWN, start=1)
    ]
    headers = BASE_HEADERS + [f"Contact 1 {part}" for part in CONTACT_PARTS]
    importer = MisImport(school.database, school.clock)
    file = importer.read_bytes(csv_text(headers, rows), "autumn.csv")
    importer.run(file, file.suggested, school.user("p.stanton"))
    return school


@pytest.mark.slow
@pytest.mark.timeout(1800)  # 1,000 imports into a real database: minutes, not seconds
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=st.one_of(numbered_file(), per_contact_file()))
def test_every_file_is_imported_whole_or_refused_with_line_numbers(known_school, raw):
    school = known_school
    importer = MisImport(school.database, school.clock)
    admin = school.user("p.stanton")
    file = importer.read_bytes(raw, "generated.csv")
    last_line = raw.count(b"\n")
    before = snapshot(school)
    checked = importer.check(file, file.suggested, admin)
    assert snapshot(school) == before  # checking never writes
    event("imported whole" if checked.ok else "refused with line numbers")
    if checked.ok:
        summary = importer.run(file, file.suggested, admin)
        assert (summary.added, summary.updated, summary.unchanged) == (
            checked.added,
            checked.updated,
            checked.unchanged,
        )
        today = to_school_time(school.clock.now()).date()
        on_file = {p.mis_id for p in parse_rows(file.table, file.suggested, today).pupils}
        with school.database.session() as session:
            found = set(session.scalars(sa.select(Pupil.mis_id).where(Pupil.mis_id.in_(on_file))))
        assert found == on_file  # the whole file is in
    else:
        assert checked.problems and all(1 <= p.line <= last_line for p in checked.problems)
        assert all(str(p).startswith(f"Line {p.line}: ") for p in checked.problems)
        with pytest.raises(ImportRefused) as refused:
            importer.run(file, file.suggested, admin)
        assert refused.value.problems == checked.problems
        assert snapshot(school) == before  # nothing half-written
