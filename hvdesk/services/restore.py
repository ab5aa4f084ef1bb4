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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
import sqlcipher3

from hvdesk.clock import Clock
from hvdesk.db.backup import (
    key_opens,
    known_file_error,
    rekeyed_copy,
    swap_in,
    unique_path,
)
from hvdesk.db.database import DB_FILENAME, Database, database_path, open_database
from hvdesk.db.engine import raw_key_literal
from hvdesk.db.keys import KeyStore, format_recovery_key, new_database_key
from hvdesk.db.schema_version import HEAD
from hvdesk.errors import DatabaseExists, HvdeskError
from hvdesk.safe_files import sync_folder
from hvdesk.services.audit_anchors import reset_after_restore
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
RESTORING = ".restoring"  # the restored copy's name until it is whole
REKEYING = ".rekeying"  # the rekeyed copy's name until it is whole


class RekeyFailed(HvdeskError):
    """The new key could not be made; the database is as it was."""

    title = "New key not made"


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
    """Restore `backup_file` into `data_dir`, which must be empty unless `force`.

    Safe at every instant: the backup is copied in whole under a temporary name first; the
    database there (with its WAL) is linked into replaced/<time>/ without leaving its place;
    then the copy takes the database's name in one step. A cut at any point leaves the old
    database or the restored one in place, never neither and never a mix."""
    backup_file = backup_file.expanduser()
    checked = check_backup(backup_file, raw_key_literal(key))
    _check_target(data_dir, force=force)
    data_dir.mkdir(parents=True, exist_ok=True)
    target = database_path(data_dir)
    partial = target.with_name(target.name + RESTORING)
    try:
        _copy_in(checked, partial, key)
        replaced = _put_aside(data_dir, clock) if force else None
        swap_in(partial, target)
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
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
        reset_after_restore(database, keystore)
    finally:
        database.close()
    saved = keystore.try_save(target, key)
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
            _copy_in(checked, target / DB_FILENAME, key)
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


def rekey(
    database: Database,
    clock: Clock,
    keystore: KeyStore,
    announce: Callable[[str], None] | None = None,
) -> RekeyResult:
    """A new key and recovery key (after a suspected leak), with a backup under the old key
    first. `database` is closed by this call; open the folder again with the new key.

    Safe at every instant (a kill or a power cut anywhere leaves a database that the stored
    key, or a recovery key the office holds, opens): the new key is stored beside the old one
    ("pending") and `announce`d (printed) before anything changes; a rekeyed copy is made and
    synced beside the database; then it takes the database's name in one step, and only then
    does the new key replace the old one in the store."""
    backups = Backups(database, clock)
    backup = unique_path(backups.folder() / f"pre-rekey-{_stamp(clock)}.db")
    backups.back_up(backup)
    new_key = new_database_key()
    old_literal = key_literal(database)
    path = database.path
    data_dir = path.parent
    database.close()
    keystore.save_pending(path, new_key)
    recovery_key = format_recovery_key(new_key)
    if announce is not None:
        announce(recovery_key)
    partial = path.with_name(path.name + REKEYING)
    try:
        rekeyed_copy(path, partial, old_literal, raw_key_literal(new_key))
        swap_in(partial, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        if not key_opens(path, raw_key_literal(new_key)):
            keystore.forget_pending(path)  # the file still has the old key: nothing changed
        if isinstance(exc, (sqlcipher3.Error, OSError)):
            known = known_file_error(exc, path)
            raise RekeyFailed(
                f"The database could not be given a new key: "
                f"{known.what if known else type(exc).__name__}",
                "Nothing was changed: the old key and recovery key still open it. "
                + (known.todo if known else "Try again; if it fails again, see the log."),
            ) from exc
        raise
    saved = keystore.try_save(path, new_key)
    keystore.forget_pending(path)
    reopened = open_database(data_dir, new_key, clock)
    try:
        _integrity(reopened)
        record_event(reopened, clock, "rekey", backup.name, ok=True, detail="new key made")
    finally:
        reopened.close()
    log.info("Database rekeyed; backup under the old key: %s", backup.name)
    return RekeyResult(recovery_key, backup, saved)


def _stamp(clock: Clock) -> str:
    return clock.now().strftime("%Y%m%dT%H%M%SZ")


def _check_target(data_dir: Path, *, force: bool) -> None:
    if data_dir.exists() and not data_dir.is_dir():
        raise HvdeskError(f"{data_dir} is a file, not a folder.", "Choose a folder to restore to.")
    if data_dir.exists() and not force and _holds_something(data_dir):
        raise DatabaseExists(
            f"The folder {data_dir} is not empty; restoring there would replace what it holds.",
            "Choose an empty folder, or add --force to put the database there aside (into "
            f"{REPLACED_FOLDER}/) and restore over it.",
        )


def _holds_something(data_dir: Path) -> bool:
    """Anything in the folder but what a cut-short restore left (its partial copy)."""
    leftover = database_path(data_dir).with_name(DB_FILENAME + RESTORING)
    return any(item != leftover for item in data_dir.iterdir())


def _put_aside(data_dir: Path, clock: Clock) -> Path | None:
    """Keep the database there (with its WAL) in replaced/<time>/, never deleting it: hard
    links (or copies where links are not possible), so the database stays in its place until
    the restored one replaces it in one step."""
    path = database_path(data_dir)
    present = [p for p in (path, *_sidecars(path)) if p.exists()]
    if not present:
        return None
    aside = unique_path(data_dir / REPLACED_FOLDER / _stamp(clock))
    aside.mkdir(parents=True)
    for item in present:
        try:
            os.link(item, aside / item.name)
        except OSError:
            shutil.copy2(item, aside / item.name)
    sync_folder(aside)
    log.info("Replaced database kept in %s", aside)
    return aside


def _sidecars(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def _copy_in(checked: CheckedBackup, partial: Path, key: bytes) -> None:
    """Copy the backup to `partial` through SQLite's backup API, keyed, complete and synced."""
    partial.unlink(missing_ok=True)
    literal = raw_key_literal(key)
    try:
        descriptor = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(descriptor)
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
    except (sqlcipher3.Error, OSError) as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        known = known_file_error(exc, partial)
        raise BackupFailed(
            f"Copying the backup into {partial.parent} failed ({known.what if known else exc}).",
            "Check there is space on the disk and try again; nothing was restored.",
        ) from exc


def _integrity(database: Database) -> None:
    with database.engine.connect() as connection:
        result = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
    if result != "ok":
        raise BackupFailed(
            "The restored database failed SQLite's integrity check.", "Use an earlier backup."
        )
