"""Phone numbers as families and staff have them: parsed, checked and written with Google's
libphonenumber (the `phonenumbers` package), not by hand.

A number typed without a country code is read as a UK number; a number with one (+48, 00353…)
is read as that country's. The kind of a number is known (mobile, landline, personal, freephone,
non-geographic 03…), so a colleague's work mobile can be required to be a mobile while a parent's
landline in Kraków is just as good as one in Leeds. UK numbers are written the way the office
reads them aloud (07700 900123, 0113 496 0123, 0300 123 4567); numbers abroad keep their
international prefix (+48 601 234 567) so whoever dials knows to.

Ofcom reserves ranges for drama and training (07700 900xxx, 01632 960xxx…); libphonenumber
calls some of them invalid, but the demo school and the office's training use them, and no real
family can hold one, so they are accepted with their obvious kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from hvdesk.domain.labels import LabelledEnum

__all__ = [
    "Phone",
    "PhoneKind",
    "is_mobile",
    "parse_phone",
    "tidy_phone",
]

DEFAULT_REGION = "GB"
MAX_TYPED = 40  # a phone number typed or exported with spaces; anything longer is not one
# Regions dialled as UK numbers from a UK phone: written in national form.
_NATIONAL_REGIONS = frozenset({"GB", "GG", "JE", "IM"})
_DRAMA_MOBILE = re.compile(r"7700900\d{3}")
_DRAMA_LANDLINE = re.compile(r"1632960\d{3}")


class PhoneKind(LabelledEnum):
    """What a number reaches, in the office's words."""

    MOBILE = ("mobile", "mobile")
    LANDLINE = ("landline", "landline")
    MOBILE_OR_LANDLINE = ("mobile_or_landline", "mobile or landline")
    PERSONAL = ("personal", "personal number")
    FREEPHONE = ("freephone", "freephone")
    NON_GEOGRAPHIC = ("non_geographic", "non-geographic")
    INTERNET = ("internet", "internet phone")
    OTHER = ("other", "other")


_KINDS = {
    PhoneNumberType.MOBILE: PhoneKind.MOBILE,
    PhoneNumberType.FIXED_LINE: PhoneKind.LANDLINE,
    PhoneNumberType.FIXED_LINE_OR_MOBILE: PhoneKind.MOBILE_OR_LANDLINE,
    PhoneNumberType.PERSONAL_NUMBER: PhoneKind.PERSONAL,
    PhoneNumberType.TOLL_FREE: PhoneKind.FREEPHONE,
    PhoneNumberType.UAN: PhoneKind.NON_GEOGRAPHIC,
    PhoneNumberType.SHARED_COST: PhoneKind.NON_GEOGRAPHIC,
    PhoneNumberType.VOIP: PhoneKind.INTERNET,
}


@dataclass(frozen=True)
class Phone:
    """A valid number: `e164` identifies it (+447700900123), `written` is how it is shown."""

    e164: str
    region: str
    kind: PhoneKind
    written: str

    @property
    def is_national(self) -> bool:
        return self.region in _NATIONAL_REGIONS

    @property
    def digits(self) -> str:
        """National digits for a UK number (07700900123), else the +country form."""
        if self.is_national:
            return "0" + self.e164[3:]
        return self.e164

    @property
    def reaches_a_mobile(self) -> bool:
        return self.kind in (PhoneKind.MOBILE, PhoneKind.MOBILE_OR_LANDLINE)


def parse_phone(text: str | None, default_region: str = DEFAULT_REGION) -> Phone | None:
    """The number in `text`, or None when it is not a valid phone number anywhere."""
    if text is None:
        return None
    return _parse(text, default_region)


@lru_cache(maxsize=8192)
def _parse(text: str, default_region: str) -> Phone | None:
    """Cached: a school's export repeats a family's numbers on every child's row, and
    libphonenumber takes about a millisecond a number."""
    cleaned = text.strip()
    if not cleaned or len(cleaned) > MAX_TYPED:
        return None
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    try:
        number = phonenumbers.parse(cleaned, default_region)
    except NumberParseException:
        return None
    # +44 is the UK (or a Crown Dependency, dialled the same): no need to ask which region.
    region = (
        DEFAULT_REGION if number.country_code == 44 else phonenumbers.region_code_for_number(number)
    )
    national = str(number.national_number)
    kind: PhoneKind | None
    if phonenumbers.is_valid_number(number):
        kind = _KINDS.get(phonenumbers.number_type(number), PhoneKind.OTHER)
    elif number.country_code == 44 and not number.italian_leading_zero:
        kind = _drama_kind(national)
        region = DEFAULT_REGION
    else:
        kind = None
    if kind is None or region is None:
        return None
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    style = (
        PhoneNumberFormat.NATIONAL
        if region in _NATIONAL_REGIONS
        else PhoneNumberFormat.INTERNATIONAL
    )
    return Phone(e164, region, kind, phonenumbers.format_number(number, style))


def _drama_kind(national: str) -> PhoneKind | None:
    if _DRAMA_MOBILE.fullmatch(national):
        return PhoneKind.MOBILE
    if _DRAMA_LANDLINE.fullmatch(national):
        return PhoneKind.LANDLINE
    return None


def tidy_phone(text: str | None) -> str | None:
    """The number written the office's way (national for UK, +prefix abroad), or None."""
    phone = parse_phone(text)
    return None if phone is None else phone.written


def is_mobile(text: str | None) -> bool:
    """True for a number that reaches a mobile (a work mobile must be one; a UK 070 personal
    number is not: it forwards somewhere unknown)."""
    phone = parse_phone(text)
    return phone is not None and phone.reaches_a_mobile
