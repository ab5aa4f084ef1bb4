"""What an MIS file says about a pupil and their family, whatever its format (a CSV export or
the DfE's Common Transfer File), and the checks every value passes alike. Pure: no database.

A problem names where it is: the line a spreadsheet or a text editor shows, and, for a CTF,
the element (pupil 3's contact 2), so the office can find and correct it in the MIS.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from hvdesk.domain.households import Relationship
from hvdesk.domain.people_records import HouseholdDraft, check_household
from hvdesk.domain.phones import parse_phone
from hvdesk.domain.uk_formats import normalise_uk_postcode

__all__ = [
    "ImportedContact",
    "ImportedPupil",
    "MisFileError",
    "ParsedImport",
    "RowProblem",
    "contact_from",
    "join_address",
    "pupil_from",
    "split_name",
]

OLDEST_PUPIL_YEARS = 25
NAME_MAX = 80
MIS_ID_MAX = 40
EMAIL_MAX = 200


class MisFileError(ValueError):
    """The file cannot be read at all (not text, empty, no header, not a CTF)."""


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str
    element: str = ""  # in a CTF: which pupil and which part of it ("pupil 3, contact 2")

    def __str__(self) -> str:
        where = f"Line {self.line}, {self.element}" if self.element else f"Line {self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ImportedContact:
    first_name: str
    last_name: str
    relationship: Relationship | None  # None: not stated in the file
    parental_responsibility: bool | None
    phone: str | None
    email: str | None = None
    priority: int | None = None  # 1 = the first to call, as the MIS orders them


@dataclass(frozen=True)
class ImportedPupil:
    """One good pupil: their home, and their contacts in priority order."""

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
    # The CTF's relationship codes (DfE code set "Relationship to Pupil").
    "par": Relationship.OTHER,
    "sta": Relationship.STEPPARENT,
    "stp": Relationship.STEPPARENT,
    "fam": Relationship.OTHER,
    "oth": Relationship.OTHER,
    "cml": Relationship.OTHER,
    "chm": Relationship.OTHER,
    "doc": Relationship.OTHER,
    "rel": Relationship.OTHER,
    "swr": Relationship.OTHER,
    "car": Relationship.OTHER,
    "fos": Relationship.FOSTER_CARER,
    "gdn": Relationship.GUARDIAN,
    "gnd": Relationship.GRANDPARENT,
    "sis": Relationship.SIBLING,
    "bro": Relationship.SIBLING,
    "ret": Relationship.OTHER,
}
_CTF_CODES = {"mum": Relationship.MOTHER, "dad": Relationship.FATHER}
_YES = {"yes", "y", "true", "1", "pr"}
_NO = {"no", "n", "false", "0"}
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev"}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def key_of(text: str) -> str:
    """A header or code compared loosely: letters and digits only, folded."""
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def relationship_of(text: str) -> Relationship:
    """A relationship word or CTF code; an unknown one is "Other", never a refusal."""
    key = key_of(text)
    return _CTF_CODES.get(key) or _RELATIONSHIP_WORDS.get(key, Relationship.OTHER)


def join_address(
    *,
    line1: str = "",
    line2: str = "",
    line3: str = "",
    flat: str = "",
    house_name: str = "",
    house_number: str = "",
    street: str = "",
    locality: str = "",
) -> tuple[str, str | None]:
    """The first and second address lines from what the MIS holds.

    Given lines are used as they are. Otherwise the parts are joined the way a letter is
    addressed: "Flat 4, Kirkstall Court, 12 Beech Grove" (flat, house name, number and street),
    with the locality as the second line. A bare flat number reads "Flat 4".
    """
    second = ", ".join(p for p in (line2, line3) if p)
    if line1:
        return line1, second or locality or None
    flat_text = f"Flat {flat}" if flat.isdigit() else flat
    if house_number and not house_number[0].isdigit() and not house_name:
        # One "House Name/Number" column holding a name ("Ty Gwyn"): a name, not a number.
        house_name, house_number = house_number, ""
    road = " ".join(p for p in (house_number, street) if p)
    first = ", ".join(p for p in (flat_text, house_name, road) if p)
    return first, second or locality or None


def split_name(full: str) -> tuple[str, str]:
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


def contact_from(
    who: str,
    problems: list[str],
    *,
    first: str = "",
    last: str = "",
    full: str = "",
    relationship: str = "",
    pr: str = "",
    phones: Sequence[str] = (),
    email: str = "",
    priority: int | None = None,
) -> ImportedContact | None:
    """A contact from its values as text (None when all are blank); problems are added in the
    office's words, naming `who` ("Contact 2")."""
    if not any((first, last, full, relationship, pr, email, *phones)):
        return None
    if full and not (first or last):
        first, last = split_name(full)
    if not first or not last:
        problems.append(f"{who} has no first name and surname.")
    for label, value in (("first name", first), ("surname", last)):
        if len(value) > NAME_MAX:
            problems.append(f"{who} {label} is longer than {NAME_MAX} characters.")
    phone = None
    for text in phones:
        if not text:
            continue
        parsed = parse_phone(text)
        if parsed is None:
            problems.append(
                f"{who} phone {text!r} is not a phone number "
                "(for example 07700 900123, 0113 496 0123 or +48 601 234 567)."
            )
        elif phone is None:
            phone = parsed.written
    if email and (len(email) > EMAIL_MAX or not _EMAIL.fullmatch(email)):
        problems.append(f"{who} email {email!r} is not an email address.")
    pr_key = pr.casefold()
    if pr_key and pr_key not in _YES | _NO:
        problems.append(f"{who} parental responsibility {pr!r}: write yes or no.")
    return ImportedContact(
        first,
        last,
        relationship_of(relationship) if relationship else None,
        pr_key in _YES if pr_key else None,
        phone,
        email or None,
        priority,
    )


@dataclass(frozen=True)
class PupilFacts:
    """A pupil's own values as text, before they are checked."""

    mis_id: str
    first_name: str
    last_name: str
    date_of_birth: date | None
    date_text: str
    year_group: int | None
    year_text: str
    household: HouseholdDraft
    area_given: bool


def pupil_from(
    facts: PupilFacts,
    contacts: Sequence[ImportedContact],
    line: int,
    today: date,
    problems: list[str],
) -> ImportedPupil | None:
    """Check a pupil's values (problems added in the office's words); the pupil if all good."""
    if not facts.mis_id:
        problems.append("MIS ID is empty; every pupil needs the MIS's id to be matched later.")
    elif len(facts.mis_id) > MIS_ID_MAX:
        problems.append(f"MIS ID is longer than {MIS_ID_MAX} characters.")
    for label, value in (("First name", facts.first_name), ("Surname", facts.last_name)):
        if not value:
            problems.append(f"{label} is empty.")
        elif len(value) > NAME_MAX:
            problems.append(f"{label} is longer than {NAME_MAX} characters.")
    dob = facts.date_of_birth
    if dob is None:
        problems.append(
            f"Date of birth {facts.date_text!r} is not a date (use dd/mm/yyyy or yyyy-mm-dd)."
            if facts.date_text
            else "Date of birth is empty."
        )
    elif dob > today:
        problems.append(f"Date of birth {facts.date_text} is in the future.")
    elif dob.year < today.year - OLDEST_PUPIL_YEARS:
        problems.append(
            f"Date of birth {facts.date_text} would make the pupil over 25; check the year."
        )
    if facts.year_text and facts.year_group is None:
        problems.append(
            f"Year group {facts.year_text!r} is not a year (for example 7, Y7, R or N1)."
        )
    problems.extend(p.message for p in check_household(facts.household) if p.field != "area")
    if problems or dob is None:
        return None
    ordered = sorted(
        enumerate(contacts),
        key=lambda pair: (pair[1].priority is None, pair[1].priority or 0, pair[0]),
    )
    return ImportedPupil(
        line=line,
        mis_id=facts.mis_id,
        first_name=facts.first_name,
        last_name=facts.last_name,
        date_of_birth=dob,
        year_group=facts.year_group,
        household=facts.household,
        area_given=facts.area_given,
        contacts=tuple(contact for _, contact in ordered),
    )


def household_from(
    line1: str,
    line2: str | None,
    town: str,
    postcode: str,
    area: str,
    home_phone: str,
) -> HouseholdDraft:
    """A home as the file gives it, tidied as the forms tidy it (postcode in capitals, the
    phone in the office's format); a bad value is kept as written for the check to name."""
    phone = parse_phone(home_phone) if home_phone else None
    return HouseholdDraft(
        address_line1=line1,
        address_line2=line2,
        town=town,
        postcode=normalise_uk_postcode(postcode) or postcode,
        area=area or town,
        home_phone=(phone.written if phone else home_phone) or None,
    )
