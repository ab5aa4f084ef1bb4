"""Running the Alembic migrations from inside hvdesk, all-or-nothing.

Imported only when a database must be created or upgraded: reading the version needs no
Alembic (see schema_version.py).
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from hvdesk.errors import MigrationFailed

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
    """The newest revision among the shipped scripts."""
    head = script_directory().get_current_head()
    if head is None:
        raise RuntimeError("hvdesk ships no migrations")
    return head


def revisions_in_order() -> list[str]:
    """Every shipped revision, oldest first (checked against schema_version.KNOWN_REVISIONS)."""
    return [script.revision for script in reversed(list(script_directory().walk_revisions()))]


def upgrade_to_head(
    engine: sa.Engine, target: str = "head", script_location: str = SCRIPT_LOCATION
) -> None:
    """Upgrade (to head, or to `target`) inside one transaction; any failure rolls every step
    back.

    On SQLite, foreign keys are switched off for the batch table rebuilds (they cannot change
    inside a transaction) and the foreign key check is run before commit. PostgreSQL needs
    neither: no PRAGMA is sent there.
    """
    if engine.dialect.name != "sqlite":
        # PostgreSQL: DDL is transactional and foreign keys are checked as each step runs.
        with engine.connect() as connection, connection.begin():
            command.upgrade(alembic_config(connection, script_location), target)
        return
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
