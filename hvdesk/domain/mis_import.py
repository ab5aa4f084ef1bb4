"""Reading pupils and their families from a CSV exported by the school's MIS. Pure: no database.

The MIS (SIMS, Arbor, Bromcom...) exports one row per pupil with headers that differ by product
and by whoever built the report, so the columns are mapped: `suggest_mapping` guesses from the
header names, the office corrects it, and `parse_rows` reads every row against that mapping and
reports every bad row with the LINE NUMBER a spreadsheet shows (the header is line 1; a value
with a line break inside quotes counts its lines, and a row is named by its first line).

Decisions:
- Encodings: UTF-8 (with or without the byte-order mark Excel writes), else Windows-1252, which
  is what older MIS exports and "Save as CSV" on Windows produce. Commas, semicolons or tabs.
- Dates dd/mm/yyyy (also d/m/yyyy, dots or hyphens) or yyyy-mm-dd; never mm/dd.
- Area (shown on the public board instead of the address) is rarely in an MIS export: when no
  column gives it, a new household's area is its town; an existing household keeps its own.
- Up to two contacts per pupil (priority 1 and 2). Relationship words the office uses map onto
  `Relationship`; an unknown word becomes "Other" rather than a refusal. Parental responsibility
  reads yes/no, y/n, true/false or 1/0. A blank relationship or parental responsibility is "not
  stated": a new contact is recorded as "Other" without it, an existing one keeps what it has.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from hvdesk.domain.households import Relationship
from hvdesk.domain.labels import LabelledEnum
from hvdesk.domain.people_records import HouseholdDraft, check_household
from hvdesk.domain.uk_formats import (
    normalise_uk_postcode,
    parse_uk_date,
    parse_year_group,
    tidy_uk_phone,
)

__all__ = [
    "CsvRow",
    "CsvTable",
    "ImportedContact",
    "ImportedPupil",
    "MisField",
    "MisFileError",
    "ParsedImport",
    "RowProblem",
    "mapping_problems",
    "parse_rows",
    "read_csv",
    "suggest_mapping",
]

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
OLDEST_PUPIL_YEARS = 25
CONTACTS = (1, 2)


class MisFileError(ValueError):
    """The file cannot be read as a CSV at all (not text, empty, no header)."""


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

    @property
    def required(self) -> bool:
        return self in REQUIRED


REQUIRED: frozenset[MisField] = frozenset(
    {
        MisField.MIS_ID,
        MisField.FIRST_NAME,
        MisField.LAST_NAME,
        MisField.DATE_OF_BIRTH,
        MisField.ADDRESS_LINE1,
        MisField.TOWN,
        MisField.POSTCODE,
    }
)

_CONTACT_PREFIXES = {
    1: ("contact1", "primarycontact", "parent1", "priority1contact", "parentcarer1", "carer1"),
    2: ("contact2", "secondcontact", "secondarycontact", "parent2", "priority2contact", "carer2"),
}
_CONTACT_SUFFIXES = {
    "first_name": ("forename", "firstname", "givenname", "legalforename"),
    "last_name": ("surname", "lastname", "familyname", "legalsurname"),
    "name": ("name", "fullname"),
    "relationship": ("relationship", "relation", "relationshiptopupil", "relationshiptostudent"),
    "pr": ("parentalresponsibility", "pr", "hasparentalresponsibility", "parentalresp"),
    "phone": ("mobile", "phone", "telephone", "mobilephone", "tel", "mobilenumber", "phonenumber"),
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
    ),
    MisField.LAST_NAME: (
        "surname",
        "legalsurname",
        "lastname",
        "legallastname",
        "preferredsurname",
        "preferredlastname",
        "familyname",
    ),
    MisField.DATE_OF_BIRTH: ("dob", "dateofbirth", "birthdate", "dateofbirthddmmyyyy"),
    MisField.YEAR_GROUP: ("year", "yeargroup", "ncyear", "ncyearactual", "curriculumyear", "yr"),
    MisField.ADDRESS_LINE1: (
        "addressline1",
        "address1",
        "street",
        "houseandstreet",
        "addressstreet",
        "address",
    ),
    MisField.ADDRESS_LINE2: ("addressline2", "address2", "addressline3"),
    MisField.TOWN: ("town", "towncity", "city", "posttown", "addresstown"),
    MisField.POSTCODE: ("postcode", "postalcode", "addresspostcode", "postcodezip"),
    MisField.AREA: ("area", "locality", "district", "neighbourhood", "estate"),
    MisField.HOME_PHONE: ("homephone", "hometelephone", "telephonehome", "hometel", "telephone"),
}
for _n in CONTACTS:
    for _part, _suffixes in _CONTACT_SUFFIXES.items():
        _SYNONYMS[MisField(f"contact{_n}_{_part}")] = tuple(
            prefix + suffix for prefix in _CONTACT_PREFIXES[_n] for suffix in _suffixes
        )

_RELATIONSHIP_WORDS: dict[str, Relationship] = {
    "mother": Relationship.MOTHER,
    "mum": Relationship.MOTHER,
    "father": Relationship.FATHER,
    "dad": Relationship.FATHER,
    "stepmother": Relationship.STEPPARENT,
    "stepfather": Relationship.STEPPARENT,
    "stepparent": Relationship.STEPPARENT,
    "grandmother": Relationship.GRANDPARENT,
    "grandfather": Relationship.GRANDPARENT,
    "grandparent": Relationship.GRANDPARENT,
    "aunt": Relationship.AUNT_UNCLE,
    "uncle": Relationship.AUNT_UNCLE,
    "auntuncle": Relationship.AUNT_UNCLE,
    "fostercarer": Relationship.FOSTER_CARER,
    "fosterparent": Relationship.FOSTER_CARER,
    "fostermother": Relationship.FOSTER_CARER,
    "fosterfather": Relationship.FOSTER_CARER,
    "guardian": Relationship.GUARDIAN,
    "legalguardian": Relationship.GUARDIAN,
    "specialguardian": Relationship.GUARDIAN,
    "brother": Relationship.SIBLING,
    "sister": Relationship.SIBLING,
    "sibling": Relationship.SIBLING,
}
_YES = {"yes", "y", "true", "1", "pr"}
_NO = {"no", "n", "false", "0"}
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev"}


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


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}"


@dataclass(frozen=True)
class ImportedContact:
    first_name: str
    last_name: str
    relationship: Relationship | None  # None: not stated in the file
    parental_responsibility: bool | None
    phone: str | None


@dataclass(frozen=True)
class ImportedPupil:
    """One good row: a pupil, their home, and up to two contacts."""

    line: int
    mis_id: str
    first_name: str
    last_name: str
    date_of_birth: date
    year_group: int | None
    household: HouseholdDraft
    area_given: bool  # False: the area is the town, used only for a new household
    contacts: tuple[ImportedContact, ...]


@dataclass(frozen=True)
class ParsedImport:
    pupils: tuple[ImportedPupil, ...]
    problems: tuple[RowProblem, ...]


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
    return re.sub(r"[^0-9a-z]", "", header.casefold())


def suggest_mapping(headers: Sequence[str]) -> dict[MisField, int]:
    """Which column holds which field, guessed from the header names (each column once)."""
    keys = [_key(h) for h in headers]
    taken: set[int] = set()
    mapping: dict[MisField, int] = {}
    for field in MisField:
        for synonym in _SYNONYMS[field]:
            column = next(
                (i for i, key in enumerate(keys) if key == synonym and i not in taken), None
            )
            if column is not None:
                mapping[field] = column
                taken.add(column)
                break
    return mapping


def mapping_problems(mapping: Mapping[MisField, int], headers: Sequence[str]) -> list[str]:
    """What is wrong with a mapping before any row is read: missing required fields, a column
    used twice, a column that is not in the file."""
    problems: list[str] = []
    for field in MisField:
        if field.required and field not in mapping:
            problems.append(f"Choose the column that holds {field.label}.")
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


def parse_rows(table: CsvTable, mapping: Mapping[MisField, int], today: date) -> ParsedImport:
    """Every good row as an `ImportedPupil` and every problem of every bad row."""
    found = mapping_problems(mapping, table.headers)
    if found:
        return ParsedImport((), tuple(RowProblem(1, p) for p in found))
    pupils: list[ImportedPupil] = []
    problems: list[RowProblem] = []
    first_line_of: dict[str, int] = {}
    for row in table.rows:
        row_problems: list[str] = []
        if len(row.cells) > len(table.headers):
            row_problems.append(
                f"{len(row.cells)} values but the header has {len(table.headers)} columns "
                "(an address with an unquoted comma?)."
            )
            problems.extend(RowProblem(row.line, p) for p in row_problems)
            continue
        pupil = _parse_row(row, mapping, today, row_problems)
        column = mapping[MisField.MIS_ID]
        mis_id = row.cells[column].strip() if column < len(row.cells) else ""
        if mis_id and mis_id in first_line_of:
            row_problems.append(
                f"MIS ID {mis_id} is also on line {first_line_of[mis_id]}; each pupil once."
            )
        elif mis_id:
            first_line_of[mis_id] = row.line
        if row_problems or pupil is None:
            problems.extend(RowProblem(row.line, p) for p in row_problems)
            continue
        pupils.append(pupil)
    return ParsedImport(tuple(pupils), tuple(problems))


def _parse_row(
    row: CsvRow, mapping: Mapping[MisField, int], today: date, problems: list[str]
) -> ImportedPupil | None:
    def cell(field: MisField) -> str:
        column = mapping.get(field)
        if column is None or column >= len(row.cells):
            return ""
        return row.cells[column].strip()

    mis_id = cell(MisField.MIS_ID)
    if not mis_id:
        problems.append("MIS ID is empty; every pupil needs the MIS's id to be matched later.")
    elif len(mis_id) > 40:
        problems.append("MIS ID is longer than 40 characters.")
    first, last = cell(MisField.FIRST_NAME), cell(MisField.LAST_NAME)
    for label, value in (("First name", first), ("Surname", last)):
        if not value:
            problems.append(f"{label} is empty.")
        elif len(value) > 80:
            problems.append(f"{label} is longer than 80 characters.")
    dob_text = cell(MisField.DATE_OF_BIRTH)
    dob = parse_uk_date(dob_text)
    if dob is None:
        problems.append(
            f"Date of birth {dob_text!r} is not a date (use dd/mm/yyyy or yyyy-mm-dd)."
            if dob_text
            else "Date of birth is empty."
        )
    elif dob > today:
        problems.append(f"Date of birth {dob_text} is in the future.")
    elif dob.year < today.year - OLDEST_PUPIL_YEARS:
        problems.append(f"Date of birth {dob_text} would make the pupil over 25; check the year.")
    year_text = cell(MisField.YEAR_GROUP)
    year = parse_year_group(year_text) if year_text else None
    if year_text and year is None:
        problems.append(f"Year group {year_text!r} is not a year (for example 7, Y7, R or N1).")
    area = cell(MisField.AREA)
    town = cell(MisField.TOWN)
    home = HouseholdDraft(
        address_line1=cell(MisField.ADDRESS_LINE1),
        address_line2=cell(MisField.ADDRESS_LINE2) or None,
        town=town,
        postcode=normalise_uk_postcode(cell(MisField.POSTCODE)) or cell(MisField.POSTCODE),
        area=area or town,
        home_phone=tidy_uk_phone(cell(MisField.HOME_PHONE)) or cell(MisField.HOME_PHONE) or None,
    )
    problems.extend(p.message for p in check_household(home) if p.field != "area")
    contacts = [c for n in CONTACTS if (c := _contact(n, cell, problems)) is not None]
    if problems or dob is None:
        return None
    return ImportedPupil(
        line=row.line,
        mis_id=mis_id,
        first_name=first,
        last_name=last,
        date_of_birth=dob,
        year_group=year,
        household=home,
        area_given=bool(area),
        contacts=tuple(contacts),
    )


def _contact(
    n: int, cell: Callable[[MisField], str], problems: list[str]
) -> ImportedContact | None:
    def value(part: str) -> str:
        return cell(MisField(f"contact{n}_{part}"))

    first, last, full = value("first_name"), value("last_name"), value("name")
    relationship_text, pr_text, phone_text = value("relationship"), value("pr"), value("phone")
    if not any((first, last, full, relationship_text, pr_text, phone_text)):
        return None
    if full and not (first or last):
        first, last = _split_name(full)
    who = f"Contact {n}"
    if not first or not last:
        problems.append(f"{who} has no first name and surname.")
    phone = None
    if phone_text:
        phone = tidy_uk_phone(phone_text)
        if phone is None:
            problems.append(
                f"{who} phone {phone_text!r} is not a phone number "
                "(for example 07700 900123, 0113 496 0123 or +48 601 234 567)."
            )
    pr_key = pr_text.casefold()
    if pr_key and pr_key not in _YES | _NO:
        problems.append(f"{who} parental responsibility {pr_text!r}: write yes or no.")
    relationship = (
        _RELATIONSHIP_WORDS.get(_key(relationship_text), Relationship.OTHER)
        if relationship_text
        else None
    )
    return ImportedContact(first, last, relationship, pr_key in _YES if pr_key else None, phone)


def _split_name(full: str) -> tuple[str, str]:
    """ "Mrs Jane Smith" -> ("Jane", "Smith"); "Smith, Jane" -> ("Jane", "Smith")."""
    if "," in full:
        last, first = (part.strip() for part in full.split(",", 1))
    else:
        words = full.split()
        if len(words) > 1 and words[0].rstrip(".").casefold() in _TITLES:
            words = words[1:]
        first, last = " ".join(words[:-1]), words[-1] if words else ""
    words = first.split()
    if words and words[0].rstrip(".").casefold() in _TITLES:
        first = " ".join(words[1:])
    return first, last
