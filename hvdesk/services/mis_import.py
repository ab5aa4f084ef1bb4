"""Importing pupils and families from the MIS's CSV export: all or nothing.

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
from hvdesk.db.models import Adult, Household, Pupil, PupilAdult
from hvdesk.domain.households import Relationship
from hvdesk.domain.mis_import import (
    CsvTable,
    ImportedContact,
    ImportedPupil,
    MisField,
    MisFileError,
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
    "ImportFile",
    "ImportRefused",
    "ImportSummary",
    "MisFileUnreadable",
    "MisImport",
]

log = logging.getLogger(__name__)


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


@dataclass(frozen=True)
class ImportFile:
    """A file read and ready to map: its table and the suggested mapping."""

    name: str
    table: CsvTable
    suggested: dict[MisField, int]


@dataclass(frozen=True)
class ImportSummary:
    """What an import did (or, from `check`, would do)."""

    added: int
    updated: int
    unchanged: int
    households_added: int
    problems: tuple[RowProblem, ...] = ()

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
        try:
            table = read_csv(raw)
        except MisFileError as exc:
            raise MisFileUnreadable(
                f"{name} is not a CSV export hvdesk can read: {exc}",
                "Export the pupils from the MIS as CSV (comma-separated) and choose that file.",
            ) from exc
        return ImportFile(name, table, suggest_mapping(table.headers))

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
        self, file: ImportFile, mapping: Mapping[MisField, int], by: SignedInUser
    ) -> ImportSummary:
        """Import every row in one transaction, or none (raises `ImportRefused`)."""
        with audit.writing_as(self._database, by, self._clock) as session:
            summary = self._import(session, file, mapping, by)
            if not summary.ok:
                raise ImportRefused(summary.problems)
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
        parsed = parse_rows(file.table, mapping, to_school_time(now).date())
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
        with session.no_autoflush:
            for row in parsed.pupils:
                pupil = existing.get(row.mis_id)
                if pupil is None:
                    pupil = Pupil(mis_id=row.mis_id)
                    session.add(pupil)
                    _apply_row(session, pupil, row, now, homes)
                    added += 1
                    continue
                before = tidy_pupil(pupil_draft(pupil))
                _apply_row(session, pupil, row, now, homes)
                if tidy_pupil(pupil_draft(pupil)) == before:
                    unchanged += 1
                else:
                    updated += 1
        session.flush()
        households_after = session.scalar(sa.select(sa.func.count(Household.id))) or 0
        return ImportSummary(added, updated, unchanged, households_after - households_before)


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
    if contact.phone:
        _set(link.adult, "phone", contact.phone)


def _set(record: object, name: str, value: object) -> None:
    """Assign only a new value: an unchanged row then leaves nothing for the flush (and the
    audit trail) to look at, which is most rows of a second import."""
    if getattr(record, name) != value:
        setattr(record, name, value)
