"""Encrypted backups: one on demand, one a day automatically, the oldest pruned, each checked.

A backup is the database copied with SQLite's online backup API into a file keyed with the same
key (hvdesk.db.backup), so it never exists in plain text and may go to a second disk or a network
share. Each copy is opened read-only and integrity-checked before it counts; every backup (and
every failure) is recorded in `backup_records`, which the status bar reads for "last backup".
"""

from __future__ import annotations

import contextlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
import sqlcipher3
from sqlalchemy.orm import Session

from hvdesk.clock import Clock
from hvdesk.db.audit_trail import log_anchor
from hvdesk.db.backup import copy_encrypted, known_file_error
from hvdesk.db.database import BACKUP_FOLDER, Database
from hvdesk.db.models import BackupRecord
from hvdesk.db.schema_version import KNOWN_REVISIONS
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.errors import HvdeskError, NotADatabase
from hvdesk.services.directory import school_policy
from hvdesk.services.identity import SignedInUser

log = logging.getLogger(__name__)

AUTOMATIC_PREFIX = "hvdesk-backup-"
AUTOMATIC_NAME = re.compile(r"hvdesk-backup-\d{8}T\d{6}Z\.db")
DAILY = timedelta(hours=24)


class BackupFailed(HvdeskError):
    """A backup could not be made or did not check out; nothing half-made is left behind."""

    title = "Backup failed"


class BackupDamaged(BackupFailed):
    """A backup file opens with its key but its pages are damaged (a finding, not a bug)."""

    title = "Backup damaged"


@dataclass(frozen=True)
class BackupStatus:
    """What the status bar says about backups."""

    last_at: datetime | None
    folder: Path
    stale: bool  # older than the school's warning limit, or none at all
    failed_check: str | None = None
    """What the latest check of a backup (a restore test, or a backup's own check) found, when
    it failed and no good backup has been made since; None otherwise."""


@dataclass(frozen=True)
class CheckedBackup:
    """A backup file that opened with the key and passed SQLite's integrity check."""

    path: Path
    revision: str


class Backups:
    """Backups of one open database."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def folder(self) -> Path:
        """Where automatic backups go: the setting, else "backups" in the data folder."""
        with self._database.session() as session:
            return self._folder(school_policy(session))

    def _folder(self, policy: SchoolPolicy) -> Path:
        configured = policy.backup_folder.strip()
        if configured:
            return Path(configured).expanduser()
        return self._database.path.parent / BACKUP_FOLDER

    def back_up(self, out: Path, by: SignedInUser | None = None) -> CheckedBackup:
        """Copy the database to `out` (which must not exist), check the copy, record it."""
        out = out.expanduser()
        try:
            copy_encrypted(self._database.engine, out)
            checked = check_backup(out, key_literal(self._database))
        except HvdeskError as exc:
            self._record(out, ok=False, detail=exc.what, by=by)
            raise
        except Exception as exc:
            known = known_file_error(exc, out)
            self._record(out, ok=False, detail=type(exc).__name__, by=by)
            if known is not None:
                raise BackupFailed(
                    f"The backup to {out.parent} failed: {known.what}", known.todo
                ) from exc
            raise
        self._record(out, ok=True, detail=f"schema {checked.revision}", by=by)
        with self._database.engine.connect() as connection:
            log_anchor(connection, self._database.path, "backup")  # the backup holds it too
        log.info("Backup written and checked: %s", out.name)
        return checked

    def back_up_if_due(self) -> CheckedBackup | None:
        """The daily automatic backup: made when the last good one is a day old or missing,
        then the oldest automatic backups beyond the number to keep are deleted."""
        now = self._clock.now()
        with self._database.session() as session:
            last = _last_good(session)
            policy = school_policy(session)
        if last is not None and now - last < DAILY:
            return None
        folder = self._folder(policy)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._record(folder / "(folder)", ok=False, detail=exc.strerror or "", by=None)
            raise BackupFailed(
                f"The backup folder {folder} cannot be used ({exc.strerror}).",
                "Check the disk or network share is connected, or choose another folder in "
                "Settings.",
            ) from exc
        name = f"{AUTOMATIC_PREFIX}{now.strftime('%Y%m%dT%H%M%SZ')}.db"
        checked = self.back_up(folder / name)
        prune(folder, policy.backups_to_keep)
        return checked

    def last_backup_at(self) -> datetime | None:
        """When the last backup that checked out was made."""
        with self._database.session() as session:
            return _last_good(session)

    def status(self) -> BackupStatus:
        """Read in one session: the status bar asks at start-up and after every check."""
        with self._database.session() as session:
            policy = school_policy(session)
            last = _last_good(session)
            failed = _latest_failed_check(session)
        limit = timedelta(days=policy.backup_warn_after_days)
        stale = last is None or self._clock.now() - last > limit
        return BackupStatus(
            last_at=last, folder=self._folder(policy), stale=stale, failed_check=failed
        )

    def _record(self, out: Path, *, ok: bool, detail: str, by: SignedInUser | None) -> None:
        record_event(self._database, self._clock, "backup", out.name, ok=ok, detail=detail, by=by)


def _last_good(session: Session) -> datetime | None:
    return session.scalar(
        sa.select(sa.func.max(BackupRecord.at)).where(
            BackupRecord.kind == "backup", BackupRecord.ok.is_(True)
        )
    )


def _latest_failed_check(session: Session) -> str | None:
    """The latest restore test or backup, if it failed: what it found, with the file's name."""
    latest = session.scalars(
        sa.select(BackupRecord)
        .where(BackupRecord.kind.in_(("backup", "restore_test")))
        .order_by(BackupRecord.at.desc(), BackupRecord.id.desc())
        .limit(1)
    ).first()
    if latest is None or latest.ok:
        return None
    what = "A restore test" if latest.kind == "restore_test" else "The last backup"
    return f"{what} of {latest.file_name or 'a backup'} failed: {latest.detail or 'see the log'}"


def record_event(
    database: Database,
    clock: Clock,
    kind: str,
    file_name: str | None,
    *,
    ok: bool,
    detail: str | None,
    by: SignedInUser | None = None,
) -> None:
    """One line in `backup_records` (backup, restore_test, restore, rekey)."""
    with database.session() as session:
        session.add(
            BackupRecord(
                kind=kind,
                at=clock.now(),
                file_name=file_name,
                ok=ok,
                detail=detail,
                by_id=by.user_id if by is not None else None,
            )
        )


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete the oldest automatic backups beyond `keep`; other files are never touched."""
    automatic = sorted(p for p in folder.iterdir() if AUTOMATIC_NAME.fullmatch(p.name))
    doomed = automatic[:-keep] if keep > 0 else []
    for path in doomed:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        log.info("Old automatic backup deleted: %s", path.name)
    return doomed


def key_literal(database: Database) -> str:
    """The raw-key literal SQLCipher takes (x'…'), as the engine holds it."""
    literal = database.engine.url.password
    if not isinstance(literal, str):
        raise RuntimeError("the database engine carries no key")
    return literal


def _damaged(path: Path) -> BackupDamaged:
    return BackupDamaged(
        f"{path.name} failed SQLite's integrity check: it is damaged.",
        "Use an earlier backup, and make a new one now.",
    )


def check_backup(path: Path, literal: str) -> CheckedBackup:
    """Open a backup read-only with the key, run the integrity check, read its schema version.

    Read-only on purpose: opening it normally would switch it to WAL and write to it.
    """
    if not path.is_file():
        raise BackupFailed(f"There is no backup file at {path}.", "Check the file name.")
    with path.open("rb") as handle:
        header = handle.read(16)
    if not header:
        raise NotADatabase(f"{path.name} is empty: it is not a backup.", "Choose another file.")
    if header == b"SQLite format 3\x00":
        raise NotADatabase(
            f"{path.name} is an unencrypted SQLite file, not an hvdesk backup.",
            "Choose a backup made by hvdesk.",
        )
    connection = sqlcipher3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        connection.execute(f'PRAGMA key = "{literal}"')
        connection.execute("PRAGMA cipher_log_level = NONE")
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError as exc:
            raise NotADatabase(
                f"The key does not open {path.name}: it was made with another key, or it is "
                "damaged or not an hvdesk backup.",
                "Use the recovery key that was current when the backup was made.",
            ) from exc
        try:
            result = connection.execute("PRAGMA integrity_check").fetchone()
        except sqlcipher3.DatabaseError as exc:  # damaged past what the check can walk
            raise _damaged(path) from exc
        if result is None or result[0] != "ok":
            raise _damaged(path)
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlcipher3.OperationalError as exc:
            if "no such table" not in str(exc).lower():
                raise _damaged(path) from exc
            raise NotADatabase(
                f"{path.name} is an encrypted database, but not one hvdesk made.",
                "Choose a backup made by hvdesk.",
            ) from exc
        except sqlcipher3.DatabaseError as exc:
            raise _damaged(path) from exc
    finally:
        connection.close()
    revision = row[0] if row else ""
    if revision not in KNOWN_REVISIONS:
        raise BackupFailed(
            f"{path.name} was made by a newer hvdesk (schema {revision}).",
            "Install the newer hvdesk to restore it.",
        )
    return CheckedBackup(path=path, revision=revision)
