"""Running the Alembic migrations from inside hvdesk, all-or-nothing.

The revision of a database is compared with the scripts this version ships: behind means
upgrade (after an encrypted copy is set aside), equal means nothing to do, unknown means the
database was written by a newer hvdesk and is refused untouched.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from hvdesk.errors import DatabaseTooNew, MigrationFailed, NotADatabase

log = logging.getLogger(__name__)


SCRIPT_LOCATION = "hvdesk.db:migrations"


def alembic_config(
    connection: sa.Connection | None = None, script_location: str = SCRIPT_LOCATION
) -> Config:
    """An Alembic Config built in code; the connection travels in attributes, never a URL."""
    cfg = Config()
    cfg.set_main_option("script_location", script_location)
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    if head is None:
        raise RuntimeError("hvdesk ships no migrations")
    return head


@dataclass(frozen=True)
class SchemaState:
    """Where a database's schema stands against this version of hvdesk."""

    current: str | None
    head: str

    @property
    def is_empty(self) -> bool:
        return self.current is None

    @property
    def needs_upgrade(self) -> bool:
        return self.current != self.head


def schema_state(connection: sa.Connection) -> SchemaState:
    """Read the database's revision and refuse one this version does not know."""
    tables = set(sa.inspect(connection).get_table_names())
    heads = MigrationContext.configure(connection).get_current_heads()
    if not heads:
        if tables - {"alembic_version"}:
            raise NotADatabase(
                "This file is a database, but not one hvdesk made (it has no hvdesk version).",
                "Check the data folder: hvdesk keeps its database as hvdesk.db.",
            )
        return SchemaState(current=None, head=head_revision())
    if len(heads) > 1:
        raise NotADatabase(
            "The database records more than one schema version, which hvdesk never writes.",
            "Restore the latest backup, or ask for support.",
        )
    current = heads[0]
    scripts = script_directory()
    try:
        known = scripts.get_revision(current) is not None
    except Exception:  # alembic raises several types for an unknown id
        known = False
    if not known:
        raise DatabaseTooNew(
            f"This database was written by a newer version of hvdesk (schema {current}).",
            "Install the latest hvdesk on this computer; the database has not been changed.",
        )
    return SchemaState(current=current, head=head_revision())


def upgrade_to_head(
    engine: sa.Engine, target: str = "head", script_location: str = SCRIPT_LOCATION
) -> None:
    """Upgrade (to head, or to `target`) inside one transaction; any failure rolls every step
    back.

    Foreign keys are switched off for the batch table rebuilds (they cannot change inside a
    transaction) and the foreign key check is run before commit.
    """
    with engine.connect() as connection:
        dbapi = connection.connection.dbapi_connection
        assert dbapi is not None
        dbapi.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                command.upgrade(alembic_config(connection, script_location), target)
                problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if problems:
                    raise MigrationFailed(
                        f"The upgrade would leave {len(problems)} broken links between "
                        "records, so it was undone.",
                        "The database is as it was. Keep the copy made before the upgrade "
                        "and ask for support.",
                    )
        finally:
            dbapi.execute("PRAGMA foreign_keys = ON")
