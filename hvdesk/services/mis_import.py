"""Importing pupils and families from the MIS: its CSV export or its Common Transfer File
(CTF), told apart by content; all or nothing.

`check` and `run` do the same work in one transaction; `check` then rolls it back, so the
summary it shows (added / updated / unchanged) is exactly what `run` would do. Any bad row, or a
mapping without a required field, and `run` raises `ImportRefused` with every problem and its
line number, having written nothing.

Matching: a pupil by MIS id (updated in place: names, date of birth, year, back on roll, home,
contacts); a household by first address line and postcode (`people.household_key`), so siblings
on different rows share one. An existing household keeps its area unless the file gives one,
and keeps its home phone unless the file gives one. A contact is matched by name among the
pupil's adults, then among the household's; a new one is added to the household. Pupils missing
from the file are left alone (an export of one year group must not take the others off roll),
and adults linked by hand are never unlinked by an import.

Who may import: the roles that edit family details (administrator, DSL, deputy DSL).

A CSV's column mapping is remembered for next term, per school (in the database's settings,
by header names, so a reordered export still maps): every import saves it under its name
("usual" unless told), and reading a file whose headers fit a remembered mapping suggests it.
A CTF needs no mapping: its structure is the DfE's.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from hvdesk.clock import Clock, to_school_time
from hvdesk.db.database import Database
from hvdesk.db.models import Adult, Household, Pupil, PupilAdult, Setting
from hvdesk.domain.ctf_import import CtfDocument, ctf_pupils, looks_like_ctf, read_ctf
from hvdesk.domain.households import Relationship
from hvdesk.domain.mis_import import (
    CsvTable,
    ImportedContact,
    ImportedPupil,
    MisField,
    MisFileError,
    ParsedImport,
    RowProblem,
    parse_rows,
    read_csv,
    suggest_mapping,
)
from hvdesk.domain.people_records import rights_for, tidy_pupil
from hvdesk.errors import HvdeskError
from hvdesk.services import audit
from hvdesk.services.accounts import NotPermitted
from hvdesk.services.acting import current_identity
from hvdesk.services.identity import SignedInUser
from hvdesk.services.people import apply_household, household_key, pupil_draft

__all__ = [
    "DEFAULT_MAPPING",
    "ImportFile",
    "ImportRefused",
    "ImportSummary",
    "MappingUnknown",
    "MisFileUnreadable",
    "MisImport",
    "PupilOutcome",
]

log = logging.getLogger(__name__)

DEFAULT_MAPPING = "usual"
MAPPING_PREFIX = "mis_mapping:"
MAPPING_NAME_MAX = 60


class MisFileUnreadable(HvdeskError):
    title = "Cannot read the file"


class ImportRefused(HvdeskError):
    """Bad rows (or a bad mapping): `problems` lists every one; nothing was imported."""

    title = "Nothing imported"

    def __init__(self, problems: tuple[RowProblem, ...]) -> None:
        shown = "\n".join(f"• {p}" for p in problems[:20])
        more = f"\n… and {len(problems) - 20} more." if len(problems) > 20 else ""
        super().__init__(
            f"{len(problems)} problem(s) in the file; nothing was imported:\n{shown}{more}",
            "Correct the rows in the MIS or the file (or the column mapping) and import again.",
        )
        self.problems = problems


class MappingUnknown(HvdeskError):
    title = "No such column mapping"


@dataclass(frozen=True)
class ImportFile:
    """A file read and ready to map: its table and the suggested mapping; or a CTF, read whole
    (`ctf` set, `table` empty), which needs no mapping."""

    name: str
    table: CsvTable
    suggested: dict[MisField, int]
    ctf: CtfDocument | None = None
    remembered: str | None = None  # the name of the remembered mapping suggested, if any

    @property
    def kind(self) -> str:
        return "CTF" if self.ctf is not None else "CSV"


@dataclass(frozen=True)
class PupilOutcome:
    """What an import did (or would do) to one pupil: "added", "changed" or "unchanged"."""

    line: int
    mis_id: str
    name: str
    outcome: str


@dataclass(frozen=True)
class ImportSummary:
    """What an import did (or, from `check`, would do)."""

    added: int
    updated: int
    unchanged: int
    households_added: int
    problems: tuple[RowProblem, ...] = ()
    pupils: tuple[PupilOutcome, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def describe(self) -> str:
        return (
            f"{self.added} pupil(s) added, {self.updated} updated, {self.unchanged} unchanged; "
            f"{self.households_added} new household(s)."
        )


class _DryRun(Exception):
    """Raised inside `check` to roll the transaction back once the counts are known."""


class MisImport:
    """Use cases of the MIS import."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def read(self, path: Path) -> ImportFile:
        """Read an export from disk (no database work); suggests a column mapping."""
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise MisFileUnreadable(
                f"{path.name} cannot be read ({exc.strerror}).", "Check the file and try again."
            ) from exc
        return self.read_bytes(raw, path.name)

    def read_bytes(self, raw: bytes, name: str) -> ImportFile:
        """A CSV or a CTF, told apart by what the file holds (not by its name)."""
        if looks_like_ctf(raw):
            try:
                document = read_ctf(raw)
            except MisFileError as exc:
                raise MisFileUnreadable(
                    f"{name} is not a Common Transfer File hvdesk can read: {exc}",
                    "Export the CTF from the MIS again, or export the pupils as CSV.",
                ) from exc
            return ImportFile(name, CsvTable((), (), "UTF-8"), {}, document)
        try:
            table = read_csv(raw)
        except MisFileError as exc:
            raise MisFileUnreadable(
                f"{name} is not a CSV export hvdesk can read: {exc}",
                "Export the pupils from the MIS as CSV (comma-separated) or as a CTF, and "
                "choose that file.",
            ) from exc
        suggested, remembered = suggest_mapping(table.headers), None
        with self._database.session() as session:
            for setting in session.scalars(
                sa.select(Setting)
                .where(Setting.key.startswith(MAPPING_PREFIX))
                .order_by(Setting.updated_at.desc())
            ):
                fitted = _fit(setting.value, table.headers)
                if fitted is not None:
                    # Columns the remembered mapping does not know (a new contact's, say)
                    # are still suggested from their header names.
                    used = set(fitted.values())
                    fitted.update(
                        (f, c) for f, c in suggested.items() if f not in fitted and c not in used
                    )
                    suggested, remembered = fitted, setting.key.removeprefix(MAPPING_PREFIX)
                    break
        return ImportFile(name, table, suggested, remembered=remembered)

    def mapping_names(self) -> list[str]:
        """The column mappings this school has remembered, newest first."""
        with self._database.session() as session:
            keys = session.scalars(
                sa.select(Setting.key)
                .where(Setting.key.startswith(MAPPING_PREFIX))
                .order_by(Setting.updated_at.desc())
            )
            return [key.removeprefix(MAPPING_PREFIX) for key in keys]

    def remembered_mapping(self, name: str, file: ImportFile) -> dict[MisField, int]:
        """A remembered mapping applied to this file's headers (raises `MappingUnknown`)."""
        with self._database.session() as session:
            stored = session.get(Setting, MAPPING_PREFIX + name)
            value = stored.value if stored is not None else None
        if value is None:
            known = ", ".join(self.mapping_names()) or "none yet"
            raise MappingUnknown(
                f"No column mapping is remembered as “{name}” (remembered: {known}).",
                "Import once in the window to set the mapping, or give a name listed here.",
            )
        fitted = _fit(value, file.table.headers)
        if fitted is None:
            raise MappingUnknown(
                f"The mapping “{name}” names columns this file does not have.",
                "Check the export has the usual columns, or set the mapping again in the window.",
            )
        return fitted

    def check(
        self, file: ImportFile, mapping: Mapping[MisField, int], by: SignedInUser
    ) -> ImportSummary:
        """Every problem, or what importing would do; never writes."""
        outcome: ImportSummary | None = None
        try:
            with self._database.session() as session:
                outcome = self._import(session, file, mapping, by)
                raise _DryRun
        except _DryRun:
            pass
        assert outcome is not None
        return outcome

    def run(
        self,
        file: ImportFile,
        mapping: Mapping[MisField, int],
        by: SignedInUser,
        remember_as: str = DEFAULT_MAPPING,
    ) -> ImportSummary:
        """Import every row in one transaction, or none (raises `ImportRefused`); a CSV's
        mapping is remembered as `remember_as` in the same transaction."""
        name = remember_as.strip()
        if not name or len(MAPPING_PREFIX + name) > 80 or len(name) > MAPPING_NAME_MAX:
            raise MappingUnknown(
                "A mapping's name is 1 to 60 characters.", "Give a shorter name for it."
            )
        with audit.writing_as(self._database, by, self._clock) as session:
            summary = self._import(session, file, mapping, by)
            if not summary.ok:
                raise ImportRefused(summary.problems)
            if file.ctf is None:
                _remember(session, name, file.table.headers, mapping, self._clock.now(), by)
        log.info(
            "MIS import by user %s: %d added, %d updated, %d unchanged, %d households added",
            by.user_id,
            summary.added,
            summary.updated,
            summary.unchanged,
            summary.households_added,
        )
        return summary

    def _import(
        self,
        session: Session,
        file: ImportFile,
        mapping: Mapping[MisField, int],
        by: SignedInUser,
    ) -> ImportSummary:
        by = current_identity(session, by)  # the role as it is now, not as it was
        if not rights_for(by.role).import_from_mis:
            raise NotPermitted(
                "Your role may not import pupils from the MIS.",
                "Ask the administrator or the DSL.",
            )
        now = self._clock.now()
        today = to_school_time(now).date()
        parsed: ParsedImport = (
            ctf_pupils(file.ctf, today)
            if file.ctf is not None
            else parse_rows(file.table, mapping, today)
        )
        if parsed.problems:
            return ImportSummary(0, 0, 0, 0, parsed.problems)
        added = updated = unchanged = 0
        households_before = session.scalar(sa.select(sa.func.count(Household.id))) or 0
        existing = {
            p.mis_id: p
            for p in session.scalars(
                sa.select(Pupil)
                .where(Pupil.mis_id.in_([row.mis_id for row in parsed.pupils]))
                .options(
                    selectinload(Pupil.household),
                    selectinload(Pupil.adult_links).joinedload(PupilAdult.adult),
                )
            )
        }
        # Every household by address, once: a query (and an autoflush) per row costs a whole
        # school's import minutes; with this the rows are matched in memory and flushed once.
        homes = {
            household_key(h.address_line1, h.postcode): h
            for h in session.scalars(sa.select(Household).options(selectinload(Household.adults)))
        }
        outcomes: list[PupilOutcome] = []
        with session.no_autoflush:
            for row in parsed.pupils:
                name = f"{row.first_name} {row.last_name}"
                pupil = existing.get(row.mis_id)
                if pupil is None:
                    pupil = Pupil(mis_id=row.mis_id)
                    session.add(pupil)
                    _apply_row(session, pupil, row, now, homes)
                    added += 1
                    outcomes.append(PupilOutcome(row.line, row.mis_id, name, "added"))
                    continue
                before = tidy_pupil(pupil_draft(pupil))
                _apply_row(session, pupil, row, now, homes)
                if tidy_pupil(pupil_draft(pupil)) == before:
                    unchanged += 1
                    outcomes.append(PupilOutcome(row.line, row.mis_id, name, "unchanged"))
                else:
                    updated += 1
                    outcomes.append(PupilOutcome(row.line, row.mis_id, name, "changed"))
        session.flush()
        households_after = session.scalar(sa.select(sa.func.count(Household.id))) or 0
        return ImportSummary(
            added,
            updated,
            unchanged,
            households_after - households_before,
            pupils=tuple(outcomes),
        )


def _apply_row(
    session: Session,
    pupil: Pupil,
    row: ImportedPupil,
    now: datetime,
    homes: dict[tuple[str, str], Household],
) -> None:
    _set(pupil, "first_name", row.first_name)
    _set(pupil, "last_name", row.last_name)
    _set(pupil, "date_of_birth", row.date_of_birth)
    if row.year_group is not None:
        _set(pupil, "year_group", row.year_group)
    _set(pupil, "active", True)
    home = row.household
    key = household_key(home.address_line1, home.postcode)
    household = homes.get(key)
    if household is None:
        household = Household(created_at=now)
        session.add(household)
        apply_household(household, home)
        homes[key] = household
    else:
        _set(household, "address_line2", home.address_line2 or household.address_line2)
        _set(household, "town", home.town)
        if row.area_given:
            _set(household, "area", home.area)
        _set(household, "home_phone", home.home_phone or household.home_phone)
    if pupil.household is not household:
        pupil.household = household
    for contact in row.contacts:
        _apply_contact(session, pupil, household, contact)


def _apply_contact(
    session: Session, pupil: Pupil, household: Household, contact: ImportedContact
) -> None:
    def same(adult: Adult) -> bool:
        return (adult.first_name.casefold(), adult.last_name.casefold()) == (
            contact.first_name.casefold(),
            contact.last_name.casefold(),
        )

    link = next((link for link in pupil.adult_links if same(link.adult)), None)
    if link is None:
        adult = next((a for a in household.adults if same(a)), None)
        if adult is None:
            adult = Adult(
                first_name=contact.first_name, last_name=contact.last_name, household=household
            )
            session.add(adult)
        link = PupilAdult(adult=adult, lives_with_pupil=adult.household is household)
        pupil.adult_links.append(link)
    if contact.relationship is not None or link.relationship_to_pupil is None:
        _set(link, "relationship_to_pupil", contact.relationship or Relationship.OTHER)
    if contact.parental_responsibility is not None or link.parental_responsibility is None:
        _set(link, "parental_responsibility", bool(contact.parental_responsibility))
    if contact.priority is not None:
        _set(link, "contact_priority", contact.priority)
    if contact.phone:
        _set(link.adult, "phone", contact.phone)
    if contact.email:
        _set(link.adult, "email", contact.email)


def _fit(stored: object, headers: tuple[str, ...]) -> dict[MisField, int] | None:
    """A remembered mapping ({field: header}) on these headers; None if a header is missing."""
    if not isinstance(stored, dict):
        return None
    fitted: dict[MisField, int] = {}
    for field_value, header in stored.items():
        try:
            field = MisField(field_value)
        except ValueError:
            continue
        if header not in headers:
            return None
        fitted[field] = headers.index(header)
    return fitted or None


def _remember(
    session: Session,
    name: str,
    headers: tuple[str, ...],
    mapping: Mapping[MisField, int],
    now: datetime,
    by: SignedInUser,
) -> None:
    value = {field.value: headers[column] for field, column in mapping.items()}
    stored = session.get(Setting, MAPPING_PREFIX + name)
    if stored is None:
        session.add(
            Setting(
                key=MAPPING_PREFIX + name, value=value, updated_at=now, updated_by_id=by.user_id
            )
        )
    elif stored.value != value:
        stored.value = value
        stored.updated_at = now
        stored.updated_by_id = by.user_id


def _set(record: object, name: str, value: object) -> None:
    """Assign only a new value: an unchanged row then leaves nothing for the flush (and the
    audit trail) to look at, which is most rows of a second import."""
    if getattr(record, name) != value:
        setattr(record, name, value)
