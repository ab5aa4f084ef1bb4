"""Moving a school's data between the encrypted file and a PostgreSQL server, either way.

Every table is copied row for row, ids and the audit trail included, in one transaction on
the target (all or nothing), into a target at the same schema that holds nothing yet (an empty
audit trail; rows the migrations themselves put in, such as counters, give way to the
source's). The copy
is then proved: the audit chain verifies on both sides and ends at the same hash, and each
table has as many rows on both sides.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa

from hvdesk.db.audit_trail import verify_chain
from hvdesk.db.models import AuditEntry, Base
from hvdesk.db.schema_version import VERSION_TABLE, schema_state
from hvdesk.errors import DatabaseExists, HvdeskError

log = logging.getLogger(__name__)

_BATCH = 1000


class CopyNotProved(HvdeskError):
    """The copy finished but does not match its source: it was rolled back."""

    title = "Copy did not match"


@dataclass(frozen=True)
class CopyReport:
    """What was copied and proved."""

    rows: int
    audit_entries: int
    chain_head: str | None


def copy_school(source: sa.Engine, target: sa.Engine, *, target_words: str) -> CopyReport:
    """Copy everything from `source` into the empty, current `target`, then prove it."""
    with source.connect() as src:
        source_state = schema_state(src)
        counts = _counts(src)
        source_entries, source_break = verify_chain(src)
        source_head = _head(src)
    if source_break is not None:
        raise CopyNotProved(
            f"The source's audit trail is broken at entry {source_break.entry_id}, so it was "
            "not copied.",
            "Keep it as it is and ask for support; copy a backup that verifies instead.",
        )
    with target.connect() as dst, dst.begin():
        target_state = schema_state(dst)
        if target_state.current != source_state.current:
            raise HvdeskError(
                f"{target_words} is at schema {target_state.current or 'empty'}, the source at "
                f"{source_state.current}.",
                "Upgrade both to this hvdesk's version first (hvdesk db upgrade), then copy.",
            )
        filled = {name: n for name, n in _counts(dst).items() if n}
        if filled.get(AuditEntry.__tablename__):  # every change hvdesk makes is in the trail
            raise DatabaseExists(
                f"{target_words} already holds data; a copy only goes into an empty database. "
                "Nothing was changed.",
                "Ask IT for an empty database, or choose an empty data folder.",
            )
        total = 0
        with source.connect() as src:
            for table in reversed(Base.metadata.sorted_tables):
                if filled.get(table.name):  # rows a migration put there (a counter, defaults)
                    dst.execute(sa.delete(table))
            for table in Base.metadata.sorted_tables:
                total += _copy_table(src, dst, table)
        _restart_ids(dst)
        copied = _counts(dst)
        entries, first_break = verify_chain(dst)
        if copied != counts or first_break is not None or _head(dst) != source_head:
            dst.rollback()
            raise CopyNotProved(
                f"The copy on {target_words} did not match the source, so it was undone.",
                "Nothing was changed on either side. Ask for support with the log file.",
            )
    log.info("Copied %d rows (%d audit entries) and proved the copy", total, entries)
    return CopyReport(total, source_entries, source_head)


def _copy_table(src: sa.Connection, dst: sa.Connection, table: sa.Table) -> int:
    rows = src.execute(sa.select(table).order_by(*table.primary_key.columns)).mappings()
    total = 0
    while batch := [dict(row) for row in rows.fetchmany(_BATCH)]:
        dst.execute(sa.insert(table), batch)
        total += len(batch)
    return total


def _restart_ids(dst: sa.Connection) -> None:
    """On PostgreSQL, each id sequence continues after the highest id copied."""
    if dst.dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        for column in table.primary_key.columns:
            if not column.autoincrement or not isinstance(column.type, sa.Integer):
                continue
            highest = dst.execute(sa.select(sa.func.max(column))).scalar()
            sequence = sa.func.pg_get_serial_sequence(table.name, column.name)
            dst.execute(sa.select(sa.func.setval(sequence, highest or 1, highest is not None)))


def _counts(connection: sa.Connection) -> dict[str, int]:
    return {
        table.name: int(
            connection.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0
        )
        for table in Base.metadata.sorted_tables
        if table.name != VERSION_TABLE
    }


def _head(connection: sa.Connection) -> str | None:
    return connection.execute(
        sa.select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)
    ).scalar()
