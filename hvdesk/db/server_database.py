"""Opening the school's database on a PostgreSQL server (server mode), refusing anything risky
before writing: an empty database is only set up by `hvdesk db upgrade`, an older schema is only
upgraded by IT after their own backup, and a newer one is never touched.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa

from hvdesk.clock import Clock
from hvdesk.db.audit_trail import start_trail
from hvdesk.db.database import IT_SECTION, Database
from hvdesk.db.schema_version import SchemaState, schema_state
from hvdesk.db.server import ServerSettings, create_server_engine
from hvdesk.errors import DatabaseMissing, HvdeskError, MigrationFailed

log = logging.getLogger(__name__)


class UpgradeNeeded(HvdeskError):
    """The server's database is at an older schema: IT upgrade it after their backup."""

    title = "Database upgrade needed"


def server_state(settings: ServerSettings, password: str | None = None) -> SchemaState:
    """The schema version of the server's database, read without changing anything."""
    engine = create_server_engine(settings, password)
    try:
        with engine.connect() as connection:
            return schema_state(connection)
    finally:
        engine.dispose()


def open_server_database(
    settings: ServerSettings,
    clock: Clock,
    *,
    password: str | None = None,
    upgrade: bool = False,
    copy_target: bool = False,
) -> Database:
    """The server's database, current. With `upgrade` (db upgrade, after IT's backup) an empty
    or older database is brought to this hvdesk's schema in one transaction first; a new one
    gets its audit trail's genesis entry, unless it is a `copy_target` (db copy --to), whose
    copied trail brings its own."""
    engine = create_server_engine(settings, password)
    try:
        with engine.connect() as connection:
            state = schema_state(connection)
        database = Database(place=settings.place, engine=engine, clock=clock)
        if state.needs_upgrade:
            if not upgrade:
                raise _not_ready(settings, state)
            _upgrade(engine, state)
            database.upgraded_from = state.current or "empty"
            if state.is_empty and not copy_target:
                start_trail(database.sessions, clock)
        return database
    except BaseException:
        engine.dispose()
        raise


def _not_ready(settings: ServerSettings, state: SchemaState) -> HvdeskError:
    if state.is_empty:
        return DatabaseMissing(
            f"{settings.place} has no hvdesk tables yet.",
            f"IT sets it up once with: hvdesk db upgrade --i-have-a-backup (see the {IT_SECTION}).",
        )
    return UpgradeNeeded(
        f"{settings.place} is at schema {state.current}; this hvdesk needs {state.head}.",
        "IT upgrade it after taking a backup of the server: hvdesk db upgrade "
        f"--i-have-a-backup (see the {IT_SECTION}).",
    )


def _upgrade(engine: sa.Engine, state: SchemaState) -> None:
    from hvdesk.db.migrate import upgrade_to_head  # Alembic only when it is needed

    try:
        upgrade_to_head(engine)
    except HvdeskError:
        raise
    except Exception as exc:
        log.exception("Upgrade of the server database from %s failed", state.current)
        raise MigrationFailed(
            f"Upgrading the server's database from {state.current or 'empty'} failed; every "
            "step was undone.",
            "The database is as it was. Ask for support with the log file.",
        ) from exc
    log.info("Upgraded the server database from %s to %s", state.current, state.head)
