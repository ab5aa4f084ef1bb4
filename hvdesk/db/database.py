"""Opening and creating the encrypted database, refusing anything risky before writing a byte.

A missing file is never created by accident, an empty or unencrypted file is never turned into
a database, a database from a newer hvdesk is never touched, and before an upgrade an encrypted
copy of the old database is set aside.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
import sqlalchemy.exc
from sqlalchemy.orm import Session, sessionmaker

from hvdesk.clock import Clock
from hvdesk.db.audit_trail import (
    Anchor,
    compare_anchor,
    log_anchor,
    start_trail,
    watch_anchors,
    watch_sessions,
)
from hvdesk.db.backup import copy_encrypted, create_private_file, make_private, unique_path
from hvdesk.db.engine import create_encrypted_engine
from hvdesk.db.errors import IT_SECTION, Place, ServerPlace, known_error, server_job
from hvdesk.db.keys import KeyStore
from hvdesk.db.local_disk import check_local_disk
from hvdesk.db.schema_version import SchemaState, schema_state
from hvdesk.errors import (
    DatabaseExists,
    DatabaseMissing,
    DataFolderError,
    HvdeskError,
    MigrationFailed,
    NotADatabase,
    WrongKey,
)

log = logging.getLogger(__name__)

__all__ = ["IT_SECTION", "Database", "server_job"]

DB_FILENAME = "hvdesk.db"
BACKUP_FOLDER = "backups"
_SQLITE_PLAIN_HEADER = b"SQLite format 3\x00"


def database_path(data_dir: Path) -> Path:
    """Where the database of a data folder lives."""
    return data_dir / DB_FILENAME


@dataclass
class Database:
    """An open, current database: the engine and a factory of sessions over it.

    `place` is the database file of a data folder, or a database on a server (server mode);
    only this package knows which, and services see the same sessions and typed errors."""

    place: Place
    engine: sa.Engine
    sessions: sessionmaker[Session] = field(init=False)
    upgraded_from: str | None = None
    pre_upgrade_copy: Path | None = None
    clock: Clock | None = None  # the audit trail's time when a service does not give its own
    key_store: KeyStore | None = None  # where the trail's anchor is kept (None: the OS store)

    def __post_init__(self) -> None:
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        watch_sessions(self.sessions, lambda: self.clock)  # every change writes the audit trail
        if not self.is_server:  # a server's trail is guarded by its rights (db grant)
            watch_anchors(self.sessions, self._keep_anchor)  # its head goes beside the key

    def _keep_anchor(self, anchor: Anchor) -> None:
        """Move the credential store's anchor on to the new head, unless the trail no longer
        matches the anchor kept there (then that anchor is evidence: it is left alone)."""
        store = self.key_store if self.key_store is not None else KeyStore()
        kept = Anchor.from_text(store.anchor(self.path) or "")
        if kept is not None:
            with self.engine.connect() as connection:
                problem = compare_anchor(connection, kept)
            if problem is not None:
                log.warning("The audit trail does not match its anchor: %s", problem)
                return
        store.keep_anchor(self.path, anchor.to_text())

    @property
    def is_server(self) -> bool:
        return isinstance(self.place, ServerPlace)

    @property
    def where(self) -> str:
        """Where the database is, for the office: its data folder, or the server."""
        if isinstance(self.place, ServerPlace):
            return str(self.place)
        return str(self.place.parent)

    @property
    def path(self) -> Path:
        """The database file; in server mode there is none, and what needs one (a backup, a
        new key, a copy aside) is the server's job, which the error says."""
        if isinstance(self.place, ServerPlace):
            raise server_job("This")
        return self.place

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed if the block succeeds, rolled back if it raises."""
        with self.sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()


def create_database(
    data_dir: Path,
    key: bytes,
    clock: Clock | None = None,
    *,
    copy_target: bool = False,
    key_store: KeyStore | None = None,
) -> Database:
    """Make a new encrypted database at head. Refuses if any database file is already there.
    A `copy_target` (hvdesk db copy --from) gets no genesis entry: the copied trail brings its
    own."""
    path = database_path(data_dir)
    _check_folder(data_dir, create=True)
    for existing in (path, path.with_name(path.name + "-wal")):
        if existing.exists():
            raise DatabaseExists(
                f"There is already an hvdesk database in {data_dir}.",
                "Open it instead, or choose an empty folder for a new one.",
            )
    engine = create_encrypted_engine(path, key)
    try:
        create_private_file(path)  # 0600 from the start; SQLite gives its WAL the same mode
        from hvdesk.db.migrate import upgrade_to_head  # Alembic only when it is needed

        upgrade_to_head(engine)
        database = Database(place=path, engine=engine, clock=clock, key_store=key_store)
        if not copy_target:
            start_trail(database.sessions, clock)  # the genesis entry: an empty trail is a wipe
    except BaseException as exc:
        engine.dispose()
        _remove_new_files(path)
        raise _translate(exc, path) from exc
    log.info("Created a new database in %s", data_dir)
    return database


def open_database(
    data_dir: Path,
    key: bytes,
    clock: Clock,
    *,
    upgrade: bool = True,
    key_store: KeyStore | None = None,
) -> Database:
    """Open an existing database with its key, upgrading it (after a copy) if it is behind.

    Raises WrongKey when the key does not open it, and the other HvdeskErrors for files that
    are missing, empty, unencrypted, damaged or from a newer hvdesk; none of them writes.
    """
    path = database_path(data_dir)
    check_database_file(data_dir)
    make_private(path)  # a database made before hvdesk set 0600 itself
    engine = create_encrypted_engine(path, key)
    try:
        state = _verify(engine, path)
        database = Database(place=path, engine=engine, clock=clock, key_store=key_store)
        if state.needs_upgrade and upgrade:
            database.pre_upgrade_copy = _copy_aside(engine, path, state, clock)
            from hvdesk.db.migrate import upgrade_to_head  # Alembic only when it is needed

            try:
                upgrade_to_head(engine)
            except HvdeskError:
                raise
            except Exception as exc:
                known = known_error(exc, path)
                if known is not None:
                    raise known from exc
                log.exception("Upgrade from %s failed and was rolled back", state.current)
                raise MigrationFailed(
                    f"Upgrading the database from version {state.current} failed; "
                    "every step was undone.",
                    f"The database is as it was, and a copy is in {BACKUP_FOLDER}/. "
                    "Ask for support with the log file.",
                ) from exc
            database.upgraded_from = state.current
            log.info("Upgraded the database from %s to %s", state.current, state.head)
        if upgrade or not state.needs_upgrade:
            with engine.connect() as connection:
                log_anchor(connection, path, "start")
        return database
    except BaseException as exc:
        engine.dispose()
        raise _translate(exc, path) from exc


def current_state(data_dir: Path, key: bytes) -> SchemaState:
    """The schema version of a database, read without changing anything."""
    path = database_path(data_dir)
    check_database_file(data_dir)
    engine = create_encrypted_engine(path, key)
    try:
        return _verify(engine, path)
    except BaseException as exc:
        raise _translate(exc, path) from exc
    finally:
        engine.dispose()


def _verify(engine: sa.Engine, path: Path) -> SchemaState:
    """Prove the key opens the file (SQLCipher fails only at the first read), then read its
    revision."""
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
            return schema_state(connection)
    except NotADatabase as exc:
        if type(exc) is NotADatabase:  # "file is not a database": a damaged file says more
            raise WrongKey(
                "This key does not open the database: either the key is wrong, or the file "
                "is damaged or not an hvdesk database.",
                "Enter the recovery key printed when the database was created, or restore a "
                "backup. The file was not changed.",
            ) from exc
        raise


def _check_folder(data_dir: Path, *, create: bool) -> None:
    check_local_disk(data_dir)  # never on a network share (issue 15)
    if data_dir.exists() and not data_dir.is_dir():
        raise DataFolderError(
            f"The data folder {data_dir} is a file, not a folder.",
            "Choose a folder with --data-dir (or HVDESK_DATA_DIR).",
        )
    if not data_dir.exists():
        if not create:
            raise DataFolderError(
                f"The data folder {data_dir} does not exist.",
                "Check the path, or create a database there first (hvdesk seed-demo, or start "
                "hvdesk to set one up).",
            )
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DataFolderError(
                f"The data folder {data_dir} could not be created ({exc.strerror}).",
                "Choose a folder you may write to with --data-dir.",
            ) from exc
    if not os.access(data_dir, os.W_OK | os.X_OK):
        raise DataFolderError(
            f"hvdesk may not write to the data folder {data_dir}.",
            "Ask IT for write access to it, or choose another folder with --data-dir.",
        )


def check_database_file(data_dir: Path) -> None:
    """Refuse, without touching it, a data folder whose database is missing, empty or plain."""
    path = database_path(data_dir)
    _check_folder(data_dir, create=False)
    if not path.exists():
        raise DatabaseMissing(
            f"There is no hvdesk database in {data_dir}.",
            "Check the data folder, or create one (hvdesk seed-demo for a demo, or start "
            "hvdesk to set up a new school).",
        )
    if not path.is_file():
        raise NotADatabase(
            f"{path} is not a file.", "Move it out of the way or choose another data folder."
        )
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_PLAIN_HEADER))
    except OSError as exc:
        raise DataFolderError(
            f"{path} cannot be read ({exc.strerror}).",
            "Check your account may read the data folder.",
        ) from exc
    if not header:
        raise NotADatabase(
            f"{path.name} in {data_dir} is empty: it is not a usable database.",
            "Restore the latest backup into this folder; the empty file was left as it is.",
        )
    if header == _SQLITE_PLAIN_HEADER:
        raise NotADatabase(
            f"{path.name} is an unencrypted SQLite file, not an hvdesk database.",
            "hvdesk only opens encrypted databases it made. The file was not changed.",
        )


def _copy_aside(engine: sa.Engine, path: Path, state: SchemaState, clock: Clock) -> Path:
    """An encrypted copy of the database as it was, before any upgrade step."""
    stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
    target = unique_path(path.parent / BACKUP_FOLDER / f"pre-upgrade-{state.current}-{stamp}.db")
    copy_encrypted(engine, target)
    log.info("Copied the database aside before upgrading: %s", target.name)
    return target


def _remove_new_files(path: Path) -> None:
    """Only used for a database this call itself just created and failed to finish."""
    for leftover in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))):
        leftover.unlink(missing_ok=True)


def _translate(exc: BaseException, path: Path) -> BaseException:
    return known_error(exc, path) or exc
