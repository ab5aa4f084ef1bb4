"""Restoring a backup into a data folder, testing that a backup restores, and rekeying.

Restore checks the backup before anything is written (it opens with the key, passes the
integrity check, and is from this or an older hvdesk), refuses a folder that is not empty unless
forced, puts a replaced database aside rather than deleting it, copies the backup in under a
temporary name, then opens it normally, which upgrades it (after its own pre-upgrade copy).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
import sqlcipher3

from hvdesk.clock import Clock
from hvdesk.db.database import DB_FILENAME, Database, database_path, open_database
from hvdesk.db.engine import raw_key_literal
from hvdesk.db.keys import KeyStore, format_recovery_key, new_database_key
from hvdesk.db.schema_version import HEAD
from hvdesk.errors import DatabaseExists, HvdeskError
from hvdesk.services.backups import (
    BackupDamaged,
    BackupFailed,
    Backups,
    CheckedBackup,
    check_backup,
    key_literal,
    record_event,
)

log = logging.getLogger(__name__)

REPLACED_FOLDER = "replaced"


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did, for the person who ran it."""

    data_dir: Path
    backup_revision: str
    revision: str
    replaced_to: Path | None
    key_saved: bool


@dataclass(frozen=True)
class RekeyResult:
    """The new recovery key (to print and lock away) and the backup made first."""

    recovery_key: str
    backup: Path
    key_saved: bool


def restore_backup(
    backup_file: Path,
    data_dir: Path,
    key: bytes,
    clock: Clock,
    keystore: KeyStore,
    *,
    force: bool = False,
) -> RestoreResult:
    """Restore `backup_file` into `data_dir`, which must be empty unless `force`."""
    backup_file = backup_file.expanduser()
    checked = check_backup(backup_file, raw_key_literal(key))
    _check_target(data_dir, force=force)
    data_dir.mkdir(parents=True, exist_ok=True)
    replaced = _put_aside(data_dir, clock) if force else None
    _copy_in(checked, data_dir, key)
    database = open_database(data_dir, key, clock)
    try:
        _integrity(database)
        record_event(
            database,
            clock,
            "restore",
            backup_file.name,
            ok=True,
            detail=f"schema {checked.revision} restored at {HEAD}",
        )
    finally:
        database.close()
    saved = keystore.try_save(database_path(data_dir), key)
    log.info("Backup %s restored (schema %s)", backup_file.name, checked.revision)
    return RestoreResult(data_dir, checked.revision, HEAD, replaced, saved)


def try_restore(backup_file: Path, key: bytes, clock: Clock, database: Database) -> str:
    """Restore a backup into a temporary folder, check it, delete it; log the test in
    `database`. Returns the backup's schema version; raises if it would not restore."""
    backup_file = backup_file.expanduser()
    try:
        with tempfile.TemporaryDirectory(prefix="hvdesk-restore-test-") as scratch:
            target = Path(scratch) / "data"
            target.mkdir()
            checked = check_backup(backup_file, raw_key_literal(key))
            _copy_in(checked, target, key)
            restored = open_database(target, key, clock)
            try:
                _integrity(restored)
            finally:
                restored.close()
    except HvdeskError as exc:
        record_event(database, clock, "restore_test", backup_file.name, ok=False, detail=exc.what)
        raise
    except (sqlcipher3.DatabaseError, sa.exc.DBAPIError) as exc:
        damaged = BackupDamaged(
            f"{backup_file.name} could not be read back whole: it is damaged.",
            "Use an earlier backup, and make a new one now.",
        )
        record_event(
            database, clock, "restore_test", backup_file.name, ok=False, detail=damaged.what
        )
        raise damaged from exc
    record_event(
        database, clock, "restore_test", backup_file.name, ok=True, detail=checked.revision
    )
    log.info("Restore test of %s passed", backup_file.name)
    return checked.revision


def rekey(database: Database, clock: Clock, keystore: KeyStore) -> RekeyResult:
    """A new key and recovery key (after a suspected leak), with a backup under the old key
    first. `database` is closed by this call; open the folder again with the new key."""
    stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
    backups = Backups(database, clock)
    backup = backups.folder() / f"pre-rekey-{stamp}.db"
    backups.back_up(backup)
    new_key = new_database_key()
    old_literal = key_literal(database)
    data_dir = database.path.parent
    database.close()
    connection = sqlcipher3.connect(str(database.path))
    try:
        connection.execute(f'PRAGMA key = "{old_literal}"')
        connection.execute("PRAGMA cipher_log_level = NONE")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute(f'PRAGMA rekey = "{raw_key_literal(new_key)}"')
    finally:
        connection.close()
    reopened = open_database(data_dir, new_key, clock)
    try:
        _integrity(reopened)
        record_event(reopened, clock, "rekey", backup.name, ok=True, detail="new key made")
    finally:
        reopened.close()
    saved = keystore.try_save(database.path, new_key)
    log.info("Database rekeyed; backup under the old key: %s", backup.name)
    return RekeyResult(format_recovery_key(new_key), backup, saved)


def _check_target(data_dir: Path, *, force: bool) -> None:
    if data_dir.exists() and not data_dir.is_dir():
        raise HvdeskError(f"{data_dir} is a file, not a folder.", "Choose a folder to restore to.")
    if data_dir.exists() and any(data_dir.iterdir()) and not force:
        raise DatabaseExists(
            f"The folder {data_dir} is not empty; restoring there would replace what it holds.",
            "Choose an empty folder, or add --force to put the database there aside (into "
            f"{REPLACED_FOLDER}/) and restore over it.",
        )


def _put_aside(data_dir: Path, clock: Clock) -> Path | None:
    """Move an existing database (with its WAL) into replaced/<time>/; never delete it."""
    path = database_path(data_dir)
    present = [p for p in (path, *_sidecars(path)) if p.exists()]
    if not present:
        return None
    aside = data_dir / REPLACED_FOLDER / clock.now().strftime("%Y%m%dT%H%M%SZ")
    aside.mkdir(parents=True)
    for item in present:
        shutil.move(str(item), aside / item.name)
    log.info("Replaced database put aside in %s", aside)
    return aside


def _sidecars(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def _copy_in(checked: CheckedBackup, data_dir: Path, key: bytes) -> None:
    """Copy the backup to data_dir/hvdesk.db through SQLite's backup API, keyed, atomically."""
    target = data_dir / DB_FILENAME
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    literal = raw_key_literal(key)
    try:
        source = sqlcipher3.connect(f"file:{checked.path}?mode=ro", uri=True)
        try:
            source.execute(f'PRAGMA key = "{literal}"')
            source.execute("PRAGMA cipher_log_level = NONE")
            destination = sqlcipher3.connect(str(partial))
            try:
                destination.execute(f'PRAGMA key = "{literal}"')
                destination.execute("PRAGMA cipher_log_level = NONE")
                source.backup(destination)
            finally:
                destination.close()
        finally:
            source.close()
        with partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        partial.replace(target)
    except sqlcipher3.Error as exc:
        raise BackupFailed(
            f"Copying the backup into {data_dir} failed ({exc}).",
            "Check there is space on the disk and try again; nothing was restored.",
        ) from exc
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def _integrity(database: Database) -> None:
    with database.engine.connect() as connection:
        result = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
    if result != "ok":
        raise BackupFailed(
            "The restored database failed SQLite's integrity check.", "Use an earlier backup."
        )
