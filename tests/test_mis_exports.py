# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""MIS exports as schools have them (issue 17 items 1-2), imported into the real encrypted demo
school: addresses in parts, any number of contacts, one row per contact, the mapping remembered
for next term, and the DfE's Common Transfer File read by content with element-numbered
problems, matched by UPN, all or nothing."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from hvdesk.db.models import Adult, Pupil, PupilAdult
from hvdesk.domain.ctf_import import ctf_pupils, looks_like_ctf, read_ctf
from hvdesk.domain.mis_import import MisField, MisFileError, parse_rows, read_csv, suggest_mapping
from hvdesk.services.mis_import import ImportRefused, MappingUnknown, MisFileUnreadable, MisImport
from hvdesk.services.people import PeopleService
from tests.board_school import School, demo_template, school  # noqa: F401
from tests.mis_files import FakeContact, FakePupil, csv_text, ctf
from tests.test_mis_import import counts

TODAY = date(2026, 11, 23)


@pytest.fixture
def importer(school: School) -> MisImport:
    return MisImport(school.database, school.clock)


def pupil(school: School, mis_id: str) -> Pupil:
    with school.database.session() as session:
        found = session.scalars(sa.select(Pupil).where(Pupil.mis_id == mis_id)).one()
        _ = found.household
        session.expunge_all()
        return found


def contacts_of(school: School, mis_id: str) -> list[tuple[str, str, bool, int | None, str]]:
    with school.database.session() as session:
        rows = session.execute(
            sa.select(
                Adult.first_name,
                PupilAdult.relationship_to_pupil,
                PupilAdult.parental_responsibility,
                PupilAdult.contact_priority,
                Adult.phone,
            )
            .join(PupilAdult, PupilAdult.adult_id == Adult.id)
            .join(Pupil, Pupil.id == PupilAdult.pupil_id)
            .where(Pupil.mis_id == mis_id)
            .order_by(PupilAdult.contact_priority, Adult.id)
        ).all()
    return [(r[0], r[1].value, r[2], r[3], r[4]) for r in rows]


# -- CSV: addresses in parts -------------------------------------------------------------------

SIMS_PARTS = [
    "UPN",
    "Legal Surname",
    "Legal Forename",
    "DOB",
    "Year",
    "Apartment",
    "House Name",
    "House Number",
    "Street",
    "Locality",
    "Town",
    "County",
    "Postcode",
]


def test_address_parts_are_joined_as_a_letter_is_addressed(school, importer):
    raw = csv_text(
        SIMS_PARTS,
        [
            [
                "T100000000001",
                "Okafor",
                "Chidi",
                "14/09/2013",
                "8",
                "",
                "",
                "12",
                "Beech Grove",
                "",
                "Leeds",
                "West Yorkshire",
                "LS6 1BQ",
            ],
            [
                "T100000000002",
                "Nowak",
                "Zofia",
                "03/07/2012",
                "9",
                "4",
                "Kirkstall Court",
                "",
                "Kirkstall Road",
                "Kirkstall",
                "Leeds",
                "",
                "ls4 2az",
            ],
            [
                "T100000000003",
                "Hughes",
                "Rhys",
                "21/11/2018",
                "R",
                "",
                "Rose Cottage",
                "7",
                "Ash Close",
                "",
                "Bradford",
                "",
                "BD7 1AQ",
            ],
        ],
    )
    file = importer.read_bytes(raw, "sims.csv")
    named = {f: file.table.headers[c] for f, c in file.suggested.items()}
    assert (named[MisField.FLAT], named[MisField.HOUSE_NAME]) == ("Apartment", "House Name")
    assert (named[MisField.HOUSE_NUMBER], named[MisField.STREET]) == ("House Number", "Street")
    assert MisField.ADDRESS_LINE1 not in file.suggested
    summary = importer.run(file, file.suggested, school.user("p.stanton"))
    assert summary.added == 3
    homes = {
        m: pupil(school, m).household for m in ("T100000000001", "T100000000002", "T100000000003")
    }
    assert homes["T100000000001"].address_line1 == "12 Beech Grove"
    assert homes["T100000000002"].address_line1 == "Flat 4, Kirkstall Court, Kirkstall Road"
    assert homes["T100000000002"].address_line2 == "Kirkstall"
    assert homes["T100000000002"].postcode == "LS4 2AZ"
    assert homes["T100000000003"].address_line1 == "Rose Cottage, 7 Ash Close"


def test_a_mapping_with_neither_a_first_line_nor_its_parts_is_refused():
    table = read_csv(
        csv_text(
            ["UPN", "Surname", "Forename", "DOB", "Town", "Postcode"],
            [["A1", "Lee", "Maya", "01/09/2014", "York", "YO1 7HH"]],
        )
    )
    parsed = parse_rows(table, suggest_mapping(table.headers), TODAY)
    assert [str(p) for p in parsed.problems] == [
        "Line 1: Choose the column that holds Address line 1 (or the house number and street)."
    ]


# -- CSV: any number of contacts; one row per contact -----------------------------------------


def test_contacts_beyond_two_are_read_in_their_numbered_order(school, importer):
    headers = ["UPN", "Surname", "Forename", "DOB", "Address Line 1", "Town", "Postcode"]
    row = ["T200000000001", "Begum", "Amina", "01/01/2011", "33 Moor Lane", "Leeds", "LS11 5PP"]
    for n in range(1, 6):
        headers += [
            f"Contact {n} Forename",
            f"Contact {n} Surname",
            f"Contact {n} Relationship",
            f"Contact {n} Parental Responsibility",
            f"Contact {n} Mobile",
        ]
    people = [
        ("Rashida", "Mother", "Yes", "07700 900301"),
        ("Imran", "Father", "Yes", "+48 601 234 567"),
        ("Salma", "Aunt", "No", "07700 900303"),
        ("Yusuf", "Grandfather", "No", "0113 496 0304"),
        ("Nadia", "Sister", "No", ""),
    ]
    for first, relationship, pr, phone in people:
        row += [first, "Begum", relationship, pr, phone]
    file = importer.read_bytes(csv_text(headers, [row]), "five.csv")
    assert importer.run(file, file.suggested, school.user("p.stanton")).added == 1
    assert contacts_of(school, "T200000000001") == [
        ("Rashida", "mother", True, 1, "07700 900301"),
        ("Imran", "father", True, 2, "+48 601 234 567"),
        ("Salma", "aunt_uncle", False, 3, "07700 900303"),
        ("Yusuf", "grandparent", False, 4, "0113 496 0304"),
        ("Nadia", "sibling", False, 5, None),
    ]


ARBOR_GUARDIANS = [
    "Student ID",
    "Legal first name",
    "Legal last name",
    "Date of birth",
    "Year group",
    "Address line 1",
    "Address line 2",
    "Town",
    "Postcode",
    "Contact first name",
    "Contact last name",
    "Relationship",
    "Parental responsibility",
    "Contact priority",
    "Contact mobile",
    "Contact email",
]


def guardian_rows() -> list[list[str]]:
    pupil_a = [
        "T300000000001",
        "Maya",
        "Lee",
        "2014-09-01",
        "Year 7",
        "3 Hill Top",
        "",
        "York",
        "YO1 7HH",
    ]
    pupil_b = [
        "T300000000002",
        "Ola",
        "Kowalska",
        "2015-03-02",
        "Year 6",
        "9 Oak Road",
        "",
        "Leeds",
        "LS3 1CD",
    ]
    return [
        [*pupil_a, "Grace", "Lee", "Aunt", "Yes", "2", "07700 900401", "grace@example.org"],
        [*pupil_b, "Anna", "Kowalska", "Mother", "Yes", "1", "+48 601 234 567", ""],
        [*pupil_a, "Tom", "Lee", "Father", "Yes", "1", "07700 900402", ""],
        [*pupil_a, "Jo", "Lee", "Grandmother", "No", "3", "", ""],
    ]


def test_a_file_with_one_row_per_contact_gathers_each_pupil(school, importer):
    file = importer.read_bytes(csv_text(ARBOR_GUARDIANS, guardian_rows()), "guardians.csv")
    assert MisField.CONTACT_PRIORITY in file.suggested
    summary = importer.run(file, file.suggested, school.user("p.stanton"))
    assert (summary.added, summary.households_added) == (2, 2)
    assert contacts_of(school, "T300000000001") == [
        ("Tom", "father", True, 1, "07700 900402"),
        ("Grace", "aunt_uncle", True, 2, "07700 900401"),
        ("Jo", "grandparent", False, 3, None),
    ]
    assert [c[0] for c in contacts_of(school, "T300000000002")] == ["Anna"]
    people = PeopleService(school.database, school.clock)
    adults = people.pupil(pupil(school, "T300000000001").id, school.user("p.stanton")).draft
    assert [a.first_name for a in adults.adults] == ["Tom", "Grace", "Jo"]  # PR, then priority


def test_rows_of_one_pupil_that_disagree_are_refused_with_both_lines(school, importer):
    rows = guardian_rows()
    rows[2][5] = "4 Hill Top"  # the father's row gives another address
    file = importer.read_bytes(csv_text(ARBOR_GUARDIANS, rows), "guardians.csv")
    before = counts(school)
    with pytest.raises(ImportRefused) as refused:
        importer.run(file, file.suggested, school.user("p.stanton"))
    assert [str(p) for p in refused.value.problems] == [
        "Line 4: MIS ID T300000000001 is on line 2 with different pupil details (name, date of "
        "birth, year or address); each row of a pupil repeats them."
    ]
    assert counts(school) == before


# -- the mapping remembered for next term ----------------------------------------------------


def test_the_mapping_is_remembered_for_next_term_by_header_names(school, importer):
    admin = school.user("p.stanton")
    headers = ["Pupil Ref", "Family", "Given", "Born", "Road", "Place", "Code"]
    row = ["T400000000001", "Evans", "Cerys", "02/02/2015", "5 Cedar Way", "Leeds", "LS4 4EF"]
    file = importer.read_bytes(csv_text(headers, [row]), "odd.csv")
    assert file.remembered is None and MisField.MIS_ID not in file.suggested
    mapping = {
        MisField.MIS_ID: 0,
        MisField.LAST_NAME: 1,
        MisField.FIRST_NAME: 2,
        MisField.DATE_OF_BIRTH: 3,
        MisField.ADDRESS_LINE1: 4,
        MisField.TOWN: 5,
        MisField.POSTCODE: 6,
    }
    importer.run(file, mapping, admin, remember_as="Autumn export")
    assert importer.mapping_names() == ["Autumn export"]

    # Next term the MIS writes the columns in another order; the names still fit.
    order = [6, 5, 4, 3, 2, 1, 0]
    again = importer.read_bytes(
        csv_text([headers[i] for i in order], [[row[i] for i in order]]), "spring.csv"
    )
    assert again.remembered == "Autumn export"
    assert again.table.headers[again.suggested[MisField.MIS_ID]] == "Pupil Ref"
    assert importer.run(again, again.suggested, admin).unchanged == 1
    assert importer.remembered_mapping("Autumn export", again) == again.suggested
    with pytest.raises(MappingUnknown, match="No column mapping is remembered as “Summer”"):
        importer.remembered_mapping("Summer", again)


# -- the Common Transfer File ----------------------------------------------------------------


def family() -> list[FakePupil]:
    return [
        FakePupil(
            "A999999999001",
            "Zoë",
            "Wiśniewska",
            dob="2012-07-03",
            year="9",
            saon="Flat 4",
            paon="Kirkstall Court",
            street="Kirkstall Road",
            postcode="ls4 2az",
            home_phone="0113 496 0101",
            contacts=(
                FakeContact(
                    "Anna",
                    "Wiśniewska",
                    "PAR",
                    "true",
                    1,
                    (("M", "+48 601 234 567"), ("H", "0113 496 0101")),
                    "anna@example.org",
                ),
                FakeContact("Tomasz", "Kowalski", "STP", "false", 2, (("W", "07700 900104"),)),
            ),
        ),
        FakePupil(
            "A999999999002",
            "Chidi",
            "Okafor",
            dob="2013-09-14",
            year="8",
            contacts=(FakeContact("Ngozi", "Okafor", "PAR", "true", 1),),
        ),
        FakePupil(
            "A999999999003",
            "Adaeze",
            "Okafor",
            dob="2016-02-29",
            year="5",
            contacts=(FakeContact("Ngozi", "Okafor", "PAR", "true", 1),),
        ),
        FakePupil(
            "A999999999004",
            "Amina",
            "Begum",
            dob="2011-01-01",
            year="10",
            address_lines=("33 Moor Lane", "Beeston", "Leeds"),
            postcode="LS11 5PP",
        ),
    ]


def test_a_ctf_is_told_from_a_csv_by_its_content():
    raw = ctf(family())
    assert looks_like_ctf(raw) and looks_like_ctf(b"\xef\xbb\xbf" + raw)
    assert not looks_like_ctf(b"UPN,Surname\n")
    assert not looks_like_ctf(b'<?xml version="1.0"?><html></html>')
    with pytest.raises(MisFileError, match="Line 3: the file is not well-formed XML"):
        read_ctf(b'<?xml version="1.0"?>\n<CTfile>\n<Header></CTfile>')
    bomb = b'<?xml version="1.0"?>\n<!DOCTYPE CTfile [<!ENTITY a "aaaa">]>\n<CTfile>&a;</CTfile>'
    with pytest.raises(MisFileError, match="declares a DOCTYPE"):
        read_ctf(bomb)


def test_a_ctf_is_imported_with_homes_contacts_and_priorities(school, importer):
    admin = school.user("p.stanton")
    before = counts(school)
    file = importer.read_bytes(ctf(family()), "A999_CTF_999_001.XML")
    assert file.kind == "CTF"
    checked = importer.check(file, {}, admin)
    assert checked.ok and checked.added == 4
    summary = importer.run(file, {}, admin)
    assert (summary.added, summary.households_added) == (4, 3)
    assert counts(school)[0] == before[0] + 4
    zoe = pupil(school, "A999999999001")
    assert (zoe.first_name, zoe.last_name, zoe.year_group) == ("Zoë", "Wiśniewska", 9)
    assert zoe.household.address_line1 == "Flat 4, Kirkstall Court, Kirkstall Road"
    assert (zoe.household.postcode, zoe.household.home_phone) == ("LS4 2AZ", "0113 496 0101")
    assert contacts_of(school, "A999999999001") == [
        ("Anna", "other", True, 1, "+48 601 234 567"),  # the mobile before the home phone
        ("Tomasz", "stepparent", False, 2, "07700 900104"),
    ]
    chidi, adaeze = pupil(school, "A999999999002"), pupil(school, "A999999999003")
    assert chidi.household_id == adaeze.household_id
    amina = pupil(school, "A999999999004").household
    assert (amina.address_line1, amina.address_line2, amina.town) == (
        "33 Moor Lane",
        "Beeston",
        "Leeds",
    )
    with school.database.session() as session:
        email = session.scalar(
            sa.select(Adult.email)
            .join(PupilAdult, PupilAdult.adult_id == Adult.id)
            .where(PupilAdult.pupil_id == zoe.id, Adult.first_name == "Anna")
        )
    assert email == "anna@example.org"

    again = importer.run(importer.read_bytes(ctf(family()), "again.xml"), {}, admin)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)


def test_a_ctf_with_bad_pupils_imports_nothing_and_names_line_and_element(school, importer):
    pupils = family()
    pupils[1] = FakePupil(
        "A999999999002",
        "Chidi",
        "",
        dob="2013-02-31",
        contacts=(FakeContact("Ngozi", "Okafor", "PAR", "maybe", 1, (("M", "0770090"),)),),
    )
    pupils.append(FakePupil("A999999999001", "Again", "Twice"))
    raw = ctf(pupils)
    before = counts(school)
    file = importer.read_bytes(raw, "bad.xml")
    with pytest.raises(ImportRefused) as refused:
        importer.run(file, {}, school.user("p.stanton"))
    shown = [str(p) for p in refused.value.problems]
    lines = raw.decode().splitlines()
    second = next(n for n, text in enumerate(lines, 1) if "A999999999002" in text) - 1
    first = next(n for n, text in enumerate(lines, 1) if "A999999999001" in text) - 1
    assert f"Line {second}, pupil 2 (UPN A999999999002): Surname is empty." in shown
    assert any(
        s.startswith(
            f"Line {second}, pupil 2 (UPN A999999999002): Date of birth '2013-02-31' is not a date"
        )
        for s in shown
    )
    assert any(
        ", pupil 2 (UPN A999999999002), contact 1: Contact phone '0770090'" in s for s in shown
    )
    assert any("contact 1: Contact parental responsibility 'maybe'" in s for s in shown)
    assert any(
        s.endswith(f"UPN A999999999001 is also pupil 1 (line {first}); each pupil once.")
        for s in shown
    )
    assert counts(school) == before


def test_the_ctf_problems_name_the_line_of_each_contact():
    raw = ctf(
        [
            FakePupil(
                "A1",
                "Ben",
                "Ali",
                contacts=(FakeContact("Ok", "Parent"), FakeContact("", "Nameless", order=2)),
            )
        ]
    )
    parsed = ctf_pupils(read_ctf(raw), TODAY)
    (problem,) = parsed.problems
    lines = raw.decode().splitlines()
    nameless = next(n for n, t in enumerate(lines, 1) if "Nameless" in t)
    line = max(n for n, t in enumerate(lines[:nameless], 1) if "<Contact>" in t)
    assert (problem.line, problem.element) == (line, "pupil 1 (UPN A1), contact 2")
    assert problem.message == "Contact has no first name and surname."


def test_an_unreadable_ctf_says_so(importer):
    with pytest.raises(MisFileUnreadable, match="not a Common Transfer File hvdesk can read"):
        importer.read_bytes(b'<?xml version="1.0"?>\n<CTfile>\n  <Pupil>\n', "cut.xml")


def test_bromcom_and_scholarpack_column_sets_map_themselves():
    bromcom = [
        "Student ID",
        "Legal Forename",
        "Legal Surname",
        "Date Of Birth",
        "NC Year",
        "Address Line 1",
        "Address Line 2",
        "Address Line 3",
        "Town",
        "Post Code",
        "Priority 1 Contact Forename",
        "Priority 1 Contact Surname",
        "Priority 1 Contact Mobile",
        "Priority 3 Contact Forename",
        "Priority 3 Contact Surname",
        "Priority 3 Contact Mobile",
    ]
    row = [
        "B1",
        "Maja",
        "Nowak",
        "01/09/2014",
        "7",
        "Flat 2",
        "Mill House",
        "Canal Street",
        "Leeds",
        "LS1 4AB",
        "Ewa",
        "Nowak",
        "+48 601 234 567",
        "Jan",
        "Nowak",
        "07700 900501",
    ]
    table = read_csv(csv_text(bromcom, [row]))
    mapping = suggest_mapping(table.headers)
    named = {f: table.headers[c] for f, c in mapping.items()}
    assert named[MisField.ADDRESS_LINE3] == "Address Line 3"
    assert named[MisField.POSTCODE] == "Post Code"
    assert named[MisField.CONTACT1_FIRST_NAME] == "Priority 1 Contact Forename"
    (pupil,) = parse_rows(table, mapping, TODAY).pupils
    assert (pupil.household.address_line1, pupil.household.address_line2) == (
        "Flat 2",
        "Mill House, Canal Street",
    )
    assert [(c.first_name, c.priority, c.phone) for c in pupil.contacts] == [
        ("Ewa", 1, "+48 601 234 567"),
        ("Jan", 3, "07700 900501"),
    ]

    scholarpack = [
        "UPN",
        "Forename",
        "Surname",
        "DOB",
        "Year",
        "Flat",
        "House Name/Number",
        "Street",
        "District",
        "Town",
        "Postcode",
    ]
    table = read_csv(
        csv_text(
            scholarpack,
            [
                [
                    "S1",
                    "Rhys",
                    "Evans",
                    "2015-02-02",
                    "R",
                    "",
                    "Ty Gwyn",
                    "Heol y Bont",
                    "Canton",
                    "Cardiff",
                    "CF11 9AB",
                ]
            ],
        )
    )
    (pupil,) = parse_rows(table, suggest_mapping(table.headers), TODAY).pupils
    assert (pupil.household.address_line1, pupil.household.address_line2) == (
        "Ty Gwyn, Heol y Bont",
        "Canton",
    )
