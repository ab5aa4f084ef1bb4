"""Which schema version a database is at, read without importing Alembic.

Alembic costs about a tenth of a second to import; every start needs the version, only an
upgrade needs Alembic. `KNOWN_REVISIONS` lists this version's migrations in order (a test checks
it against the scripts), so an unknown revision means a newer hvdesk wrote the database.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from hvdesk.errors import DatabaseTooNew, NotADatabase

KNOWN_REVISIONS: tuple[str, ...] = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
)
HEAD = KNOWN_REVISIONS[-1]
VERSION_TABLE = "alembic_version"


@dataclass(frozen=True)
class SchemaState:
    """Where a database's schema stands against this version of hvdesk."""

    current: str | None
    head: str = HEAD

    @property
    def is_empty(self) -> bool:
        return self.current is None

    @property
    def needs_upgrade(self) -> bool:
        return self.current != self.head


def schema_state(connection: sa.Connection) -> SchemaState:
    """Read the database's revision and refuse one this version does not know."""
    tables = set(sa.inspect(connection).get_table_names())
    revisions: list[str] = []
    if VERSION_TABLE in tables:
        revisions = list(
            connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars()
        )
    if not revisions:
        if tables - {VERSION_TABLE}:
            raise NotADatabase(
                "This file is a database, but not one hvdesk made (it has no hvdesk version).",
                "Check the data folder: hvdesk keeps its database as hvdesk.db.",
            )
        return SchemaState(current=None)
    if len(revisions) > 1:
        raise NotADatabase(
            "The database records more than one schema version, which hvdesk never writes.",
            "Restore the latest backup, or ask for support.",
        )
    current = revisions[0]
    if current not in KNOWN_REVISIONS:
        raise DatabaseTooNew(
            f"This database was written by a newer version of hvdesk (schema {current}).",
            "Install the latest hvdesk on this computer; the database has not been changed.",
        )
    return SchemaState(current=current)
