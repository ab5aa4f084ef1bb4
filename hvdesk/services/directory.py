"""Read-models for the lists the office browses: pupils, staff, visits, the board, incidents.

Each function takes an open `Session` and returns frozen dataclasses of plain values, so the
UI never holds ORM objects (no lazy loads from a paint event, no detached-instance surprises)
and tests can compare rows directly. Names and addresses are personal data: nothing here logs.

Search is done in Python with `str.casefold`, not SQL `LIKE`: SQLite folds case for ASCII only,
and the office must find "Łukasz" by typing "łukasz". The candidate rows are a few thousand
plain tuples at most, so this stays in the low milliseconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hvdesk.clock import Clock, school_time_to_utc, to_school_time
from hvdesk.db.database import Database
from hvdesk.db.models import (
    Household,
    Incident,
    Pupil,
    Setting,
    Staff,
    Visit,
    VisitEvent,
    VisitStaff,
)
from hvdesk.domain.incidents import IncidentStatus
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.visits import EventKind, VisitStatus, reason_text

DEFAULT_LIMIT = 5000


@dataclass(frozen=True)
class PupilRow:
    """A pupil as the Pupils list shows them."""

    id: int
    first_name: str
    last_name: str
    mis_id: str | None
    year_group: int | None
    date_of_birth: date
    area: str | None
    household_id: int | None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class StaffChoice:
    """A member of staff to pick in a form: a visitor in an amendment, a follow-up's owner, a
    supervisor. `job_role` is the role's label, or empty where the form does not show it."""

    id: int
    name: str
    job_role: str = ""


@dataclass(frozen=True)
class StaffRow:
    """A member of staff with the checks the office looks at before a visit."""

    id: int
    first_name: str
    last_name: str
    job_role: str
    work_mobile: str | None
    safeguarding_trained_on: date | None
    dbs_level: str
    dbs_checked_on: date | None
    has_vehicle: bool

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class VisitRow:
    """One visit in the Visits list."""

    id: int
    planned_start: datetime
    planned_end: datetime
    pupil_name: str | None
    area: str
    reason: str
    visitors: tuple[str, ...]
    status: VisitStatus
    status_label: str


@dataclass(frozen=True)
class OutVisitRow:
    """A visit whose staff are out now: what the reception board shows (area, never the
    address, because the board may be seen by visitors to the office)."""

    visit_id: int
    visitors: tuple[str, ...]
    area: str
    purpose: str
    signed_out_at: datetime | None
    planned_end: datetime


@dataclass(frozen=True)
class IncidentRow:
    """One incident in the Incidents list."""

    id: int
    kind: str
    status: IncidentStatus
    status_label: str
    occurred_at: datetime
    visit_id: int | None
    summary: str


@dataclass(frozen=True)
class MonthlyVisitCounts:
    """How many visits were planned to start in one month (school time), by status."""

    month: date
    counts: tuple[tuple[VisitStatus, int], ...]

    def count(self, status: VisitStatus) -> int:
        return dict(self.counts).get(status, 0)

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)


def list_pupils(
    session: Session, search: str = "", limit: int = DEFAULT_LIMIT, *, include_left: bool = False
) -> list[PupilRow]:
    """Pupils by surname; `search` matches first or last name (any case) or the MIS id."""
    stmt = (
        sa.select(
            Pupil.id,
            Pupil.first_name,
            Pupil.last_name,
            Pupil.mis_id,
            Pupil.year_group,
            Pupil.date_of_birth,
            Household.area,
            Pupil.household_id,
        )
        .outerjoin(Household, Pupil.household_id == Household.id)
        .order_by(Pupil.last_name, Pupil.first_name, Pupil.id)
    )
    if not include_left:
        stmt = stmt.where(Pupil.active.is_(True))
    terms = _terms(search)
    if not terms:
        stmt = stmt.limit(limit)
    rows: list[PupilRow] = []
    for r in session.execute(stmt):
        if terms and not _matches(terms, (r.first_name, r.last_name, r.mis_id)):
            continue
        rows.append(
            PupilRow(
                id=r.id,
                first_name=r.first_name,
                last_name=r.last_name,
                mis_id=r.mis_id,
                year_group=r.year_group,
                date_of_birth=r.date_of_birth,
                area=r.area,
                household_id=r.household_id,
            )
        )
        if len(rows) >= limit:
            break
    return rows


def list_staff(session: Session, search: str = "", *, include_left: bool = False) -> list[StaffRow]:
    """Staff by surname; `search` matches first or last name or job role (any case)."""
    stmt = sa.select(Staff).order_by(Staff.last_name, Staff.first_name, Staff.id)
    if not include_left:
        stmt = stmt.where(Staff.active.is_(True))
    terms = _terms(search)
    rows: list[StaffRow] = []
    for s in session.scalars(stmt):
        if terms and not _matches(terms, (s.first_name, s.last_name, s.job_role.label)):
            continue
        rows.append(
            StaffRow(
                id=s.id,
                first_name=s.first_name,
                last_name=s.last_name,
                job_role=s.job_role.label,
                work_mobile=s.work_mobile,
                safeguarding_trained_on=s.safeguarding_trained_on,
                dbs_level=s.dbs_level.label,
                dbs_checked_on=s.dbs_checked_on,
                has_vehicle=bool(s.vehicle_registration or s.vehicle_make),
            )
        )
    return rows


def list_visits(
    session: Session,
    search: str = "",
    status: VisitStatus | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[VisitRow]:
    """Visits, latest planned start first; `search` matches the pupil, area, reason, a visitor
    or the visit number."""
    stmt = (
        sa.select(
            Visit.id,
            Visit.planned_start,
            Visit.planned_end,
            Visit.reason,
            Visit.reason_other,
            Visit.status,
            Household.area,
            Pupil.first_name,
            Pupil.last_name,
        )
        .join(Household, Visit.household_id == Household.id)
        .outerjoin(Pupil, Visit.pupil_id == Pupil.id)
        .order_by(Visit.planned_start.desc(), Visit.id.desc())
    )
    if status is not None:
        stmt = stmt.where(Visit.status == status)
    terms = _terms(search)
    if not terms:
        stmt = stmt.limit(limit)
    found = session.execute(stmt).all()
    visitors = _visitor_names(session, [r.id for r in found])
    rows: list[VisitRow] = []
    for r in found:
        pupil = f"{r.first_name} {r.last_name}" if r.first_name is not None else None
        reason = reason_text(r.reason, r.reason_other)
        names = visitors.get(r.id, ())
        if terms and not _matches(terms, (pupil, r.area, reason, f"#{r.id}", *names)):
            continue
        rows.append(
            VisitRow(
                id=r.id,
                planned_start=r.planned_start,
                planned_end=r.planned_end,
                pupil_name=pupil,
                area=r.area,
                reason=reason,
                visitors=names,
                status=r.status,
                status_label=r.status.label,
            )
        )
        if len(rows) >= limit:
            break
    return rows


def list_visits_out(session: Session) -> list[OutVisitRow]:
    """Visits whose staff are out now, the soonest planned end first (the board's query: one
    statement for the visits, one for their visitors, whatever the number of rows)."""
    signed_out = (
        sa.select(
            VisitEvent.visit_id.label("visit_id"),
            sa.func.max(VisitEvent.occurred_at).label("at"),
        )
        .where(VisitEvent.kind == EventKind.SIGNED_OUT)
        .group_by(VisitEvent.visit_id)
        .subquery()
    )
    stmt = (
        sa.select(Visit.id, Visit.purpose, Visit.planned_end, Household.area, signed_out.c.at)
        .join(Household, Visit.household_id == Household.id)
        .outerjoin(signed_out, signed_out.c.visit_id == Visit.id)
        .where(Visit.status == VisitStatus.OUT)
        .order_by(Visit.planned_end, Visit.id)
    )
    found = session.execute(stmt).all()
    visitors = _visitor_names(session, [r.id for r in found])
    return [
        OutVisitRow(
            visit_id=r.id,
            visitors=visitors.get(r.id, ()),
            area=r.area,
            purpose=r.purpose,
            signed_out_at=_as_utc(r.at),
            planned_end=r.planned_end,
        )
        for r in found
    ]


def list_incidents(session: Session) -> list[IncidentRow]:
    """Incidents, the most recent first."""
    stmt = sa.select(
        Incident.id,
        Incident.kind,
        Incident.status,
        Incident.occurred_at,
        Incident.visit_id,
        Incident.summary,
    ).order_by(Incident.occurred_at.desc(), Incident.id.desc())
    return [
        IncidentRow(
            id=r.id,
            kind=r.kind.label,
            status=r.status,
            status_label=r.status.label,
            occurred_at=r.occurred_at,
            visit_id=r.visit_id,
            summary=r.summary,
        )
        for r in session.execute(stmt)
    ]


def visit_counts_by_month(
    session: Session, clock: Clock, months: int = 12
) -> list[MonthlyVisitCounts]:
    """Visits per month of planned start (school time) for the last `months` months, the
    current one included, oldest first; months with no visits are listed with zeros. Drills
    are practice, not visits: they are never counted."""
    if months < 1:
        raise ValueError("months must be at least 1")
    today = to_school_time(clock.now()).date()
    month_starts = [_add_months(date(today.year, today.month, 1), -i) for i in range(months)]
    month_starts.reverse()
    first = month_starts[0]
    start_utc = school_time_to_utc(datetime(first.year, first.month, 1))  # noqa: DTZ001
    stmt = sa.select(Visit.planned_start, Visit.status).where(
        Visit.planned_start >= start_utc, Visit.is_drill.is_(False)
    )
    tally: dict[date, dict[VisitStatus, int]] = defaultdict(lambda: defaultdict(int))
    for planned_start, status in session.execute(stmt):
        local = to_school_time(planned_start)
        tally[date(local.year, local.month, 1)][status] += 1
    return [
        MonthlyVisitCounts(month=m, counts=tuple((s, tally[m].get(s, 0)) for s in VisitStatus))
        for m in month_starts
    ]


def school_policy(session: Session) -> SchoolPolicy:
    """The school's settings: the defaults with the stored overrides applied."""
    stored = {key: value for key, value in session.execute(sa.select(Setting.key, Setting.value))}
    return SchoolPolicy.from_settings(stored)


def _visitor_names(session: Session, visit_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """The visitors of many visits in one query, lead visitor first."""
    if not visit_ids:
        return {}
    stmt = (
        sa.select(VisitStaff.visit_id, Staff.first_name, Staff.last_name)
        .join(Staff, VisitStaff.staff_id == Staff.id)
        .where(VisitStaff.visit_id.in_(visit_ids))
        .order_by(VisitStaff.visit_id, VisitStaff.position, Staff.last_name)
    )
    names: dict[int, list[str]] = defaultdict(list)
    for visit_id, first_name, last_name in session.execute(stmt):
        names[visit_id].append(f"{first_name} {last_name}")
    return {visit_id: tuple(found) for visit_id, found in names.items()}


def _terms(search: str) -> list[str]:
    return search.casefold().split()


def _matches(terms: Iterable[str], fields: Iterable[str | None]) -> bool:
    """Every word typed appears in at least one of the fields (so "amy smi" finds Amy Smith)."""
    haystack = [f.casefold() for f in fields if f]
    return all(any(term in field for field in haystack) for term in terms)


def _add_months(first_of_month: date, delta: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + delta
    return date(index // 12, index % 12 + 1, 1)


def _as_utc(value: datetime | None) -> datetime | None:
    """Aggregates can come back without the column's type on some drivers: make them UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


class Directory:
    """The office's lists and the school's settings, each read in a unit of work of its own:
    what the Pupils, Staff and Visits pages and the window ask for."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def pupils(self, search: str = "", *, include_left: bool = False) -> list[PupilRow]:
        with self._database.session() as session:
            return list_pupils(session, search, include_left=include_left)

    def staff(self, search: str = "", *, include_left: bool = False) -> list[StaffRow]:
        with self._database.session() as session:
            return list_staff(session, search, include_left=include_left)

    def visits(self, search: str = "", status: VisitStatus | None = None) -> list[VisitRow]:
        with self._database.session() as session:
            return list_visits(session, search, status)

    def policy(self) -> SchoolPolicy:
        """The school's settings now (raises `SettingError` when a stored one is unusable)."""
        with self._database.session() as session:
            return school_policy(session)
