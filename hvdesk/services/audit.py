"""The audit trail as the office meets it: who acts, explicit entries, the viewer, the check.

Every create, update and delete is recorded by the database's own flush hook
(hvdesk.db.audit_trail), in the same transaction as the change, whatever service made it. What
this module adds:

* Who acts. A service names its user with `writing_as(database, by, clock)` (a unit of work
  that also begins with BEGIN IMMEDIATE, so concurrent writers queue rather than fail) or with
  `acting(session, by, clock)` on a session it already holds. A write that names nobody is
  put down to the account signed in to this process (`set_signed_in`), else to "system".
* The explicit entries: sign-in and failed sign-in (hvdesk.services.accounts), printing and
  exporting documents (hvdesk.services.documents), and views of a pupil's or a household's
  record (`record_view`, for the pages that open one).
* The viewer (`AuditTrail.entries`): the DSL, a deputy DSL and the administrator only, refused
  to anyone else here, not by hiding a button; every look at the trail, and every refused
  one, is itself an entry.
* `AuditTrail.verify`: walks the chain and names the first entry that does not fit.

Log lines carry ids only.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hvdesk.clock import Clock
from hvdesk.db.audit_trail import (
    ACTOR_KEY,
    CLOCK_KEY,
    SYSTEM,
    Actor,
    AuditAction,
    ChainBreak,
    Draft,
    append,
    compare_anchor,
    missing_triggers,
    set_process_actor,
    verify_chain,
)
from hvdesk.db.database import Database
from hvdesk.db.engine import WRITER_OPTION
from hvdesk.db.models import AuditEntry
from hvdesk.domain.people import Role
from hvdesk.errors import HvdeskError
from hvdesk.services.audit_anchors import FoundAnchor
from hvdesk.services.identity import SignedInUser
from hvdesk.services.refusals import NotPermitted, acting_account

__all__ = [
    "AUDIT_READERS",
    "MAX_ROWS",
    "AuditAction",
    "AuditFilter",
    "AuditRow",
    "AuditTrail",
    "ChainBroken",
    "ChainReport",
    "acting",
    "may_read_audit",
    "note_view",
    "record_view",
    "set_signed_in",
    "signed_in_user",
    "writing_as",
]

log = logging.getLogger(__name__)

# Who may read the trail. Deputies act for the DSL, so they read it too.
AUDIT_READERS: frozenset[Role] = frozenset({Role.DSL, Role.DEPUTY_DSL, Role.ADMINISTRATOR})
VIEWABLE_RECORDS = frozenset({"pupils", "households"})
MAX_ROWS = 2000


class ChainBroken(HvdeskError):
    """The audit trail's hash chain does not hold: an entry was changed, added or removed."""

    title = "Audit trail broken"


@dataclass(frozen=True)
class ChainReport:
    """What a check of the trail found: the chain, its protections, and every anchor."""

    entries: int
    first_break: ChainBreak | None
    missing_triggers: tuple[str, ...] = ()
    anchors_checked: int = 0
    disagreements: tuple[tuple[str, str], ...] = ()
    """(where the anchor was found, what is wrong) for each anchor the trail does not match."""

    @property
    def empty(self) -> bool:
        """A trail starts with its genesis entry: an empty one had every entry deleted."""
        return self.entries == 0

    @property
    def ok(self) -> bool:
        return (
            self.first_break is None
            and not self.empty
            and not self.missing_triggers
            and not self.disagreements
        )

    def problems(self) -> list[str]:
        """Everything wrong, one sentence each, for the office."""
        found: list[str] = []
        if self.empty:
            found.append("the audit trail is empty: every entry, even the first, was deleted")
        if self.first_break is not None:
            found.append(
                f"the chain is broken at entry {self.first_break.entry_id}: "
                f"{self.first_break.reason}"
            )
        if self.missing_triggers:
            found.append(
                "the protections that refuse changes to the trail were removed "
                f"({', '.join(self.missing_triggers)})"
            )
        found.extend(f"against {source}: {problem}" for source, problem in self.disagreements)
        return found


@dataclass(frozen=True)
class AuditFilter:
    """What the viewer asks for; every part is optional."""

    username: str | None = None
    record_type: str | None = None
    record_id: int | None = None
    start: datetime | None = None  # inclusive, UTC
    end: datetime | None = None  # exclusive, UTC
    limit: int = MAX_ROWS


@dataclass(frozen=True)
class AuditRow:
    """One entry as the viewer shows it."""

    entry_id: int
    at: datetime
    username: str
    action: str
    record_type: str | None
    record_id: int | None
    details: dict[str, Any] | None

    @property
    def what_changed(self) -> str:
        """Field names (and the values kept: ids, statuses, times) in one short line."""
        if not self.details:
            return ""
        values = self.details.get("values", {})
        parts = []
        for name in self.details.get("fields", []):
            if name in values:
                value = values[name]
                if isinstance(value, list) and len(value) == 2:
                    parts.append(f"{name}: {value[0]} → {value[1]}")
                else:
                    parts.append(f"{name}: {value}")
            else:
                parts.append(name)
        others = {k: v for k, v in self.details.items() if k not in ("fields", "values")}
        parts.extend(f"{k}: {v}" for k, v in sorted(others.items()))
        if not self.details.get("fields") and values:
            parts.extend(f"{k}: {v}" for k, v in sorted(values.items()))
        return "; ".join(parts)


def may_read_audit(role: Role | None) -> bool:
    """The DSL (or a deputy) and the administrator read the audit trail; nobody else."""
    return role in AUDIT_READERS


# --- who acts -------------------------------------------------------------------------------


def acting(session: Session, by: SignedInUser | None, clock: Clock | None = None) -> None:
    """Name who this session's changes are made by (and the clock their time comes from)."""
    session.info[ACTOR_KEY] = (
        Actor(by.user_id, by.username) if by is not None else Actor(None, SYSTEM)
    )
    if clock is not None:
        session.info[CLOCK_KEY] = clock


@contextmanager
def writing_as(
    database: Database, by: SignedInUser | None, clock: Clock | None = None
) -> Iterator[Session]:
    """A unit of work that will write, made by `by`: committed if the block succeeds, rolled
    back if it raises. It begins with BEGIN IMMEDIATE: a second writer waits its turn (up to
    the busy timeout) instead of failing on a stale snapshot at its first write."""
    with database.sessions() as session, session.begin():
        acting(session, by, clock)
        session.connection(execution_options={WRITER_OPTION: True})
        yield session


_signed_in: list[SignedInUser | None] = [None]


def set_signed_in(user: SignedInUser | None) -> None:
    """The account signed in to this process (None when it signs out or the app locks):
    changes that name nobody are put down to it."""
    _signed_in[0] = user
    set_process_actor(Actor(user.user_id, user.username) if user is not None else None)


def signed_in_user() -> SignedInUser | None:
    """Who is signed in to this window (None in privacy mode or on the command line): the
    identity a service falls back to when its caller names nobody. It identifies only; what
    they may do is read from their account as it is now."""
    return _signed_in[0]


# --- explicit entries -----------------------------------------------------------------------


def record_view(
    database: Database, clock: Clock, by: SignedInUser, record_type: str, record_id: int
) -> None:
    """Record that `by` opened a pupil's or a household's record ("pupils" / "households"),
    in a unit of work of its own: call it after the read, not inside another session."""
    with writing_as(database, by, clock) as session:
        note_view(session, record_type, record_id)
    log.info("View of %s %d by user %d recorded", record_type, record_id, by.user_id)


def note_view(session: Session, record_type: str, record_id: int) -> None:
    """The same as `record_view`, inside a unit of work the caller already holds (never call
    `record_view` inside one: its own writing session would wait for the caller's lock)."""
    if record_type not in VIEWABLE_RECORDS:
        raise ValueError(f"views are recorded for {sorted(VIEWABLE_RECORDS)}, not {record_type}")
    append(session, [Draft(AuditAction.VIEW, record_type, record_id)])


def record_sign_in(session: Session, account_id: int, username: str, *, ok: bool) -> None:
    """A sign-in or a refused one for a known account, in the sign-in's own transaction."""
    session.info[ACTOR_KEY] = Actor(account_id, username)
    action = AuditAction.SIGN_IN if ok else AuditAction.SIGN_IN_FAILED
    append(session, [Draft(action, "user_accounts", account_id)])


def record_unknown_sign_in(session: Session) -> None:
    """A refused sign-in for a name that is no account (or cannot sign in). The typed name is
    not kept: it is often a password typed into the wrong box."""
    session.info[ACTOR_KEY] = Actor(None, None)
    append(session, [Draft(AuditAction.SIGN_IN_FAILED, None, None, {"account": "unknown"})])


def record_document(
    database: Database,
    clock: Clock,
    by: SignedInUser | None,
    kind: str,
    record_type: str | None,
    record_id: int | None,
    *,
    exported: bool,
) -> None:
    """A document printed (or previewed) or exported to a file."""
    action = AuditAction.EXPORT if exported else AuditAction.PRINT
    with database.sessions() as session, session.begin():
        if by is not None:
            acting(session, by, clock)
        else:
            session.info[CLOCK_KEY] = clock
        append(session, [Draft(action, record_type, record_id, {"document": kind})])


# --- the viewer and the check ---------------------------------------------------------------


class AuditTrail:
    """Reading and checking the trail."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def record_view(self, by: SignedInUser, record_type: str, record_id: int) -> None:
        record_view(self._database, self._clock, by, record_type, record_id)

    def entries(self, by: SignedInUser, wanted: AuditFilter | None = None) -> list[AuditRow]:
        """The entries matching `wanted`, newest first. Refused (NotPermitted) to anyone but
        the DSL, a deputy DSL or the administrator; the look itself is recorded."""
        wanted = wanted or AuditFilter()
        try:
            with writing_as(self._database, by, self._clock) as session:
                actor = acting_account(session, by)
                if not may_read_audit(actor.role):
                    raise NotPermitted(
                        "Only the DSL, a deputy DSL or the administrator can read the audit trail.",
                        "Ask one of them if you need to know who changed a record.",
                    )
                rows = session.execute(_query(wanted)).scalars().all()
                result = [_row(entry) for entry in rows]
                append(session, [Draft(AuditAction.AUDIT_VIEWED, None, None, _described(wanted))])
        except NotPermitted:
            with writing_as(self._database, by, self._clock) as session:  # a refusal is kept too
                append(session, [Draft(AuditAction.AUDIT_VIEWED, None, None, {"refused": True})])
            log.info("Audit trail refused to user %d", by.user_id)
            raise
        log.info("Audit trail read by user %d (%d entries)", by.user_id, len(result))
        return result

    def record_types(self) -> list[str]:
        """The kinds of record the trail mentions (for the viewer's filter)."""
        with self._database.session() as session:
            found = session.scalars(
                sa.select(AuditEntry.record_type)
                .where(AuditEntry.record_type.is_not(None))
                .distinct()
                .order_by(AuditEntry.record_type)
            )
            return [name for name in found if name]

    def verify(self, anchors: Sequence[FoundAnchor] = ()) -> ChainReport:
        """Check the whole chain, that the triggers protecting it exist, and the trail against
        every anchor given (read-only)."""
        with self._database.engine.connect() as connection:
            count, first_break = verify_chain(connection)
            missing = tuple(missing_triggers(connection))
            disagreements = tuple(
                (found.source, problem)
                for found in anchors
                if (problem := compare_anchor(connection, found.anchor)) is not None
            )
        report = ChainReport(count, first_break, missing, len(anchors), disagreements)
        for problem in report.problems():
            log.warning("Audit trail check: %s", problem)
        return report


def _query(wanted: AuditFilter) -> sa.Select[AuditEntry]:
    query = sa.select(AuditEntry)
    if wanted.username:
        query = query.where(AuditEntry.username == wanted.username.strip().lower())
    if wanted.record_type:
        query = query.where(AuditEntry.record_type == wanted.record_type)
    if wanted.record_id is not None:
        query = query.where(AuditEntry.record_id == wanted.record_id)
    if wanted.start is not None:
        query = query.where(AuditEntry.at >= wanted.start)
    if wanted.end is not None:
        query = query.where(AuditEntry.at < wanted.end)
    return query.order_by(AuditEntry.id.desc()).limit(max(1, min(wanted.limit, MAX_ROWS)))


def _row(entry: AuditEntry) -> AuditRow:
    details = None
    if entry.details:
        try:
            details = json.loads(entry.details)
        except ValueError:
            details = {"text": entry.details}
    return AuditRow(
        entry_id=entry.id,
        at=entry.at,
        username=entry.username or "(unknown)",
        action=entry.action,
        record_type=entry.record_type,
        record_id=entry.record_id,
        details=details,
    )


def _described(wanted: AuditFilter) -> dict[str, Any]:
    """The filter a look at the trail used, for its own entry (no free text but a username)."""
    described: dict[str, Any] = {}
    if wanted.username:
        described["username"] = wanted.username.strip().lower()
    if wanted.record_type:
        described["record_type"] = wanted.record_type
    if wanted.record_id is not None:
        described["record_id"] = wanted.record_id
    if wanted.start is not None:
        described["start"] = wanted.start.isoformat()
    if wanted.end is not None:
        described["end"] = wanted.end.isoformat()
    return described
