"""What the visit request form looks up while it is filled in: the pupil or household (search
as you type), the household's professionals, and the staff who could go with what stops them.

Read-only; every method opens its own session and returns frozen dataclasses of plain values,
so the form never holds ORM objects. Names and addresses are personal data: nothing here logs.

Search: every typed word must match one of the fields, accents and case ignored ("zoe" finds
Zoë), a name also by its spelling variants ("mohamed" finds Muhammad), best match first; done in
Python, as SQLite folds ASCII only. A postcode also matches without its space ("ls11aa" finds
"LS1 1AA"), because that is how people type them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from hvdesk.clock import Clock
from hvdesk.db.database import Database
from hvdesk.db.models import AuditEntry, Household, Professional, Pupil, Staff
from hvdesk.domain.households import ProfessionalRole
from hvdesk.domain.name_search import NameIndex, Scorer, folded_fields, folded_words
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.visit_request import (
    Problem,
    VisitorFacts,
    has_current_training,
    visitor_problems,
)
from hvdesk.services.directory import school_policy
from hvdesk.services.visit_requests import visitor_facts

__all__ = ["HomeChoice", "Lookups", "ProfessionalChoice", "VisitorChoice"]

DEFAULT_LIMIT = 40
_PUPIL_COLUMNS = (Pupil.id, Pupil.first_name, Pupil.last_name, Pupil.mis_id, Pupil.year_group)
_HOME_COLUMNS = (
    Household.id.label("household_id"),
    Household.address_line1,
    Household.address_line2,
    Household.town,
    Household.postcode,
    Household.area,
)


@dataclass(frozen=True)
class HomeChoice:
    """A place a visit can go: a pupil at their home, or a household with no pupil named."""

    household_id: int
    address: str
    street: str
    postcode: str
    area: str
    pupil_id: int | None = None
    pupil_name: str | None = None
    mis_id: str | None = None
    year_group: int | None = None

    @property
    def label(self) -> str:
        """One line for the results list: who, then where."""
        where = f"{self.street}, {self.postcode}"
        if self.pupil_name is None:
            return f"Household at {where} ({self.area}), no pupil named"
        details = [d for d in (_year(self.year_group), self.mis_id) if d]
        extra = f" ({', '.join(details)})" if details else ""
        return f"{self.pupil_name}{extra}: {where}"


@dataclass(frozen=True)
class ProfessionalChoice:
    """A professional allocated to the household (the allocated social worker among them)."""

    id: int
    name: str
    role: ProfessionalRole
    organisation: str | None
    phone: str | None

    @property
    def label(self) -> str:
        where = f", {self.organisation}" if self.organisation else ""
        return f"{self.name} ({self.role.label}{where})"


@dataclass(frozen=True)
class VisitorChoice:
    """A member of staff as the visitor list offers them, with what would stop them going at
    the planned time (empty when they can go) and whether their safeguarding training is in
    date (at least one visitor's should be)."""

    staff_id: int
    name: str
    job_role: str
    vehicle: str | None
    trained: bool
    problems: tuple[Problem, ...]
    facts: VisitorFacts

    @property
    def can_go(self) -> bool:
        return not any(p.blocks for p in self.problems)


class Lookups:
    """The form's look-ups over the school's database."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock
        self._index: _SearchIndex | None = None

    def policy(self) -> SchoolPolicy:
        """The school's settings (working hours decide whether a visit is out of hours)."""
        with self._database.session() as session:
            return school_policy(session)

    def find_homes(self, search: str, limit: int = DEFAULT_LIMIT) -> list[HomeChoice]:
        """Pupils (on roll) whose name, MIS id or home postcode matches, best match first
        (accents and case ignored, spelling variants found: `hvdesk.domain.name_search`); then
        the households whose postcode or street matches, with no pupil named."""
        scorer = Scorer(search)
        index = self._search_index()
        if not scorer.terms:
            return [entry.choice for entry in index.pupils[:limit]]
        scores = index.pupil_names.search(scorer)
        order = sorted(scores, key=lambda n: (-scores[n], n))
        found = [index.pupils[n].choice for n in order[:limit]]
        if len(found) < limit:
            homes = index.home_fields.search(scorer)
            found.extend(index.homes[n].choice for n in sorted(homes)[: limit - len(found)])
        return found

    def _search_index(self) -> _SearchIndex:
        """Every pupil on roll and every home, read and folded once, and read again only after
        something was written: every write leaves an audit entry, so the newest entry's id
        says whether the copy is current. A keystroke then costs the matching alone."""
        with self._database.session() as session:
            marker = session.scalar(sa.select(sa.func.max(AuditEntry.id))) or 0
            if self._index is not None and self._index.marker == marker:
                return self._index
            pupils = (
                sa.select(*_PUPIL_COLUMNS, *_HOME_COLUMNS)
                .join(Household, Pupil.household_id == Household.id)
                .where(Pupil.active.is_(True))
                .order_by(Pupil.last_name, Pupil.first_name, Pupil.id)
            )
            homes = sa.select(*_HOME_COLUMNS).order_by(Household.postcode, Household.id)
            indexed = tuple(
                _Indexed(
                    _pupil_choice(row),
                    folded_words(row.first_name, row.last_name),
                    folded_fields(row.mis_id, *_postcodes(row.postcode)),
                )
                for row in session.execute(pupils)
            )
            homes_indexed = tuple(
                _Indexed(
                    _home_choice(row),
                    (),
                    folded_fields(*_postcodes(row.postcode), row.address_line1),
                )
                for row in session.execute(homes)
            )
            self._index = _SearchIndex(
                marker,
                indexed,
                NameIndex([(entry.words, entry.exact) for entry in indexed]),
                homes_indexed,
                NameIndex([((), entry.exact) for entry in homes_indexed]),
            )
            return self._index

    def home(self, household_id: int, pupil_id: int | None = None) -> HomeChoice | None:
        """The choice a saved request made, to show when it is reopened."""
        with self._database.session() as session:
            home = session.execute(
                sa.select(*_HOME_COLUMNS).where(Household.id == household_id)
            ).one_or_none()
            if home is None:
                return None
            pupil = session.execute(
                sa.select(*_PUPIL_COLUMNS, *_HOME_COLUMNS)
                .join(Household, Pupil.household_id == Household.id)
                .where(Pupil.id == pupil_id, Household.id == household_id)
            ).one_or_none()
            return _pupil_choice(pupil) if pupil is not None else _home_choice(home)

    def professionals(self, household_id: int) -> list[ProfessionalChoice]:
        """The household's professionals, social workers first."""
        with self._database.session() as session:
            rows = session.scalars(
                sa.select(Professional)
                .where(Professional.household_id == household_id)
                .order_by(Professional.name, Professional.id)
            ).all()
            choices = [
                ProfessionalChoice(p.id, p.name, p.role, p.organisation, p.phone) for p in rows
            ]
        choices.sort(key=lambda c: c.role is not ProfessionalRole.SOCIAL_WORKER)
        return choices

    def visitor_choices(
        self, start: datetime, end: datetime, *, visit_id: int | None = None
    ) -> list[VisitorChoice]:
        """Every member of staff on the list, by surname, with what stops them going on a
        visit from `start` to `end` (the request `visit_id` itself is not a clash)."""
        now = self._clock.now()
        with self._database.session() as session:
            policy = school_policy(session)
            staff = session.scalars(
                sa.select(Staff)
                .where(Staff.active.is_(True))
                .order_by(Staff.last_name, Staff.first_name, Staff.id)
            ).all()
            facts = visitor_facts(session, [s.id for s in staff])
            choices = []
            for person in staff:
                known = facts[person.id]
                choices.append(
                    VisitorChoice(
                        staff_id=person.id,
                        name=person.full_name,
                        job_role=person.job_role.label,
                        vehicle=_vehicle(person),
                        trained=has_current_training(known, policy, start),
                        problems=tuple(
                            visitor_problems(known, start, end, policy, now, visit_id=visit_id)
                        ),
                        facts=known,
                    )
                )
        return choices


@dataclass(frozen=True)
class _Indexed:
    choice: HomeChoice
    words: tuple[str, ...]
    exact: tuple[str, ...]


@dataclass(frozen=True)
class _SearchIndex:
    marker: int  # the newest audit entry's id when it was read
    pupils: tuple[_Indexed, ...]
    pupil_names: NameIndex
    homes: tuple[_Indexed, ...]
    home_fields: NameIndex


def _postcodes(postcode: str) -> tuple[str, str]:
    return postcode, postcode.replace(" ", "")


def _pupil_choice(row: Any) -> HomeChoice:
    """From a result row of the pupil's columns and `_HOME_COLUMNS`: the home, with the pupil."""
    return replace(
        _home_choice(row),
        pupil_id=row.id,
        pupil_name=f"{row.first_name} {row.last_name}",
        mis_id=row.mis_id,
        year_group=row.year_group,
    )


def _home_choice(row: Any) -> HomeChoice:
    """From a result row of `_HOME_COLUMNS`."""
    return HomeChoice(
        household_id=row.household_id,
        address=_address(row),
        street=row.address_line1,
        postcode=row.postcode,
        area=row.area,
    )


def _address(row: Any) -> str:
    """As `Household.address` writes it: the lines, town and postcode that are filled in."""
    parts = (row.address_line1, row.address_line2, row.town, row.postcode)
    return ", ".join(p for p in parts if p)


def _vehicle(person: Staff) -> str | None:
    """The car as the police sheet would describe it (make, model, colour, registration)."""
    described = " ".join(
        p for p in (person.vehicle_colour, person.vehicle_make, person.vehicle_model) if p
    )
    registration = person.vehicle_registration
    if registration:
        return f"{described} {registration}".strip()
    return described or None


def _year(year_group: int | None) -> str | None:
    return f"Year {year_group}" if year_group is not None else None
