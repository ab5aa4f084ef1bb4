"""Reading pupils and their families from a DfE Common Transfer File (CTF). Pure: no database.

Every English MIS exports a CTF, an XML file whose structure the DfE publishes ("Common
transfer file: guide, specification and schema"). What hvdesk reads of it:

    <CTfile>
      <Header> ... </Header>
      <CTFpupilData>
        <Pupil>
          <UPN/> <Surname/> <Forename/> <DOB>yyyy-mm-dd</DOB>
          <BasicDetails><NCyearActual/> ...</BasicDetails>
          <Address>
            <BS7666Address><SAON/><PAON/><Street/><Locality/><Town/><PostTown/>
              <AdministrativeArea/></BS7666Address>        (or <AddressLines><AddressLine1..5/>)
            <PostCode/>
          </Address>
          <Phones><Phone><TelephoneType>H|M|W|F</TelephoneType><PhoneNo/></Phone></Phones>
          <Email/>
          <Contacts>
            <Contact>
              <Order/> <Title/> <Surname/> <Forename/> <Relationship/> <Responsibility/>
              <Address/> or <AddressAsPupil/>  <Phones/>  <Email/>
            </Contact>
          </Contacts>
        </Pupil>
      </CTFpupilData>
    </CTfile>

Everything else a CTF carries (attendance, assessment, SEN...) is not hvdesk's business and is
skipped unread. Problems name the line of the element and the element itself ("pupil 3 (UPN
...), contact 2"), so the office can find it in the file or the MIS.

The XML is read with expat, refusing any DOCTYPE (so no entity tricks: a CTF has none), with
the line of every element kept for the problems.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from xml.parsers import expat

from hvdesk.domain.mis_records import (
    ImportedContact,
    MisFileError,
    ParsedImport,
    PupilFacts,
    RowProblem,
    contact_from,
    household_from,
    join_address,
    pupil_from,
)
from hvdesk.domain.uk_formats import parse_uk_date, parse_year_group

__all__ = ["CtfDocument", "Element", "ctf_pupils", "looks_like_ctf", "read_ctf"]

MAX_BYTES = 50 * 1024 * 1024
MAX_PUPILS = 20_000
_PHONE_ORDER = {"M": 0, "H": 1, "W": 2, "F": 3}  # mobile first: the number to ring
_ROOT = re.compile(rb"^\s*(<\?xml[^>]*\?>)?\s*(<!--.*?-->\s*)*<CTfile[\s>]", re.DOTALL)


@dataclass
class Element:
    """An XML element with its line: enough of a tree for a CTF, no more."""

    tag: str
    line: int
    text: str = ""
    children: list[Element] = field(default_factory=list)

    def first(self, tag: str) -> Element | None:
        return next((c for c in self.children if c.tag == tag), None)

    def all(self, tag: str) -> Iterator[Element]:
        return (c for c in self.children if c.tag == tag)

    def value(self, *path: str) -> str:
        """The stripped text at a path of child tags, "" when absent."""
        node: Element | None = self
        for tag in path:
            node = node.first(tag) if node is not None else None
        return node.text.strip() if node is not None else ""


@dataclass(frozen=True)
class CtfDocument:
    root: Element
    source_school: str


def looks_like_ctf(raw: bytes) -> bool:
    """True when the file starts as a CTF does (an XML declaration, then <CTfile>)."""
    head = raw[:4096].removeprefix(b"\xef\xbb\xbf")
    return bool(_ROOT.match(head))


def read_ctf(raw: bytes) -> CtfDocument:
    """Parse a CTF; raises `MisFileError` (with the line) when it is not well-formed XML or
    not a CTF."""
    if len(raw) > MAX_BYTES:
        raise MisFileError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    parser = expat.ParserCreate()
    stack: list[Element] = []
    roots: list[Element] = []

    def start(tag: str, _attrs: dict[str, str]) -> None:
        element = Element(_local(tag), parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(element)
        else:
            roots.append(element)
        stack.append(element)

    def end(_tag: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        if stack:
            stack[-1].text += data

    def doctype(*_args: object) -> None:
        raise MisFileError(
            f"Line {parser.CurrentLineNumber}: the file declares a DOCTYPE; a CTF has none."
        )

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    try:
        parser.Parse(raw, True)
    except expat.ExpatError as exc:
        raise MisFileError(
            f"Line {exc.lineno}: the file is not well-formed XML ({expat.ErrorString(exc.code)})."
        ) from exc
    if not roots or roots[0].tag != "CTfile":
        raise MisFileError("The file is XML but not a Common Transfer File (no <CTfile>).")
    root = roots[0]
    school = root.value("Header", "SourceSchool", "SchoolName")
    return CtfDocument(root, school)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def ctf_pupils(document: CtfDocument, today: date) -> ParsedImport:
    """Every good pupil of a CTF and every problem of every bad one."""
    data = document.root.first("CTFpupilData")
    if data is None:
        return ParsedImport(
            (),
            (RowProblem(document.root.line, "The CTF has no <CTFpupilData>: no pupils in it."),),
        )
    pupils = []
    problems: list[RowProblem] = []
    first_line_of: dict[str, tuple[int, int]] = {}
    elements = list(data.all("Pupil"))
    if len(elements) > MAX_PUPILS:
        return ParsedImport(
            (), (RowProblem(data.line, f"The CTF has more than {MAX_PUPILS} pupils."),)
        )
    for number, element in enumerate(elements, start=1):
        upn = element.value("UPN")
        where = f"pupil {number}" + (f" (UPN {upn})" if upn else "")
        found: list[tuple[int, str, str]] = []  # line, element, message
        pupil_problems: list[str] = []
        contacts = _contacts(element, where, found)
        facts = _facts(element)
        pupil = pupil_from(facts, contacts, element.line, today, pupil_problems)
        found[:0] = [(element.line, where, p) for p in pupil_problems]
        if upn and upn in first_line_of:
            other_number, other_line = first_line_of[upn]
            found.append(
                (
                    element.line,
                    where,
                    f"UPN {upn} is also pupil {other_number} (line {other_line}); each pupil once.",
                )
            )
        elif upn:
            first_line_of[upn] = (number, element.line)
        if found:
            problems.extend(RowProblem(line, message, at) for line, at, message in found)
        elif pupil is not None:
            pupils.append(pupil)
    return ParsedImport(tuple(pupils), tuple(problems))


def _facts(pupil: Element) -> PupilFacts:
    address = pupil.first("Address")
    line1, line2, town, postcode = _address(address) if address is not None else ("", None, "", "")
    dob_text = pupil.value("DOB")
    year_text = pupil.value("BasicDetails", "NCyearActual") or pupil.value("NCyearActual")
    return PupilFacts(
        mis_id=pupil.value("UPN"),
        first_name=pupil.value("Forename"),
        last_name=pupil.value("Surname"),
        date_of_birth=parse_uk_date(dob_text),
        date_text=dob_text,
        year_group=parse_year_group(year_text) if year_text else None,
        year_text=year_text,
        household=household_from(line1, line2, town, postcode, "", _home_phone(pupil)),
        area_given=False,
    )


def _address(address: Element) -> tuple[str, str | None, str, str]:
    """First line, second line, town and postcode of an <Address>, either form."""
    postcode = address.value("PostCode") or address.value("Postcode")
    bs = address.first("BS7666Address")
    if bs is not None:
        line1, line2 = join_address(
            flat=bs.value("SAON"),
            house_number=bs.value("PAON") if bs.value("PAON").isdigit() else "",
            house_name="" if bs.value("PAON").isdigit() else bs.value("PAON"),
            street=bs.value("Street"),
            locality=bs.value("Locality"),
        )
        town = bs.value("Town") or bs.value("PostTown")
        return line1, line2, town, postcode
    lines_element = address.first("AddressLines")
    lines = (
        [c.text.strip() for c in lines_element.children if c.text.strip()]
        if lines_element is not None
        else []
    )
    if not lines:
        return "", None, "", postcode
    # The last line of an address in lines is its town (when there are two or more).
    town = lines[-1] if len(lines) > 1 else ""
    body = lines[:-1] if len(lines) > 1 else lines
    return body[0], ", ".join(body[1:]) or None, town, postcode


def _phones(element: Element) -> list[str]:
    phones = element.first("Phones")
    if phones is None:
        return []
    found = [
        (_PHONE_ORDER.get(phone.value("TelephoneType").upper(), 9), n, phone.value("PhoneNo"))
        for n, phone in enumerate(phones.all("Phone"))
    ]
    return [number for _, _, number in sorted(found) if number]


def _home_phone(pupil: Element) -> str:
    phones = pupil.first("Phones")
    if phones is None:
        return ""
    for phone in phones.all("Phone"):
        if phone.value("TelephoneType").upper() == "H" and phone.value("PhoneNo"):
            return phone.value("PhoneNo")
    return ""


def _contacts(
    pupil: Element, where: str, found: list[tuple[int, str, str]]
) -> list[ImportedContact]:
    contacts_element = pupil.first("Contacts")
    if contacts_element is None:
        return []
    contacts: list[ImportedContact] = []
    for number, contact in enumerate(contacts_element.all("Contact"), start=1):
        at = f"{where}, contact {number}"
        problems: list[str] = []
        order_text = contact.value("Order")
        priority = int(order_text) if order_text.isdigit() and len(order_text) < 4 else None
        if order_text and priority is None:
            problems.append(f"Order {order_text!r} is not a number (1 is the first to call).")
        responsibility = contact.value("Responsibility")
        made = contact_from(
            "Contact",
            problems,
            first=contact.value("Forename"),
            last=contact.value("Surname"),
            relationship=contact.value("Relationship"),
            pr=responsibility,
            phones=_phones(contact),
            email=contact.value("Email"),
            priority=priority if priority is not None else number,
        )
        found.extend((contact.line, at, p) for p in problems)
        if made is not None:
            contacts.append(made)
    return contacts
