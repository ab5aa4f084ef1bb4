# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""The MIS import: reading exports (encodings, delimiters, quoted line breaks), the suggested
column mapping, every bad row reported by line number, and all-or-nothing import into the real
encrypted demo school (added / updated / unchanged; households matched by address)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from hvdesk.db.models import Adult, Household, Pupil
from hvdesk.domain.households import Relationship
from hvdesk.domain.mis_import import (
    MisField,
    MisFileError,
    mapping_problems,
    parse_rows,
    read_csv,
    suggest_mapping,
)
from hvdesk.services.accounts import NotPermitted
from hvdesk.services.mis_import import ImportRefused, MisFileUnreadable, MisImport
from hvdesk.services.people import PeopleService
from tests.board_school import School, demo_template, school  # noqa: F401

DATA = Path(__file__).parent / "data"
GOOD = DATA / "mis_good.csv"
BAD = DATA / "mis_bad.csv"
TODAY = date(2026, 11, 23)


@pytest.fixture
def importer(school: School) -> MisImport:
    return MisImport(school.database, school.clock)


def counts(school: School) -> tuple[int, int, int]:
    with school.database.session() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(sa.select(sa.func.count()).select_from(m)) or 0
            for m in (Pupil, Household, Adult)
        )


def pupil_by_mis(school: School, mis_id: str) -> Pupil:
    with school.database.session() as session:
        pupil = session.scalars(sa.select(Pupil).where(Pupil.mis_id == mis_id)).one()
        _ = pupil.household
        return pupil


# -- reading and mapping ---------------------------------------------------------------------


def test_sims_headers_are_mapped_automatically():
    table = read_csv(GOOD.read_bytes())
    mapping = suggest_mapping(table.headers)
    named = {field: table.headers[column] for field, column in mapping.items()}
    assert named[MisField.MIS_ID] == "UPN"
    assert named[MisField.LAST_NAME] == "Legal Surname"
    assert named[MisField.DATE_OF_BIRTH] == "DOB"
    assert named[MisField.HOME_PHONE] == "Home Telephone"
    assert named[MisField.CONTACT1_PR] == "Contact 1 Parental Responsibility"
    assert named[MisField.CONTACT2_PHONE] == "Contact 2 Mobile"
    assert MisField.AREA not in mapping
    assert mapping_problems(mapping, table.headers) == []


def test_arbor_like_headers_and_semicolons_are_understood():
    text = (
        "Student ID;First name;Last name;Date of birth;Year group;Address line 1;Town;"
        "Postal code;Primary contact full name;Primary contact relationship;"
        "Primary contact mobile\n"
        "A1;Maya;Lee;2014-09-01;Year 7;3 Hill Top;York;YO1 7HH;Mrs Grace Lee;Aunt;07700900301\n"
    )
    table = read_csv(text.encode())
    mapping = suggest_mapping(table.headers)
    assert mapping_problems(mapping, table.headers) == []
    parsed = parse_rows(table, mapping, TODAY)
    assert parsed.problems == ()
    (pupil,) = parsed.pupils
    assert pupil.household.area == "York" and not pupil.area_given
    (contact,) = pupil.contacts
    assert (contact.first_name, contact.last_name, contact.relationship) == (
        "Grace",
        "Lee",
        Relationship.AUNT_UNCLE,
    )
    assert contact.parental_responsibility is None and contact.phone == "07700 900301"


def test_windows_1252_exports_are_read():
    text = (
        "UPN,Surname,Forename,DOB,Address 1,Town,Postcode\r\n"
        "X1,Brontë,Siân,01/02/2015,1 Café Row,Leeds,LS1 1AA\r\n"
    )
    table = read_csv(text.encode("cp1252"))
    assert table.encoding == "Windows-1252"
    assert table.rows[0].cells[1:3] == ("Brontë", "Siân")
    utf8 = read_csv(b"\xef\xbb\xbf" + text.encode())
    assert utf8.encoding == "UTF-8" and utf8.headers[0] == "UPN"


@pytest.mark.parametrize(
    ("raw", "message"),
    [(b"", "empty"), (b"just one column\nx\n", "header"), (b"PK\x03\x04\x00\x00\x81", "not text")],
)
def test_files_that_are_not_csv_exports_are_refused(raw, message):
    with pytest.raises(MisFileError, match=message):
        read_csv(raw)


def test_a_mapping_missing_a_required_field_or_using_a_column_twice_is_refused():
    headers = ("UPN", "Surname", "Forename")
    problems = mapping_problems(
        {MisField.MIS_ID: 0, MisField.LAST_NAME: 1, MisField.FIRST_NAME: 1}, headers
    )
    assert "Choose the column that holds Date of birth." in problems
    assert any("“Surname” is chosen for both Surname and First name" in p for p in problems)


def test_every_bad_row_is_reported_with_its_line_number():
    table = read_csv(BAD.read_bytes())
    parsed = parse_rows(table, suggest_mapping(table.headers), TODAY)
    by_line: dict[int, list[str]] = {}
    for problem in parsed.problems:
        by_line.setdefault(problem.line, []).append(problem.message)
    assert sorted(by_line) == [3, 4, 5, 6, 8, 9]
    assert by_line[3] == [
        "Date of birth '31/02/2015' is not a date (use dd/mm/yyyy or yyyy-mm-dd)."
    ]
    assert any("'LS99 ZZZ' is not a UK postcode" in m for m in by_line[4])
    assert by_line[5] == ["Surname is empty."]
    assert any("Contact 1 phone '+33 6 12 34' is not a phone number" in m for m in by_line[6])
    assert any("also on line 2" in m for m in by_line[8])
    assert any("parental responsibility 'Maybe'" in m for m in by_line[8])
    assert any("Year group 'Year 21'" in m for m in by_line[9])
    assert str(parsed.problems[0]).startswith("Line 3: ")


# -- importing -------------------------------------------------------------------------------


def test_a_good_file_is_imported_with_a_summary(school, importer):
    admin = school.user("p.stanton")
    pupils, homes, adults = counts(school)
    file = importer.read(GOOD)
    checked = importer.check(file, file.suggested, admin)
    assert checked.ok and (checked.added, checked.updated, checked.unchanged) == (5, 0, 0)
    assert counts(school) == (pupils, homes, adults)  # checking wrote nothing

    summary = importer.run(file, file.suggested, admin)
    assert (summary.added, summary.updated, summary.unchanged) == (5, 0, 0)
    assert summary.households_added == 4  # the two Okafor children share one home
    assert counts(school) == (pupils + 5, homes + 4, adults + 6)

    chidi, adaeze = pupil_by_mis(school, "K801200000001"), pupil_by_mis(school, "K801200000002")
    assert chidi.household_id == adaeze.household_id
    assert chidi.household.postcode == "LS6 1BQ" and chidi.household.area == "Leeds"
    assert (chidi.year_group, adaeze.year_group, adaeze.date_of_birth) == (8, 5, date(2016, 2, 29))
    assert pupil_by_mis(school, "K801200000004").year_group == 0
    amina = pupil_by_mis(school, "K801200000005")
    assert amina.household.address_line1 == "33 Moor Lane\n(rear entrance)"

    people = PeopleService(school.database, school.clock)
    zofia = people.pupil(pupil_by_mis(school, "K801200000003").id, admin).draft
    assert zofia.household.address_line1 == "Flat 4, Kirkstall Court"
    assert [
        (a.first_name, a.relationship, a.parental_responsibility, a.phone) for a in zofia.adults
    ] == [
        ("Anna", Relationship.MOTHER, True, "07700 900103"),
        ("Tomasz", Relationship.STEPPARENT, False, "07700 900104"),
    ]
    mother = people.pupil(adaeze.id, admin).draft.adults
    assert [a.first_name for a in mother] == ["Ngozi"]
    assert mother[0].adult_id == people.pupil(chidi.id, admin).draft.adults[0].adult_id


def test_importing_again_matches_by_mis_id_and_counts_changes(school, importer):
    admin = school.user("p.stanton")
    importer.run(importer.read(GOOD), importer.read(GOOD).suggested, admin)
    before = counts(school)

    again = importer.run(importer.read(GOOD), importer.read(GOOD).suggested, admin)
    assert (again.added, again.updated, again.unchanged, again.households_added) == (0, 0, 5, 0)
    assert counts(school) == before

    changed = (
        GOOD.read_text("utf-8").replace("Year 8", "Year 9").replace("14/09/2013", "14/09/2012")
    )
    file = importer.read_bytes(changed.encode("utf-8"), "changed.csv")
    summary = importer.run(file, file.suggested, admin)
    assert (summary.added, summary.updated, summary.unchanged) == (0, 1, 4)
    chidi = pupil_by_mis(school, "K801200000001")
    assert (chidi.year_group, chidi.date_of_birth) == (9, date(2012, 9, 14))


def test_an_existing_household_keeps_its_area_and_hand_entered_adults(school, importer):
    admin = school.user("p.stanton")
    people = PeopleService(school.database, school.clock)
    with school.database.session() as session:
        pupil = session.scalars(
            sa.select(Pupil).where(Pupil.household_id.is_not(None)).order_by(Pupil.id)
        ).first()
        assert pupil is not None
        home = pupil.household
        assert home is not None
        row = (
            f"{pupil.mis_id},{pupil.last_name},{pupil.first_name},"
            f'{pupil.date_of_birth:%d/%m/%Y},{pupil.year_group},"{home.address_line1}",'
            f"{home.town},{home.postcode.lower()}\n"
        )
        pupil_id, area = pupil.id, home.area
    adults_before = people.pupil(pupil_id, admin).draft.adults
    file = importer.read_bytes(
        ("UPN,Surname,Forename,DOB,Year,Address Line 1,Town,Postcode\n" + row).encode(), "one.csv"
    )
    summary = importer.run(file, file.suggested, admin)
    assert (summary.updated + summary.unchanged, summary.households_added) == (1, 0)
    after = people.pupil(pupil_id, admin).draft
    assert after.household.area == area
    assert after.adults == adults_before


def test_a_bad_file_imports_nothing_and_names_the_lines(school, importer):
    admin = school.user("p.stanton")
    before = counts(school)
    file = importer.read(BAD)
    checked = importer.check(file, file.suggested, admin)
    assert not checked.ok
    assert sorted({p.line for p in checked.problems}) == [3, 4, 5, 6, 8, 9]
    with pytest.raises(ImportRefused) as refused:
        importer.run(file, file.suggested, admin)
    assert "Line 3: Date of birth '31/02/2015'" in refused.value.what
    assert len(refused.value.problems) == len(checked.problems)
    assert counts(school) == before
    with school.database.session() as session:
        assert (
            session.scalars(sa.select(Pupil).where(Pupil.mis_id == "K801200000011")).first() is None
        )


def test_a_mapping_without_a_required_column_imports_nothing(school, importer):
    file = importer.read(GOOD)
    mapping = dict(file.suggested)
    del mapping[MisField.DATE_OF_BIRTH]
    before = counts(school)
    with pytest.raises(ImportRefused, match="Choose the column that holds Date of birth"):
        importer.run(file, mapping, school.user("p.stanton"))
    assert counts(school) == before


def test_only_family_editors_may_import(school, importer):
    file = importer.read(GOOD)
    with pytest.raises(NotPermitted, match="may not import"):
        importer.run(file, file.suggested, school.user("k.lewis"))
    assert importer.run(file, file.suggested, school.user("s.whitfield")).added == 5


def test_an_unreadable_file_says_so(tmp_path, importer):
    with pytest.raises(MisFileUnreadable, match="cannot be read"):
        importer.read(tmp_path / "missing.csv")
    spreadsheet = tmp_path / "pupils.xlsx"
    spreadsheet.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\x81\x8d")
    with pytest.raises(MisFileUnreadable, match="not a CSV export"):
        importer.read(spreadsheet)


def test_a_known_pupil_who_gains_a_contact_is_imported_again(school, importer):
    """Issue 12 item 5: a termly re-import where a pupil gains a new adult crashed while the
    new adult had no id yet."""
    admin = school.user("p.stanton")
    importer.run(importer.read(GOOD), importer.read(GOOD).suggested, admin)
    text = GOOD.read_text("utf-8").replace(
        "Ngozi,Okafor,Mother,Yes,07700 900101,,,,,",
        "Ngozi,Okafor,Mother,Yes,07700 900101,Kemi,Adeyemi,Guardian,Yes,07700 900199",
    )
    file = importer.read_bytes(text.encode("utf-8"), "autumn.csv")
    checked = importer.check(file, file.suggested, admin)
    assert checked.ok and (checked.added, checked.updated, checked.unchanged) == (0, 1, 4)
    summary = importer.run(file, file.suggested, admin)
    assert (summary.updated, summary.unchanged) == (1, 4)
    people = PeopleService(school.database, school.clock)
    adaeze = people.pupil(pupil_by_mis(school, "K801200000002").id, admin).draft
    assert [(a.first_name, a.parental_responsibility) for a in adaeze.adults] == [
        ("Ngozi", True),
        ("Kemi", True),
    ]
