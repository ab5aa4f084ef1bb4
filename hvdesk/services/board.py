"""The live board's read-models: who is out, where each visit stands on the ladder, and what to
do now; and the police information sheet.

Everything is derived on every read from stored rows, the school's policy and the instant asked
about (the one thing remembered between reads is a shortcut: which finished visits need nothing,
see `BoardService`), so a restart mid-escalation reads back at the same stage. Reads return
frozen dataclasses of plain values (the UI never holds ORM rows).

Which visits are on the board (rules decided here):

* every visit whose status is OUT;
* every AUTHORISED visit (not signed out) whose planned start is on the school day of `at` or
  earlier (Europe/London): the not-signed-out prompt and one-click sign-out;
* any other visit planned in the last 7 days (whatever its status) that still needs something:
  an escalation awaiting its resolution, a safety cancellation the headteacher has not been
  told of, or a visit cancelled after its staff set out whose return is not yet confirmed.

Privacy: without `include_private` (nobody signed in; the board may face a public hatch) a
read carries staff names, job roles, work mobiles, supervisors, the area and the ladder only:
no address, pupil, purpose, risks or safe word (`PrivateDetails` is None) and no emergency
contact, description or vehicle of the staff. Nothing here logs a name: log lines carry ids.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload, selectinload

from hvdesk.clock import SCHOOL_ZONE, Clock, format_school_time, to_school_time
from hvdesk.db.database import Database
from hvdesk.db.models import (
    Authorisation,
    BoardStamp,
    Household,
    KnownRisk,
    Pupil,
    Staff,
    UserAccount,
    Visit,
    VisitEvent,
    VisitStaff,
)
from hvdesk.domain.escalation import (
    EscalationStage,
    TimelineEvent,
    VisitPhase,
    VisitPlan,
    VisitState,
    evaluate,
    what_to_do_now,
)
from hvdesk.domain.households import RiskKind
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.visits import (
    AuthorisationDecision,
    CancellationCause,
    EscalationAction,
    EventKind,
    VisitStatus,
)
from hvdesk.services.directory import school_policy
from hvdesk.services.drill import DRILL_PREFIX, evaluate_visit, ladder_policy
from hvdesk.services.monitoring import MonitorShift, current_shift
from hvdesk.services.settings import last_ladder_change
from hvdesk.services.timeline import event_details, event_heading
from hvdesk.services.visit_log import RecordNotFound, vehicle_text

__all__ = [
    "BOARD_LOOKBACK",
    "BoardEntry",
    "BoardService",
    "BoardSnapshot",
    "MonitorShift",
    "PoliceSheet",
    "PrivateDetails",
    "SheetLine",
    "Visitor",
    "name_the_staff",
    "staff_names",
]

BOARD_LOOKBACK = timedelta(days=7)
"""How far back a finished visit is still looked at for an unresolved escalation."""


@dataclass(frozen=True)
class Visitor:
    """A member of staff on a visit, with the numbers and details the prompts and police need.

    On a private (signed-out) read the emergency contact, description and vehicle are None.
    `vehicle` reads like "Blue Ford Focus, LK19 XRT".
    """

    staff_id: int
    name: str
    job_role: str
    work_mobile: str | None
    emergency_contact_name: str | None
    emergency_contact_relationship: str | None
    emergency_contact_phone: str | None
    supervisor_name: str | None
    supervisor_phone: str | None
    description: str | None
    vehicle: str | None


@dataclass(frozen=True)
class PrivateDetails:
    """What only a signed-in user sees: the family side of the visit."""

    purpose: str
    pupil_name: str | None
    address: str
    location_notes: str | None
    known_risks: tuple[str, ...]
    """Operational risks only ("Dog or other animal: large dog, usually shut in the kitchen")."""
    safe_word: str | None


@dataclass(frozen=True)
class BoardEntry:
    """One row of the board."""

    visit_id: int
    visitors: tuple[Visitor, ...]
    area: str
    state: VisitState
    departed_at: datetime | None
    claimed_by: str | None
    claimed_at: datetime | None
    is_drill: bool
    urgent_unplanned: bool
    needs_retrospective_authorisation: bool
    headteacher_to_be_told: bool
    what_to_do: str
    """What the policy says to do now, names filled in (DRILL-prefixed for a drill)."""
    private: PrivateDetails | None
    status: VisitStatus = VisitStatus.OUT
    planned_start: datetime | None = None
    planned_end: datetime | None = None
    cancellation_cause: CancellationCause | None = None
    awaiting_return: bool = False
    """Cancelled after the staff set out, and nobody has yet recorded them back."""
    plan: VisitPlan | None = None
    timeline: tuple[TimelineEvent, ...] = ()
    """The engine's inputs, so the board can move a row's stage on the second without a read."""

    @property
    def staff_names(self) -> str:
        return staff_names(v.name for v in self.visitors)

    @property
    def needs_attention(self) -> bool:
        """A prompt the board must raise: a stage, a missing sign-out, an open escalation, the
        headteacher to tell, or a return to confirm."""
        return self.state.needs_attention or self.headteacher_to_be_told or self.awaiting_return


@dataclass(frozen=True)
class BoardSnapshot:
    """The whole board at one instant."""

    entries: tuple[BoardEntry, ...]
    """Most urgent first."""
    read_at: datetime
    monitoring: MonitorShift | None
    end_of_day: tuple[int, ...]
    """After the end-of-day check time (school day of `read_at`): visits still out, not signed
    out, or cancelled on site without a confirmed return. Empty before that time."""
    policy: SchoolPolicy | None = None
    ladder_changed_at: datetime | None = None
    """When a ladder or call setting last changed (issue 15): cards of visits out since before
    then say their times now follow the new policy."""

    def entry(self, visit_id: int) -> BoardEntry | None:
        return next((e for e in self.entries if e.visit_id == visit_id), None)


@dataclass(frozen=True)
class SheetLine:
    """One step of a visit's timeline, as the police sheet prints it."""

    at: datetime
    """In Europe/London."""
    what: str
    outcome: str | None
    recorded_by: str | None
    note: str | None
    kind: EventKind


@dataclass(frozen=True)
class PoliceSheet:
    """What the police need when a colleague is missing (seed 000, 003)."""

    visit_id: int
    is_drill: bool
    generated_at: datetime
    marking: str
    school_name: str
    visitors: tuple[Visitor, ...]
    vehicle: str | None
    """The vehicle recorded on the visit itself (each visitor's own is in `visitors`)."""
    address: str
    area: str
    location_notes: str | None
    pupil_name: str | None
    purpose: str
    planned_start: datetime
    planned_end: datetime
    scheduled_end: datetime
    """The agreed end, moved by any change phoned in while on the visit."""
    known_risks: tuple[str, ...]
    safe_word: str | None
    state: VisitState
    timeline: tuple[SheetLine, ...]

    @property
    def stage(self) -> EscalationStage:
        return self.state.stage


def staff_names(names: Iterable[str]) -> str:
    """Names as an instruction reads them: "Amy Smith", or "Amy Smith and Ben Ali"."""
    found = list(names)
    if not found:
        return "the staff"
    if len(found) == 1:
        return found[0]
    return ", ".join(found[:-1]) + " and " + found[-1]


class BoardService:
    """Reads the board and the police sheet, one session per read.

    The board is read every few seconds, so `read` uses plain column queries (no ORM objects)
    and keeps what it worked out between reads; it is only a shortcut for a pure function of
    stored rows, the policy and the instant (a new service, a restart, recomputes it all):

    * nothing changed: the database's change counter (`board_stamp`, moved on by triggers on
      every table the board shows) is as it was, the school day is the same and the last full
      look is under a minute old: the entries of the last read are moved to the new instant
      (each row's countdown; a row whose stage is due to change is evaluated again) without
      another query;
    * something changed: the rows are read again, but a visit's timeline is loaded, replayed
      and its entry built only when that visit's rows changed (its columns, its events' count
      and newest id, its visitors, risks or approval), or its stage is due to change;
    * which *finished* visits need nothing is remembered the same way (`_finished_memo`).
    """

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock
        self._finished_memo: dict[int, tuple[tuple[object, ...], bool]] = {}
        self._lock = threading.Lock()  # the poll runs on a worker thread, actions on the UI's
        self._visits: dict[bool, dict[int, _Kept]] = {True: {}, False: {}}
        self._last: dict[bool, _LastRead] = {}

    def policy(self) -> SchoolPolicy:
        """The school's settings (defaults with the stored overrides)."""
        with self._database.session() as session:
            return school_policy(session)

    def read(self, include_private: bool, at: datetime | None = None) -> BoardSnapshot:
        """The board at `at` (default now). Private details only when `include_private`."""
        at = _aware(at if at is not None else self._clock.now())
        with self._lock:
            with self._database.engine.connect() as quick:
                stamp = _stamp(quick)
            last = self._last.get(include_private)
            if last is not None and last.still_true(stamp, at):
                return last.moved_to(at)
            return self._read_changed(include_private, at, stamp)

    def _read_changed(
        self, include_private: bool, at: datetime, stamp: int | None
    ) -> BoardSnapshot:
        """A read after a change (or the first): only changed visits are loaded and replayed."""
        with self._database.session() as session:
            connection = session.connection()  # plain column queries: no ORM objects
            policy = school_policy(session)
            names = _display_names(connection)
            kept = self._finished_needing_attention(connection, policy, names, at)
            on_board = _on_board(at, kept)
            rows = _board_rows(connection, on_board, include_private)
            counts = _event_counts(connection, on_board)
            details = _Details.load(connection, rows, on_board, include_private, at)
            monitoring = current_shift(session)
            ladder_changed_at = last_ladder_change(session)
            known = self._visits[include_private]
            fresh = {
                visit_id: (
                    row.fingerprint(),
                    counts.get(visit_id),
                    details.fingerprint(row),
                    policy,
                )
                for visit_id, row in rows.items()
            }
            stale = {
                visit_id: row
                for visit_id, row in rows.items()
                if visit_id not in known
                or known[visit_id].key != fresh[visit_id]
                or known[visit_id].policy != policy
            }
            _load_events(connection, stale, names, Visit.id.in_(list(stale)))
        entries: list[BoardEntry] = []
        for visit_id, row in rows.items():
            found = known.get(visit_id)
            if visit_id in stale or found is None:
                found = known[visit_id] = _Kept(fresh[visit_id], row, details, policy)
            entries.append(found.entry_at(at, include_private))
        for gone in known.keys() - rows.keys():
            del known[gone]
        snapshot = _snapshot(entries, at, monitoring, policy, ladder_changed_at)
        if stamp is not None:
            kept_rows = [known[e.visit_id] for e in snapshot.entries]
            self._last[include_private] = _LastRead(stamp, at, kept_rows, snapshot, include_private)
        return snapshot

    def police_sheet(self, visit_id: int, at: datetime | None = None) -> PoliceSheet:
        """The police information sheet of one visit at `at` (default now)."""
        at = _aware(at if at is not None else self._clock.now())
        with self._database.session() as session:
            policy = school_policy(session)
            visit = session.scalars(
                sa.select(Visit)
                .where(Visit.id == visit_id)
                .options(
                    selectinload(Visit.events).joinedload(VisitEvent.recorded_by),
                    selectinload(Visit.visitors)
                    .joinedload(VisitStaff.staff)
                    .joinedload(Staff.supervisor),
                    joinedload(Visit.household).selectinload(Household.known_risks),
                    joinedload(Visit.pupil),
                )
            ).one_or_none()
            if visit is None:
                raise RecordNotFound(
                    f"There is no visit {visit_id}.", "Check the visit number on the board."
                )
            state = evaluate_visit(visit, policy, at)
            events = [e for e in visit.events if e.occurred_at <= at]
            home = visit.household
            return PoliceSheet(
                visit_id=visit.id,
                is_drill=visit.is_drill,
                generated_at=at,
                marking=policy.document_marking,
                school_name=policy.school_name,
                visitors=tuple(_visitor(vs.staff) for vs in visit.visitors),
                vehicle=visit.vehicle,
                address=home.address,
                area=home.area,
                location_notes=home.location_notes,
                pupil_name=visit.pupil.full_name if visit.pupil is not None else None,
                purpose=visit.purpose,
                planned_start=visit.planned_start,
                planned_end=visit.planned_end,
                scheduled_end=scheduled_end(visit.planned_end, events),
                known_risks=_risks(
                    ((r.kind, r.description, r.recorded_at, r.ended_at) for r in home.known_risks),
                    at,
                ),
                safe_word=visit.safe_word,
                state=state,
                timeline=tuple(_sheet_line(e) for e in events),
            )

    def _finished_needing_attention(
        self, session: sa.Connection, policy: SchoolPolicy, names: dict[int, str], at: datetime
    ) -> list[int]:
        """Recent finished visits that still need something (see the module's rules)."""
        recent_condition = sa.and_(
            Visit.planned_start >= at - BOARD_LOOKBACK, Visit.status.in_(_FINISHED)
        )
        recent = session.execute(
            sa.select(Visit.id, Visit.status, Visit.cancellation_cause).where(recent_condition)
        ).all()
        counts = {
            r[0]: (r[1], r[2], r[3])
            for r in session.execute(
                sa.select(
                    VisitEvent.visit_id,
                    sa.func.count(),
                    sa.func.max(VisitEvent.id),
                    sa.func.max(VisitEvent.occurred_at),
                )
                .where(VisitEvent.visit_id.in_(sa.select(Visit.id).where(recent_condition)))
                .group_by(VisitEvent.visit_id)
            ).all()
        }
        fingerprints = [
            (r.id, r.status, r.cancellation_cause, *counts.get(r.id, (0, None, None)))
            for r in recent
        ]
        memo = self._finished_memo
        keep: list[int] = []
        check: dict[int, tuple[object, ...]] = {}
        stable: dict[int, bool] = {}
        for visit_id, status, cause, count, newest, last in fingerprints:
            key = (status, cause, count, newest, policy)
            last_at = _as_utc(last)
            stable[visit_id] = last_at is None or at >= last_at
            cached = memo.get(visit_id)
            if cached is not None and cached[0] == key and stable[visit_id]:
                if cached[1]:
                    keep.append(visit_id)
            else:
                check[visit_id] = key
        for stale in memo.keys() - {f[0] for f in fingerprints}:
            del memo[stale]

        if check:
            candidates = _to_rows(
                session.execute(sa.select(*_ROW_COLUMNS).where(Visit.id.in_(list(check))))
            )
            _load_events(session, candidates, names, Visit.id.in_(list(check)))
            for row in candidates.values():
                state = evaluate(
                    row.plan(), row.timeline(), ladder_policy(policy, row.is_drill), at
                )
                needed = (
                    state.awaiting_resolution
                    or _headteacher_to_be_told(
                        row.status, row.cancellation_cause, row.timeline(), at
                    )
                    or _awaiting_return(row.status, row.timeline(), at)
                )
                if stable[row.id]:
                    memo[row.id] = (check[row.id], needed)
                if needed:
                    keep.append(row.id)
        return keep


# --- what is kept between reads ---------------------------------------------------------------

FULL_LOOK_EVERY = timedelta(seconds=60)
"""However quiet the database, look at it in full this often (time alone moves a finished
visit out of the look-back, and an authorised one onto the board at midnight)."""


class _Kept:
    """One visit as last worked out: its rows (with its timeline) and its entry.

    The entry is moved to a later instant without the engine (only its countdown changes)
    until its `horizon`: the stage's next change, an event or risk dated after the instant it
    was built at, or `FULL_LOOK_EVERY`."""

    __slots__ = ("built_at", "details", "entry", "horizon", "key", "policy", "row")

    def __init__(
        self, key: tuple[object, ...], row: _Row, details: _Details, policy: SchoolPolicy
    ) -> None:
        self.key = key
        self.row = row
        self.details = details
        self.policy = policy
        self.entry: BoardEntry | None = None
        self.built_at = datetime.min.replace(tzinfo=UTC)
        self.horizon = self.built_at

    def entry_at(self, at: datetime, include_private: bool) -> BoardEntry:
        entry = self.entry
        if entry is not None and self.built_at <= at < self.horizon:
            return _moved(entry, at)
        row, policy = self.row, self.policy
        state = evaluate(row.plan(), row.timeline(), ladder_policy(policy, row.is_drill), at)
        entry = _entry(row, state, self.details, policy, at, include_private)
        later = [e.occurred_at for e in row.timeline() if e.occurred_at > at]
        for _kind, _text, recorded_at, ended_at in self.details.risks.get(row.household_id, ()):
            later += [t for t in (recorded_at, ended_at) if t is not None and t > at]
        if state.next_change_at is not None:
            later.append(state.next_change_at)
        self.entry, self.built_at = entry, at
        self.horizon = min([at + FULL_LOOK_EVERY, *later])
        return entry


def _moved(entry: BoardEntry, at: datetime) -> BoardEntry:
    """The entry at a later instant before anything but its countdown changes: a copy with
    the state's `remaining` and `evaluated_at` moved. The board does this for every row on
    every quiet read, so it copies the frozen dataclasses' fields directly (a tenth of the cost
    of `dataclasses.replace` or `copy.copy`)."""
    state = entry.state
    moved_state = object.__new__(VisitState)
    moved_state.__dict__.update(state.__dict__)
    deadline = state.deadline
    moved_state.__dict__["remaining"] = deadline - at if deadline is not None else None
    moved_state.__dict__["evaluated_at"] = at
    moved = object.__new__(BoardEntry)
    moved.__dict__.update(entry.__dict__)
    moved.__dict__["state"] = moved_state
    return moved


@dataclass
class _LastRead:
    """The last full look at the board (for one privacy mode)."""

    stamp: int
    at: datetime
    kept: list[_Kept]
    snapshot: BoardSnapshot
    private: bool

    def still_true(self, stamp: int | None, at: datetime) -> bool:
        """Nothing the board shows was written since, and only time has passed (forwards,
        on the same school day, for less than `FULL_LOOK_EVERY`)."""
        return (
            stamp == self.stamp
            and self.at <= at < self.at + FULL_LOOK_EVERY
            and to_school_time(at).date() == to_school_time(self.at).date()
        )

    def moved_to(self, at: datetime) -> BoardSnapshot:
        entries = [kept.entry_at(at, self.private) for kept in self.kept]
        return _snapshot(
            entries,
            at,
            self.snapshot.monitoring,
            self.snapshot.policy,
            self.snapshot.ladder_changed_at,
        )


def _snapshot(
    entries: list[BoardEntry],
    at: datetime,
    monitoring: MonitorShift | None,
    policy: SchoolPolicy | None,
    ladder_changed_at: datetime | None = None,
) -> BoardSnapshot:
    entries.sort(key=_urgency)
    return BoardSnapshot(
        entries=tuple(entries),
        read_at=at,
        monitoring=monitoring,
        end_of_day=_end_of_day(entries, policy, at) if policy is not None else (),
        policy=policy,
        ladder_changed_at=ladder_changed_at,
    )


def _stamp(connection: sa.Connection) -> int | None:
    """The database's count of changes to what the board shows (None: not kept here). One
    row by its primary key, through the driver: the whole cost of a quiet read's question."""
    value = connection.exec_driver_sql(
        f"SELECT changes FROM {BoardStamp.__tablename__} WHERE id = 1"  # noqa: S608
    ).scalar()
    return int(value) if value is not None else None


def _event_counts(
    connection: sa.Connection, on_board: sa.ColumnElement[bool]
) -> dict[int, tuple[int, int]]:
    """Each board visit's number of events and newest event id: its timeline's fingerprint."""
    return {
        visit_id: (count, newest)
        for visit_id, count, newest in connection.execute(
            sa.select(VisitEvent.visit_id, sa.func.count(), sa.func.max(VisitEvent.id))
            .where(VisitEvent.visit_id.in_(_board_ids(on_board)))
            .group_by(VisitEvent.visit_id)
        ).all()
    }


# --- which visits ------------------------------------------------------------------------------

_FINISHED = (VisitStatus.COMPLETED, VisitStatus.CANCELLED)
_ROW_COLUMNS = (
    Visit.id,
    Visit.status,
    Visit.planned_start,
    Visit.planned_end,
    Visit.is_drill,
    Visit.urgent_unplanned,
    Visit.household_id,
    Visit.pupil_id,
    Visit.cancellation_cause,
)


@dataclass
class _Row:
    """One visit as the board reads it: its plan columns and (once loaded) its timeline."""

    id: int
    status: VisitStatus
    planned_start: datetime
    planned_end: datetime
    is_drill: bool
    urgent_unplanned: bool
    household_id: int
    pupil_id: int | None
    cancellation_cause: CancellationCause | None
    area: str = ""
    private: tuple[Any, ...] | None = None
    """purpose, safe word, pupil name, address, location notes (a private read only)."""
    events: list[TimelineEvent] | None = None

    def plan(self) -> VisitPlan:
        return VisitPlan(
            visit_id=self.id,
            status=self.status,
            planned_start=self.planned_start,
            planned_end=self.planned_end,
            is_drill=self.is_drill,
        )

    def timeline(self) -> list[TimelineEvent]:
        return self.events or []

    def fingerprint(self) -> tuple[object, ...]:
        """Every column the entry is built from (not the timeline: see `_event_counts`)."""
        return (
            self.status,
            self.planned_start,
            self.planned_end,
            self.is_drill,
            self.urgent_unplanned,
            self.household_id,
            self.pupil_id,
            self.cancellation_cause,
            self.area,
            self.private,
        )


def _row(r: sa.Row[Any], area: str = "") -> _Row:
    """A `_Row` from a result row that starts with `_ROW_COLUMNS`."""
    return _Row(
        id=r.id,
        status=r.status,
        planned_start=r.planned_start,
        planned_end=r.planned_end,
        is_drill=r.is_drill,
        urgent_unplanned=r.urgent_unplanned,
        household_id=r.household_id,
        pupil_id=r.pupil_id,
        cancellation_cause=r.cancellation_cause,
        area=area,
    )


def _to_rows(result: Iterable[sa.Row[Any]]) -> dict[int, _Row]:
    return {r.id: _row(r) for r in result}


def _on_board(at: datetime, finished: Sequence[int]) -> sa.ColumnElement[bool]:
    """Which visits are on the board, as a condition on `visits`: those out, those authorised
    to start today or earlier (not signed out), and the finished ones still needing something."""
    tomorrow = _start_of_school_day(at) + timedelta(days=1)
    live = sa.and_(
        Visit.status.in_([VisitStatus.OUT, VisitStatus.AUTHORISED]),
        sa.or_(Visit.status == VisitStatus.OUT, Visit.planned_start < tomorrow),
    )
    return sa.or_(live, Visit.id.in_(list(finished))) if finished else live


def _board_ids(on_board: sa.ColumnElement[bool]) -> sa.Select[Any]:
    return sa.select(Visit.id).where(on_board)


def _board_rows(
    session: sa.Connection, on_board: sa.ColumnElement[bool], include_private: bool
) -> dict[int, _Row]:
    """The board's visits with their area (and, privately, the family side) in one query."""
    columns: list[Any] = [*_ROW_COLUMNS, Household.area]
    if include_private:
        columns += [
            Visit.purpose,
            Visit.safe_word,
            Pupil.first_name,
            Pupil.last_name,
            Household.address_line1,
            Household.address_line2,
            Household.town,
            Household.postcode,
            Household.location_notes,
        ]
    stmt = (
        sa.select(*columns)
        .join(Household, Household.id == Visit.household_id)
        .outerjoin(Pupil, Pupil.id == Visit.pupil_id)
    )
    rows: dict[int, _Row] = {}
    for r in session.execute(stmt.where(on_board)).all():
        row = _row(r, r.area)
        if include_private:
            pupil = f"{r[12]} {r[13]}" if r[12] is not None else None
            address = ", ".join(p for p in r[14:18] if p)
            row.private = (r[10], r[11], pupil, address, r[18])
        rows[row.id] = row
    return rows


def _display_names(session: sa.Connection) -> dict[int, str]:
    """Every account's display name (a few dozen rows): who recorded each event."""
    return {
        user_id: name
        for user_id, name in session.execute(
            sa.select(UserAccount.id, UserAccount.display_name)
        ).all()
    }


def _load_events(
    session: sa.Connection,
    rows: dict[int, _Row],
    names: dict[int, str],
    on_board: sa.ColumnElement[bool],
) -> None:
    """Fill `events` of each row with its timeline, in one query for all of them.

    The same mapping as `hvdesk.services.timeline.timeline_event` (a test holds them equal).
    """
    for row in rows.values():
        row.events = []
    if not rows:
        return
    stmt = (
        sa.select(
            VisitEvent.visit_id,
            VisitEvent.kind,
            VisitEvent.occurred_at,
            VisitEvent.action,
            VisitEvent.outcome,
            VisitEvent.new_deadline,
            VisitEvent.recorded_by_id,
        )
        .where(VisitEvent.visit_id.in_(_board_ids(on_board)))
        .order_by(VisitEvent.visit_id, VisitEvent.occurred_at, VisitEvent.id)
    )
    for visit_id, kind, occurred_at, action, outcome, new_deadline, by in session.execute(
        stmt
    ).all():
        found = rows.get(visit_id)
        if found is None or found.events is None:
            continue
        found.events.append(
            TimelineEvent(
                kind=kind,
                occurred_at=occurred_at,
                action=action,
                outcome=outcome,
                new_deadline=new_deadline,
                recorded_by=names.get(by) if by is not None else None,
            )
        )


@functools.cache
def _supervisor() -> Any:
    """Staff as the supervisor of a visitor. Made on first use, not at import: `aliased`
    configures every mapper (about 95 ms), which start-up need not pay before the first paint."""
    return aliased(Staff)


_RiskRow = tuple[RiskKind, str, datetime, datetime | None]


@dataclass
class _Details:
    """The visitors, approvals and known risks of all the board's rows (a few queries)."""

    visitors: dict[int, list[Visitor]]
    approved: set[int]
    risks: dict[int, list[_RiskRow]]

    @classmethod
    def load(
        cls,
        session: sa.Connection,
        rows: dict[int, _Row],
        on_board: sa.ColumnElement[bool],
        include_private: bool,
        at: datetime,
    ) -> _Details:
        if not rows:
            return cls({}, set(), {})
        supervisor = _supervisor()
        columns: list[Any] = [
            VisitStaff.visit_id,
            Staff.id,
            Staff.first_name,
            Staff.last_name,
            Staff.job_role,
            Staff.work_mobile,
            supervisor.first_name,
            supervisor.last_name,
            supervisor.work_mobile,
        ]
        if include_private:
            columns += [
                Staff.emergency_contact_name,
                Staff.emergency_contact_relationship,
                Staff.emergency_contact_phone,
                Staff.description,
                Staff.vehicle_colour,
                Staff.vehicle_make,
                Staff.vehicle_model,
                Staff.vehicle_registration,
            ]
        stmt = (
            sa.select(*columns)
            .join(Staff, Staff.id == VisitStaff.staff_id)
            .outerjoin(supervisor, supervisor.id == Staff.supervisor_id)
            .where(VisitStaff.visit_id.in_(_board_ids(on_board)))
            .order_by(VisitStaff.visit_id, VisitStaff.position, Staff.last_name, Staff.id)
        )
        visitors: dict[int, list[Visitor]] = defaultdict(list)
        none = (None,) * 8
        for r in session.execute(stmt).all():
            private = r[9:] if include_private else none
            car = " ".join(p for p in private[4:7] if p)
            registration = private[7]
            vehicle = f"{car}, {registration}" if car and registration else car or registration
            visitors[r[0]].append(
                Visitor(
                    staff_id=r[1],
                    name=f"{r[2]} {r[3]}",
                    job_role=r[4].label,
                    work_mobile=r[5],
                    emergency_contact_name=private[0],
                    emergency_contact_relationship=private[1],
                    emergency_contact_phone=private[2],
                    supervisor_name=f"{r[6]} {r[7]}" if r[6] is not None else None,
                    supervisor_phone=r[8],
                    description=private[3],
                    vehicle=vehicle or None,
                )
            )
        urgent = [row.id for row in rows.values() if row.urgent_unplanned]
        approved: set[int] = set()
        if urgent:
            approved = set(
                session.scalars(
                    sa.select(Authorisation.visit_id).where(
                        Authorisation.visit_id.in_(urgent),
                        Authorisation.decision == AuthorisationDecision.APPROVED,
                        Authorisation.voided_at.is_(None),
                    )
                )
            )
        risks: dict[int, list[_RiskRow]] = defaultdict(list)
        if include_private:
            for risk in session.execute(
                sa.select(
                    KnownRisk.household_id,
                    KnownRisk.kind,
                    KnownRisk.description,
                    KnownRisk.recorded_at,
                    KnownRisk.ended_at,
                )
                .where(KnownRisk.household_id.in_(sa.select(Visit.household_id).where(on_board)))
                .order_by(KnownRisk.household_id, KnownRisk.recorded_at, KnownRisk.id)
            ).all():
                risks[risk[0]].append((risk[1], risk[2], risk[3], risk[4]))
        return cls(dict(visitors), approved, dict(risks))

    def fingerprint(self, row: _Row) -> tuple[object, ...]:
        """What of these details one row's entry is built from."""
        return (
            tuple(self.visitors.get(row.id, ())),
            row.id in self.approved,
            tuple(self.risks.get(row.household_id, ())),
        )

    def private(self, row: _Row, at: datetime) -> PrivateDetails | None:
        if row.private is None:
            return None
        purpose, safe_word, pupil, address, notes = row.private
        return PrivateDetails(
            purpose=purpose,
            pupil_name=pupil,
            address=address,
            location_notes=notes,
            known_risks=_risks(self.risks.get(row.household_id, ()), at),
            safe_word=safe_word,
        )


# --- one row -----------------------------------------------------------------------------------


def _entry(
    row: _Row,
    state: VisitState,
    details: _Details,
    policy: SchoolPolicy,
    at: datetime,
    include_private: bool,
) -> BoardEntry:
    visitors = tuple(details.visitors.get(row.id, ()))
    events = row.timeline()
    headteacher = _headteacher_to_be_told(row.status, row.cancellation_cause, events, at)
    awaiting_return = _awaiting_return(row.status, events, at)
    return BoardEntry(
        visit_id=row.id,
        visitors=visitors,
        area=row.area,
        state=state,
        departed_at=state.departed_at,
        claimed_by=state.claimed_by,
        claimed_at=_claimed_at(events, state, at),
        is_drill=row.is_drill,
        urgent_unplanned=row.urgent_unplanned,
        needs_retrospective_authorisation=row.urgent_unplanned and row.id not in details.approved,
        headteacher_to_be_told=headteacher,
        what_to_do=_what_to_do(
            state,
            ladder_policy(policy, row.is_drill),
            [v.name for v in visitors],
            is_drill=row.is_drill,
            cause=row.cancellation_cause,
            headteacher=headteacher,
            awaiting_return=awaiting_return,
        ),
        private=details.private(row, at) if include_private else None,
        status=row.status,
        planned_start=row.planned_start,
        planned_end=row.planned_end,
        cancellation_cause=row.cancellation_cause,
        awaiting_return=awaiting_return,
        plan=row.plan(),
        timeline=tuple(events),
    )


def _visitor(staff: Staff) -> Visitor:
    """A visitor with every detail (the police sheet: a signed-in user's view)."""
    supervisor = staff.supervisor
    return Visitor(
        staff_id=staff.id,
        name=staff.full_name,
        job_role=staff.job_role.label,
        work_mobile=staff.work_mobile,
        emergency_contact_name=staff.emergency_contact_name,
        emergency_contact_relationship=staff.emergency_contact_relationship,
        emergency_contact_phone=staff.emergency_contact_phone,
        supervisor_name=supervisor.full_name if supervisor is not None else None,
        supervisor_phone=supervisor.work_mobile if supervisor is not None else None,
        description=staff.description,
        vehicle=vehicle_text(staff),
    )


def _risks(
    risks: Iterable[tuple[RiskKind, str, datetime, datetime | None]], at: datetime
) -> tuple[str, ...]:
    """A household's operational known risks in force at `at`, as the sheet and board say them."""
    return tuple(
        f"{kind.label}: {description}"
        for kind, description, recorded_at, ended_at in risks
        if kind.is_operational and recorded_at <= at and (ended_at is None or ended_at > at)
    )


def _past(events: Iterable[TimelineEvent], at: datetime) -> list[TimelineEvent]:
    return [e for e in events if e.occurred_at <= at]


def _headteacher_to_be_told(
    status: VisitStatus,
    cause: CancellationCause | None,
    events: Iterable[TimelineEvent],
    at: datetime,
) -> bool:
    """Cancelled for safety, and no "informed the headteacher" logged since (003, 004)."""
    if status is not VisitStatus.CANCELLED or cause is None or not cause.is_safety:
        return False
    past = _past(events, at)
    cancelled = [e.occurred_at for e in past if e.kind is EventKind.CANCELLED]
    since = cancelled[-1] if cancelled else None
    return not any(
        e.kind is EventKind.ESCALATION_ACTION
        and e.action is EscalationAction.INFORMED_HEADTEACHER
        and (since is None or e.occurred_at >= since)
        for e in past
    )


def _awaiting_return(status: VisitStatus, events: Iterable[TimelineEvent], at: datetime) -> bool:
    """Cancelled after setting out (on site, or on the way), and not yet recorded back."""
    if status is not VisitStatus.CANCELLED:
        return False
    kinds = {e.kind for e in _past(events, at)}
    return EventKind.SIGNED_OUT in kinds and EventKind.RETURNED not in kinds


def _claimed_at(
    events: Iterable[TimelineEvent], state: VisitState, at: datetime
) -> datetime | None:
    """When the claim the engine reports was made (the latest since the alert began)."""
    if state.claimed_by is None:
        return None
    since = state.escalation_began_at or state.deadline
    claims = [
        e.occurred_at
        for e in _past(events, at)
        if e.kind is EventKind.ALERT_CLAIMED and (since is None or e.occurred_at >= since)
    ]
    return claims[-1] if claims else None


def _what_to_do(
    state: VisitState,
    policy: SchoolPolicy,
    names: Sequence[str],
    *,
    is_drill: bool,
    cause: CancellationCause | None,
    headteacher: bool,
    awaiting_return: bool,
) -> str:
    """What the policy says to do now, with the names filled in."""
    parts: list[str] = []
    if state.phase is VisitPhase.AWAITING_DEPARTURE and state.stage is EscalationStage.NONE:
        parts.append(
            "Authorised: {staff} "
            + ("is" if len(names) == 1 else "are")
            + f" due to set out by {format_school_time(state.deadline, '%H:%M')}. Sign the "
            "visit out when they leave."
        )
    elif (
        not state.phase.is_finished
        or state.stage is not EscalationStage.NONE
        or state.awaiting_resolution
    ):
        parts.append(what_to_do_now(state, policy))
    if headteacher:
        parts.append(
            f"The visit was cancelled for safety ({cause.label if cause else 'safety'}). Tell "
            'the headteacher now and log it as "Informed the headteacher".'
        )
    if awaiting_return:
        parts.append(
            "The visit was cancelled after {staff} set out. Confirm {staff} is back at base "
            "or home safe, and record it."
        )
    if not parts:
        parts.append(f"{state.phase.label}.")
    return name_the_staff(" ".join(parts), names, is_drill=is_drill)


# "{staff} is"/"has" where the staff are the subject; not after "from" (the call is the subject).
_PLURAL_VERB = re.compile(r"(?<!from )\{staff\} (is|has) ")
_PLURAL = {"is": "are", "has": "have"}


def name_the_staff(text: str, names: Sequence[str], *, is_drill: bool) -> str:
    """An instruction with its ``{staff}`` placeholder filled in, DRILL-prefixed for a drill:
    the board's words and a row moved on locally (`BoardRow.instruction`) read alike."""
    if len(names) > 1:  # "Amy Smith and Ben Ali are", not "is"; but "the call from ... is"
        text = _PLURAL_VERB.sub(lambda m: f"{{staff}} {_PLURAL[m.group(1)]} ", text)
    text = text.replace("{staff}", staff_names(names))
    return DRILL_PREFIX + text if is_drill else text


def _urgency(entry: BoardEntry) -> tuple[int, int, float, int, int, int]:
    key = entry.state.urgency_key
    return (key[0], key[1], key[2], key[3], 0 if entry.needs_attention else 1, key[4])


def _end_of_day(
    entries: Sequence[BoardEntry], policy: SchoolPolicy, at: datetime
) -> tuple[int, ...]:
    local = to_school_time(at)
    if local.time() < policy.end_of_day_check:
        return ()
    return tuple(
        e.visit_id
        for e in entries
        if e.state.phase.is_out or e.state.phase is VisitPhase.NOT_SIGNED_OUT or e.awaiting_return
    )


# --- the police sheet --------------------------------------------------------------------------


def scheduled_end(planned_end: datetime, events: Iterable[VisitEvent]) -> datetime:
    """The agreed end moved by any new time logged while on the visit (arrived, not left)."""
    end = planned_end
    on_visit = False
    for event in sorted(events, key=lambda e: (e.occurred_at, e.id or 0)):
        if event.kind is EventKind.ARRIVED:
            on_visit = True
            if event.new_deadline is not None:
                end = event.new_deadline
        elif event.kind in (EventKind.LEFT, EventKind.RETURNED, EventKind.CANCELLED):
            on_visit = False
        elif on_visit and event.new_deadline is not None:
            end = event.new_deadline
    return end


def _sheet_line(event: VisitEvent) -> SheetLine:
    return SheetLine(
        at=to_school_time(event.occurred_at),
        what=event_heading(event, with_stage=False),
        outcome=event_details(event),
        recorded_by=event.recorded_by.display_name if event.recorded_by is not None else None,
        note=event.note,
        kind=event.kind,
    )


# --- time ----------------------------------------------------------------------------------------


def _as_utc(value: datetime | str | None) -> datetime | None:
    """Aggregates (max of a time column) may come back untyped on SQLite: make them UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _aware(instant: datetime) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("the board is read at an aware instant (UTC)")
    return instant


def _start_of_school_day(at: datetime) -> datetime:
    """Midnight (Europe/London) of the school day `at` falls on, as an aware instant."""
    day = to_school_time(at).date()
    return datetime.combine(day, datetime.min.time(), SCHOOL_ZONE)
