"""How the office (and its MIS) writes postcodes, phone numbers, dates and year groups.

Pure parsing shared by the people forms and the MIS import, so a value typed in a dialog and the
same value read from a CSV are judged alike. Each parser returns None for "not one of these"
and leaves the wording of the message to its caller, who knows which field it was.
"""

from __future__ import annotations

import re
from datetime import date

from hvdesk.domain.phones import is_mobile, parse_phone, tidy_phone

__all__ = [
    "YEAR_GROUPS",
    "format_uk_phone",
    "is_uk_mobile",
    "name_with_year_group",
    "normalise_uk_postcode",
    "parse_uk_date",
    "parse_year_group",
    "tidy_uk_phone",
    "year_group_label",
]

# The shape of every UK postcode (outward code, space, inward code), including GIR 0AA.
# The list of real areas changes; the shape does not, so the demo's invented areas pass too.
_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})")
_GIRO = "GIR0AA"

_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?")

# Nursery (-1) and Reception (0) to Year 14 (some sixth forms).
YEAR_GROUPS = range(-1, 15)
_YEAR_WORDS = {
    "n": -1,
    "n1": -1,
    "n2": -1,
    "nursery": -1,
    "r": 0,
    "yr": 0,
    "rec": 0,
    "reception": 0,
}
_YEAR_NUMBER = re.compile(r"(?:year|yr|y|nc year|ncy)?\s*(\d{1,2})")


def normalise_uk_postcode(text: str | None) -> str | None:
    """A postcode in capitals with one space before the inward code (LS1 1AA), or None."""
    if text is None:
        return None
    compact = re.sub(r"\s+", "", text).upper()
    if compact == _GIRO:
        return "GIR 0AA"
    match = _POSTCODE.fullmatch(compact)
    if match is None:
        return None
    return f"{match.group(1)} {match.group(2)}"


def tidy_uk_phone(text: str | None) -> str | None:
    """A number written the way the office reads it aloud (07700 900123, 0113 496 0123,
    0300 123 4567; abroad with its prefix, +48 601 234 567), or None if it is not a number.

    Kept under its old name for the forms that call it; `hvdesk.domain.phones` does the work.
    """
    return tidy_phone(text)


def format_uk_phone(digits: str) -> str:
    """National digits (or a +country number) as the office writes them."""
    phone = parse_phone(digits)
    return digits if phone is None else phone.written


def is_uk_mobile(text: str | None) -> bool:
    """True for a mobile (a work mobile must reach one): UK 07… mobiles, and a colleague's
    mobile from abroad; not a UK 070 personal number, which forwards somewhere unknown."""
    return is_mobile(text)


def parse_uk_date(text: str | None) -> date | None:
    """dd/mm/yyyy (also with dots or hyphens) or yyyy-mm-dd (a time after it is ignored, as
    spreadsheets add one); None for anything else, impossible dates (31/02) included."""
    if text is None:
        return None
    cleaned = text.strip()
    try:
        if match := _DMY.fullmatch(cleaned):
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        if match := _YMD.fullmatch(cleaned):
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)
    except ValueError:
        return None
    return None


def parse_year_group(text: str | None) -> int | None:
    """A year group as a number (Nursery -1, Reception 0, Year 7 = 7), or None.

    MIS exports write it many ways: "7", "Y7", "Year 7", "NC Year 7", "R", "Reception", "N1".
    """
    if text is None:
        return None
    key = re.sub(r"\s+", " ", text.strip().casefold())
    if key in _YEAR_WORDS:
        return _YEAR_WORDS[key]
    match = _YEAR_NUMBER.fullmatch(key)
    if match is None:
        return None
    year = int(match.group(1))
    return year if year in YEAR_GROUPS else None


def year_group_label(year: int | None) -> str:
    """How a year group reads in lists: N, R, 1..14; empty when unknown."""
    if year is None:
        return ""
    return {-1: "N", 0: "R"}.get(year, str(year))


def name_with_year_group(name: str, year: int | None) -> str:
    """A pupil as documents and summaries print them: "Amy Khan (Year 7)", "Ben Ali (Reception)",
    or just the name when the year group is not recorded."""
    if year is None:
        return name
    year_name = {-1: "Nursery", 0: "Reception"}.get(year, f"Year {year}")
    return f"{name} ({year_name})"
