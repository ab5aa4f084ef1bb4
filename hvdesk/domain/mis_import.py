"""Reading pupils and their families from a CSV exported by the school's MIS. Pure: no database.

The MIS (SIMS, Arbor, Bromcom, ScholarPack...) exports rows with headers that differ by product
and by whoever built the report, so the columns are mapped: `suggest_mapping` guesses from the
header names, the office corrects it (the service remembers it for next term), and `parse_rows`
reads every row against that mapping and reports every bad row with the LINE NUMBER a
spreadsheet shows (the header is line 1; a value with a line break inside quotes counts its
lines, and a row is named by its first line).

What an export can look like, all read:
- Addresses as lines (Address Line 1/2/3) or in parts as SIMS and ScholarPack hold them
  (Flat / Apartment, House Name, House Number, Street, Locality, Town, Postcode): the parts are
  joined the way a letter is addressed (`mis_records.join_address`).
- Contacts numbered in the header (Contact 1 Forename ... Contact 7 Mobile, Priority 3 Contact
  Surname...), as many as the file has: contacts 1 and 2 are in the mapping table, further
  numbers are found by the same header words.
- One row per contact (Arbor's and Bromcom's guardian reports): the pupil's columns repeat on
  every row and the contact columns have no number (Contact Forename, Relationship, Priority);
  the rows of one MIS ID become one pupil with every contact. Rows that disagree about the pupil
  are refused with both line numbers.

Decisions:
- Encodings: UTF-8 (with or without the byte-order mark Excel writes), else Windows-1252, which
  is what older MIS exports and "Save as CSV" on Windows produce. Commas, semicolons or tabs.
- Dates dd/mm/yyyy (also d/m/yyyy, dots or hyphens) or yyyy-mm-dd; never mm/dd.
- Area (shown on the public board instead of the address) is rarely in an MIS export: when no
  column gives it, a new household's area is its town; an existing household keeps its own.
- Relationship words the office uses map onto `Relationship`; an unknown word becomes "Other"
  rather than a refusal. Parental responsibility reads yes/no, y/n, true/false or 1/0. A blank
  relationship or parental responsibility is "not stated": a new contact is recorded as
  "Other" without it, an existing one keeps what it has.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from hvdesk.domain.labels import LabelledEnum
from hvdesk.domain.mis_records import (
    ImportedContact,
    ImportedPupil,
    MisFileError,
    ParsedImport,
    PupilFacts,
    RowProblem,
    contact_from,
    household_from,
    join_address,
    key_of,
    pupil_from,
)
from hvdesk.domain.uk_formats import parse_uk_date, parse_year_group

__all__ = [
    "CONTACT_PARTS",
    "CsvRow",
    "CsvTable",
    "ImportedContact",
    "ImportedPupil",
    "MisField",
    "MisFileError",
    "ParsedImport",
    "RowProblem",
    "extra_contact_columns",
    "mapping_problems",
    "parse_rows",
    "read_csv",
    "suggest_mapping",
]

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
CONTACTS = (1, 2)
CONTACT_PARTS = ("first_name", "last_name", "name", "relationship", "pr", "phone", "email")


class MisField(LabelledEnum):
    """What a column of the export can hold, in the order the mapping table lists them."""

    MIS_ID = ("mis_id", "MIS ID / UPN")
    FIRST_NAME = ("first_name", "First name")
    LAST_NAME = ("last_name", "Surname")
    DATE_OF_BIRTH = ("date_of_birth", "Date of birth")
    YEAR_GROUP = ("year_group", "Year group")
    ADDRESS_LINE1 = ("address_line1", "Address line 1")
    ADDRESS_LINE2 = ("address_line2", "Address line 2")
    TOWN = ("town", "Town")
    POSTCODE = ("postcode", "Postcode")
    AREA = ("area", "Area (shown on the board)")
    HOME_PHONE = ("home_phone", "Home phone")
    CONTACT1_FIRST_NAME = ("contact1_first_name", "Contact 1 first name")
    CONTACT1_LAST_NAME = ("contact1_last_name", "Contact 1 surname")
    CONTACT1_NAME = ("contact1_name", "Contact 1 full name")
    CONTACT1_RELATIONSHIP = ("contact1_relationship", "Contact 1 relationship")
    CONTACT1_PR = ("contact1_pr", "Contact 1 parental responsibility")
    CONTACT1_PHONE = ("contact1_phone", "Contact 1 phone")
    CONTACT2_FIRST_NAME = ("contact2_first_name", "Contact 2 first name")
    CONTACT2_LAST_NAME = ("contact2_last_name", "Contact 2 surname")
    CONTACT2_NAME = ("contact2_name", "Contact 2 full name")
    CONTACT2_RELATIONSHIP = ("contact2_relationship", "Contact 2 relationship")
    CONTACT2_PR = ("contact2_pr", "Contact 2 parental responsibility")
    CONTACT2_PHONE = ("contact2_phone", "Contact 2 phone")
    # Issue 17: addresses in parts, more contact details, files with one row per contact.
    ADDRESS_LINE3 = ("address_line3", "Address line 3")
    FLAT = ("flat", "Flat / apartment")
    HOUSE_NAME = ("house_name", "House name")
    HOUSE_NUMBER = ("house_number", "House number")
    STREET = ("street", "Street")
    LOCALITY = ("locality", "Locality")
    CONTACT1_EMAIL = ("contact1_email", "Contact 1 email")
    CONTACT2_EMAIL = ("contact2_email", "Contact 2 email")
    CONTACT_FIRST_NAME = ("contact_first_name", "Contact first name (one row per contact)")
    CONTACT_LAST_NAME = ("contact_last_name", "Contact surname (one row per contact)")
    CONTACT_NAME = ("contact_name", "Contact full name (one row per contact)")
    CONTACT_RELATIONSHIP = ("contact_relationship", "Contact relationship (one row per contact)")
    CONTACT_PR = ("contact_pr", "Contact parental responsibility (one row per contact)")
    CONTACT_PHONE = ("contact_phone", "Contact phone (one row per contact)")
    CONTACT_EMAIL = ("contact_email", "Contact email (one row per contact)")
    CONTACT_PRIORITY = ("contact_priority", "Contact priority (one row per contact)")

    @property
    def required(self) -> bool:
        return self in REQUIRED


REQUIRED: frozenset[MisField] = frozenset(
    {
        MisField.MIS_ID,
        MisField.FIRST_NAME,
        MisField.LAST_NAME,
        MisField.DATE_OF_BIRTH,
        MisField.TOWN,
        MisField.POSTCODE,
    }
)
# The first address line comes from one of these (a line, or the parts it is made of).
ADDRESS_SOURCES: frozenset[MisField] = frozenset(
    {
        MisField.ADDRESS_LINE1,
        MisField.FLAT,
        MisField.HOUSE_NAME,
        MisField.HOUSE_NUMBER,
        MisField.STREET,
    }
)
PER_CONTACT: frozenset[MisField] = frozenset(
    {
        MisField.CONTACT_FIRST_NAME,
        MisField.CONTACT_LAST_NAME,
        MisField.CONTACT_NAME,
        MisField.CONTACT_RELATIONSHIP,
        MisField.CONTACT_PR,
        MisField.CONTACT_PHONE,
        MisField.CONTACT_EMAIL,
        MisField.CONTACT_PRIORITY,
    }
)

_CONTACT_PREFIXES = {
    1: (
        "contact1",
        "primarycontact",
        "parent1",
        "priority1contact",
        "parentcarer1",
        "carer1",
        "guardian1",
        "contactpriority1",
    ),
    2: (
        "contact2",
        "secondcontact",
        "secondarycontact",
        "parent2",
        "priority2contact",
        "carer2",
        "parentcarer2",
        "guardian2",
        "contactpriority2",
    ),
}
_NUMBERED = re.compile(
    r"(contact|parentcarer|parent|carer|guardian|priority)(\d{1,2})(contact)?(.+)"
)
_UNNUMBERED_PREFIXES = ("contact", "parentcarer", "parent", "carer", "guardian")
_CONTACT_SUFFIXES = {
    "first_name": ("forename", "firstname", "givenname", "legalforename"),
    "last_name": ("surname", "lastname", "familyname", "legalsurname"),
    "name": ("name", "fullname"),
    "relationship": ("relationship", "relation", "relationshiptopupil", "relationshiptostudent"),
    "pr": ("parentalresponsibility", "pr", "hasparentalresponsibility", "parentalresp"),
    "phone": (
        "mobile",
        "phone",
        "telephone",
        "mobilephone",
        "tel",
        "mobilenumber",
        "phonenumber",
        "telephonenumber",
        "homephone",
        "hometelephone",
        "workphone",
        "worktelephone",
    ),
    "email": ("email", "emailaddress", "mainemail", "personalemail"),
}
_PART_OF_SUFFIX = {
    suffix: part for part, suffixes in _CONTACT_SUFFIXES.items() for suffix in suffixes
}
_SYNONYMS: dict[MisField, tuple[str, ...]] = {
    MisField.MIS_ID: (
        "upn",
        "misid",
        "uniquepupilnumber",
        "adno",
        "admissionnumber",
        "studentid",
        "pupilid",
        "misreference",
        "id",
    ),
    MisField.FIRST_NAME: (
        "forename",
        "legalforename",
        "firstname",
        "legalfirstname",
        "preferredforename",
        "preferredfirstname",
        "givenname",
        "pupilforename",
        "studentforename",
        "studentfirstname",
        "pupilfirstname",
    ),
    MisField.LAST_NAME: (
        "surname",
        "legalsurname",
        "lastname",
        "legallastname",
        "preferredsurname",
        "preferredlastname",
        "familyname",
        "pupilsurname",
        "studentsurname",
        "studentlastname",
        "pupillastname",
    ),
    MisField.DATE_OF_BIRTH: ("dob", "dateofbirth", "birthdate", "dateofbirthddmmyyyy"),
    MisField.YEAR_GROUP: ("year", "yeargroup", "ncyear", "ncyearactual", "curriculumyear", "yr"),
    MisField.ADDRESS_LINE1: (
        "addressline1",
        "address1",
        "addressline1street",
        "houseandstreet",
        "address",
        "addr1",
        "addressaddressline1",
    ),
    MisField.ADDRESS_LINE2: ("addressline2", "address2", "addr2", "addressaddressline2"),
    MisField.ADDRESS_LINE3: ("addressline3", "address3", "addr3", "addressaddressline3"),
    MisField.FLAT: (
        "flat",
        "apartment",
        "flatnumber",
        "apartmentnumber",
        "saon",
        "subbuilding",
        "flatapartment",
        "addressapartment",
    ),
    MisField.HOUSE_NAME: ("housename", "buildingname", "building", "addresshousename"),
    MisField.HOUSE_NUMBER: (
        "housenumber",
        "housenumbername",
        "housenameornumber",
        "housenamenumber",
        "housenameno",
        "houseno",
        "number",
        "streetnumber",
        "buildingnumber",
        "paon",
        "addresshousenumber",
    ),
    MisField.STREET: ("street", "streetname", "road", "thoroughfare", "addressstreet"),
    MisField.LOCALITY: ("locality", "district", "village", "dependentlocality", "addresslocality"),
    MisField.TOWN: ("town", "towncity", "city", "posttown", "addresstown"),
    MisField.POSTCODE: ("postcode", "postalcode", "addresspostcode", "postcodezip"),
    MisField.AREA: ("area", "neighbourhood", "estate"),
    MisField.HOME_PHONE: ("homephone", "hometelephone", "telephonehome", "hometel", "telephone"),
    MisField.CONTACT_PRIORITY: (
        "contactpriority",
        "priority",
        "contactorder",
        "order",
        "prioritynumber",
    ),
}
for _n in CONTACTS:
    for _part, _suffixes in _CONTACT_SUFFIXES.items():
        _SYNONYMS[MisField(f"contact{_n}_{_part}")] = tuple(
            prefix + suffix for prefix in _CONTACT_PREFIXES[_n] for suffix in _suffixes
        )
for _part, _suffixes in _CONTACT_SUFFIXES.items():
    bare = (
        ("relationship", "relationshiptopupil", "parentalresponsibility")
        if _part in ("relationship", "pr")
        else ()
    )
    _SYNONYMS[MisField(f"contact_{_part}")] = tuple(
        prefix + suffix for prefix in _UNNUMBERED_PREFIXES for suffix in _suffixes
    ) + tuple(b for b in bare if b in _suffixes)


@dataclass(frozen=True)
class CsvRow:
    line: int  # the line a spreadsheet shows this row on (the header is line 1)
    cells: tuple[str, ...]


@dataclass(frozen=True)
class CsvTable:
    """A CSV read into memory: the header and the data rows with their line numbers."""

    headers: tuple[str, ...]
    rows: tuple[CsvRow, ...]
    encoding: str


def read_csv(raw: bytes) -> CsvTable:
    """Decode and split a CSV export; raises `MisFileError` if it is not one."""
    if len(raw) > MAX_BYTES:
        raise MisFileError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    text, encoding = _decode(raw)
    if not text.strip():
        raise MisFileError("The file is empty.")
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers: tuple[str, ...] | None = None
    rows: list[CsvRow] = []
    previous_end = 0
    try:
        for cells in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if headers is None:
                headers = tuple(cell.strip() for cell in cells)
                continue
            rows.append(CsvRow(start, tuple(cells)))
            if len(rows) > MAX_ROWS:
                raise MisFileError(f"The file has more than {MAX_ROWS} rows.")
    except csv.Error as exc:
        raise MisFileError(f"Line {reader.line_num} cannot be read as CSV ({exc}).") from exc
    if headers is None or len(headers) < 2:
        raise MisFileError(
            "The first line is not a header row of column names separated by commas."
        )
    return CsvTable(headers, tuple(rows), encoding)


def _decode(raw: bytes) -> tuple[str, str]:
    try:
        return raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise MisFileError("The file is not text (neither UTF-8 nor Windows-1252).") from exc
    if "\x00" in text:
        raise MisFileError("The file is not text: is it a spreadsheet (.xlsx) instead of CSV?")
    return text, "Windows-1252"


def _key(header: str) -> str:
    return key_of(header)


def suggest_mapping(headers: Sequence[str]) -> dict[MisField, int]:
    """Which column holds which field, guessed from the header names (each column once)."""
    keys = [_key(h) for h in headers]
    taken: set[int] = set()
    mapping: dict[MisField, int] = {}
    for field in MisField:
        for synonym in _SYNONYMS.get(field, ()):
            column = next(
                (i for i, key in enumerate(keys) if key == synonym and i not in taken), None
            )
            if column is not None:
                mapping[field] = column
                taken.add(column)
                break
    return mapping


def extra_contact_columns(
    headers: Sequence[str], mapping: Mapping[MisField, int]
) -> dict[int, dict[str, int]]:
    """Contacts numbered 3 and over ("Contact 3 Forename", "Priority 4 Contact Mobile"):
    number -> part -> column, for the columns the mapping does not already use."""
    used = set(mapping.values())
    found: dict[int, dict[str, int]] = {}
    for column, header in enumerate(headers):
        match = _NUMBERED.fullmatch(_key(header))
        if match is None or column in used:
            continue
        number, part = int(match.group(2)), _PART_OF_SUFFIX.get(match.group(4))
        if number in CONTACTS or number == 0 or part is None:
            continue
        found.setdefault(number, {}).setdefault(part, column)
    return dict(sorted(found.items()))


def mapping_problems(mapping: Mapping[MisField, int], headers: Sequence[str]) -> list[str]:
    """What is wrong with a mapping before any row is read: missing required fields, a column
    used twice, a column that is not in the file."""
    problems: list[str] = []
    for field in MisField:
        if field.required and field not in mapping:
            problems.append(f"Choose the column that holds {field.label}.")
    if not ADDRESS_SOURCES & set(mapping):
        problems.append(
            "Choose the column that holds Address line 1 (or the house number and street)."
        )
    used: dict[int, MisField] = {}
    for field, column in mapping.items():
        if not 0 <= column < len(headers):
            problems.append(f"{field.label}: the file has no column {column + 1}.")
        elif column in used:
            problems.append(
                f"Column “{headers[column]}” is chosen for both {used[column].label} and "
                f"{field.label}; choose one."
            )
        else:
            used[column] = field
    return problems


@dataclass
class _Gathered:
    """A pupil's rows so far, in a file with one row per contact."""

    line: int
    facts: PupilFacts
    contacts: list[ImportedContact]
    bad: bool


def parse_rows(table: CsvTable, mapping: Mapping[MisField, int], today: date) -> ParsedImport:
    """Every good pupil as an `ImportedPupil` and every problem of every bad row."""
    found = mapping_problems(mapping, table.headers)
    if found:
        return ParsedImport((), tuple(RowProblem(1, p) for p in found))
    per_contact = bool(PER_CONTACT & set(mapping))
    extra = extra_contact_columns(table.headers, mapping)
    problems: list[RowProblem] = []
    gathered: dict[str, _Gathered] = {}
    order: list[str] = []
    for row in table.rows:
        row_problems: list[str] = []
        if len(row.cells) > len(table.headers):
            problems.append(
                RowProblem(
                    row.line,
                    f"{len(row.cells)} values but the header has {len(table.headers)} columns "
                    "(an address with an unquoted comma?).",
                )
            )
            continue
        cell = _cells(row, mapping)
        facts = _facts(cell)
        contacts = _contacts(row, cell, extra, per_contact, row_problems)
        before = len(row_problems)
        pupil_from(facts, (), row.line, today, row_problems)
        pupil_ok = len(row_problems) == before
        earlier = gathered.get(facts.mis_id) if facts.mis_id else None
        if earlier is not None and not per_contact:
            row_problems.append(
                f"MIS ID {facts.mis_id} is also on line {earlier.line}; each pupil once."
            )
        elif earlier is not None and pupil_ok and not earlier.bad and earlier.facts != facts:
            row_problems.append(
                f"MIS ID {facts.mis_id} is on line {earlier.line} with different pupil details "
                "(name, date of birth, year or address); each row of a pupil repeats them."
            )
        if row_problems:
            problems.extend(RowProblem(row.line, p) for p in row_problems)
        if earlier is None and facts.mis_id:
            gathered[facts.mis_id] = _Gathered(row.line, facts, contacts, bool(row_problems))
            order.append(facts.mis_id)
        elif earlier is not None:
            earlier.bad = earlier.bad or bool(row_problems)
            earlier.contacts.extend(c for c in contacts if not _known(earlier.contacts, c))
    pupils: list[ImportedPupil] = []
    for mis_id in order:
        entry = gathered[mis_id]
        if entry.bad:
            continue
        pupil = pupil_from(entry.facts, entry.contacts, entry.line, today, [])
        if pupil is not None:
            pupils.append(pupil)
    return ParsedImport(tuple(pupils), tuple(problems))


def _cells(row: CsvRow, mapping: Mapping[MisField, int]) -> Callable[[MisField], str]:
    def cell(field: MisField) -> str:
        column = mapping.get(field)
        if column is None or column >= len(row.cells):
            return ""
        return row.cells[column].strip()

    return cell


def _facts(cell: Callable[[MisField], str]) -> PupilFacts:
    line1, line2 = join_address(
        line1=cell(MisField.ADDRESS_LINE1),
        line2=cell(MisField.ADDRESS_LINE2),
        line3=cell(MisField.ADDRESS_LINE3),
        flat=cell(MisField.FLAT),
        house_name=cell(MisField.HOUSE_NAME),
        house_number=cell(MisField.HOUSE_NUMBER),
        street=cell(MisField.STREET),
        locality=cell(MisField.LOCALITY),
    )
    area = cell(MisField.AREA)
    dob_text = cell(MisField.DATE_OF_BIRTH)
    year_text = cell(MisField.YEAR_GROUP)
    return PupilFacts(
        mis_id=cell(MisField.MIS_ID),
        first_name=cell(MisField.FIRST_NAME),
        last_name=cell(MisField.LAST_NAME),
        date_of_birth=parse_uk_date(dob_text),
        date_text=dob_text,
        year_group=parse_year_group(year_text) if year_text else None,
        year_text=year_text,
        household=household_from(
            line1,
            line2,
            cell(MisField.TOWN),
            cell(MisField.POSTCODE),
            area,
            cell(MisField.HOME_PHONE),
        ),
        area_given=bool(area),
    )


def _contacts(
    row: CsvRow,
    cell: Callable[[MisField], str],
    extra: Mapping[int, Mapping[str, int]],
    per_contact: bool,
    problems: list[str],
) -> list[ImportedContact]:
    found: list[ImportedContact] = []

    def add(who: str, values: Callable[[str], str], priority: int | None) -> None:
        contact = contact_from(
            who,
            problems,
            first=values("first_name"),
            last=values("last_name"),
            full=values("name"),
            relationship=values("relationship"),
            pr=values("pr"),
            phones=(values("phone"),),
            email=values("email"),
            priority=priority,
        )
        if contact is not None:
            found.append(contact)

    for n in CONTACTS:

        def mapped(part: str, n: int = n) -> str:
            return cell(MisField(f"contact{n}_{part}"))

        add(f"Contact {n}", mapped, n)
    for n, columns in extra.items():

        def numbered(part: str, columns: Mapping[str, int] = columns) -> str:
            column = columns.get(part)
            return (
                row.cells[column].strip() if column is not None and column < len(row.cells) else ""
            )

        add(f"Contact {n}", numbered, n)
    if per_contact:
        priority_text = cell(MisField.CONTACT_PRIORITY)
        priority = (
            int(priority_text) if priority_text.isdigit() and len(priority_text) < 4 else None
        )
        if priority_text and priority is None:
            problems.append(f"Contact priority {priority_text!r} is not a number (1 is first).")
        add("Contact", lambda part: cell(MisField(f"contact_{part}")), priority)
    return found


def _known(contacts: Sequence[ImportedContact], contact: ImportedContact) -> bool:
    """The same person already read from another row of the pupil (by name)."""
    name = (contact.first_name.casefold(), contact.last_name.casefold())
    return any((c.first_name.casefold(), c.last_name.casefold()) == name for c in contacts)
