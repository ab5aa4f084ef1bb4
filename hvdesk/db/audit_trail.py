"""The audit trail's mechanics: the hash chain, and the flush hook that writes it.

Every session of a `Database` carries a hook (installed by `watch_sessions`) that, after each
flush, appends one entry per row created, changed or deleted, on the same connection and so in
the same transaction as the change: a change and its entry are committed, or rolled back,
together. Explicit entries (sign-in, a view, a print) go through `append`, the same way.

The chain: each entry's `entry_hash` is sha256 over its `prev_hash` and a canonical encoding of
its fields; the first entry's `prev_hash` is 64 zeros. Changing, inserting or removing an entry
anywhere but at the very end breaks the chain at that entry (`verify_chain` names it).

Forks: two transactions appending at once would both read the same head. SQLite in WAL mode
refuses the second writer (its snapshot is stale: "database is locked") rather than let it
fork, and a session started as a writer (hvdesk.db.engine.WRITER_OPTION, set by
hvdesk.services.audit.writing_as) begins
with BEGIN IMMEDIATE, so writers wait their turn instead of failing.

What an entry stores about a change (the retention choice): the names of the fields set or
changed, and values only of the columns that say nothing about a person: ids, enums (statuses,
kinds), booleans, integers and instants (UTC date-times). Text and calendar dates (names,
notes, addresses, dates of birth) are named but their values are not kept. The trail cannot be
edited or deleted (triggers in migration 0004), so a value written here would outlive the
retention deletion of the pupil it describes; the record itself, while it exists, is where
the content lives.

Bulk statements (`session.execute(insert(Model), rows)`, as the demo seed and importers use)
do not flush: they are recorded as one summary entry per statement (table and row count).
"""

from __future__ import annotations

import enum
import functools
import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapper, ORMExecuteState, Session, UOWTransaction, sessionmaker
from sqlalchemy.orm.base import NO_VALUE
from sqlalchemy.orm.state import InstanceState

from hvdesk.clock import Clock, SystemClock
from hvdesk.db.models import AuditEntry
from hvdesk.db.types import UTCDateTime

log = logging.getLogger(__name__)

GENESIS = "0" * 64
SYSTEM = "system"

# session.info keys (set by hvdesk.services.audit)
ACTOR_KEY = "hvdesk.audit.actor"  # (user_id, username)
CLOCK_KEY = "hvdesk.audit.clock"

_TABLE: sa.Table = AuditEntry.__table__  # type: ignore[assignment]
_KEEP_VALUES = (sa.Integer, sa.Boolean, sa.Enum, UTCDateTime, sa.Float, sa.Numeric)


class AuditAction(enum.StrEnum):
    """What an entry records."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    BULK_CREATE = "bulk_create"
    BULK_UPDATE = "bulk_update"
    BULK_DELETE = "bulk_delete"
    VIEW = "view"
    PRINT = "print"
    EXPORT = "export"
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    AUDIT_VIEWED = "audit_viewed"


@dataclass(frozen=True)
class Actor:
    """Who an entry names: a signed-in account, or nobody ("system")."""

    user_id: int | None
    username: str | None


_process_actor: Actor | None = None


def set_process_actor(actor: Actor | None) -> None:
    """The account signed in to this process: the fallback for writes that name nobody."""
    global _process_actor
    _process_actor = actor


def process_actor() -> Actor | None:
    return _process_actor


# --- the chain ------------------------------------------------------------------------------


def canonical(
    at: datetime,
    user_id: int | None,
    username: str | None,
    action: str,
    record_type: str | None,
    record_id: int | None,
    details: str | None,
) -> bytes:
    """The bytes an entry's hash covers (with its prev_hash): one JSON array, fixed order."""
    instant = at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
    fields = [instant, user_id, username, action, record_type, record_id, details]
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def entry_hash(prev_hash: str, *fields: Any) -> str:
    """sha256 over the previous entry's hash and this entry's canonical fields."""
    digest = hashlib.sha256(prev_hash.encode("ascii"))
    digest.update(canonical(*fields))
    return digest.hexdigest()


# PostgreSQL advisory lock key of the chain's head (any fixed 64-bit number; "hvdesk" in hex).
CHAIN_LOCK = 0x68766465736B


def lock_chain(connection: sa.Connection) -> None:
    """Hold the chain's head for the rest of this transaction, so a second writer (another PC)
    waits here and then appends after this one instead of forking or losing its action.

    SQLite needs nothing: a writer's BEGIN IMMEDIATE already holds the whole file. On PostgreSQL
    a transaction-scoped advisory lock, released by commit or rollback (issue 16)."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})


def chain_head(connection: sa.Connection) -> str:
    """The hash the next entry must carry as its prev_hash."""
    head = connection.execute(
        sa.select(_TABLE.c.entry_hash).order_by(_TABLE.c.id.desc()).limit(1)
    ).scalar()
    return head if head is not None else GENESIS


@dataclass(frozen=True)
class ChainBreak:
    """The first entry that does not fit the chain, and why."""

    entry_id: int
    reason: str


def verify_chain(connection: sa.Connection) -> tuple[int, ChainBreak | None]:
    """Walk the whole trail in id order: (entries checked, the first break or None)."""
    previous = GENESIS
    count = 0
    rows = connection.execute(
        sa.select(
            _TABLE.c.id,
            _TABLE.c.at,
            _TABLE.c.user_id,
            _TABLE.c.username,
            _TABLE.c.action,
            _TABLE.c.record_type,
            _TABLE.c.record_id,
            _TABLE.c.details,
            _TABLE.c.prev_hash,
            _TABLE.c.entry_hash,
        ).order_by(_TABLE.c.id)
    )
    for row in rows:
        count += 1
        if row.prev_hash != previous:
            return count, ChainBreak(
                row.id,
                "it does not carry the hash of the entry before it (one was removed, "
                "inserted or changed)",
            )
        expected = entry_hash(
            row.prev_hash,
            row.at,
            row.user_id,
            row.username,
            row.action,
            row.record_type,
            row.record_id,
            row.details,
        )
        if row.entry_hash != expected:
            return count, ChainBreak(row.id, "its content does not match its hash (it was changed)")
        previous = row.entry_hash
    return count, None


# --- appending ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """An entry before it is chained."""

    action: str
    record_type: str | None = None
    record_id: int | None = None
    details: dict[str, Any] | None = None


def append(session: Session, drafts: Iterable[Draft]) -> None:
    """Chain the drafts after the current head and insert them in the session's transaction."""
    drafts = list(drafts)
    if not drafts:
        return
    connection = session.connection()
    actor = acting_actor(session)
    at = _clock(session).now()
    lock_chain(connection)
    head_id, previous = _head_row(connection)
    rows = []
    for draft in drafts:
        details = None if draft.details is None else _json(draft.details)
        fields = (
            at,
            actor.user_id,
            actor.username,
            draft.action,
            draft.record_type,
            draft.record_id,
            details,
        )
        current = entry_hash(previous, *fields)
        rows.append(
            {
                "at": at,
                "user_id": actor.user_id,
                "username": actor.username,
                "action": draft.action,
                "record_type": draft.record_type,
                "record_id": draft.record_id,
                "details": details,
                "prev_hash": previous,
                "entry_hash": current,
            }
        )
        previous = current
    connection.execute(sa.insert(_TABLE), rows)
    # Writers hold the write lock, so the new entries take the next ids in order: the head
    # the anchors will record once this transaction commits.
    session.info[_NEW_HEAD_KEY] = Anchor(head_id + len(rows), previous, at)


def acting_actor(session: Session) -> Actor:
    """Who the session acts for: set by the service, else this process's signed-in user, else
    "system" (a seed, a migration, a command-line job)."""
    actor = session.info.get(ACTOR_KEY)
    if isinstance(actor, Actor):
        return actor
    return _process_actor or Actor(None, SYSTEM)


def _head_row(connection: sa.Connection) -> tuple[int, str]:
    row = connection.execute(
        sa.select(_TABLE.c.id, _TABLE.c.entry_hash).order_by(_TABLE.c.id.desc()).limit(1)
    ).first()
    return (row.id, row.entry_hash) if row is not None else (0, GENESIS)


def _clock(session: Session) -> Clock:
    clock = session.info.get(CLOCK_KEY)
    return clock if clock is not None else SystemClock()


def _json(details: dict[str, Any]) -> str:
    return json.dumps(details, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# --- the hook -------------------------------------------------------------------------------


def watch_sessions(factory: sessionmaker[Session], clock: Callable[[], Clock | None]) -> None:
    """Audit every session the factory makes; `clock` gives the database's clock, used when the
    service did not say which clock it runs on."""

    @event.listens_for(factory, "after_begin")
    def _set_clock(session: Session, _transaction: Any, _connection: Any) -> None:
        if CLOCK_KEY not in session.info:
            known = clock()
            if known is not None:
                session.info[CLOCK_KEY] = known

    event.listen(factory, "before_flush", _lock_before_writing)
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "do_orm_execute", _bulk_statement)


def _lock_before_writing(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    """On PostgreSQL, take the chain's lock before any row is written, not after: every writer
    then locks in one order (chain, then rows), so two PCs queue instead of deadlocking."""
    if session.new or session.dirty or session.deleted:
        lock_chain(session.connection())


def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    drafts = list(_changes(session))
    if drafts:
        append(session, drafts)


def _changes(session: Session) -> Iterator[Draft]:
    for obj in session.new:
        state = sa.inspect(obj)
        if _audited(state):
            yield _draft(AuditAction.CREATE, state, _created(state))
    for obj in session.dirty:
        state = sa.inspect(obj)
        if _audited(state) and session.is_modified(obj, include_collections=False):
            changed = _updated(state)
            if changed["fields"]:
                yield _draft(AuditAction.UPDATE, state, changed)
    for obj in session.deleted:
        state = sa.inspect(obj)
        if _audited(state):
            yield _draft(AuditAction.DELETE, state, _deleted(state))


def _audited(state: InstanceState[Any]) -> bool:
    return state.mapper.local_table is not _TABLE


def _draft(action: AuditAction, state: InstanceState[Any], details: dict[str, Any]) -> Draft:
    table = state.mapper.local_table
    record_id = None
    identity = state.mapper.primary_key_from_instance(state.obj())
    for column, value in zip(state.mapper.primary_key, identity, strict=True):
        if isinstance(value, int) and not isinstance(value, bool):
            record_id = value
            break
        details.setdefault("key", {})[column.key] = value
    return Draft(action, str(getattr(table, "name", "")), record_id, details)


@functools.cache
def _layout(mapper: Mapper[Any]) -> tuple[tuple[str, bool, bool], ...]:
    """Per mapped class, once: each column attribute's key, whether it is part of the primary
    key, and whether its value may be kept (see the module notes)."""
    layout = []
    for prop in mapper.column_attrs:
        column = prop.columns[0]
        if isinstance(column, sa.Column):
            keeps = isinstance(column.type, _KEEP_VALUES) and not column.primary_key
            layout.append((prop.key, bool(column.primary_key), keeps))
    return tuple(layout)


def _created(state: InstanceState[Any]) -> dict[str, Any]:
    fields: list[str] = []
    values: dict[str, Any] = {}
    given = state.dict
    for key, primary, keeps in _layout(state.mapper):
        value = given.get(key)
        if primary or value is None:
            continue
        fields.append(key)
        if keeps:
            values[key] = _plain(value)
    return {"fields": sorted(fields), "values": values}


def _updated(state: InstanceState[Any]) -> dict[str, Any]:
    fields: list[str] = []
    values: dict[str, Any] = {}
    for key, _primary, keeps in _layout(state.mapper):
        history = state.attrs[key].history
        if not history.added:
            continue
        new = history.added[0]
        old = history.deleted[0] if history.deleted else NO_VALUE
        if old is not NO_VALUE and old == new:
            continue
        fields.append(key)
        if keeps:  # an old value never loaded is stored as null
            values[key] = [None if old is NO_VALUE else _plain(old), _plain(new)]
    return {"fields": sorted(fields), "values": values}


def _deleted(state: InstanceState[Any]) -> dict[str, Any]:
    given = state.dict
    values = {
        key: _plain(given[key])
        for key, _primary, keeps in _layout(state.mapper)
        if keeps and given.get(key) is not None
    }
    return {"values": values}


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _bulk_statement(execute: ORMExecuteState) -> Any:
    """Insert/update/delete statements run outside the flush: one summary entry each."""
    statement = execute.statement
    if not isinstance(statement, (sa.Insert, sa.Update, sa.Delete)):
        return None
    name = str(getattr(statement.table, "name", statement.table))
    if name == _TABLE.name:
        return None
    lock_chain(execute.session.connection())  # before the rows, as in a flush
    result = execute.invoke_statement()
    if isinstance(statement, sa.Insert):
        action = AuditAction.BULK_CREATE
        params = execute.parameters
        count = len(params) if isinstance(params, list) else 1
    else:
        action = (
            AuditAction.BULK_UPDATE
            if isinstance(statement, sa.Update)
            else (AuditAction.BULK_DELETE)
        )
        count = getattr(result, "rowcount", -1)
    append(execute.session, [Draft(action, name, None, {"rows": count})])
    return result


# --- anchors --------------------------------------------------------------------------------
#
# The chain proves nothing about its own end: cut the last entries, or wipe them all, or edit
# one and recompute every hash after it, and the chain still holds. An anchor is the head
# (the last entry's id and hash) kept somewhere else: in the OS credential store beside the
# key (updated after every commit that adds entries), in the log at each start and backup, and
# in every backup (a backup holds the trail as it was). `compare_anchor` says whether the trail
# still has that entry with that hash. What anchors cannot catch: a change made by someone who
# holds the key and can rewrite every anchor too (the credential store, the logs, the backups).

ANCHOR_LOG_PREFIX = "Audit anchor"
_NEW_HEAD_KEY = "hvdesk.audit.new_head"
GENESIS_ACTION = "genesis"
TRIGGERS = ("audit_entries_no_update", "audit_entries_no_delete")


@dataclass(frozen=True)
class Anchor:
    """The trail's head at one moment: its last entry's id (entries are numbered from 1 and
    never deleted, so also how many there were) and hash."""

    entry_id: int
    entry_hash: str
    at: datetime | None = None

    def to_text(self) -> str:
        when = self.at.astimezone(UTC).isoformat(timespec="seconds") if self.at else None
        return json.dumps({"entry": self.entry_id, "hash": self.entry_hash, "at": when})

    @classmethod
    def from_text(cls, text: str) -> Anchor | None:
        try:
            data = json.loads(text)
            at = datetime.fromisoformat(data["at"]) if data.get("at") else None
            return cls(int(data["entry"]), str(data["hash"]), at)
        except (ValueError, KeyError, TypeError):
            return None


def start_trail(factory: sessionmaker[Session], clock: Clock | None) -> None:
    """The genesis entry of a new database's trail, at the database's own clock: from then on
    an empty trail can only mean every entry was deleted."""
    with factory() as session, session.begin():
        if clock is not None:
            session.info[CLOCK_KEY] = clock
        session.info[ACTOR_KEY] = Actor(None, SYSTEM)
        append(session, [Draft(GENESIS_ACTION, details={"created": True})])


def current_anchor(connection: sa.Connection) -> Anchor:
    """The trail's head now (entry 0 and the genesis hash for an empty trail)."""
    entry_id, entry_hash_ = _head_row(connection)
    return Anchor(entry_id, entry_hash_)


def compare_anchor(connection: sa.Connection, anchor: Anchor) -> str | None:
    """What is wrong with the trail against `anchor`, in words; None if it agrees."""
    if anchor.entry_id == 0:
        return None
    found = connection.execute(
        sa.select(_TABLE.c.entry_hash).where(_TABLE.c.id == anchor.entry_id)
    ).scalar()
    if found == anchor.entry_hash:
        return None
    head = current_anchor(connection)
    if found is None and head.entry_id < anchor.entry_id:
        missing = anchor.entry_id - head.entry_id
        if head.entry_id == 0:
            return f"the trail is empty, but it had {anchor.entry_id} entries"
        return (
            f"the trail ends at entry {head.entry_id}, but it had {anchor.entry_id}: "
            f"{missing} {'entry was' if missing == 1 else 'entries were'} removed from the end"
        )
    if found is None:
        return f"entry {anchor.entry_id} is missing"
    return (
        f"entry {anchor.entry_id} no longer has the hash it had: the trail was rewritten "
        "(changed, and its hashes recomputed)"
    )


def missing_triggers(connection: sa.Connection) -> list[str]:
    """The triggers that refuse UPDATE and DELETE on the trail, if any is gone."""
    if connection.dialect.name == "postgresql":  # issue 16: the PL/pgSQL ones of migration 0004
        found = set(
            connection.execute(
                sa.text(
                    "SELECT tgname FROM pg_trigger "
                    "WHERE tgrelid = 'audit_entries'::regclass AND NOT tgisinternal"
                )
            ).scalars()
        )
        return [name for name in TRIGGERS if name not in found]
    if connection.dialect.name != "sqlite":
        return []
    present = set(
        connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_entries'"
        ).scalars()
    )
    return [name for name in TRIGGERS if name not in present]


def anchor_log_line(database_path: object, anchor: Anchor, reason: str) -> str:
    """The log line an anchor is written as (ids and a hash only: no personal data)."""
    return (
        f"{ANCHOR_LOG_PREFIX} ({reason}) for {database_path}: "
        f"entry {anchor.entry_id} hash {anchor.entry_hash}"
    )


def log_anchor(connection: sa.Connection, database_path: object, reason: str) -> Anchor:
    """Write the trail's head into the log (at each start and each backup)."""
    anchor = current_anchor(connection)
    log.info("%s", anchor_log_line(database_path, anchor, reason))
    return anchor


def watch_anchors(factory: sessionmaker[Session], keep: Callable[[Anchor], None]) -> None:
    """After every commit that added entries, hand the new head to `keep` (the credential
    store). A failure to keep it is logged, never raised: the change is already committed."""

    @event.listens_for(factory, "after_commit")
    def _after_commit(session: Session) -> None:
        anchor = session.info.pop(_NEW_HEAD_KEY, None)
        if isinstance(anchor, Anchor):
            try:
                keep(anchor)
            except Exception:  # the store's own trouble must not undo a saved change
                log.warning("Could not keep the audit anchor", exc_info=True)

    @event.listens_for(factory, "after_rollback")
    def _after_rollback(session: Session) -> None:
        session.info.pop(_NEW_HEAD_KEY, None)
