"""MIS files made by the tests: Common Transfer Files built from the DfE's published structure
and CSV exports with the column sets SIMS, Arbor, Bromcom and ScholarPack reports use. Every
pupil and family is invented (Ofcom's drama phone ranges, made-up UPNs); never real children.

Not a test module: imported by the import tests and the benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class FakeContact:
    forename: str
    surname: str
    relationship: str = "PAR"
    responsibility: str = "true"
    order: int | None = None
    phones: tuple[tuple[str, str], ...] = (("M", "07700 900111"),)
    email: str = ""
    same_address: bool = True


@dataclass(frozen=True)
class FakePupil:
    upn: str
    forename: str
    surname: str
    dob: str = "2014-05-17"
    year: str = "7"
    saon: str = ""
    paon: str = "12"
    street: str = "Beech Grove"
    locality: str = ""
    town: str = "Leeds"
    postcode: str = "LS6 1BQ"
    home_phone: str = ""
    address_lines: tuple[str, ...] = ()  # instead of the BS7666 parts when given
    contacts: tuple[FakeContact, ...] = field(default_factory=tuple)


def _e(tag: str, value: str, indent: str) -> str:
    return f"{indent}<{tag}>{escape(value)}</{tag}>\n" if value != "" else ""


def _phones(phones: tuple[tuple[str, str], ...], indent: str) -> str:
    if not phones:
        return ""
    body = "".join(
        f"{indent}  <Phone>\n{indent}    <TelephoneType>{kind}</TelephoneType>\n"
        f"{indent}    <PhoneNo>{escape(number)}</PhoneNo>\n{indent}  </Phone>\n"
        for kind, number in phones
    )
    return f"{indent}<Phones>\n{body}{indent}</Phones>\n"


def _address(p: FakePupil, indent: str) -> str:
    if p.address_lines:
        lines = "".join(
            f"{indent}    <AddressLine{n}>{escape(line)}</AddressLine{n}>\n"
            for n, line in enumerate(p.address_lines, start=1)
        )
        inner = f"{indent}  <AddressLines>\n{lines}{indent}  </AddressLines>\n"
    else:
        parts = "".join(
            _e(tag, value, indent + "    ")
            for tag, value in (
                ("SAON", p.saon),
                ("PAON", p.paon),
                ("Street", p.street),
                ("Locality", p.locality),
                ("Town", p.town),
                ("AdministrativeArea", "West Yorkshire"),
                ("PostTown", p.town),
            )
        )
        inner = f"{indent}  <BS7666Address>\n{parts}{indent}  </BS7666Address>\n"
    return (
        f"{indent}<Address>\n{inner}{_e('PostCode', p.postcode, indent + '  ')}"
        f"{indent}  <Country>GBR</Country>\n{indent}</Address>\n"
    )


def ctf(pupils: list[FakePupil], *, school: str = "Invented Primary School") -> bytes:
    """A CTF as an MIS writes one: header, then a <Pupil> per pupil with its contacts."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        "<CTfile>\n",
        "  <Header>\n",
        "    <DocumentName>Common Transfer File</DocumentName>\n",
        "    <CTFversion>25.0</CTFversion>\n",
        "    <DateTime>2026-11-23T09:00:00</DateTime>\n",
        "    <DocumentQualifier>partial</DocumentQualifier>\n",
        "    <SupplierID>Invented MIS</SupplierID>\n",
        "    <SourceSchool>\n",
        "      <LEA>999</LEA>\n      <Estab>9999</Estab>\n      <URN>999999</URN>\n",
        f"      <SchoolName>{escape(school)}</SchoolName>\n",
        "      <AcademicYear>2026</AcademicYear>\n",
        "    </SourceSchool>\n",
        "    <DestSchool>\n      <LEA>999</LEA>\n      <Estab>9998</Estab>\n    </DestSchool>\n",
        "  </Header>\n",
        "  <CTFpupilData>\n",
    ]
    for p in pupils:
        i = "      "
        out.append("    <Pupil>\n")
        out.append(_e("UPN", p.upn, i))
        out.append(_e("Surname", p.surname, i))
        out.append(_e("Forename", p.forename, i))
        out.append(_e("DOB", p.dob, i))
        out.append(_e("Sex", "F", i))
        out.append(f"{i}<BasicDetails>\n")
        out.append(_e("NCyearActual", p.year, i + "  "))
        out.append(_e("EnrolStatus", "C", i + "  "))
        out.append(f"{i}</BasicDetails>\n")
        out.append(f"{i}<Attendance>\n{i}  <SessionsPossible>120</SessionsPossible>\n")
        out.append(f"{i}</Attendance>\n")
        out.append(_address(p, i))
        out.append(_phones((("H", p.home_phone),) if p.home_phone else (), i))
        if p.contacts:
            out.append(f"{i}<Contacts>\n")
            for c in p.contacts:
                j = i + "    "
                out.append(f"{i}  <Contact>\n")
                out.append(_e("Order", "" if c.order is None else str(c.order), j))
                out.append(_e("Title", "Mx", j))
                out.append(_e("Surname", c.surname, j))
                out.append(_e("Forename", c.forename, j))
                out.append(_e("Relationship", c.relationship, j))
                out.append(_e("Responsibility", c.responsibility, j))
                if c.same_address:
                    out.append(_e("AddressAsPupil", "true", j))
                out.append(_phones(c.phones, j))
                out.append(_e("Email", c.email, j))
                out.append(f"{i}  </Contact>\n")
            out.append(f"{i}</Contacts>\n")
        out.append("    </Pupil>\n")
    out.append("  </CTFpupilData>\n</CTfile>\n")
    return "".join(out).encode("utf-8")


def csv_text(headers: list[str], rows: list[list[str]]) -> bytes:
    """A CSV as Excel writes one (quotes where needed, CRLF line ends)."""

    def quote(cell: str) -> str:
        if any(c in cell for c in ',"\n\r'):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    lines = [",".join(quote(h) for h in headers)]
    lines += [",".join(quote(c) for c in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")
